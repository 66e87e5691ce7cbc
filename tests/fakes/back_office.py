"""Admin users, API clients and users' API tokens in memory (`PgBackOffice`,
`PgBackOfficeReads`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from patron.core.domain.errors.conflict import AdminEmailTaken
from patron.core.domain.principals import AdminUser, ApiClient, PrincipalKind
from patron.core.ports.back_office import NewAdminUser, NewApiClient
from tests.fakes.store import AdminRow, ApiTokenRow, ClientRow, MemoryStore, Tables


def _user_by_email(tables: Tables, tenant_id: int, email: str) -> AdminRow | None:
    wanted = email.strip().lower()
    return next(
        (
            row
            for row in tables.admin_users.values()
            if row.user.tenant_id == tenant_id and row.user.email.lower() == wanted
        ),
        None,
    )


def _client_by_id(tables: Tables, tenant_id: int | None, client_id: str) -> ClientRow | None:
    return next(
        (
            row
            for row in tables.api_clients.values()
            if row.client.client_id == client_id
            and (tenant_id is None or row.client.tenant_id == tenant_id)
        ),
        None,
    )


class MemoryBackOffice:
    """Implements `BackOfficeRepository`: an admin email is one user's per tenant (any
    case), a client id one client's across tenants, as their indexes say."""

    def __init__(self, tables: Tables, store: MemoryStore) -> None:
        self._tables = tables
        self._store = store

    async def add_user(self, new: NewAdminUser) -> AdminUser:
        if _user_by_email(self._tables, new.tenant_id, new.email) is not None:
            raise AdminEmailTaken()
        user = AdminUser(
            id=self._store.next_id("admin_users"),
            uuid=new.uuid,
            tenant_id=new.tenant_id,
            email=new.email,
            first_name=new.first_name,
            last_name=new.last_name,
            role=new.role,
            scopes=new.scopes,
            metadata={},
            disabled_at=None,
            tokens_valid_after=None,
            created_at=new.now,
            updated_at=new.now,
        )
        self._tables.admin_users[user.id] = AdminRow(user, new.password_hash)
        return user

    async def add_client(self, new: NewApiClient) -> ApiClient:
        if _client_by_id(self._tables, None, new.client_id) is not None:
            raise ValueError("duplicate client id")
        client = ApiClient(
            id=self._store.next_id("api_clients"),
            tenant_id=new.tenant_id,
            client_id=new.client_id,
            name=new.name,
            scopes=new.scopes,
            disabled_at=None,
            tokens_valid_after=None,
            created_at=new.now,
            updated_at=new.now,
            company_id=new.company_id,
        )
        self._tables.api_clients[client.id] = ClientRow(client, new.secret_hash)
        return client

    async def user_by_email(
        self, tenant_id: int, email: str, *, for_update: bool = False
    ) -> AdminUser | None:
        row = _user_by_email(self._tables, tenant_id, email)
        return row.user if row else None

    async def client_by_client_id(
        self, tenant_id: int, client_id: str, *, for_update: bool = False
    ) -> ApiClient | None:
        row = _client_by_id(self._tables, tenant_id, client_id)
        return row.client if row else None

    async def set_disabled(
        self, kind: PrincipalKind, principal_id: int, disabled_at: datetime | None, now: datetime
    ) -> None:
        if kind is PrincipalKind.USER and principal_id in self._tables.admin_users:
            user_row = self._tables.admin_users[principal_id]
            old = user_row.user
            after = old.tokens_valid_after if disabled_at is None else disabled_at
            user = replace(old, disabled_at=disabled_at, updated_at=now, tokens_valid_after=after)
            self._tables.admin_users[principal_id] = replace(user_row, user=user)
        elif kind is PrincipalKind.CLIENT and principal_id in self._tables.api_clients:
            client_row = self._tables.api_clients[principal_id]
            was = client_row.client
            after = was.tokens_valid_after if disabled_at is None else disabled_at
            client = replace(was, disabled_at=disabled_at, updated_at=now, tokens_valid_after=after)
            self._tables.api_clients[principal_id] = replace(client_row, client=client)

    async def set_client_secret(self, client_pk: int, secret_hash: str, now: datetime) -> None:
        row = self._tables.api_clients.get(client_pk)
        if row is not None:
            client = replace(row.client, tokens_valid_after=now, updated_at=now)
            self._tables.api_clients[client_pk] = ClientRow(client, secret_hash)

    async def replace_api_token(self, user_id: int, token_hash: bytes, now: datetime) -> None:
        self._tables.api_tokens[user_id] = ApiTokenRow(token_hash, now)

    async def set_user_password_hash(self, user_id: int, password_hash: str) -> None:
        row = self._tables.admin_users.get(user_id)
        if row is not None:
            self._tables.admin_users[user_id] = replace(row, password_hash=password_hash)

    async def list_users(self, tenant_id: int) -> list[AdminUser]:
        rows = sorted(self._tables.admin_users.items())
        return [row.user for _, row in rows if row.user.tenant_id == tenant_id]

    async def list_clients(self, tenant_id: int) -> list[ApiClient]:
        rows = sorted(self._tables.api_clients.items())
        return [row.client for _, row in rows if row.client.tenant_id == tenant_id]


class MemoryBackOfficeReads:
    """Implements `BackOfficeReads` on the committed rows."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def user_login(self, tenant_id: int, email: str) -> tuple[AdminUser, str | None] | None:
        row = _user_by_email(self._store.tables, tenant_id, email)
        return (row.user, row.password_hash) if row else None

    async def client_tenant(self, client_id: str) -> str | None:
        tables = self._store.tables
        row = _client_by_id(tables, None, client_id)
        return tables.tenants[row.client.tenant_id].tenant.code if row else None

    async def client_login(self, tenant_id: int, client_id: str) -> tuple[ApiClient, str] | None:
        row = _client_by_id(self._store.tables, tenant_id, client_id)
        return (row.client, row.secret_hash) if row else None

    async def user(self, user_id: int) -> AdminUser | None:
        row = self._store.tables.admin_users.get(user_id)
        return row.user if row else None

    async def client(self, client_pk: int) -> ApiClient | None:
        row = self._store.tables.api_clients.get(client_pk)
        return row.client if row else None

    async def user_by_api_token(self, token_hash: bytes) -> tuple[AdminUser, datetime] | None:
        tables = self._store.tables
        for user_id, token in tables.api_tokens.items():
            if token.token_hash == token_hash and user_id in tables.admin_users:
                return tables.admin_users[user_id].user, token.created_at
        return None
