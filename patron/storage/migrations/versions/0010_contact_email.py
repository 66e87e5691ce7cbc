"""A contact email apart from the login email, and whether the password was set by staff.

`customers.email` stays the login (unique per tenant among accounts, what every dialect's
login looks up); `contact_email` is set only where the customer's contact address differs
from it (NULL: the contact email is the login). Its partial index serves Emporix'
`q=contactEmail:...` for the few customers who have one, beside `customers_email_prefix`
for everyone else. `password_set_by_staff` marks an initial password a back-office caller
chose (Emporix' `initialPassword`), until the customer sets one of their own.

Revision ID: 0010
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

SCHEMA = """
        ALTER TABLE customers
            ADD COLUMN contact_email text,
            ADD COLUMN password_set_by_staff boolean NOT NULL DEFAULT false;
        CREATE INDEX customers_contact_email ON customers (tenant_id, lower(contact_email))
            WHERE contact_email IS NOT NULL
"""


def upgrade() -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX customers_contact_email")
    op.execute("ALTER TABLE customers DROP COLUMN contact_email, DROP COLUMN password_set_by_staff")
