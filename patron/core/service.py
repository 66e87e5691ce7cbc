"""The core's public face: what a dialect is handed at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from patron.core.accounts import Accounts
from patron.core.auth import Authentication
from patron.core.ports import TenantDirectory


@dataclass(frozen=True, slots=True)
class Core:
    tenants: TenantDirectory
    accounts: Accounts
    auth: Authentication
