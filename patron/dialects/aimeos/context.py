"""What every Aimeos handler needs: the core (available once the app has started) and config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from patron.core.use_cases import Core
from patron.dialects.aimeos.config import AimeosConfig


@dataclass(frozen=True, slots=True)
class AimeosContext:
    get_core: Callable[[], Core]
    config: AimeosConfig

    @property
    def core(self) -> Core:
        return self.get_core()
