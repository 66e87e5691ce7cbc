"""Query strings read the way Node's `qs` reads them (Express's "extended" parser), for
clients that encode nested parameters with brackets (medusa-js, the Medusa admin, anything
built on `qs.stringify`).

`a[0]=x&a[1]=y`, `a[]=x&a[]=y` and `a=x&a=y` are lists; `a[b]=v` and `a[$gte]=v` are
objects. What comes back is nested dicts and lists of strings: a vendor's own rules (which
keys exist, what they mean) are its dialect's business.

Hostile queries stay cheap, with qs's own limits: at most 1000 parameters are read (the rest
are ignored), brackets nest at most 5 deep (deeper ones stay one literal key), and a list
index above 20 makes an object key instead of a list slot (`a[999999999]=x` allocates
nothing). Everything is one pass over the string plus one merge per parameter.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

MAX_PARAMETERS = 1000
MAX_DEPTH = 5
MAX_INDEX = 20

QueryValue = str | list["QueryValue"] | dict[str, "QueryValue"]
"""A parsed value: a string, or a list or object of parsed values."""

_CHILD = re.compile(r"\[[^\[\]]*\]")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_OPEN = re.compile(r"%5B", re.IGNORECASE)
_CLOSE = re.compile(r"%5D", re.IGNORECASE)


class _Slots(dict[int, Any]):
    """A JavaScript array while parsing: indexed slots that may have holes (`a[3]=x`),
    compacted into a list at the end, as qs does."""

    def push(self, value: Any) -> None:
        self[max(self) + 1 if self else 0] = value


def parse(query: str) -> dict[str, QueryValue]:
    """The parameters of a raw query string (without `?`), nested as qs nests them."""
    flat: dict[str, Any] = {}
    query = _CLOSE.sub("]", _OPEN.sub("[", query))
    for part in query.split("&", MAX_PARAMETERS)[:MAX_PARAMETERS]:
        bracket_equals = part.find("]=")
        position = part.find("=") if bracket_equals == -1 else bracket_equals + 1
        if position == -1:
            key, value = _decode(part), ""
        else:
            key, value = _decode(part[:position]), _decode(part[position + 1 :])
        if not key:
            continue
        if key in flat:
            flat[key] = _combine(flat[key], value)
        else:
            flat[key] = value
    tree: Any = {}
    for key, value in flat.items():
        nested = _nest(key, value)
        if nested is not None:
            tree = _merge(tree, nested)
    compacted: dict[str, QueryValue] = _compact(tree)
    return compacted


def split_single_lists(query: dict[str, QueryValue]) -> dict[str, QueryValue]:
    """A list of one string at the top level becomes the comma-separated items of that
    string (`groups[]=a,b` reads as `groups[]=a&groups[]=b`): Medusa's normalisation."""
    split: dict[str, QueryValue] = {}
    for key, value in query.items():
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
            split[key] = list[QueryValue](value[0].split(","))
        else:
            split[key] = value
    return split


def _decode(text: str) -> str:
    """`+` is a space; a malformed escape leaves the text as it was (qs's decoder)."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    if _PERCENT.search(text):
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def _combine(existing: Any, value: Any) -> list[Any]:
    """A repeated key collects its values."""
    items = existing if isinstance(existing, list) else [existing]
    return [*items, *(value if isinstance(value, list) else [value])]


def _nest(key: str, value: Any) -> Any:
    """`a[b][]` with `value` as `{"a": {"b": [value]}}`; None for a key qs ignores."""
    first = _CHILD.search(key)
    parent = key[: first.start()] if first else key
    chain = [parent] if parent else []
    segment = None
    if first is not None:
        for depth, segment in enumerate(_CHILD.finditer(key)):
            if depth == MAX_DEPTH:
                break
            chain.append(segment.group())
        else:
            segment = None
        if segment is not None:  # deeper than allowed: the rest is one literal key
            chain.append(f"[{key[segment.start() :]}]")
    leaf = _Slots(enumerate(value)) if isinstance(value, list) else value
    for root in reversed(chain):
        if root == "[]":
            leaf = leaf if isinstance(leaf, _Slots) else _Slots({0: leaf})
            continue
        clean = root[1:-1] if root.startswith("[") and root.endswith("]") else root
        if root != clean and clean.isdigit() and str(int(clean)) == clean:
            index = int(clean)
            if index <= MAX_INDEX:
                leaf = _Slots({index: leaf})
                continue
        if clean == "__proto__":
            return None
        leaf = {clean: leaf}
    return leaf


def _merge(target: Any, source: Any) -> Any:
    """qs's `utils.merge`: how a parameter joins what earlier ones built."""
    if not isinstance(source, dict):
        if source == "":
            return target
        if isinstance(target, _Slots):
            target.push(source)
        elif isinstance(target, dict):
            target[source] = "true"
        else:
            return _Slots({0: target, 1: source})
        return target
    if not isinstance(target, dict):
        items = _values(source) if isinstance(source, _Slots) else [source]
        return _Slots(enumerate([target, *items]))
    if isinstance(target, _Slots) and isinstance(source, _Slots):
        for index, item in source.items():
            if index in target:
                if isinstance(target[index], dict) and isinstance(item, dict):
                    target[index] = _merge(target[index], item)
                else:
                    target.push(item)
            else:
                target[index] = item
        return target
    merged: dict[Any, Any] = (
        {str(index): item for index, item in target.items()}
        if isinstance(target, _Slots) and not isinstance(source, _Slots)
        else target
    )
    for key, value in source.items():
        key = str(key) if isinstance(source, _Slots) and not isinstance(merged, _Slots) else key
        merged[key] = _merge(merged[key], value) if key in merged else value
    return merged


def _values(slots: _Slots) -> list[Any]:
    return [slots[index] for index in sorted(slots)]


def _compact(value: Any) -> Any:
    """Holes dropped, slots become lists, and every level plain dicts, lists and strings."""
    if isinstance(value, _Slots):
        return [_compact(item) for item in _values(value)]
    if isinstance(value, dict):
        return {str(key): _compact(item) for key, item in value.items()}
    return value
