"""What every Emporix route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from dataclasses import dataclass

from patron.dialects.emporix.config import EmporixConfig
from patron.http.mount import MountContext


@dataclass(frozen=True, slots=True)
class EmporixContext(MountContext[EmporixConfig]):
    """Nothing of Emporix's own: the base's core and config, typed as Emporix's."""
