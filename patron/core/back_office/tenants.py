"""Tenant administration: list, show, create, and change settings strictly.

Changes are parsed strictly here (an unknown key or a value of the wrong type is refused,
naming the key), while stored settings keep loading tolerantly (`TenantSettings.from_json`),
so an older row never stops a tenant from serving.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, get_type_hints

from patron.core.domain.errors.invalid_input import TenantSettingInvalid
from patron.core.domain.tenants import Tenant, TenantSettings
from patron.core.domain.text import TENANT_TEXT, check_text
from patron.core.ports.unit_of_work import TenantRepository

Parser = Callable[[str, object], Any]


def _text(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise TenantSettingInvalid(key, f"must be text, not {value!r}")
    return value


def _text_or_null(key: str, value: object) -> str | None:
    return None if value is None else _text(key, value)


def _flag(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TenantSettingInvalid(key, f"must be true or false, not {value!r}")
    return value


def _texts(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TenantSettingInvalid(key, f'must be a list of text like ["en_US"], not {value!r}')
    return tuple(value)


def _choice(names: type[StrEnum]) -> Parser:
    def parse(key: str, value: object) -> StrEnum:
        if not isinstance(value, str) or value not in names._value2member_map_:
            allowed = ", ".join(member.value for member in names)
            raise TenantSettingInvalid(key, f"must be one of {allowed}, not {value!r}")
        return names(value)

    return parse


def _parser_for(hint: Any) -> Parser:
    """By the field's type, so a new setting of a known type needs no code here; a new
    type fails at import, not at the first `tenant set`."""
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return _choice(hint)
    parsers: dict[Any, Parser] = {
        str: _text,
        str | None: _text_or_null,
        bool: _flag,
        tuple[str, ...]: _texts,
    }
    if hint not in parsers:
        raise TypeError(f"no parser for tenant settings of type {hint!r}")
    return parsers[hint]


PARSERS: dict[str, Parser] = {
    name: _parser_for(hint) for name, hint in get_type_hints(TenantSettings).items()
}


def parse_setting_changes(changes: Mapping[str, object]) -> dict[str, Any]:
    """JSON values (as `tenant set KEY=VALUE` reads them) to typed settings values."""
    parsed: dict[str, Any] = {}
    for key, value in changes.items():
        parser = PARSERS.get(key)
        if parser is None:
            raise TenantSettingInvalid(key, f"unknown setting (known: {', '.join(PARSERS)})")
        parsed[key] = parser(key, value)
    return parsed


@dataclass(frozen=True, slots=True)
class TenantAdministration:
    repository: TenantRepository

    async def list(self) -> list[Tenant]:
        return await self.repository.list()

    async def get(self, code: str) -> Tenant:
        return await self.repository.get(code)

    async def create(self, code: str, name: str, settings: TenantSettings) -> Tenant:
        check_text({"name": name}, TENANT_TEXT)
        return await self.repository.create(code, name, settings)

    async def change_settings(self, code: str, changes: Mapping[str, object]) -> Tenant:
        """All or nothing: raises `TenantSettingInvalid` for the first bad key, before
        anything is written (the combination is checked against the stored settings)."""
        parsed = parse_setting_changes(changes)

        def change(current: TenantSettings) -> TenantSettings:
            return dataclasses.replace(current, **parsed)

        return await self.repository.update_settings(code, change)
