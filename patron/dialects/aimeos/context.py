"""What every Aimeos route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from patron.dialects.aimeos.config import AimeosConfig
from patron.http.mount import MountContext

AimeosContext = MountContext[AimeosConfig]
