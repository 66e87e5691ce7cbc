"""`OPTIONS /jsonapi` (and `GET`, as Laravel routes it): the resources, the locale and the
CSRF token a client starts from; `OPTIONS` on a resource: its attributes (reference 2.1-2.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from patron.dialects.aimeos.http import Call
from patron.dialects.aimeos.schemas import Attribute, options
from patron.dialects.aimeos.shapes import DATA_ALLOW, OPTIONS_CACHE, answer, url

SERVED = ("customer",)
NOT_SERVED = (
    "attribute",
    "basket",
    "catalog",
    "locale",
    "order",
    "product",
    "review",
    "service",
    "site",
    "stock",
    "subscription",
    "supplier",
)
"""Resources Aimeos lists that Patron does not serve: they answer as Aimeos' base client
does (403 "Not allowed for this resource")."""
RESOURCES = tuple(sorted(SERVED + NOT_SERVED))
LOCALE_PARAMETERS = ("locale", "currency")


def locale(call: Call) -> dict[str, Any]:
    """`context->locale()->toArray()`, built from the tenant: its default language, its
    code as the site, the mount's currency."""
    language = call.tenant.settings.default_locale.split("_", 1)[0].lower()
    return {
        "locale.id": "1",
        "locale.currencyid": call.ctx.config.currency,
        "locale.languageid": language,
        "locale.position": 0,
        "locale.sitecode": call.tenant.code,
        "locale.siteid": "1.",
        "locale.status": 1,
    }


def root(call: Call) -> Response:
    """The resource list; their URLs carry the request's `locale` and `currency`."""
    kept = {k: v for k, v in call.query.items() if k in LOCALE_PARAMETERS and isinstance(v, str)}
    base = call.ctx.config.base_url
    meta = call.meta()
    meta["locale"] = locale(call)
    meta["resources"] = {name: url(base, name, kept) for name in RESOURCES}
    return answer({"meta": meta}, allow="GET", cache=OPTIONS_CACHE)


def resource_options(call: Call, attributes: Mapping[str, Attribute]) -> Response:
    meta = call.meta()
    meta["attributes"] = options(attributes)
    return answer({"meta": meta}, allow=DATA_ALLOW, cache=OPTIONS_CACHE)
