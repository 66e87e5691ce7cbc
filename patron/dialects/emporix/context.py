"""What every Emporix route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from patron.dialects.emporix.config import EmporixConfig
from patron.http.mount import MountContext

EmporixContext = MountContext[EmporixConfig]
