"""PHP's `strip_tags`, as Aimeos runs it on a customer's values."""

from __future__ import annotations

import pytest

from patron.dialects.aimeos.text import strip_tags


@pytest.mark.parametrize(
    ("raw", "stripped"),
    [
        ("Test user", "Test user"),
        ("<b>bold</b> text", "bold text"),
        ('<script>alert("x")</script>Name', 'alert("x")Name'),
        ("<img src=x onerror=alert(1)>", ""),
        ('<a title=">">link</a>', "link"),
        ("a < b", "a < b"),
        ("a <", "a <"),
        ("x<!-- a > b -->y", "xy"),
        ("x<!-- never closed", "x"),
        ("unclosed <tag", "unclosed "),
        ("<<nested>>text", "text"),
        ("nul\0byte", "nulbyte"),
        ("5 > 3", "5 > 3"),
        ("", ""),
    ],
)
def test_strip_tags_removes_tags_and_comments_as_php_does(raw: str, stripped: str) -> None:
    assert strip_tags(raw) == stripped
