"""What every Medusa route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from patron.dialects.medusa.config import MedusaConfig
from patron.http.mount import MountContext

MedusaContext = MountContext[MedusaConfig]
