"""A customer query's field conditions are checked and typed in the core: every refusal is
a `QueryInvalid` naming the field and the problem, whatever a caller hands in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.queries import (
    CUSTOMER_FILTER_FIELDS,
    CustomerQuery,
    FieldCondition,
    FilterValue,
    Operator,
)

EQ, IN, MATCHES = Operator.EQ, Operator.IN, Operator.MATCHES
CET = timezone(timedelta(hours=1))


def condition(field: str, operator: Operator, *values: Any, path: Any = ()) -> FieldCondition:
    return FieldCondition(field, operator, tuple(values), path)


# --- conversions ---------------------------------------------------------------------


def test_a_whole_number_is_taken_as_an_int_or_as_digits() -> None:
    assert condition("id", IN, 7, "42", "-3").values == (7, 42, -3)


def test_a_date_is_taken_as_a_date_or_an_iso_date() -> None:
    found = condition("birth_date", IN, date(1990, 5, 1), "1991-12-31").values

    assert found == (date(1990, 5, 1), date(1991, 12, 31))


def test_a_time_with_a_zone_is_taken_as_utc_whether_given_as_text_or_a_datetime() -> None:
    found = condition(
        "created_at",
        IN,
        "2021-05-18T07:27:27.455Z",
        "2021-05-18T09:27:27+02:00",
        datetime(2021, 5, 18, 8, 0, tzinfo=CET),
    ).values

    assert found == (
        datetime(2021, 5, 18, 7, 27, 27, 455000, tzinfo=UTC),
        datetime(2021, 5, 18, 7, 27, 27, tzinfo=UTC),
        datetime(2021, 5, 18, 7, 0, tzinfo=UTC),
    )
    assert all(value.tzinfo is UTC for value in found)


def test_text_booleans_and_metadata_scalars_are_kept_as_given() -> None:
    assert condition("first_name", EQ, "Åsa").values == ("Åsa",)
    assert condition("is_active", EQ, False).values == (False,)
    metadata = condition("metadata", IN, "a", 2, 2.5, True, path=("mixins", "loyalty"))
    assert metadata.values == ("a", 2, 2.5, True)


@pytest.mark.parametrize(
    "pattern",
    [
        "^Ann",
        "a.*?b",
        r"[^]x-z]{2,5}(?:c|d)\.\d+$",
        r"\w+\s\S",
        "colou?r|gray",
        r"(ab)+[\[]",
        "x{0,255}",
    ],
)
def test_patterns_both_engines_read_alike_are_accepted(pattern: str) -> None:
    assert condition("code", MATCHES, pattern).values == (pattern,)


def test_operators_without_values_fit_where_they_apply() -> None:
    assert condition("phone", Operator.IS_NULL).values == ()
    assert condition("metadata", Operator.IS_NULL, path=("a",)).values == ()
    assert condition("metadata", Operator.EXISTS, path=("mixins", "x-1_y")).values == ()
    assert condition("metadata", Operator.MISSING, path=("a",) * 10).values == ()


# --- refusals --------------------------------------------------------------------------

REFUSALS: list[tuple[str, Any, Any, Any, str]] = [
    ("nickname", EQ, ("x",), (), "'nickname': not a field a customer can be filtered on"),
    ("password_hash", EQ, ("x",), (), "not a field a customer can be filtered on"),
    ("email", EQ, ("x",), ("a",), "email: only metadata takes a path"),
    ("metadata", EQ, ("x",), (), "metadata: a path of one or more keys is needed"),
    ("metadata", EQ, ("x",), ("a",) * 11, "metadata: a path has at most 10 keys"),
    ("metadata", EQ, ("x",), ("a.b",), "metadata: the path key 'a.b' is not 1-100 letters"),
    ("metadata", EQ, ("x",), ("",), "metadata: the path key '' is not"),
    ("metadata", EQ, ("x",), ("k" * 101,), "is not 1-100 letters, digits, _ or -"),
    ("metadata", EQ, ("x",), ["a"], "metadata: a path of one or more keys is needed"),
    ("email", EQ, ["x"], (), "email: the values must be a tuple"),
    ("email", "like", ("x",), (), "email: unknown operator 'like'"),
    ("email", IN, (), (), "email: a list holds 1 to 200 values"),
    ("email", IN, ("x",) * 201, (), "email: a list holds 1 to 200 values"),
    ("email", EQ, (), (), "email: eq takes exactly one value"),
    ("email", EQ, ("a", "b"), (), "email: eq takes exactly one value"),
    ("created_at", Operator.LT, (), (), "created_at: lt takes exactly one value"),
    ("code", MATCHES, ("a", "b"), (), "code: matches takes exactly one value"),
    ("phone", Operator.IS_NULL, ("x",), (), "phone: is_null takes no value"),
    ("metadata", Operator.EXISTS, (1,), ("a",), "metadata: exists takes no value"),
    ("email", Operator.EXISTS, (), (), "email: exists applies only to metadata paths"),
    ("email", Operator.MISSING, (), (), "email: missing applies only to metadata paths"),
    ("is_active", Operator.GT, (True,), (), "is_active: a boolean cannot be compared by order"),
    ("metadata", Operator.LTE, (False,), ("a",), "metadata: a boolean cannot be compared"),
    ("version", MATCHES, ("1",), (), "version: only text can match a pattern"),
    ("birth_date", MATCHES, ("1",), (), "birth_date: only text can match a pattern"),
    ("id", EQ, (True,), (), "id: True is not a whole number"),
    ("id", EQ, (1.0,), (), "id: 1.0 is not a whole number"),
    ("id", EQ, ("1.5",), (), "id: '1.5' is not a whole number"),
    ("id", EQ, ("--5",), (), "id: '--5' is not a whole number"),
    ("id", EQ, ("٣",), (), "id: '٣' is not a whole number"),
    ("id", EQ, (2**63,), (), "id: a whole number must fit in 64 bits"),
    ("version", EQ, ("9" * 25,), (), "version: a whole number must fit in 64 bits"),
    ("has_account", EQ, ("true",), (), "has_account: 'true' is not true or false"),
    ("has_account", EQ, (1,), (), "has_account: 1 is not true or false"),
    ("birth_date", EQ, ("1990-13-01",), (), "birth_date: '1990-13-01' is not a date"),
    ("birth_date", EQ, (datetime(1990, 1, 1, tzinfo=UTC),), (), "is not a date (YYYY-MM-DD)"),
    ("created_at", EQ, ("2021-05-18",), (), "created_at: '2021-05-18' is not a date and time"),
    ("created_at", EQ, ("2021-05-18T07:00:00",), (), "is not a date and time with a zone"),
    ("created_at", EQ, (datetime(2021, 1, 1),), (), "is not a date and time with a zone"),
    ("created_at", EQ, (date(2021, 1, 1),), (), "is not a date and time with a zone"),
    ("created_at", EQ, (datetime(1, 1, 1, tzinfo=CET),), (), "is out of range"),
    ("email", EQ, (5,), (), "email: 5 is not text"),
    ("email", EQ, ("x" * 1001,), (), "email: a text value has at most 1000 characters"),
    ("email", EQ, ("a\x00b",), (), "email: a text value must not contain NUL"),
    ("email", EQ, ("\ud800",), (), "email: a text value must be valid Unicode"),
    ("metadata", EQ, (date(2021, 1, 1),), ("a",), "metadata: metadata compares with text"),
    ("metadata", EQ, (None,), ("a",), "metadata: metadata compares with text"),
    ("metadata", EQ, (float("nan"),), ("a",), "metadata: a number must be finite"),
    ("metadata", EQ, (10**5000,), ("a",), "metadata: a whole number must fit in 64 bits"),
    ("metadata", MATCHES, (5,), ("a",), "metadata: a pattern must be text"),
    ("code", MATCHES, ("a" * 201,), (), "code: a pattern has at most 200 characters"),
    ("code", MATCHES, (r"(a)\1",), (), "code: the pattern may escape only punctuation"),
    ("code", MATCHES, (r"\bword",), (), "(not 'b'; backreferences are refused)"),
    ("code", MATCHES, (r"\Aa",), (), "code: the pattern may escape only punctuation"),
    ("code", MATCHES, ("a\\",), (), "(not ''; backreferences are refused)"),
    ("code", MATCHES, ("(?P<x>a)",), (), "code: the pattern may use only (...) and (?:...)"),
    ("code", MATCHES, ("(?=a)",), (), "may use only (...) and (?:...) groups"),
    ("code", MATCHES, ("(?i)a",), (), "may use only (...) and (?:...) groups"),
    ("code", MATCHES, ("a*+",), (), "code: the pattern repeats a repetition"),
    ("code", MATCHES, ("a{2}{3}",), (), "code: the pattern repeats a repetition"),
    ("code", MATCHES, ("a{256}",), (), "code: a counted repetition goes from m <= n <= 255"),
    ("code", MATCHES, ("a{3,2}",), (), "a counted repetition goes from m <= n <= 255"),
    ("code", MATCHES, ("a{,3}",), (), "code: the pattern has { that is not {m}, {m,} or {m,n}"),
    ("code", MATCHES, ("[[:alpha:]]",), (), "code: the pattern has [ inside brackets"),
    ("code", MATCHES, ("[abc",), (), "code: the pattern has an unclosed ["),
    ("code", MATCHES, ("*a",), (), "code: the pattern is not a valid expression"),
    ("code", MATCHES, ("(a",), (), "code: the pattern is not a valid expression"),
    ("code", MATCHES, ("[z-a]",), (), "code: the pattern is not a valid expression"),
]


@pytest.mark.parametrize(("field", "operator", "values", "path", "message"), REFUSALS)
def test_a_condition_storage_cannot_run_is_refused_with_a_message_naming_the_problem(
    field: str, operator: Operator, values: tuple[Any, ...], path: Any, message: str
) -> None:
    with pytest.raises(QueryInvalid) as refused:
        FieldCondition(field, operator, values, path)

    assert message in str(refused.value)


def test_a_query_holds_at_most_fifty_conditions() -> None:
    fifty = (condition("id", EQ, 1),) * 50

    assert len(CustomerQuery(conditions=fifty).conditions) == 50
    with pytest.raises(QueryInvalid, match="a query holds at most 50 conditions"):
        CustomerQuery(conditions=(*fifty, condition("id", EQ, 2)))


# --- junk ------------------------------------------------------------------------------

FIELDS = st.sampled_from([*CUSTOMER_FILTER_FIELDS, "metadata", "nope", ""]) | st.text(max_size=5)
JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=30),
    st.dates(),
    st.datetimes(timezones=st.none() | st.timezones()),
    st.binary(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["1990-01-01", "2021-05-18T07:27:27Z", "12", "(a)\\1", "a{9,}", "[["]),
)
OPERATORS = st.sampled_from(list(Operator)) | JUNK
VALUES = st.lists(JUNK, max_size=4).map(tuple) | JUNK
PATHS = st.lists(st.text(max_size=4) | JUNK, max_size=3).map(tuple) | JUNK


@settings(max_examples=1500, deadline=None)
@given(field=FIELDS | JUNK, operator=OPERATORS, values=VALUES, path=PATHS)
def test_junk_in_any_part_of_a_condition_raises_nothing_but_query_invalid(
    field: Any, operator: Any, values: Any, path: Any
) -> None:
    try:
        made = FieldCondition(field, operator, values, path)
    except QueryInvalid as refused:
        assert str(refused)
    else:  # what got through is typed as the field says
        expected = CUSTOMER_FILTER_FIELDS.get(made.field)
        for value in made.values:
            assert expected is None or _is_exactly(value, expected)


def _is_exactly(value: FilterValue, expected: type) -> bool:
    if expected is date:
        return type(value) is date
    return isinstance(value, expected) and (expected is bool or not isinstance(value, bool))
