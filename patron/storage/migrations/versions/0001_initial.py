"""Customers, addresses, tokens, outbox, tenants and signing keys.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DEFAULT_TENANT_SETTINGS = (
    '{"reference_pattern": "DE--{n}", "store_code": "DE", "password_policy": "compatible", '
    '"confirmation_required": true, "active_on_creation": true, "on_hold_on_creation": false, '
    '"default_locale": "en_US", "locales": ["en_US", "de_DE"]}'
)


SCHEMA = """
        CREATE TABLE tenants (
            id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]{0,63}$'),
            name        text NOT NULL,
            settings    jsonb NOT NULL DEFAULT '{}',
            next_customer_number bigint NOT NULL DEFAULT 1,
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE customers (
            id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            uuid               uuid NOT NULL UNIQUE,
            tenant_id          integer NOT NULL REFERENCES tenants(id),
            customer_number    text NOT NULL,
            email              text,
            has_account        boolean NOT NULL DEFAULT true,
            password_hash      text,
            salutation         text CHECK (salutation IN ('Mr', 'Mrs', 'Ms', 'Dr', 'n/a')),
            title              text,
            first_name         text,
            middle_name        text,
            last_name          text,
            gender             text CHECK (gender IN ('Male', 'Female')),
            birth_date         date,
            company            text,
            vat_id             text,
            phone              text,
            language           text,
            currency           char(3),
            site               text,
            metadata           jsonb NOT NULL DEFAULT '{}',
            is_active          boolean NOT NULL DEFAULT true,
            on_hold            boolean NOT NULL DEFAULT false,
            email_verified_at  timestamptz,
            terms_accepted_at  timestamptz,
            version            integer NOT NULL DEFAULT 1,
            created_at         timestamptz NOT NULL,
            updated_at         timestamptz NOT NULL,
            anonymized_at      timestamptz,
            deleted_at         timestamptz,
            last_login_at      timestamptz,
            tokens_valid_after timestamptz,
            CONSTRAINT customers_number_unique UNIQUE (tenant_id, customer_number)
        );
        -- One registered account per email and tenant, whatever the letter case.
        CREATE UNIQUE INDEX customers_account_email_unique
            ON customers (tenant_id, lower(email))
            WHERE has_account AND deleted_at IS NULL;
        -- Prefix search on email.
        CREATE INDEX customers_email_prefix
            ON customers (tenant_id, lower(email) text_pattern_ops);
        CREATE INDEX customers_created ON customers (tenant_id, created_at, id);

        CREATE TABLE addresses (
            id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            uuid                uuid NOT NULL UNIQUE,
            customer_id         bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            salutation          text CHECK (salutation IN ('Mr', 'Mrs', 'Ms', 'Dr', 'n/a')),
            title               text,
            first_name          text,
            last_name           text,
            company             text,
            address1            text,
            address2            text,
            address3            text,
            zip_code            text,
            city                text,
            region              text,
            country_code        char(2),
            phone               text,
            comment             text,
            is_default_shipping boolean NOT NULL DEFAULT false,
            is_default_billing  boolean NOT NULL DEFAULT false,
            metadata            jsonb NOT NULL DEFAULT '{}',
            version             integer NOT NULL DEFAULT 1,
            created_at          timestamptz NOT NULL,
            updated_at          timestamptz NOT NULL
        );
        CREATE INDEX addresses_customer ON addresses (customer_id, id);
        CREATE UNIQUE INDEX addresses_one_default_shipping
            ON addresses (customer_id) WHERE is_default_shipping;
        CREATE UNIQUE INDEX addresses_one_default_billing
            ON addresses (customer_id) WHERE is_default_billing;

        -- Confirmation and password-reset keys, kept only as SHA-256 hashes.
        CREATE TABLE one_time_tokens (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            purpose     text NOT NULL,
            token_hash  bytea NOT NULL UNIQUE,
            expires_at  timestamptz NOT NULL,
            used_at     timestamptz,
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX one_time_tokens_customer ON one_time_tokens (customer_id, purpose);

        CREATE TABLE refresh_tokens (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            family_id   uuid NOT NULL,
            token_hash  bytea NOT NULL UNIQUE,
            expires_at  timestamptz NOT NULL,
            rotated_at  timestamptz,
            revoked_at  timestamptz,
            created_at  timestamptz NOT NULL
        );
        CREATE INDEX refresh_tokens_customer ON refresh_tokens (customer_id)
            WHERE revoked_at IS NULL;
        CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

        CREATE TABLE outbox (
            id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id       integer NOT NULL REFERENCES tenants(id),
            customer_id     bigint REFERENCES customers(id) ON DELETE SET NULL,
            template        text NOT NULL,
            recipient       text NOT NULL,
            subject         text NOT NULL,
            body            text NOT NULL,
            status          text NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'sent', 'failed')),
            attempts        integer NOT NULL DEFAULT 0,
            last_error      text,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            created_at      timestamptz NOT NULL DEFAULT now(),
            sent_at         timestamptz
        );
        CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX outbox_customer ON outbox (customer_id);

        CREATE TABLE signing_keys (
            name       text PRIMARY KEY,
            secret     bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
"""


def upgrade() -> None:
    # One statement per execute: asyncpg prepares each and refuses several at once.
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)
    op.execute(
        "INSERT INTO tenants (code, name, settings) VALUES "
        f"('default', 'Default', '{DEFAULT_TENANT_SETTINGS}'::jsonb)"
    )


def downgrade() -> None:
    op.execute(
        "DROP TABLE signing_keys, outbox, refresh_tokens, one_time_tokens, addresses, "
        "customers, tenants"
    )
