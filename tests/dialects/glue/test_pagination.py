"""Glue's pagination arithmetic, checked against the reference's worked example."""

from __future__ import annotations

import pytest

from patron.dialects.glue.errors import PAGINATION_INVALID, GlueError
from patron.dialects.glue.pagination import (
    HARD_LIMIT,
    page_links,
    parse_page,
    query_without_page,
)
from patron.http.pagination import Window

BASE = "https://glue.mysprykershop.com/my-availability-notifications"


def link(offset: int, limit: int = 2, query: str = "") -> str:
    return f"{BASE}?{query}page[offset]={offset}&page[limit]={limit}"


def test_the_reference_example_five_items_offset_two_limit_two() -> None:
    links = page_links(BASE, "page[offset]=2&page[limit]=2", Window(2, 2), total=5)

    assert links == {
        "last": link(4),
        "first": link(0),
        "prev": link(0),
        "next": link(4),
    }


def test_the_first_page_has_no_prev() -> None:
    links = page_links(BASE, "", Window(0, 2), total=5)

    assert links == {"last": link(4), "first": link(0), "next": link(2)}


def test_the_last_page_has_no_next() -> None:
    links = page_links(BASE, "", Window(4, 2), total=5)

    assert links == {"last": link(4), "first": link(0), "prev": link(2)}


def test_an_offset_off_the_page_grid_steps_by_the_limit() -> None:
    middle = page_links(BASE, "", Window(1, 2), total=5)
    end = page_links(BASE, "", Window(3, 2), total=5)

    assert middle == {"last": link(4), "first": link(0), "prev": link(0), "next": link(3)}
    assert end == {"last": link(4), "first": link(0), "prev": link(1)}


def test_an_offset_past_the_end_points_back_but_not_forward() -> None:
    links = page_links(BASE, "", Window(10, 2), total=5)

    assert links == {"last": link(4), "first": link(0), "prev": link(8)}


def test_one_page_holds_everything() -> None:
    links = page_links(BASE, "", Window(0, 10), total=3)

    assert links == {"last": link(0, 10), "first": link(0, 10)}


def test_no_items_no_page_links() -> None:
    assert page_links(BASE, "page[offset]=0&page[limit]=2", Window(0, 2), total=0) == {}


def test_other_query_parameters_come_first_and_page_ones_are_replaced() -> None:
    raw = "fields%5Bavailability-notifications%5D=sku&page%5Boffset%5D=2&page%5Blimit%5D=2"

    links = page_links(BASE, raw, Window(2, 2), total=5)

    assert links["next"] == link(4, query="fields%5Bavailability-notifications%5D=sku&")
    assert query_without_page(raw) == "fields%5Bavailability-notifications%5D=sku"


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ([], None),
        ([("fields[x]", "a")], None),
        ([("page[offset]", "2"), ("page[limit]", "2")], Window(2, 2)),
        ([("page[offset]", "0"), ("page[limit]", "10")], Window(0, 10)),
        ([("page[limit]", "3")], Window(0, 3)),
        ([("page[offset]", "0"), ("page[limit]", "501")], Window(0, HARD_LIMIT)),
        ([("page[offset]", "1"), ("page[offset]", "4"), ("page[limit]", "2")], Window(4, 2)),
    ],
)
def test_page_parameters_are_read(query: list[tuple[str, str]], page: Window | None) -> None:
    assert parse_page(query) == page


@pytest.mark.parametrize(
    "query",
    [
        [("page[offset]", "a"), ("page[limit]", "2")],
        [("page[offset]", "1.5"), ("page[limit]", "2")],
        [("page[offset]", "-1"), ("page[limit]", "2")],
        [("page[offset]", "0"), ("page[limit]", "0")],
        [("page[offset]", "0"), ("page[limit]", "-2")],
        [("page[offset]", "0"), ("page[limit]", "")],
        [("page[offset]", "2")],
        [("page[offset]", "99999999999999999999"), ("page[limit]", "2")],  # past bigint
        [("page[offset]", "9" * 5000), ("page[limit]", "2")],  # past int()'s digit limit
        [("page[offset]", "0"), ("page[limit]", "\u0663")],  # an Arabic-Indic 3
        [("page[offset]", "0\x00"), ("page[limit]", "2")],
    ],
)
def test_invalid_page_parameters_are_refused(query: list[tuple[str, str]]) -> None:
    with pytest.raises(GlueError) as raised:
        parse_page(query)

    assert raised.value.errors == (PAGINATION_INVALID,)
