"""Cookie sessions, customers' and the back office's (stored under their hash only), and a
vendor's token lifetimes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from patron.core.domain.model import Audience, SessionRecord
from patron.core.ports.security import SessionStore, TokenCodec


async def open_session(sessions: SessionStore, codec: TokenCodec, record: SessionRecord) -> str:
    """A cookie session, a customer's or the back office's: the opaque value to set. The
    store keeps the record under its hash only, so a leaked store opens no session."""
    token, token_hash = codec.new_opaque()
    await sessions.put(token_hash, record)
    return token


async def find_session(
    sessions: SessionStore, token_hash: bytes, now: datetime, audience: Audience
) -> SessionRecord | None:
    """The open session under `token_hash`, if it is one of `audience`: a customer's
    cookie never passes for a back-office one, nor the other way round."""
    record = await sessions.get(token_hash, now)
    return record if record is not None and record.audience is audience else None


@dataclass(frozen=True, slots=True)
class Lifetimes:
    """A vendor's token lifetimes where its clients rely on them (Emporix' storefront)."""

    access_seconds: int
    refresh_seconds: int
