"""Emporix' customer service, tenant-managed API: service tokens with scopes and
restrictions, customers (the `q` language, versioned upserts, mixins), addresses with tags,
and bulk import, in Emporix' paths, shapes and `ErrorMessage` bodies."""

from patron.dialects.emporix.app import build_app, mount
from patron.dialects.emporix.config import EmporixConfig

__all__ = ["EmporixConfig", "build_app", "mount"]
