"""What the customer resources share: their handlers by verb, the `include` and
`relatedid` parameters, and the body shapes Aimeos' clients accept (reference 3.3, 4)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from patron.dialects.aimeos.errors import ATTRIBUTES_MISSING, ID_MISSING, INVALID_JSON, bad_request
from patron.dialects.aimeos.http import Call
from patron.dialects.aimeos.schemas import Attribute
from patron.dialects.aimeos.shapes import answer, link_parameters, url

Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Resource:
    """One client class of Aimeos (`Customer\\Address\\Standard`, ...): its attribute table
    for OPTIONS and a handler per verb it overrides (PUT is none of them: 403)."""

    attributes: Mapping[str, Attribute]
    get: Handler
    post: Handler
    patch: Handler
    delete: Handler


def document(
    call: Call, total: int, data: Any = None, *, status: int = 200, related: str | None = None
) -> Response:
    """A sub-resource's answer: `meta`, `links.self`, `data` when
    there is any (a 404 for an unknown `relatedid` has neither `data` nor `errors`);
    `related` is the relationships' link to the collection."""
    self_link = url(call.ctx.config.base_url, "customer", link_parameters(call.query))
    links = {"self": self_link} if related is None else {"self": self_link, "related": related}
    body: dict[str, Any] = {"meta": call.meta(total), "links": links}
    if data is not None:
        body["data"] = data
    return answer(body, status)


_DOMAIN = re.compile(r"[A-Za-z0-9_/-]{1,64}")
MAX_INCLUDES = 32
"""More domains than any client asks for (Aimeos' customer has a handful); the names past
these are ignored, so a megabyte of `include` costs what a handful does."""
_ID = re.compile(r"[0-9]{1,18}")
"""An id as PHP reads one: ASCII digits only (`str.isdigit` also says yes to superscripts,
which `int` refuses, and to other scripts' digits), within PostgreSQL's bigint."""


def nothing(call: Call, related: str | None = None) -> Response:
    """A visitor's read: no items (a list), or no item (no `data`) for a `relatedid`."""
    return document(call, 0, [] if related_id(call) is None else None, related=related)


def includes(call: Call) -> list[str]:
    """`include=a,b` as domains, `.` read as `/` (`customer.address` is `customer/address`),
    for every verb; in the order given, without repeats, at most `MAX_INCLUDES`. A name no
    domain can have (a control character, a kilobyte of text) names nothing."""
    raw = call.parameter("include") or ""
    found: dict[str, None] = {}
    for part in raw.replace(".", "/").split(","):
        name = part.strip()
        if _DOMAIN.fullmatch(name):
            found[name] = None
            if len(found) == MAX_INCLUDES:
                break
    return list(found)


def fieldset(call: Call, type_: str) -> frozenset[str] | None:
    """`fields[<type>]=a,b`: the attributes to keep of that type; None keeps all."""
    fields = call.query.get("fields")
    value = fields.get(type_) if isinstance(fields, dict) else None
    if isinstance(value, list):
        value = value[-1] if value else None
    if not isinstance(value, str):
        return None
    return frozenset(name.strip() for name in value.split(",") if name.strip())


def sparse(attributes: dict[str, Any], wanted: frozenset[str] | None) -> dict[str, Any]:
    if wanted is None:
        return attributes
    return {key: value for key, value in attributes.items() if key in wanted}


def related_id(call: Call) -> int | None:
    """`relatedid` as the numeric id Aimeos shows; one that is no such number names
    nothing (-1), so it is not found rather than refused."""
    raw = call.parameter("relatedid")
    if raw is None or raw == "":
        return None
    number = _number(raw)
    return -1 if number is None else number


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if _ID.fullmatch(text) else None


def _payload(document: Any) -> Any:
    if not isinstance(document, dict) or "data" not in document:
        raise bad_request(INVALID_JSON)
    return document["data"]


def _attributes(entry: Any) -> dict[str, Any]:
    attributes = entry.get("attributes") if isinstance(entry, dict) else None
    if isinstance(attributes, list) and not attributes:
        return {}  # PHP's empty array: `{"attributes": []}`
    if not isinstance(attributes, dict):
        raise bad_request(ATTRIBUTES_MISSING)
    return attributes


async def one_entry(call: Call) -> dict[str, Any]:
    """The attributes of `{"data": {"attributes": {...}}}`; `data` must be an object."""
    data = _payload(await call.document())
    if not isinstance(data, dict):
        raise bad_request(ATTRIBUTES_MISSING)
    return _attributes(data)


async def many_entries(call: Call) -> list[dict[str, Any]]:
    """The attributes of each entry of `{"data": {...}}` or `{"data": [{...}, ...]}`."""
    data = _payload(await call.document())
    entries = data if isinstance(data, list) else [data]
    return [_attributes(entry) for entry in entries]


async def ids_to_delete(call: Call) -> list[int] | None:
    """`relatedid`, else the `id` of each entry of the body's `data`; None when neither
    (an empty body deletes nothing). Ids that are no numbers name nothing."""
    single = related_id(call)
    if single is not None:
        return [single]
    document = await call.document()
    if document is None:
        return None
    data = _payload(document)
    entries = data if isinstance(data, list) else [data]
    found: list[int] = []
    for entry in entries:
        value = entry.get("id") if isinstance(entry, dict) else None
        if value is None or isinstance(value, bool | dict | list):
            raise bad_request(ID_MISSING)
        if (number := _number(str(value))) is not None:
            found.append(number)
    return found
