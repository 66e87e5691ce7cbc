"""Aimeos' JSON REST API (frontend customer resources) at `/jsonapi`, with Laravel as the
host: cookie sessions, the CSRF token in every `meta`, and Aimeos' documents and errors."""

from patron.dialects.aimeos.app import build_app, mount
from patron.dialects.aimeos.config import AimeosConfig

__all__ = ["AimeosConfig", "build_app", "mount"]
