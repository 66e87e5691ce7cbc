"""PHP's `strip_tags`, which Aimeos runs on every value a customer sends for its account."""

from __future__ import annotations

_TEXT, _TAG, _COMMENT = range(3)


def strip_tags(value: str) -> str:
    """`value` without tags and comments, as PHP removes them (php-src `php_strip_tags`):

    - a `<` followed by whitespace (or ending the text) is text, not a tag;
    - a tag runs to its matching `>`: quoted `>` and nested `<...>` stay inside it;
    - `<!--` runs to `-->`, whatever it holds;
    - an unclosed tag or comment swallows the rest of the text;
    - NUL characters are dropped.
    """
    kept: list[str] = []
    state = _TEXT
    depth = 0
    quote = ""
    index = 0
    length = len(value)
    while index < length:
        char = value[index]
        if char == "\0":
            pass
        elif state == _TEXT:
            if char != "<" or index + 1 >= length or value[index + 1].isspace():
                kept.append(char)
            elif value.startswith("!--", index + 1):
                state = _COMMENT
                index += 3
            else:
                state, depth, quote = _TAG, 1, ""
        elif state == _COMMENT:
            if value.startswith("-->", index):
                state = _TEXT
                index += 2
        elif quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
            if depth == 0:
                state = _TEXT
        index += 1
    return "".join(kept)
