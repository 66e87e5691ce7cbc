"""Access tokens are HS256 JWTs; refresh tokens and one-time keys are random strings stored
as SHA-256 hashes (they carry 256 bits of entropy, so a fast hash is enough)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

import jwt

from patron.core.errors import InvalidAccessToken
from patron.core.model import AccessClaims, Customer

ISSUER = "patron"
ALGORITHM = "HS256"


class JwtCodec:
    def __init__(self, *, secret: bytes, access_ttl_seconds: int) -> None:
        if len(secret) < 32:
            raise ValueError("the signing key must be at least 32 bytes")
        self._secret = secret
        self._ttl = access_ttl_seconds

    def issue_access(self, customer: Customer, now: datetime) -> tuple[str, int]:
        issued_at = now.timestamp()
        claims = {
            "iss": ISSUER,
            "sub": str(customer.uuid),
            "ref": customer.customer_number,
            "tid": customer.tenant_id,
            "scopes": ["customer"],
            # Sub-second precision, so a token issued right after a revocation still counts.
            "iat": issued_at,
            "exp": int(issued_at) + self._ttl,
            "jti": secrets.token_hex(16),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), self._ttl

    def verify_access(self, token: str, now: datetime) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={
                    "require": ["iss", "sub", "iat", "exp"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
            if claims["exp"] <= now.timestamp():
                raise InvalidAccessToken("expired")
            return AccessClaims(
                customer_uuid=uuid.UUID(claims["sub"]),
                customer_number=str(claims["ref"]),
                tenant_id=int(claims["tid"]),
                issued_at=datetime.fromtimestamp(float(claims["iat"]), tz=now.tzinfo),
                scopes=tuple(claims.get("scopes", ())),
            )
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
            raise InvalidAccessToken(type(error).__name__) from None

    def new_opaque(self) -> tuple[str, bytes]:
        token = secrets.token_urlsafe(32)
        return token, self.hash_opaque(token)

    def hash_opaque(self, token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()
