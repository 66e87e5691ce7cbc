"""ISO 3166-1 alpha-2 countries: which codes are real, and their English names.

Addresses store only the code; dialects that show a country name
derive it here, so a name can never disagree with the code it belongs to.
"""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def _names() -> dict[str, str]:
    # Built once: pycountry's own lookups scan its database on every call.
    return {country.alpha_2: country.name for country in pycountry.countries}


def normalize_country_code(code: str) -> str | None:
    """The upper-case code when `code` names a real country (in any letter case), else None."""
    upper = code.strip().upper()
    return upper if upper in _names() else None


def country_name(code: str | None) -> str | None:
    """The English short name (`DE` -> `Germany`); None for no or an unknown code."""
    return _names().get(code.upper()) if code else None
