"""What every Glue route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from patron.dialects.glue.config import GlueConfig
from patron.http.mount import MountContext

GlueContext = MountContext[GlueConfig]
