"""Emporix' `q` language, property-based: any well-formed condition list rendered as q text
parses back to itself, and no input, however broken, raises anything but `QueryInvalid`."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, reject
from hypothesis import strategies as st

from patron.core.domain.errors.invalid_input import QueryInvalid
from patron.core.domain.queries import CUSTOMER_FILTER_FIELDS, FieldCondition, FilterValue, Operator
from patron.dialects.emporix.q import parse
from patron.dialects.emporix.q_fields import CUSTOMER_FIELDS
from tests.dialects.emporix.test_q import typed

Rendered = tuple[str, FilterValue]
"""A literal as q text, and the value it stands for."""
Item = tuple[str, tuple[FieldCondition, ...]]
"""One condition (or a range: two) as q text, and what it parses to."""

MIXIN = object
"""The kind of a mixin path: any JSON value."""
_BARE_STOPS = frozenset(' \t\r\n(),"')
_LOOKS_TYPED = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|true|false")
_COMPARISONS = {">=": Operator.GTE, "<=": Operator.LTE, ">": Operator.GT, "<": Operator.LT}
_SEPARATORS = st.text(alphabet=" \t\r\n", min_size=1, max_size=3)

texts = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def may_be_bare(text: str, kind: object) -> bool:
    """Whether `text` reads back as the same text when written without quotes (a leading `=`
    would join the `<` or `>` before it)."""
    return (
        bool(text)
        and not _BARE_STOPS.intersection(text)
        and text[0] not in "~<>="
        and text not in ("null", "exists", "missing")
        and not (kind is MIXIN and _LOOKS_TYPED.fullmatch(text))
    )


@st.composite
def text_literals(draw: st.DrawFn, kind: object) -> Rendered:
    text = draw(texts)
    bare = draw(st.booleans()) and may_be_bare(text, kind)
    return (text if bare else quote(text)), text


@st.composite
def written_moments(draw: st.DrawFn) -> Rendered:
    """A UTC moment written at any offset, quoted or not (`fold` means nothing in UTC)."""
    moment = draw(st.datetimes(datetime(2, 1, 1), datetime(9998, 12, 31), timezones=st.just(UTC)))
    offset = timezone(timedelta(minutes=draw(st.integers(-14 * 60, 14 * 60))))
    text = moment.astimezone(offset).isoformat()
    return (quote(text) if draw(st.booleans()) else text), moment.replace(fold=0)


def literals(kind: object) -> st.SearchStrategy[Rendered]:
    integers = st.integers(-(2**63), 2**63 - 1).map(lambda n: (str(n), n))
    booleans = st.booleans().map(lambda b: (str(b).lower(), b))
    if kind is str:
        return text_literals(kind)
    if kind is int:
        return integers
    if kind is bool:
        return booleans
    if kind is datetime:
        return written_moments()
    floats = st.floats(allow_nan=False, allow_infinity=False).map(lambda f: (repr(f), f))
    return st.one_of(text_literals(kind), integers, booleans, floats)


@st.composite
def regexes(draw: st.DrawFn) -> tuple[str, str]:
    """A regular expression in one of its three written forms."""
    expression = draw(texts.filter(bool))
    plain = not set("()\\").intersection(expression) and not expression[0].isspace()
    forms = [f"~{quote(expression)}"]
    if plain:
        forms += [f"~({expression})", f"(~{expression})"]
    if not set(" \t\r\n").intersection(expression) and expression[0] not in '("':
        forms.append(f"~{expression}")
    return draw(st.sampled_from(forms)), expression


@st.composite
def items(draw: st.DrawFn) -> Item:
    path: tuple[str, ...] = ()
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(CUSTOMER_FIELDS)))
        field = CUSTOMER_FIELDS[name].field
        kind: object = CUSTOMER_FILTER_FIELDS[field]
    else:
        segments = draw(
            st.lists(
                st.text(string.ascii_letters + "_-0123456789", min_size=1), min_size=1, max_size=3
            )
        )
        name, field, kind = ".".join(["mixins", *segments]), "metadata", MIXIN
        path = ("mixins", *segments)

    def one(operator: Operator, *values: FilterValue) -> tuple[FieldCondition, ...]:
        try:
            return (FieldCondition(field, operator, values, path),)
        except QueryInvalid:  # the core refuses it (an order on a boolean...): not rendered
            reject()

    forms = ["eq", "in", "null"]
    forms += [] if kind is bool else ["compare", "range"]
    forms += ["regex"] if kind in (str, MIXIN) else []
    forms += ["presence"] if kind is MIXIN else []
    form = draw(st.sampled_from(forms))
    if form == "eq":
        text, value = draw(literals(kind))
        return f"{name}:{text}", one(Operator.EQ, value)
    if form == "in":
        rendered = draw(st.lists(literals(kind), min_size=1, max_size=4))
        joiner = draw(st.sampled_from([",", ", ", " ,"]))
        values = tuple(value for _, value in rendered)
        return f"{name}:({joiner.join(text for text, _ in rendered)})", one(Operator.IN, *values)
    if form == "null":
        return f"{name}:null", one(Operator.IS_NULL)
    if form == "presence":
        word = draw(st.sampled_from(["exists", "missing"]))
        return f"{name}:{word}", one(Operator.EXISTS if word == "exists" else Operator.MISSING)
    if form == "regex":
        text, expression = draw(regexes())
        return f"{name}:{text}", one(Operator.MATCHES, expression)
    symbols = draw(
        st.lists(
            st.sampled_from(sorted(_COMPARISONS)),
            min_size=1,
            max_size=1 if form == "compare" else 2,
        )
    )
    bounds = [(symbol, *draw(literals(kind))) for symbol in symbols]
    conditions = tuple(c for symbol, _, value in bounds for c in one(_COMPARISONS[symbol], value))
    written = " AND ".join(f"{symbol}{text}" for symbol, text, _ in bounds)
    return (f"{name}:{written}" if form == "compare" else f"{name}:({written})"), conditions


@st.composite
def queries(draw: st.DrawFn) -> Item:
    drawn = draw(st.lists(items(), max_size=8))
    text = draw(st.sampled_from(["", " "]))
    for index, (written, _) in enumerate(drawn):
        text += (draw(_SEPARATORS) if index else "") + written
    return text + draw(st.sampled_from(["", "\n"])), tuple(c for _, cs in drawn for c in cs)


@given(queries())
def test_a_rendered_condition_list_parses_back_to_itself(query: Item) -> None:
    text, conditions = query

    assert typed(parse(text)) == typed(conditions)


def parses_or_refuses(q: str) -> None:
    """Parsing gives conditions or a `QueryInvalid` with a message; any other exception fails."""
    try:
        conditions = parse(q)
    except QueryInvalid as refused:
        assert str(refused)
        return
    assert all(isinstance(c, FieldCondition) for c in conditions)


@given(st.text(max_size=300))
def test_junk_text_is_at_worst_refused(q: str) -> None:
    parses_or_refuses(q)


@given(st.text(alphabet=' :()",~<>=.\\-ANDexistmulfr019TZ', max_size=80))
def test_junk_from_the_language_alphabet_is_at_worst_refused(q: str) -> None:
    parses_or_refuses("firstName:" + q)
    parses_or_refuses("mixins.a:" + q)
    parses_or_refuses("metadataCreatedAt:" + q)
    parses_or_refuses("metadata.version:" + q)


@given(queries(), st.data())
def test_a_damaged_query_is_at_worst_refused(query: Item, data: st.DataObject) -> None:
    text = query[0]
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:index] + data.draw(st.sampled_from(' :()",~<>=.\\\x00')) + text[index:]
        else:
            text = text[:index] + text[index + 1 :]
    parses_or_refuses(text)
