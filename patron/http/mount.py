"""What every dialect mount is configured with, and what every one of its handlers holds.

The four dialects had four near-identical `config.py` and `context.py`: a public URL, a
mount path, the body limits, and the core once the app has started. These bases hold
that; a dialect's own config adds only its vendor's settings (cookies, CORS origins,
confirmation rules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from patron.core.use_cases import Core
from patron.http.body import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, BodyLimits


@dataclass(frozen=True, slots=True)
class MountConfig:
    """Where a dialect is served and how much of a body it reads."""

    public_url: str
    mount_path: str = ""
    max_body_bytes: int = DEFAULT_MAX_BYTES
    max_body_depth: int = DEFAULT_MAX_DEPTH

    @property
    def base_url(self) -> str:
        return f"{self.public_url}{self.mount_path}"

    @property
    def body_limits(self) -> BodyLimits:
        return BodyLimits(self.max_body_bytes, self.max_body_depth)

    @property
    def secure_cookies(self) -> bool:
        """Served over https: any cookie the dialect sets is `Secure`."""
        return self.public_url.startswith("https://")


@dataclass(frozen=True, slots=True)
class TenantMountConfig(MountConfig):
    """A mount that serves one tenant (Emporix names its tenant in every path instead)."""

    tenant_code: str = "default"


ConfigT = TypeVar("ConfigT", bound=MountConfig)


@dataclass(frozen=True, slots=True)
class MountContext(Generic[ConfigT]):
    """What every route of a mount needs: the core (available once the app has started:
    `get_core` fails before) and the mount's config."""

    get_core: Callable[[], Core]
    config: ConfigT

    @property
    def core(self) -> Core:
        return self.get_core()

    @property
    def base_url(self) -> str:
        return self.config.base_url
