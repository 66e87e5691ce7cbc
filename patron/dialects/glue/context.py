"""What every Glue route needs: the core (available once the app has started) and config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from patron.core.service import Core
from patron.dialects.glue.config import GlueConfig


@dataclass(frozen=True, slots=True)
class GlueContext:
    get_core: Callable[[], Core]
    config: GlueConfig

    @property
    def core(self) -> Core:
        return self.get_core()

    @property
    def base_url(self) -> str:
        return self.config.base_url
