"""Access tokens are HS256 JWTs; refresh tokens and one-time keys are random strings stored
as SHA-256 hashes (they carry 256 bits of entropy, so a fast hash is enough).

Verification is on every authenticated request, so it is kept cheap:
- PyJWT re-validates the shape of an HMAC key on every call (it tries to parse it as PEM,
  DER and JSON: ~0.4 ms); our key is validated once, at start-up.
- A verified token's claims are remembered (a bounded cache), because a client sends the same
  token many times; expiry is still checked on every use.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import OrderedDict
from datetime import datetime
from typing import Any

import jwt
import orjson
from jwt.algorithms import HMACAlgorithm

from patron.core.errors import InvalidAccessToken
from patron.core.model import AccessClaims, Customer

ISSUER = "patron"
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("iss", "sub", "ref", "tid", "iat", "exp")


class _PreparedHS256(HMACAlgorithm):
    """HS256 bound to one key that was checked once."""

    def __init__(self, secret: bytes) -> None:
        super().__init__(HMACAlgorithm.SHA256)
        self.key = super().prepare_key(secret)

    def prepare_key(self, key: str | bytes) -> bytes:
        if key is not self.key:
            raise jwt.InvalidKeyError("this codec signs with its own key only")
        return self.key


class JwtCodec:
    def __init__(self, *, secret: bytes, access_ttl_seconds: int, cache_size: int = 10_000) -> None:
        if len(secret) < 32:
            raise ValueError("the signing key must be at least 32 bytes")
        self._jws = jwt.PyJWS(algorithms=[])
        algorithm = _PreparedHS256(secret)
        self._jws.register_algorithm(ALGORITHM, algorithm)
        self._key = algorithm.key
        self._ttl = access_ttl_seconds
        self._verified: OrderedDict[str, tuple[float, AccessClaims]] = OrderedDict()
        self._cache_size = cache_size

    def issue_access(
        self, customer: Customer, now: datetime, *, session_id: uuid.UUID | None = None
    ) -> tuple[str, int]:
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
        if session_id is not None:
            claims["sid"] = str(session_id)
        token = self._jws.encode(
            orjson.dumps(claims), self._key, algorithm=ALGORITHM, headers={"typ": "JWT"}
        )
        return token, self._ttl

    def verify_access(self, token: str, now: datetime) -> AccessClaims:
        remembered = self._verified.get(token)
        if remembered is None:
            expires, claims = self._verify_signature_and_claims(token, now)
            self._remember(token, expires, claims)
        else:
            expires, claims = remembered
        if expires <= now.timestamp():
            raise InvalidAccessToken("expired")
        return claims

    def _verify_signature_and_claims(self, token: str, now: datetime) -> tuple[float, AccessClaims]:
        try:
            payload: dict[str, Any] = orjson.loads(
                self._jws.decode(token, self._key, algorithms=[ALGORITHM])
            )
            if not isinstance(payload, dict) or any(c not in payload for c in REQUIRED_CLAIMS):
                raise InvalidAccessToken("claims missing")
            if payload["iss"] != ISSUER:
                raise InvalidAccessToken("issuer")
            return float(payload["exp"]), AccessClaims(
                customer_uuid=uuid.UUID(payload["sub"]),
                customer_number=str(payload["ref"]),
                tenant_id=int(payload["tid"]),
                issued_at=datetime.fromtimestamp(float(payload["iat"]), tz=now.tzinfo),
                scopes=tuple(payload.get("scopes", ())),
                session_id=uuid.UUID(payload["sid"]) if "sid" in payload else None,
            )
        except (jwt.PyJWTError, orjson.JSONDecodeError, ValueError, TypeError) as error:
            raise InvalidAccessToken(type(error).__name__) from None

    def _remember(self, token: str, expires: float, claims: AccessClaims) -> None:
        self._verified[token] = (expires, claims)
        if len(self._verified) > self._cache_size:
            self._verified.popitem(last=False)

    def new_opaque(self) -> tuple[str, bytes]:
        token = secrets.token_urlsafe(32)
        return token, self.hash_opaque(token)

    def hash_opaque(self, token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()
