"""Query strings parsed as Node's `qs` parses them (with Express's options), and Medusa's
comma normalisation. Expected values are what `qs.parse` 6.13 (Express 4's) returns for the
same input, with `true` written as the string "true"."""

from __future__ import annotations

import time

import pytest

from patron.http.qs import MAX_PARAMETERS, QueryValue, parse, split_single_lists


@pytest.mark.parametrize(
    ("query", "parsed"),
    [
        ("", {}),
        ("a=x", {"a": "x"}),
        ("a", {"a": ""}),
        ("a=", {"a": ""}),
        ("a=x&a=y", {"a": ["x", "y"]}),
        ("a[]=x", {"a": ["x"]}),
        ("a[]=x&a[]=y", {"a": ["x", "y"]}),
        ("a[0]=x&a[1]=y", {"a": ["x", "y"]}),
        ("a[1]=y&a[0]=x", {"a": ["x", "y"]}),
        ("a[3]=x", {"a": ["x"]}),
        ("a%5B0%5D=x&a%5b1%5d=y", {"a": ["x", "y"]}),
        ("a[b]=v", {"a": {"b": "v"}}),
        ("created_at[$gte]=2024-01-01", {"created_at": {"$gte": "2024-01-01"}}),
        ("at%5Bgt%5D=2024-01-01T00%3A00%3A00Z", {"at": {"gt": "2024-01-01T00:00:00Z"}}),
        ("a[b][c]=v&a[b][d]=w", {"a": {"b": {"c": "v", "d": "w"}}}),
        ("a[0][id]=x&a[1][id]=y", {"a": [{"id": "x"}, {"id": "y"}]}),
        ("a[0]=x&a[b]=y", {"a": {"0": "x", "b": "y"}}),
        ("a[21]=x", {"a": {"21": "x"}}),
        ("a[20]=x", {"a": ["x"]}),
        ("a[-1]=x", {"a": {"-1": "x"}}),
        ("a=x&a[b]=y", {"a": ["x", {"b": "y"}]}),
        ("a=x&a[]=y", {"a": ["x", "y"]}),
        ("a=x&a=y&a[]=z", {"a": ["x", "y", "z"]}),
        ("a[b]=x&a=y", {"a": {"b": "x", "y": "true"}}),
        ("q=a+b%20c", {"q": "a b c"}),
        ("q=100%", {"q": "100%"}),
        ("q=%E0%A4%A", {"q": "%E0%A4%A"}),
        ("q=%FF", {"q": "%FF"}),
        ("expand=groups%2Cbilling_address", {"expand": "groups,billing_address"}),
        ("[a]=x", {"a": "x"}),
        ("=x&&a=y", {"a": "y"}),
        ("__proto__[x]=y&a=b", {"a": "b"}),
        ("a[b]c[d]=v", {"a": {"b": {"d": "v"}}}),
        ("a[0]=x&a[0]=y", {"a": [["x", "y"]]}),
        ("a[]=x&a[0]=y", {"a": ["x", "y"]}),
        ("a=&a=x", {"a": ["", "x"]}),
        ("a[b]=&a[b]=x", {"a": {"b": ["", "x"]}}),
        ("a[]=", {"a": [""]}),
        ("a=x&a[b]=", {"a": ["x", {"b": ""}]}),
    ],
)
def test_queries_parse_as_qs_parses_them(query: str, parsed: dict[str, QueryValue]) -> None:
    assert parse(query) == parsed


def test_brackets_nest_five_deep_and_the_rest_is_one_key() -> None:
    assert parse("a[b][c][d][e][f]=x") == {"a": {"b": {"c": {"d": {"e": {"f": "x"}}}}}}
    assert parse("a[b][c][d][e][f][g][h]=x") == {
        "a": {"b": {"c": {"d": {"e": {"f": {"[g][h]": "x"}}}}}}
    }


def test_only_the_first_thousand_parameters_are_read() -> None:
    query = "&".join(f"k{i}=v" for i in range(MAX_PARAMETERS + 500))

    parsed = parse(query)

    assert len(parsed) == MAX_PARAMETERS
    assert "k999" in parsed and "k1000" not in parsed


def test_hostile_queries_stay_cheap() -> None:
    hostile = [
        "a[999999999999999999]=x",
        "a" + "[b]" * 10_000 + "=x",
        "&".join(["a[]=x"] * 50_000),
        "a=" + "%" * 100_000,
        "&".join(f"a[{i % 21}][b]=x" for i in range(20_000)),
    ]
    started = time.perf_counter()
    for query in hostile:
        parse(query)
    assert time.perf_counter() - started < 2.0
    assert parse("a[999999999999999999]=x") == {"a": {"999999999999999999": "x"}}


def test_a_list_of_one_string_is_split_on_commas() -> None:
    parsed = split_single_lists(parse("groups[]=a,b&expand=c,d&ids[0]=e&ids[1]=f,g&o[x]=h,i"))

    assert parsed == {
        "groups": ["a", "b"],
        "expand": "c,d",
        "ids": ["e", "f,g"],
        "o": {"x": "h,i"},
    }
