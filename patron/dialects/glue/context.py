"""What every Glue route needs: the core and the mount's config (`MountContext`)."""

from __future__ import annotations

from dataclasses import dataclass

from patron.dialects.glue.config import GlueConfig
from patron.http.mount import MountContext


@dataclass(frozen=True, slots=True)
class GlueContext(MountContext[GlueConfig]):
    """Nothing of Glue's own: the base's core and config, typed as Glue's."""
