"""Back-office users and API clients, managed (the console's `admin` commands): created,
disabled and enabled, their secrets and API tokens replaced.

Apart from `staff.BackOffice`, which checks the credentials these hand out on every
request: managing staff is the console's, never a request's.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from ulid import ULID

from patron.core.domain.email_addresses import clean_email
from patron.core.domain.errors.not_found import GroupNotFound, PrincipalNotFound
from patron.core.domain.principals import (
    BACK_OFFICE_SCOPES,
    AdminRole,
    AdminUser,
    ApiClient,
    PrincipalKind,
)
from patron.core.domain.tenants import Tenant
from patron.core.domain.text import LINE, NAME, Text, check_text
from patron.core.identity.passwords import POLICIES
from patron.core.identity.staff_credentials import grantable
from patron.core.ports.back_office import NewAdminUser, NewApiClient
from patron.core.ports.security import PasswordHasher, TokenCodec
from patron.core.ports.unit_of_work import Clock, UnitOfWorkFactory

USER_TEXT: Mapping[str, Text] = {"first_name": NAME, "last_name": NAME}
CLIENT_TEXT: Mapping[str, Text] = {"name": LINE}
CLIENT_ID_PREFIX = "pc_"


@dataclass(frozen=True, slots=True)
class StaffAccounts:
    uow: UnitOfWorkFactory
    hasher: PasswordHasher
    codec: TokenCodec
    clock: Clock

    async def create_user(
        self,
        tenant: Tenant,
        *,
        email: str,
        password: str,
        role: AdminRole = AdminRole.ADMIN,
        scopes: Iterable[str] | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> AdminUser:
        """A back-office person; the tenant's password policy applies to them as to its
        customers. `scopes` None grants every back-office scope. Raises `AdminEmailTaken`."""
        check_text({"first_name": first_name, "last_name": last_name}, USER_TEXT)
        clean = clean_email(email)
        granted = grantable(BACK_OFFICE_SCOPES if scopes is None else scopes)
        POLICIES[tenant.settings.password_policy].check(password)
        password_hash = await self.hasher.hash(password)
        async with self.uow() as uow:
            user = await uow.back_office.add_user(
                NewAdminUser(
                    tenant_id=tenant.id,
                    uuid=ULID().to_uuid(),
                    email=clean,
                    password_hash=password_hash,
                    role=role,
                    scopes=granted,
                    first_name=first_name,
                    last_name=last_name,
                    now=self.clock(),
                )
            )
            await uow.commit()
        return user

    async def create_client(
        self, tenant: Tenant, *, name: str, scopes: Iterable[str], company: UUID | None = None
    ) -> tuple[ApiClient, str]:
        """A machine caller and its secret, which is returned this once and kept only as
        its SHA-256 hash (256 random bits: no guessing to slow down, unlike a password).
        `company`: the customer group whose customers its `_own` grants reach
        (`GroupNotFound` when the tenant has no such group)."""
        check_text({"name": name}, CLIENT_TEXT)
        granted = grantable(scopes)
        secret, secret_hash = self._new_secret()
        async with self.uow() as uow:
            company_id = None
            if company is not None:
                found = await uow.groups.group_ids(tenant.id, [company])
                if company not in found:
                    raise GroupNotFound(str(company))
                company_id = found[company]
            client = await uow.back_office.add_client(
                NewApiClient(
                    tenant_id=tenant.id,
                    client_id=f"{CLIENT_ID_PREFIX}{secrets.token_hex(12)}",
                    name=name,
                    secret_hash=secret_hash,
                    scopes=granted,
                    now=self.clock(),
                    company_id=company_id,
                )
            )
            await uow.commit()
        return client, secret

    async def set_enabled(
        self, tenant: Tenant, kind: PrincipalKind, key: str, *, enabled: bool
    ) -> None:
        """Disable or enable a user (by email) or client (by client id). Disabling ends
        every credential at once and for good: enabling again does not revive them."""
        now = self.clock()
        async with self.uow() as uow:
            found: AdminUser | ApiClient | None
            if kind is PrincipalKind.USER:
                found = await uow.back_office.user_by_email(tenant.id, key, for_update=True)
            else:
                found = await uow.back_office.client_by_client_id(tenant.id, key, for_update=True)
            if found is None:
                raise PrincipalNotFound()
            if found.is_disabled != enabled:
                return  # already so; a second disable keeps the first one's time
            await uow.back_office.set_disabled(kind, found.id, None if enabled else now, now)
            await uow.commit()

    async def rotate_secret(self, tenant: Tenant, client_id: str) -> str:
        """A new secret, returned once; tokens issued before stop working."""
        secret, secret_hash = self._new_secret()
        async with self.uow() as uow:
            client = await uow.back_office.client_by_client_id(
                tenant.id, client_id, for_update=True
            )
            if client is None:
                raise PrincipalNotFound()
            await uow.back_office.set_client_secret(client.id, secret_hash, self.clock())
            await uow.commit()
        return secret

    async def list_users(self, tenant: Tenant) -> list[AdminUser]:
        async with self.uow() as uow:
            return await uow.back_office.list_users(tenant.id)

    async def list_clients(self, tenant: Tenant) -> list[ApiClient]:
        async with self.uow() as uow:
            return await uow.back_office.list_clients(tenant.id)

    async def issue_api_token(self, tenant: Tenant, email: str) -> str:
        """The user's API token, returned once and kept as a hash; it replaces any older
        one, which stops working at once."""
        token, token_hash = self.codec.new_opaque()
        async with self.uow() as uow:
            user = await uow.back_office.user_by_email(tenant.id, email, for_update=True)
            if user is None:
                raise PrincipalNotFound()
            await uow.back_office.replace_api_token(user.id, token_hash, self.clock())
            await uow.commit()
        return token

    def _new_secret(self) -> tuple[str, str]:
        secret, secret_hash = self.codec.new_opaque()
        return secret, secret_hash.hex()
