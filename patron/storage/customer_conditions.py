"""A customer query's field conditions as parameterised SQL.

Field names reach the SQL text only through `COLUMNS`, our own map; every value and every
metadata path travels as a query argument. Text is ordered by code point (`COLLATE "C"`,
as Emporix' MongoDB orders strings), whatever the database's collation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from patron.core.domain.condition_checks import METADATA
from patron.core.domain.queries import CUSTOMER_FILTER_FIELDS, FieldCondition, Operator
from patron.storage.listing import Filters

COLUMNS = {
    "id": "c.id",
    "customer_number": "c.customer_number",
    "email": "c.email",
    "contact_email": "coalesce(c.contact_email, c.email)",
    "code": "c.code",
    "first_name": "c.first_name",
    "middle_name": "c.middle_name",
    "last_name": "c.last_name",
    "title": "c.title",
    "company": "c.company",
    "vat_id": "c.vat_id",
    "phone": "c.phone",
    "language": "c.language",
    "currency": "c.currency",
    "site": "c.site",
    "birth_date": "c.birth_date",
    "has_account": "c.has_account",
    "is_active": "c.is_active",
    "on_hold": "c.on_hold",
    "email_verified_at": "c.email_verified_at",
    "created_at": "c.created_at",
    "updated_at": "c.updated_at",
    "version": "c.version",
    "restriction": "c.restriction",
}
"""The allow-list: the column of each field a condition may name."""
SQL_TYPES = {str: "text", int: "bigint", bool: "boolean", date: "date", datetime: "timestamptz"}
ORDER = {Operator.LT: "<", Operator.GT: ">", Operator.LTE: "<=", Operator.GTE: ">="}
CASE_INSENSITIVE = frozenset({"email", "contact_email"})
"""Compared in lower case, as the unique indexes compare emails."""
CONTACT_EMAIL_IS = (
    "((c.contact_email IS NULL AND lower(c.email) {0}) OR lower(c.contact_email) {0})"
)
"""The contact email compared as the indexes can serve it: the login's
(`customers_email_prefix`) where no contact email is kept apart, else the kept one's
(the partial `customers_contact_email`); `{0}` is the comparison."""
JSON_AT = "(c.metadata #> {0}::text[])"
TEXT_AT = "(c.metadata #>> {0}::text[])"


def add_conditions(where: Filters, conditions: Iterable[FieldCondition]) -> None:
    """Each condition AND-ed to `where`."""
    for condition in conditions:
        if condition.field == METADATA:
            _add_metadata_condition(where, condition)
        else:
            _add_column_condition(where, condition)


def _add_column_condition(where: Filters, condition: FieldCondition) -> None:
    column = COLUMNS[condition.field]
    sql_type = SQL_TYPES[CUSTOMER_FILTER_FIELDS[condition.field]]
    operator, values = condition.operator, condition.values
    if condition.field in CASE_INSENSITIVE and operator in (Operator.EQ, Operator.IN):
        value: object
        if operator is Operator.EQ:
            comparison, value = f"= lower({{0}}::{sql_type})", values[0]
        else:
            comparison = "= ANY (ARRAY(SELECT lower(v) FROM unnest({0}::text[]) v))"
            value = list(values)
        if condition.field == "contact_email":
            where.add(CONTACT_EMAIL_IS.format(comparison), value)
        else:
            where.add(f"lower({column}) {comparison}", value)
    elif operator is Operator.EQ:
        where.add(f"{column} = {{}}::{sql_type}", values[0])
    elif operator is Operator.IN:
        where.add(f"{column} = ANY ({{}}::{sql_type}[])", list(values))
    elif operator in ORDER:
        collate = ' COLLATE "C"' if sql_type == "text" else ""
        where.add(f"{column}{collate} {ORDER[operator]} {{}}::{sql_type}", values[0])
    elif operator is Operator.MATCHES:
        where.add(f"{column} ~ {{}}::text", values[0])
    else:  # IS_NULL: the core lets no other operator through on a column
        where.add(f"{column} IS NULL")


def _add_metadata_condition(where: Filters, condition: FieldCondition) -> None:
    """JSON values compare as JSON (a number never equals text, nor true 1); an order or
    pattern applies to values of its own JSON type only."""
    path, operator, values = list(condition.path), condition.operator, condition.values
    if operator is Operator.EQ:
        where.add(f"{JSON_AT} = {{1}}::jsonb", path, values[0])
    elif operator is Operator.IN:
        where.add(f"{JSON_AT} = ANY ({{1}}::jsonb[])", path, list(values))
    elif operator in ORDER:
        if isinstance(values[0], str):
            where.add(
                f"jsonb_typeof({JSON_AT}) = 'string' "
                f'AND {TEXT_AT} COLLATE "C" {ORDER[operator]} {{1}}',
                path,
                values[0],
            )
        else:
            where.add(
                f"jsonb_typeof({JSON_AT}) = 'number' AND {JSON_AT} {ORDER[operator]} {{1}}::jsonb",
                path,
                values[0],
            )
    elif operator is Operator.MATCHES:
        where.add(f"jsonb_typeof({JSON_AT}) = 'string' AND {TEXT_AT} ~ {{1}}", path, values[0])
    elif operator is Operator.IS_NULL:  # absent, or JSON null
        where.add(f"coalesce(jsonb_typeof({JSON_AT}), 'null') = 'null'", path)
    elif operator is Operator.EXISTS:  # present, even holding JSON null
        where.add(f"{JSON_AT} IS NOT NULL", path)
    else:  # MISSING
        where.add(f"{JSON_AT} IS NULL", path)
