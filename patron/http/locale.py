"""`Accept-Language` negotiated against the locales a tenant offers."""

from __future__ import annotations

from collections.abc import Sequence

MAX_HEADER = 512
"""Longer headers are not parsed: no real browser sends one, and parsing is per request."""


def negotiate_locale(accept_language: str | None, locales: Sequence[str], default: str) -> str:
    """Match `de-DE`, `de_DE` or `de` against `locales` by quality, else `default`."""
    if not accept_language or len(accept_language) > MAX_HEADER:
        return default
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            ranked.append((-quality, position, tag.strip().replace("-", "_").lower()))
    for _, _, tag in sorted(ranked):
        for locale in locales:
            if locale.lower() == tag or locale.lower().split("_")[0] == tag:
                return locale
    return default


class LocaleCache:
    """Clients repeat the same header: remember the answers (bounded)."""

    def __init__(self, size: int = 1000) -> None:
        self._size = size
        self._answers: dict[tuple[tuple[str, ...], str, str | None], str] = {}

    def negotiate(self, accept_language: str | None, locales: Sequence[str], default: str) -> str:
        key = (tuple(locales), default, accept_language)
        locale = self._answers.get(key)
        if locale is None:
            if len(self._answers) >= self._size:
                self._answers.clear()
            locale = self._answers[key] = negotiate_locale(accept_language, locales, default)
        return locale
