"""Emporix' `q` language: the examples of the reference parse to the exact conditions, every
malformed query is a `QueryInvalid` naming the problem and where it is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.queries import CUSTOMER_FILTER_FIELDS, FieldCondition, FilterValue, Operator
from patron.dialects.emporix.q import MAX_CONDITIONS, MAX_QUERY_LENGTH, parse
from patron.dialects.emporix.q_fields import CUSTOMER_FIELDS

MIXINS = "metadata"


def condition(
    field: str, operator: Operator, *values: FilterValue, path: tuple[str, ...] = ()
) -> FieldCondition:
    return FieldCondition(field, operator, values, path)


def typed(conditions: tuple[FieldCondition, ...]) -> list[object]:
    """Conditions with values by their `repr`: `True == 1` and the same moment at two offsets
    must not pass for equal."""
    return [(c.field, c.operator, c.path, [repr(v) for v in c.values]) for c in conditions]


MAY_18 = datetime(2021, 5, 18, 7, 27, 27, 455000, tzinfo=UTC)
MAY_20 = datetime(2021, 5, 20, 7, 27, 27, 455000, tzinfo=UTC)

REFERENCE_EXAMPLES: list[tuple[str, tuple[FieldCondition, ...]]] = [
    # string equality and localized (map-typed) fields; customers have no `name`, so a
    # customer field and a mixin stand in for it
    ("firstName:apple_logo", (condition("first_name", Operator.EQ, "apple_logo"),)),
    (
        "mixins.name.en:apple_logo",
        (condition(MIXINS, Operator.EQ, "apple_logo", path=("mixins", "name", "en")),),
    ),
    # numbers: equal, greater, less, greater-or-equal, less-or-equal
    ("metadata.version:20", (condition("version", Operator.EQ, 20),)),
    ("metadata.version:>20", (condition("version", Operator.GT, 20),)),
    ("metadata.version:<20", (condition("version", Operator.LT, 20),)),
    ("metadata.version:>=20", (condition("version", Operator.GTE, 20),)),
    ("metadata.version:<=20", (condition("version", Operator.LTE, 20),)),
    (
        "metadata.version:(>=10 AND <=20)",
        (condition("version", Operator.GTE, 10), condition("version", Operator.LTE, 20)),
    ),
    (
        'metadataCreatedAt:(>="2021-05-18T07:27:27.455Z" AND <"2021-05-20T07:27:27.455Z")',
        (
            condition("created_at", Operator.GTE, MAY_18),
            condition("created_at", Operator.LT, MAY_20),
        ),
    ),
    ("active:true", (condition("is_active", Operator.EQ, True),)),
    ("onHold:false", (condition("on_hold", Operator.EQ, False),)),
    ("middleName:null", (condition("middle_name", Operator.IS_NULL),)),
    (
        "mixins.description.en:null",
        (condition(MIXINS, Operator.IS_NULL, path=("mixins", "description", "en")),),
    ),
    (
        "mixins.mixinName:exists",
        (condition(MIXINS, Operator.EXISTS, path=("mixins", "mixinName")),),
    ),
    (
        "mixins.mixinName:missing",
        (condition(MIXINS, Operator.MISSING, path=("mixins", "mixinName")),),
    ),
    (
        "id:(5c3325baa9812100098ff48f,5c3325d1a9812100098ff494)",
        (
            condition(
                "customer_number",
                Operator.IN,
                "5c3325baa9812100098ff48f",
                "5c3325d1a9812100098ff494",
            ),
        ),
    ),
    (
        "id:5c3325baa9812100098ff48f customerNumber:A705121667",
        (
            condition("customer_number", Operator.EQ, "5c3325baa9812100098ff48f"),
            condition("customer_number", Operator.EQ, "A705121667"),
        ),
    ),
    ("company:~ABCD12", (condition("company", Operator.MATCHES, "ABCD12"),)),
    ("company:(~AB CD)", (condition("company", Operator.MATCHES, "AB CD"),)),
    (
        "mixins.name.en:~(Yoghurt im)",
        (condition(MIXINS, Operator.MATCHES, "Yoghurt im", path=("mixins", "name", "en")),),
    ),
    # the customer-specific examples
    (
        "contactEmail:john.doe@emporix.com",
        (condition("contact_email", Operator.EQ, "john.doe@emporix.com"),),
    ),
    ("firstName:John", (condition("first_name", Operator.EQ, "John"),)),
    (
        "contactEmail:employeeEmail",
        (condition("contact_email", Operator.EQ, "employeeEmail"),),
    ),
    # strings with and without quotes, numbers without
    ('firstName:"John"', (condition("first_name", Operator.EQ, "John"),)),
    ('lastName:"van der Berg"', (condition("last_name", Operator.EQ, "van der Berg"),)),
    ('title:"say \\"hi\\" \\\\o/"', (condition("title", Operator.EQ, 'say "hi" \\o/'),)),
    ("customerNumber:13869000", (condition("customer_number", Operator.EQ, "13869000"),)),
    ('firstName:"null"', (condition("first_name", Operator.EQ, "null"),)),
    ("firstName:true", (condition("first_name", Operator.EQ, "true"),)),
    ('company:"exists"', (condition("company", Operator.EQ, "exists"),)),
    ("mixins.a.count:-3", (condition(MIXINS, Operator.EQ, -3, path=("mixins", "a", "count")),)),
    ("mixins.a.ratio:1.5", (condition(MIXINS, Operator.EQ, 1.5, path=("mixins", "a", "ratio")),)),
    ("mixins.a.flag:true", (condition(MIXINS, Operator.EQ, True, path=("mixins", "a", "flag")),)),
    ('mixins.a.code:"42"', (condition(MIXINS, Operator.EQ, "42", path=("mixins", "a", "code")),)),
    (
        "mixins.a.b:(1,x,false)",
        (condition(MIXINS, Operator.IN, 1, "x", False, path=("mixins", "a", "b")),),
    ),
]


@pytest.mark.parametrize(
    ("q", "expected"), REFERENCE_EXAMPLES, ids=[q for q, _ in REFERENCE_EXAMPLES]
)
def test_each_example_of_the_reference_parses_to_its_conditions(
    q: str, expected: tuple[FieldCondition, ...]
) -> None:
    assert typed(parse(q)) == typed(expected)


def test_a_blank_query_has_no_conditions() -> None:
    assert parse("") == ()
    assert parse(" \t\n ") == ()


def test_conditions_separated_by_any_whitespace_all_hold_in_order() -> None:
    conditions = parse("  firstName:Ann\tlastName:Lee \n active:true  ")

    assert conditions == (
        condition("first_name", Operator.EQ, "Ann"),
        condition("last_name", Operator.EQ, "Lee"),
        condition("is_active", Operator.EQ, True),
    )


def test_spaces_inside_lists_and_ranges_are_allowed() -> None:
    assert parse("id:( a , b )") == (condition("customer_number", Operator.IN, "a", "b"),)
    assert parse("metadata.version:( >=1  AND  <2 )") == (
        condition("version", Operator.GTE, 1),
        condition("version", Operator.LT, 2),
    )


def test_a_one_value_list_is_an_in_condition() -> None:
    assert parse('id:("a b")') == (condition("customer_number", Operator.IN, "a b"),)


def test_a_regular_expression_keeps_its_backslashes_and_balanced_groups() -> None:
    assert parse(r"firstName:~(^(Ann|Bo)\)?$) lastName:~a\d+ title:~\"Dr\\\"") == (
        condition("first_name", Operator.MATCHES, r"^(Ann|Bo)\)?$"),
        condition("last_name", Operator.MATCHES, r"a\d+"),
        condition("title", Operator.MATCHES, r"\"Dr\\\""),
    )
    assert parse(r'title:~"Dr\. \"X\""') == (condition("title", Operator.MATCHES, r'Dr\. "X"'),)


def test_dates_are_read_in_utc_whatever_offset_they_carry() -> None:
    conditions = parse(
        'metadataModifiedAt:>"2021-05-18T09:27:27.455+02:00" '
        "metadata.modifiedAt:<2021-05-18T07:27:27.455 metadata.createdAt:2021-05-18"
    )

    assert conditions == (
        condition("updated_at", Operator.GT, MAY_18),
        condition("updated_at", Operator.LT, MAY_18),
        condition("created_at", Operator.EQ, datetime(2021, 5, 18, tzinfo=UTC)),
    )
    assert all(value.tzinfo is UTC for c in conditions for value in c.values)  # type: ignore[union-attr]


EMPORIX_TO_CORE = {
    "id": "customer_number",
    "customerNumber": "customer_number",
    "contactEmail": "contact_email",
    "email": "email",
    "title": "title",
    "firstName": "first_name",
    "middleName": "middle_name",
    "lastName": "last_name",
    "company": "company",
    "contactPhone": "phone",
    "preferredLanguage": "language",
    "preferredCurrency": "currency",
    "preferredSite": "site",
    "active": "is_active",
    "onHold": "on_hold",
    "metadataCreatedAt": "created_at",
    "metadata.createdAt": "created_at",
    "metadataModifiedAt": "updated_at",
    "metadata.modifiedAt": "updated_at",
    "metadata.version": "version",
    "restriction": "restriction",
    "b2b.companyRegistrationId": "vat_id",
}
SAMPLE_LITERALS: dict[type, tuple[str, FilterValue]] = {
    str: ("abc", "abc"),
    int: ("7", 7),
    bool: ("false", False),
    datetime: ('"2021-05-18T07:27:27.455Z"', MAY_18),
}


@pytest.mark.parametrize(("name", "core_field"), EMPORIX_TO_CORE.items())
def test_each_emporix_field_names_its_core_field_with_a_value_of_its_type(
    name: str, core_field: str
) -> None:
    text, value = SAMPLE_LITERALS[CUSTOMER_FILTER_FIELDS[core_field]]

    assert typed(parse(f"{name}:{text}")) == typed((condition(core_field, Operator.EQ, value),))


def test_the_field_table_is_exactly_the_documented_one() -> None:
    assert {name: target.field for name, target in CUSTOMER_FIELDS.items()} == EMPORIX_TO_CORE


def test_at_most_the_query_length_is_read() -> None:
    # A value holds at most 1000 characters (the core's limit): the rest is white space.
    longest = "firstName:" + "a" * 1000 + " " * (MAX_QUERY_LENGTH - 1010)

    assert parse(longest) == (condition("first_name", Operator.EQ, "a" * 1000),)
    with pytest.raises(QueryInvalid, match=r"^q is longer than 4096 characters$"):
        parse(longest + " ")


def test_at_most_fifty_conditions_count_each_bound_of_a_range() -> None:
    assert len(parse(" ".join(["active:true"] * MAX_CONDITIONS))) == MAX_CONDITIONS
    with pytest.raises(QueryInvalid, match=r"^q has more than 50 conditions$"):
        parse(" ".join(["active:true"] * (MAX_CONDITIONS - 1) + ["metadata.version:(>1 AND <3)"]))


def test_deep_parentheses_are_refused_without_recursion() -> None:
    with pytest.raises(QueryInvalid) as unclosed:
        parse("firstName:~" + "(" * 4000)
    with pytest.raises(QueryInvalid) as unexpected:
        parse("firstName:" + "(" * 4000)

    assert str(unclosed.value) == 'Unclosed "(" at 11'
    assert str(unexpected.value) == 'Unexpected "(" at 11, expected a value'


MALFORMED: list[tuple[str, str]] = [
    ("foo:1", 'Unknown field "foo" at 0'),
    ("name:apple_logo", 'Unknown field "name" at 0'),
    ("code:~ABCD12", 'Unknown field "code" at 0'),
    ("categoryRestricted:true", 'Unknown field "categoryRestricted" at 0'),
    ("b2b.legalEntities:DE", 'Unknown field "b2b.legalEntities" at 0'),
    ("active:true metadata.foo:1", 'Unknown field "metadata.foo" at 12'),
    ("firstName", 'Unexpected end of query at 9, expected ":" after field "firstName"'),
    ("firstName John", 'Unexpected " " at 9, expected ":" after field "firstName"'),
    (":John", 'Unexpected ":" at 0, expected a field name'),
    ("(firstName:a)", 'Unexpected "(" at 0, expected a field name'),
    ("first..name:x", 'Unexpected "." at 6, expected a field name'),
    ("firstName.:x", 'Unexpected ":" at 10, expected a field name'),
    ("mixins:exists", 'Field "mixins" needs a mixin name ("mixins.name") at 0'),
    ("firstName:", "Unexpected end of query at 10, expected a value"),
    ("firstName: John", 'Unexpected " " at 10, expected a value'),
    ('firstName:"John', "Unclosed quote at 10"),
    ('firstName:"John\\"', "Unclosed quote at 10"),
    ('active:true lastName:"Lee', "Unclosed quote at 21"),
    ("firstName:John)", 'Unexpected ")" at 14, expected a space between conditions'),
    ('firstName:a"b"', "Unexpected '\"' at 11, expected a space between conditions"),
    ('firstName:"a"b', 'Unexpected "b" at 13, expected a space between conditions'),
    ("firstName:a,b", 'Unexpected "," at 11, expected a space between conditions'),
    (
        "firstName:Ann lastName",
        'Unexpected end of query at 22, expected ":" after field "lastName"',
    ),
    ("firstName:(John", 'Unclosed "(" at 10'),
    ("id:(a,", "Unexpected end of query at 6, expected a value"),
    ("id:(a b)", 'Unexpected "b" at 6, expected "," or ")"'),
    ("id:(a,,b)", 'Unexpected "," at 6, expected a value'),
    ("id:()", "Empty parentheses at 3"),
    ("id:( )", "Empty parentheses at 3"),
    ("id:(a,null)", '"null" cannot be in a list at 6'),
    ("active:yes", 'Field "active" expects true or false, got "yes" at 7'),
    ('active:"true"', 'Field "active" expects true or false, got "true" at 7'),
    ("active:TRUE", 'Field "active" expects true or false, got "TRUE" at 7'),
    ("active:(true,1)", 'Field "active" expects true or false, got "1" at 13'),
    ("active:>true", 'Field "active" cannot be compared with ">" at 7'),
    ("onHold:(>=true AND <=false)", 'Field "onHold" cannot be compared with ">=" at 8'),
    ("active:~t", 'Field "active" takes no regular expression ("~") at 7'),
    ("metadata.version:(~1)", 'Field "metadata.version" takes no regular expression ("~") at 17'),
    ("metadata.version:1.5", 'Field "metadata.version" expects an integer, got "1.5" at 17'),
    ('metadata.version:"3"', 'Field "metadata.version" expects an integer, got "3" at 17'),
    (
        "metadata.version:99999999999999999999",
        'Field "metadata.version" expects a 64-bit integer, got "99999999999999999999" at 17',
    ),
    (
        "metadataCreatedAt:yesterday",
        'Field "metadataCreatedAt" expects an ISO 8601 date-time, got "yesterday" at 18',
    ),
    (
        'metadataCreatedAt:"2021-13-01"',
        'Field "metadataCreatedAt" expects an ISO 8601 date-time, got "2021-13-01" at 18',
    ),
    (
        'metadataCreatedAt:"0001-01-01T00:00:00+01:00"',
        'Field "metadataCreatedAt" expects an ISO 8601 date-time, got '
        '"0001-01-01T00:00:00+01:00" at 18',
    ),
    ("metadata.version:(>=1 <=2)", 'Unexpected "<" at 22, expected "AND" or ")"'),
    ("metadata.version:(>=1 and <=2)", 'Unexpected "a" at 22, expected "AND" or ")"'),
    ("metadata.version:(>=1 AND)", 'Unexpected ")" at 25, expected a space after "AND"'),
    ("metadata.version:(>=1 AND <=2", 'Unclosed "(" at 17'),
    ("metadata.version:(>=1 AND 2)", 'Unexpected "2" at 26, expected a comparison such as ">="'),
    ("mixins.a:(>1 AND exists)", 'Unexpected "e" at 17, expected a comparison such as ">="'),
    ("metadata.version:>=", "Unexpected end of query at 19, expected a value"),
    ("metadata.version:>null", '"null" cannot be compared at 18'),
    ("mixins.a:<exists", '"exists" cannot be compared at 10'),
    (
        "firstName:exists",
        '"exists" applies to mixins only (field "firstName" at 10); quote it to match the text',
    ),
    (
        "lastName:missing",
        '"missing" applies to mixins only (field "lastName" at 9); quote it to match the text',
    ),
    ("company:~", 'Empty regular expression for field "company" at 8'),
    ("company:(~)", 'Empty regular expression for field "company" at 8'),
    ('company:~""', 'Empty regular expression for field "company" at 8'),
    ("company:~(a(b)", 'Unclosed "(" at 9'),
    ("firstName:(~a", 'Unclosed "(" at 10'),
    ("firstName:a\x00b", "Invalid character U+0000 at 11"),
    ("firstName:\x1b[2J", "Invalid character U+001B at 10"),
    ("firstName:\ud800", "Invalid character U+D800 at 10"),
    ("mixins.a.n:1e999", 'Field "mixins.a.n" expects a finite number, got "1e999" at 11'),
]


@pytest.mark.parametrize(("q", "message"), MALFORMED, ids=[q for q, _ in MALFORMED])
def test_a_malformed_query_is_refused_naming_the_problem_and_where(q: str, message: str) -> None:
    with pytest.raises(QueryInvalid) as refused:
        parse(q)

    assert str(refused.value) == message
