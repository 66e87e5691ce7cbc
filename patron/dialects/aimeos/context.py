"""What every Aimeos route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from dataclasses import dataclass

from patron.dialects.aimeos.config import AimeosConfig
from patron.http.mount import MountContext


@dataclass(frozen=True, slots=True)
class AimeosContext(MountContext[AimeosConfig]):
    """Nothing of Aimeos's own: the base's core and config, typed as Aimeos's."""
