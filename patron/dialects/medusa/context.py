"""What every Medusa route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from dataclasses import dataclass

from patron.dialects.medusa.config import MedusaConfig
from patron.http.mount import MountContext


@dataclass(frozen=True, slots=True)
class MedusaContext(MountContext[MedusaConfig]):
    """Nothing of Medusa's own: the base's core and config, typed as Medusa's."""
