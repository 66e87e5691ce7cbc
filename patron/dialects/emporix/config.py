"""What the Emporix mount is configured with."""

from __future__ import annotations

from dataclasses import dataclass

from patron.http.mount import MountConfig


@dataclass(frozen=True, slots=True)
class EmporixConfig(MountConfig):
    """The URL and body limits of every mount (`MountConfig`); the tenant is in each path."""

    mount_path: str = "/emporix"
