"""Back-office users and API clients, customer groups, server-side sessions, guests, and
the indexes the back-office customer list needs.

Revision ID: 0005
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;

        CREATE TABLE admin_users (
            id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            uuid               uuid NOT NULL UNIQUE,
            tenant_id          integer NOT NULL REFERENCES tenants(id),
            email              text NOT NULL,
            password_hash      text,
            role               text NOT NULL CHECK (role IN ('admin', 'member', 'developer')),
            scopes             text[] NOT NULL,
            first_name         text,
            last_name          text,
            metadata           jsonb NOT NULL DEFAULT '{}',
            disabled_at        timestamptz,
            tokens_valid_after timestamptz,
            created_at         timestamptz NOT NULL,
            updated_at         timestamptz NOT NULL
        );
        CREATE UNIQUE INDEX admin_users_email_unique ON admin_users (tenant_id, lower(email));

        -- A user's API token (Medusa's x-medusa-access-token), kept only as a SHA-256 hash.
        CREATE TABLE admin_api_tokens (
            token_hash bytea PRIMARY KEY,
            user_id    bigint NOT NULL UNIQUE REFERENCES admin_users(id) ON DELETE CASCADE,
            created_at timestamptz NOT NULL
        );

        CREATE TABLE api_clients (
            id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id          integer NOT NULL REFERENCES tenants(id),
            client_id          text NOT NULL UNIQUE,
            name               text NOT NULL,
            secret_hash        text NOT NULL,
            scopes             text[] NOT NULL,
            disabled_at        timestamptz,
            tokens_valid_after timestamptz,
            created_at         timestamptz NOT NULL,
            updated_at         timestamptz NOT NULL
        );

        -- Sessions behind opaque cookies, by the SHA-256 hash of the cookie value.
        CREATE TABLE sessions (
            token_hash     bytea PRIMARY KEY,
            tenant_id      integer NOT NULL REFERENCES tenants(id),
            audience       text NOT NULL CHECK (audience IN ('customer', 'back-office')),
            subject_id     bigint NOT NULL,
            subject_uuid   uuid NOT NULL,
            subject_number text,
            family_id      uuid,
            created_at     timestamptz NOT NULL,
            expires_at     timestamptz NOT NULL
        );
        CREATE INDEX sessions_expiry ON sessions (expires_at);

        CREATE TABLE customer_groups (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            uuid       uuid NOT NULL UNIQUE,
            tenant_id  integer NOT NULL REFERENCES tenants(id),
            name       text NOT NULL,
            metadata   jsonb NOT NULL DEFAULT '{}',
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        -- Names are unique per tenant as given (case matters, as in Medusa).
        CREATE UNIQUE INDEX customer_groups_name_unique ON customer_groups (tenant_id, name);
        CREATE INDEX customer_groups_created ON customer_groups (tenant_id, created_at, id);

        CREATE TABLE customer_group_members (
            group_id    bigint NOT NULL REFERENCES customer_groups(id) ON DELETE CASCADE,
            customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            created_at  timestamptz NOT NULL,
            PRIMARY KEY (group_id, customer_id)
        );
        CREATE INDEX customer_group_members_customer ON customer_group_members (customer_id);

        -- One guest row per email and tenant beside the registered one (Medusa's
        -- (email, has_account) index).
        CREATE UNIQUE INDEX customers_guest_email_unique
            ON customers (tenant_id, lower(email))
            WHERE NOT has_account AND deleted_at IS NULL;

        -- The back-office `q`: a substring of email, first or last name, any case. The
        -- unit separator keeps a match from spanning two fields.
        CREATE INDEX customers_search_trgm ON customers USING gin (
            (lower(coalesce(email, '') || chr(31) || coalesce(first_name, '') || chr(31)
                   || coalesce(last_name, ''))) gin_trgm_ops);
        CREATE INDEX customers_updated ON customers (tenant_id, updated_at, id)
"""


def upgrade() -> None:
    # One statement per execute: asyncpg prepares each and refuses several at once.
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX customers_updated, customers_search_trgm, customers_guest_email_unique")
    op.execute(
        "DROP TABLE customer_group_members, customer_groups, sessions, api_clients, "
        "admin_api_tokens, admin_users"
    )
