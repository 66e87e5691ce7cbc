"""Medusa v1: the admin customer and customer-group APIs and the store customer APIs, with
Medusa's ids, shapes, statuses, error bodies, cookie sessions and tokens."""

from patron.dialects.medusa.app import build_app, mount
from patron.dialects.medusa.config import MedusaConfig

__all__ = ["MedusaConfig", "build_app", "mount"]
