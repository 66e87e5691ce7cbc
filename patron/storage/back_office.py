"""Admin users, API clients and API tokens in SQL."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from patron.core.domain.errors.conflict import AdminEmailTaken
from patron.core.domain.principals import AdminRole, AdminUser, ApiClient, PrincipalKind
from patron.core.ports.back_office import NewAdminUser, NewApiClient
from patron.storage.database import Connection, qualified

USER_COLUMNS = (
    "id, uuid, tenant_id, email, first_name, last_name, role, scopes, metadata, disabled_at, "
    "tokens_valid_after, created_at, updated_at"
)
CLIENT_COLUMNS = (
    "id, tenant_id, client_id, name, scopes, disabled_at, tokens_valid_after, created_at, "
    "updated_at, company_group_id"
)
EMAIL_INDEX = "admin_users_email_unique"
TABLES = {PrincipalKind.USER: "admin_users", PrincipalKind.CLIENT: "api_clients"}

# Every request authenticated by an API token runs this: the token and its user, one probe
# of the token's primary key and one of the user's.
USER_BY_API_TOKEN = (
    f"SELECT {qualified(USER_COLUMNS, 'u')}, t.created_at AS issued_at "
    "FROM admin_api_tokens t JOIN admin_users u ON u.id = t.user_id WHERE t.token_hash = $1"
)


def row_to_user(row: asyncpg.Record) -> AdminUser:
    return AdminUser(
        id=row["id"],
        uuid=row["uuid"],
        tenant_id=row["tenant_id"],
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        role=AdminRole(row["role"]),
        scopes=frozenset(row["scopes"]),
        metadata=row["metadata"],
        disabled_at=row["disabled_at"],
        tokens_valid_after=row["tokens_valid_after"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def row_to_client(row: asyncpg.Record) -> ApiClient:
    return ApiClient(
        id=row["id"],
        tenant_id=row["tenant_id"],
        client_id=row["client_id"],
        name=row["name"],
        scopes=frozenset(row["scopes"]),
        disabled_at=row["disabled_at"],
        tokens_valid_after=row["tokens_valid_after"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        company_id=row["company_group_id"],
    )


class PgBackOffice:
    """Implements `BackOfficeRepository` on one connection of a unit of work."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    async def add_user(self, new: NewAdminUser) -> AdminUser:
        try:
            row = await self._db.fetchrow(
                f"""
                INSERT INTO admin_users (uuid, tenant_id, email, password_hash, role, scopes,
                                         first_name, last_name, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
                RETURNING {USER_COLUMNS}
                """,
                new.uuid,
                new.tenant_id,
                new.email,
                new.password_hash,
                new.role.value,
                sorted(new.scopes),
                new.first_name,
                new.last_name,
                new.now,
            )
        except asyncpg.UniqueViolationError as error:
            if error.constraint_name == EMAIL_INDEX:
                raise AdminEmailTaken() from None
            raise
        if row is None:
            raise RuntimeError("INSERT ... RETURNING returned no row")
        return row_to_user(row)

    async def add_client(self, new: NewApiClient) -> ApiClient:
        row = await self._db.fetchrow(
            f"""
            INSERT INTO api_clients (tenant_id, client_id, name, secret_hash, scopes,
                                     created_at, updated_at, company_group_id)
            VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
            RETURNING {CLIENT_COLUMNS}
            """,
            new.tenant_id,
            new.client_id,
            new.name,
            new.secret_hash,
            sorted(new.scopes),
            new.now,
            new.company_id,
        )
        if row is None:
            raise RuntimeError("INSERT ... RETURNING returned no row")
        return row_to_client(row)

    async def user_by_email(
        self, tenant_id: int, email: str, *, for_update: bool = False
    ) -> AdminUser | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._db.fetchrow(
            f"SELECT {USER_COLUMNS} FROM admin_users "
            f"WHERE tenant_id = $1 AND lower(email) = lower($2){lock}",
            tenant_id,
            email.strip(),
        )
        return row_to_user(row) if row else None

    async def client_by_client_id(
        self, tenant_id: int, client_id: str, *, for_update: bool = False
    ) -> ApiClient | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._db.fetchrow(
            f"SELECT {CLIENT_COLUMNS} FROM api_clients "
            f"WHERE tenant_id = $1 AND client_id = $2{lock}",
            tenant_id,
            client_id,
        )
        return row_to_client(row) if row else None

    async def set_disabled(
        self, kind: PrincipalKind, principal_id: int, disabled_at: datetime | None, now: datetime
    ) -> None:
        """Disabling also revokes every credential issued so far, so enabling again does
        not bring back a session or token that was out there while the principal was off."""
        await self._db.execute(
            f"UPDATE {TABLES[kind]} SET disabled_at = $2, updated_at = $3, "
            "tokens_valid_after = CASE WHEN $2::timestamptz IS NULL THEN tokens_valid_after "
            "ELSE $2 END WHERE id = $1",
            principal_id,
            disabled_at,
            now,
        )

    async def set_client_secret(self, client_pk: int, secret_hash: str, now: datetime) -> None:
        await self._db.execute(
            "UPDATE api_clients SET secret_hash = $2, tokens_valid_after = $3, updated_at = $3 "
            "WHERE id = $1",
            client_pk,
            secret_hash,
            now,
        )

    async def replace_api_token(self, user_id: int, token_hash: bytes, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO admin_api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, "
            "created_at = EXCLUDED.created_at",
            token_hash,
            user_id,
            now,
        )

    async def set_user_password_hash(self, user_id: int, password_hash: str) -> None:
        await self._db.execute(
            "UPDATE admin_users SET password_hash = $2 WHERE id = $1", user_id, password_hash
        )

    async def list_users(self, tenant_id: int) -> list[AdminUser]:
        rows = await self._db.fetch(
            f"SELECT {USER_COLUMNS} FROM admin_users WHERE tenant_id = $1 ORDER BY id", tenant_id
        )
        return [row_to_user(row) for row in rows]

    async def list_clients(self, tenant_id: int) -> list[ApiClient]:
        rows = await self._db.fetch(
            f"SELECT {CLIENT_COLUMNS} FROM api_clients WHERE tenant_id = $1 ORDER BY id",
            tenant_id,
        )
        return [row_to_client(row) for row in rows]


class PgBackOfficeReads:
    """Implements `BackOfficeReads`: one statement each, straight from the pool."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def user_login(self, tenant_id: int, email: str) -> tuple[AdminUser, str | None] | None:
        row = await self._pool.fetchrow(
            f"SELECT {USER_COLUMNS}, password_hash FROM admin_users "
            "WHERE tenant_id = $1 AND lower(email) = lower($2)",
            tenant_id,
            email.strip(),
        )
        return (row_to_user(row), row["password_hash"]) if row else None

    async def client_tenant(self, client_id: str) -> str | None:
        code: str | None = await self._pool.fetchval(
            "SELECT t.code FROM api_clients c JOIN tenants t ON t.id = c.tenant_id "
            "WHERE c.client_id = $1",
            client_id,
        )
        return code

    async def client_login(self, tenant_id: int, client_id: str) -> tuple[ApiClient, str] | None:
        row = await self._pool.fetchrow(
            f"SELECT {CLIENT_COLUMNS}, secret_hash FROM api_clients "
            "WHERE tenant_id = $1 AND client_id = $2",
            tenant_id,
            client_id,
        )
        return (row_to_client(row), row["secret_hash"]) if row else None

    async def user(self, user_id: int) -> AdminUser | None:
        row = await self._pool.fetchrow(
            f"SELECT {USER_COLUMNS} FROM admin_users WHERE id = $1", user_id
        )
        return row_to_user(row) if row else None

    async def client(self, client_pk: int) -> ApiClient | None:
        row = await self._pool.fetchrow(
            f"SELECT {CLIENT_COLUMNS} FROM api_clients WHERE id = $1", client_pk
        )
        return row_to_client(row) if row else None

    async def user_by_api_token(self, token_hash: bytes) -> tuple[AdminUser, datetime] | None:
        row = await self._pool.fetchrow(USER_BY_API_TOKEN, token_hash)
        return (row_to_user(row), row["issued_at"]) if row else None
