"""Access tokens are HS256 JWTs; refresh tokens, one-time keys, session cookies, API tokens
and client secrets are random strings stored as SHA-256 hashes (they carry 256 bits of
entropy, so a fast hash is enough: nobody can try 2^255 guesses).

Customer and back-office tokens are signed alike and told apart by Patron's own `aud`
claim; `verify_access` returns `AccessClaims` for the one and `BackOfficeClaims` for the
other, so a caller that asks for the wrong type cannot mistake one for the other.

Verification is on every authenticated request, so it is kept cheap:
- PyJWT re-validates the shape of an HMAC key on every call (it tries to parse it as PEM,
  DER and JSON: ~0.4 ms); our key is validated once, at start-up.
- A verified token's claims are remembered (a bounded cache), because a client sends the same
  token many times; expiry is still checked on every use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime

import jwt
import orjson
from jwt.algorithms import HMACAlgorithm

from patron.core.domain.errors.unauthorized import AccessTokenExpired, InvalidAccessToken
from patron.core.domain.model import AccessClaims, Audience, Customer
from patron.core.domain.principals import BackOfficeClaims, PrincipalKind

ISSUER = "patron"
ALGORITHM = "HS256"
OWN = "patron"
"""Patron's own claims travel in one private claim, so a dialect may lay out the registered
ones (`sub`, `aud`, `scopes`...) the way its vendor's clients read them."""
RESERVED = frozenset({"iss", "iat", "nbf", "exp", "jti", OWN})
CLOCK_SKEW_SECONDS = 60
"""How far ahead of this host's clock another host's `iat`/`nbf` may be."""

Claims = AccessClaims | BackOfficeClaims


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
        self._verified: OrderedDict[str, tuple[float, Claims]] = OrderedDict()
        self._cache_size = cache_size

    def issue_access(
        self,
        customer: Customer,
        now: datetime,
        *,
        session_id: uuid.UUID,
        scopes: Iterable[str],
        vendor_claims: Mapping[str, object] | None = None,
        ttl_seconds: int | None = None,
    ) -> tuple[str, int]:
        """A customer's access token; `ttl_seconds` None is the configured access lifetime
        (a token that stands in for a cookie session lives as long as the session)."""
        own = {
            "aud": Audience.CUSTOMER.value,
            "tid": customer.tenant_id,
            "cid": customer.id,
            "cus": str(customer.uuid),
            "ref": customer.customer_number,
            "sid": str(session_id),
            "scp": sorted(scopes),
        }
        defaults = {"sub": str(customer.uuid)}
        ttl = self._ttl if ttl_seconds is None else ttl_seconds
        return self._sign(own, now.timestamp(), ttl, defaults, vendor_claims), ttl

    def issue_back_office(
        self,
        claims: BackOfficeClaims,
        *,
        ttl_seconds: int,
        vendor_claims: Mapping[str, object] | None = None,
    ) -> tuple[str, int]:
        """A back-office token: who (`knd`, `pid`), where (`tid`) and what (`scp`). The
        principal is read again on every use, so disabling it ends its tokens at once."""
        own: dict[str, object] = {
            "aud": Audience.BACK_OFFICE.value,
            "tid": claims.tenant_id,
            "knd": claims.kind.value,
            "pid": claims.principal_id,
            "scp": sorted(claims.scopes),
        }
        if claims.session is not None:
            own["sid"] = claims.session
        issued_at = claims.issued_at.timestamp()
        return self._sign(own, issued_at, ttl_seconds, {}, vendor_claims), ttl_seconds

    def _sign(
        self,
        own: dict[str, object],
        issued_at: float,
        ttl: int,
        defaults: Mapping[str, object],
        vendor_claims: Mapping[str, object] | None,
    ) -> str:
        clashing = RESERVED & set(vendor_claims or ())
        if clashing:
            raise ValueError(f"a dialect may not set {sorted(clashing)}")
        claims: dict[str, object] = {
            **defaults,
            **(vendor_claims or {}),
            "iss": ISSUER,
            # Sub-second precision, so a token issued right after a revocation still counts.
            "iat": issued_at,
            "nbf": int(issued_at),
            "exp": int(issued_at) + ttl,
            "jti": secrets.token_hex(16),
            OWN: own,
        }
        return self._jws.encode(
            orjson.dumps(claims), self._key, algorithm=ALGORITHM, headers={"typ": "JWT"}
        )

    def verify_access(self, token: str, now: datetime) -> Claims:
        """Which claims come back is the token's audience; callers check it is theirs."""
        remembered = self._verified.get(token)
        if remembered is None:
            expires, claims = self._verify_signature_and_claims(token, now)
            self._remember(token, expires, claims)
        else:
            expires, claims = remembered
        if expires <= now.timestamp():
            raise AccessTokenExpired("expired")
        return claims

    def _verify_signature_and_claims(self, token: str, now: datetime) -> tuple[float, Claims]:
        try:
            payload = orjson.loads(self._jws.decode(token, self._key, algorithms=[ALGORITHM]))
            if not isinstance(payload, dict) or payload.get("iss") != ISSUER:
                raise InvalidAccessToken("issuer")
            own = payload.get(OWN)
            if not isinstance(own, dict) or not isinstance(own.get("scp"), list):
                raise InvalidAccessToken("claims missing")
            issued_at = _finite(payload.get("iat"))
            not_before = _finite(payload.get("nbf", issued_at))
            # Issued in the future, it would pass for a token newer than any revocation.
            if max(issued_at, not_before) > now.timestamp() + CLOCK_SKEW_SECONDS:
                raise InvalidAccessToken("not yet valid")
            issued = datetime.fromtimestamp(issued_at, tz=now.tzinfo)
            return _finite(payload.get("exp")), _claims(own, issued)
        except (
            jwt.PyJWTError,
            orjson.JSONDecodeError,
            KeyError,
            ValueError,
            TypeError,
            OverflowError,
            OSError,
        ) as error:
            raise InvalidAccessToken(type(error).__name__) from None

    def _remember(self, token: str, expires: float, claims: Claims) -> None:
        self._verified[token] = (expires, claims)
        if len(self._verified) > self._cache_size:
            self._verified.popitem(last=False)

    def new_opaque(self) -> tuple[str, bytes]:
        token = secrets.token_urlsafe(32)
        return token, self.hash_opaque(token)

    def hash_opaque(self, token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def mac(self, purpose: str, value: str) -> str:
        """HMAC-SHA256 of `value` under the signing key, bound to `purpose`; URL-safe."""
        message = purpose.encode() + b"\0" + value.encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _claims(own: dict[str, object], issued_at: datetime) -> Claims:
    """Patron's own claims, by audience; a missing or mistyped one raises."""
    scopes = frozenset(_text(scope) for scope in _list(own["scp"]))
    audience = Audience(_text(own["aud"]))
    if audience is Audience.BACK_OFFICE:
        return BackOfficeClaims(
            tenant_id=_integer(own["tid"]),
            kind=PrincipalKind(_text(own["knd"])),
            principal_id=_integer(own["pid"]),
            issued_at=issued_at,
            scopes=scopes,
            session=_text(own["sid"]) if "sid" in own else None,
        )
    return AccessClaims(
        audience=audience,
        tenant_id=_integer(own["tid"]),
        customer_id=_integer(own["cid"]),
        customer_uuid=uuid.UUID(_text(own["cus"])),
        customer_number=_text(own["ref"]),
        session_id=uuid.UUID(_text(own["sid"])),
        issued_at=issued_at,
        scopes=scopes,
    )


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _finite(value: object) -> float:
    """A NumericDate: a real, finite number (a bool, NaN or infinity never expires nothing)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("not a finite number")
    return float(value)


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not an integer")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value
