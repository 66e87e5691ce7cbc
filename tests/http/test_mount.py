"""One mount configuration and request context for every dialect (`patron.http.mount`):
each dialect's config adds only its vendor's settings."""

from __future__ import annotations

import pytest

from patron.dialects.aimeos import AimeosConfig
from patron.dialects.emporix import EmporixConfig
from patron.dialects.glue import GlueConfig
from patron.dialects.medusa import MedusaConfig
from patron.dialects.medusa.context import MedusaContext
from patron.http.body import BodyLimits
from patron.http.mount import MountConfig, TenantMountConfig

CONFIGS: list[tuple[type[MountConfig], str]] = [
    (GlueConfig, "/glue"),
    (MedusaConfig, "/medusa"),
    (AimeosConfig, "/jsonapi"),
    (EmporixConfig, "/emporix"),
]


@pytest.mark.parametrize(("config", "path"), CONFIGS)
def test_every_dialect_is_mounted_at_its_own_path_under_the_public_url(
    config: type[MountConfig], path: str
) -> None:
    mounted = config(public_url="https://api.example.com", max_body_bytes=100, max_body_depth=4)

    assert mounted.base_url == f"https://api.example.com{path}"
    assert mounted.body_limits == BodyLimits(max_bytes=100, max_depth=4)
    assert mounted.secure_cookies
    assert not config(public_url="http://localhost:8000").secure_cookies


def test_only_a_single_tenant_mount_names_its_tenant() -> None:
    assert [c for c, _ in CONFIGS if issubclass(c, TenantMountConfig)] == [
        GlueConfig,
        MedusaConfig,
        AimeosConfig,
    ]
    assert GlueConfig(public_url="http://t", tenant_code="shop").tenant_code == "shop"


def test_a_context_gives_the_core_only_once_the_app_has_started() -> None:
    def not_started() -> object:
        raise RuntimeError("Patron has not started")

    ctx = MedusaContext(not_started, MedusaConfig(public_url="http://t"))  # type: ignore[arg-type]

    assert ctx.base_url == "http://t/medusa"
    with pytest.raises(RuntimeError):
        ctx.core  # noqa: B018
