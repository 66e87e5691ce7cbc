"""Spryker Glue storefront API: customers, confirmation and tokens, in JSON:API."""

from patron.dialects.glue.app import build_app, mount
from patron.dialects.glue.config import GlueConfig

__all__ = ["GlueConfig", "build_app", "mount"]
