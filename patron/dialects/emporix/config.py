"""What the Emporix mount is configured with."""

from __future__ import annotations

from dataclasses import dataclass

from patron.http.body import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH


@dataclass(frozen=True, slots=True)
class EmporixConfig:
    public_url: str
    mount_path: str = "/emporix"
    max_body_bytes: int = DEFAULT_MAX_BYTES
    max_body_depth: int = DEFAULT_MAX_DEPTH

    @property
    def base_url(self) -> str:
        return f"{self.public_url}{self.mount_path}"
