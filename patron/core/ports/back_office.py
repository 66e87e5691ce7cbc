"""What the back office asks of storage: users and API clients, customer groups, and the
customer search behind admin lists (`patron.storage.back_office`, `groups`, `customer_search`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from patron.core.domain.commands import UNSET, Unset
from patron.core.domain.model import Customer, CustomerGroup
from patron.core.domain.principals import AdminRole, AdminUser, ApiClient, PrincipalKind
from patron.core.domain.queries import CustomerQuery, GroupQuery


@dataclass(frozen=True, slots=True, kw_only=True)
class NewAdminUser:
    tenant_id: int
    uuid: UUID
    email: str
    password_hash: str | None
    role: AdminRole
    scopes: frozenset[str]
    first_name: str | None
    last_name: str | None
    now: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class NewApiClient:
    tenant_id: int
    client_id: str
    name: str
    secret_hash: str
    scopes: frozenset[str]
    now: datetime
    company_id: int | None = None


class BackOfficeRepository(Protocol):
    """Admin users, API clients and users' API tokens, inside a unit of work."""

    async def add_user(self, new: NewAdminUser) -> AdminUser:
        """Raises `AdminEmailTaken` when the tenant has a user with that email (any case)."""

    async def add_client(self, new: NewApiClient) -> ApiClient: ...

    async def user_by_email(
        self, tenant_id: int, email: str, *, for_update: bool = False
    ) -> AdminUser | None: ...

    async def client_by_client_id(
        self, tenant_id: int, client_id: str, *, for_update: bool = False
    ) -> ApiClient | None: ...

    async def set_disabled(
        self, kind: PrincipalKind, principal_id: int, disabled_at: datetime | None, now: datetime
    ) -> None:
        """Disable (a time) or enable (None) a user or client. Disabling also sets
        `tokens_valid_after`, so credentials issued before it stay dead once enabled again."""

    async def set_client_secret(self, client_pk: int, secret_hash: str, now: datetime) -> None:
        """A new secret; tokens issued with the old one stop working (`tokens_valid_after`)."""

    async def replace_api_token(self, user_id: int, token_hash: bytes, now: datetime) -> None:
        """A user has one API token at a time: the new one replaces any older one."""

    async def set_user_password_hash(self, user_id: int, password_hash: str) -> None:
        """Rehash on login."""

    async def list_users(self, tenant_id: int) -> list[AdminUser]: ...

    async def list_clients(self, tenant_id: int) -> list[ApiClient]: ...


class BackOfficeReads(Protocol):
    """Single statements outside a transaction: what every back-office request reads."""

    async def user_login(self, tenant_id: int, email: str) -> tuple[AdminUser, str | None] | None:
        """The user with that email (any case) and their password hash."""

    async def client_tenant(self, client_id: str) -> str | None:
        """The code of the tenant a client id belongs to (client ids are unique across
        tenants), for token endpoints whose request names no tenant."""

    async def client_login(self, tenant_id: int, client_id: str) -> tuple[ApiClient, str] | None:
        """The client and its secret hash."""

    async def user(self, user_id: int) -> AdminUser | None: ...

    async def client(self, client_pk: int) -> ApiClient | None: ...

    async def user_by_api_token(self, token_hash: bytes) -> tuple[AdminUser, datetime] | None:
        """The user holding that API token and when the token was issued, in one statement
        (every request authenticated by an API token runs it)."""


class GroupRepository(Protocol):
    """Customer groups and their members, inside a unit of work."""

    async def add(
        self, tenant_id: int, uuid: UUID, name: str, metadata: dict[str, Any], now: datetime
    ) -> CustomerGroup:
        """Raises `GroupNameTaken` when the tenant has a group of that name."""

    async def get(
        self, tenant_id: int, group_uuid: UUID, *, for_update: bool = False
    ) -> CustomerGroup | None: ...

    async def update(
        self,
        group_id: int,
        *,
        name: str | Unset = UNSET,
        metadata: dict[str, Any] | Unset = UNSET,
        now: datetime,
    ) -> CustomerGroup:
        """Write what is not `UNSET`; raises `GroupNameTaken` like `add`."""

    async def delete(self, tenant_id: int, group_uuid: UUID) -> bool:
        """False when there was no such group; its members stay customers."""

    async def group_ids(self, tenant_id: int, group_uuids: Sequence[UUID]) -> dict[UUID, int]:
        """The internal ids of those of `group_uuids` that exist in the tenant."""

    async def customer_ids(self, tenant_id: int, customer_uuids: Sequence[UUID]) -> dict[UUID, int]:
        """The internal ids of those of `customer_uuids` that exist in the tenant, each
        kept from being locked for update (a customer update) until the transaction ends,
        taken in one order so racing batches cannot deadlock."""

    async def group_ids_of(self, customer_id: int) -> frozenset[int]:
        """The ids of the customer's groups (its companies, for `_own` grants)."""

    async def add_members(self, group_id: int, customer_ids: Sequence[int], now: datetime) -> None:
        """Members already in the group stay as they are."""

    async def remove_members(self, group_id: int, customer_ids: Sequence[int]) -> None:
        """Customers not in the group are ignored."""

    async def set_groups_of(
        self, customer_id: int, group_ids: Sequence[int], now: datetime
    ) -> None:
        """The customer's groups become exactly `group_ids`."""


class GroupReads(Protocol):
    async def search(self, tenant_id: int, query: GroupQuery) -> tuple[list[CustomerGroup], int]:
        """One page and the total count."""

    async def get(self, tenant_id: int, group_uuid: UUID) -> CustomerGroup | None: ...

    async def groups_of(self, customer_ids: Sequence[int]) -> dict[int, list[CustomerGroup]]:
        """Every group of these customers in ONE query, by customer id (empty lists too)."""


class CustomerSearch(Protocol):
    """Back-office reads of a tenant's customers, guests included."""

    async def search(self, tenant_id: int, query: CustomerQuery) -> tuple[list[Customer], int]:
        """One page and the total count matching the filters."""

    async def search_with_groups(
        self, tenant_id: int, query: CustomerQuery
    ) -> tuple[list[tuple[Customer, list[CustomerGroup]]], int]:
        """As `search`, each customer with its groups (read in the same statement)."""

    async def by_uuid(self, tenant_id: int, customer_uuid: UUID) -> Customer | None: ...

    async def by_number(
        self, tenant_id: int, number: str
    ) -> tuple[Customer, frozenset[int]] | None:
        """The customer and the ids of its groups (its companies), in one statement."""
