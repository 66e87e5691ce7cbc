"""What every Emporix route needs: the core (available once the app has started) and config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from patron.core.use_cases import Core
from patron.dialects.emporix.config import EmporixConfig


@dataclass(frozen=True, slots=True)
class EmporixContext:
    get_core: Callable[[], Core]
    config: EmporixConfig

    @property
    def core(self) -> Core:
        return self.get_core()
