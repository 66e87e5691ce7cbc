"""Aimeos' customer data: contact fields on customers and addresses, a login name
(`code`), two more salutations, properties, list items, and membership ids shared with
list items.

Revision ID: 0007
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SALUTATIONS = "('Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Company', 'n/a')"
OLD_SALUTATIONS = "('Mr', 'Mrs', 'Ms', 'Dr', 'n/a')"

SCHEMA = f"""
        ALTER TABLE customers
            ADD COLUMN code text,
            ADD COLUMN mobile text,
            ADD COLUMN fax text,
            ADD COLUMN website text,
            ADD COLUMN latitude double precision,
            ADD COLUMN longitude double precision,
            ADD COLUMN label text;
        -- A login name is one customer's per tenant (Aimeos: unique per code and site).
        CREATE UNIQUE INDEX customers_code_unique ON customers (tenant_id, code)
            WHERE code IS NOT NULL;

        ALTER TABLE addresses
            ADD COLUMN vat_id text,
            ADD COLUMN language text,
            ADD COLUMN fax text,
            ADD COLUMN mobile text,
            ADD COLUMN email text,
            ADD COLUMN website text,
            ADD COLUMN latitude double precision,
            ADD COLUMN longitude double precision,
            ADD COLUMN birth_date date;

        ALTER TABLE customers DROP CONSTRAINT customers_salutation_check;
        ALTER TABLE customers ADD CONSTRAINT customers_salutation_check
            CHECK (salutation IN {SALUTATIONS});
        ALTER TABLE addresses DROP CONSTRAINT addresses_salutation_check;
        ALTER TABLE addresses ADD CONSTRAINT addresses_salutation_check
            CHECK (salutation IN {SALUTATIONS});

        -- List items and group memberships draw their ids from one sequence, so one id
        -- names one relation of a customer whichever table holds it.
        CREATE SEQUENCE customer_relation_ids AS bigint;

        CREATE TABLE customer_list_items (
            id          bigint PRIMARY KEY DEFAULT nextval('customer_relation_ids'),
            customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            domain      text NOT NULL,
            type        text NOT NULL,
            ref_id      text NOT NULL,
            starts_at   timestamptz,
            ends_at     timestamptz,
            config      jsonb NOT NULL DEFAULT '{{}}',
            position    integer NOT NULL DEFAULT 0,
            status      smallint NOT NULL DEFAULT 1,
            created_at  timestamptz NOT NULL,
            updated_at  timestamptz NOT NULL,
            CONSTRAINT customer_list_items_key UNIQUE (customer_id, domain, type, ref_id)
        );

        ALTER TABLE customer_group_members
            ADD COLUMN id bigint NOT NULL DEFAULT nextval('customer_relation_ids');
        ALTER TABLE customer_group_members
            ADD CONSTRAINT customer_group_members_id_unique UNIQUE (id);

        CREATE TABLE customer_properties (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
            type        text NOT NULL,
            language    text,
            value       text NOT NULL,
            created_at  timestamptz NOT NULL,
            -- No language is one language: a second "limit = 1000" without one is a twin.
            CONSTRAINT customer_properties_unique
                UNIQUE NULLS NOT DISTINCT (customer_id, type, language, value)
        )
"""


def upgrade() -> None:
    # One statement per execute: asyncpg prepares each and refuses several at once.
    # Adding the membership id with a volatile default fills it for every existing row.
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE customer_properties, customer_list_items")
    op.execute("ALTER TABLE customer_group_members DROP COLUMN id")
    op.execute("DROP SEQUENCE customer_relation_ids")
    for table in ("customers", "addresses"):
        op.execute(
            f"UPDATE {table} SET salutation = NULL WHERE salutation NOT IN {OLD_SALUTATIONS}"
        )
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_salutation_check")
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_salutation_check "
            f"CHECK (salutation IN {OLD_SALUTATIONS})"
        )
    op.execute("DROP INDEX customers_code_unique")
    op.execute(
        "ALTER TABLE addresses DROP COLUMN vat_id, DROP COLUMN language, DROP COLUMN fax, "
        "DROP COLUMN mobile, DROP COLUMN email, DROP COLUMN website, DROP COLUMN latitude, "
        "DROP COLUMN longitude, DROP COLUMN birth_date"
    )
    op.execute(
        "ALTER TABLE customers DROP COLUMN code, DROP COLUMN mobile, DROP COLUMN fax, "
        "DROP COLUMN website, DROP COLUMN latitude, DROP COLUMN longitude, DROP COLUMN label"
    )
