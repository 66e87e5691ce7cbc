"""Emporix' scope names (reference 5.1) and the core's grants they stand for.

A granted scope keeps its narrowing either way: `customer.customer_read_own--DE` is the
core's `customers:read_own--DE`. Only the customer service's own scopes have a name here;
a core scope Emporix has no name for (`groups:manage`) is left out of Emporix' answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from patron.core.domain.principals import OWN_SUFFIX, RESTRICTION_SEPARATOR, Grant, Principal, Scope

CUSTOMER_READ = "customer.customer_read"
CUSTOMER_READ_OWN = "customer.customer_read_own"
CUSTOMER_MANAGE = "customer.customer_manage"
CUSTOMER_MANAGE_OWN = "customer.customer_manage_own"
IMPORT_READ = "customer.import_read"
IMPORT_MANAGE = "customer.import_manage"

CORE_SCOPES: Mapping[str, Scope] = {
    CUSTOMER_READ: Scope.CUSTOMERS_READ,
    CUSTOMER_MANAGE: Scope.CUSTOMERS_MANAGE,
    IMPORT_READ: Scope.IMPORTS_READ,
    IMPORT_MANAGE: Scope.IMPORTS_MANAGE,
}
EMPORIX_NAMES: Mapping[Scope, str] = {scope: name for name, scope in CORE_SCOPES.items()}


def to_core(name: str) -> str | None:
    """The core grant an Emporix scope name stands for; None for a name it does not know."""
    base, separator, restriction = name.partition(RESTRICTION_SEPARATOR)
    own = base.endswith(OWN_SUFFIX) and base.removesuffix(OWN_SUFFIX) in CORE_SCOPES
    scope = CORE_SCOPES.get(base.removesuffix(OWN_SUFFIX) if own else base)
    if scope is None:
        return None
    grant = Grant.parse(scope.value + (OWN_SUFFIX if own else "") + separator + restriction)
    return None if grant is None else str(grant)


def to_emporix(granted: str) -> str | None:
    """The Emporix name of a core grant; None for a scope Emporix has no name for."""
    grant = Grant.parse(granted)
    if grant is None or grant.scope not in EMPORIX_NAMES:
        return None
    name = EMPORIX_NAMES[grant.scope] + (OWN_SUFFIX if grant.own else "")
    return name if grant.restriction is None else name + RESTRICTION_SEPARATOR + grant.restriction


def scope_text(tenant_code: str, granted: Iterable[str]) -> str:
    """The token's `scope` as Emporix writes it: its scopes, then `tenant=<code>`."""
    names = sorted({name for text in granted if (name := to_emporix(text)) is not None})
    return " ".join([*names, f"tenant={tenant_code}"])


def allows(principal: Principal, listed: Iterable[str]) -> bool:
    """Whether the caller holds any scope an operation lists (OpenAPI's OR). A restriction
    suffix narrows which customers a grant reaches, not which operations it opens."""
    wanted = set(listed)
    for text in principal.scopes:
        name = to_emporix(text)
        if name is not None and name.partition(RESTRICTION_SEPARATOR)[0] in wanted:
            return True
    return False
