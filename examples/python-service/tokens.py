"""Verifies Taskforge access tokens (EdDSA JWTs) against the app's published JSON Web Key Set.

Every rule here is one a JWT verifier is known to get wrong; each has a test in tests/test_tokens.py.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

import httpx
import jwt

logger = logging.getLogger(__name__)

ALGORITHM = "EdDSA"
# Header parameters that let a token's author choose the key it is checked with; Taskforge never sets them.
KEY_CHOOSING_HEADERS = ("jku", "jwk", "x5u", "x5c")
REQUIRED_CLAIMS = ("sub", "sid", "iat", "exp", "iss", "aud")


class InvalidToken(Exception):
    """The token is not a valid access token for this service; the reason is for logs, not for the caller."""


class KeySet:
    """The app's public signing keys, fetched from its JWKS and cached.

    A key id not in the cache causes one refetch; after a refetch that did not find it (or failed), the next waits
    `refetch_interval` seconds, so tokens with made-up key ids cannot make this service hammer the app. Keys older than
    `max_age` are refetched, so a key the app stops publishing stops being trusted.
    """

    def __init__(
        self,
        jwks_url: str,
        *,
        refetch_interval: float = 1.0,
        max_age: float = 3600.0,
        fetch: Callable[[str], dict[str, Any]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.jwks_url = jwks_url
        self.refetch_interval = refetch_interval
        self.max_age = max_age
        self.fetches = 0
        self._fetch = fetch or _fetch_json
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._missed_at = float("-inf")
        self._lock = threading.Lock()

    def key(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            now = self._clock()
            stale = now - self._fetched_at > self.max_age
            unknown = kid not in self._keys
            if (stale or unknown) and now - self._missed_at >= self.refetch_interval:
                if not self._load() or kid not in self._keys:
                    self._missed_at = now
            return self._keys.get(kid)

    def _load(self) -> bool:
        """Replaces the cached keys with the published ones; on failure keeps them and answers False."""
        self.fetches += 1
        try:
            published = self._fetch(self.jwks_url).get("keys", [])
            keys: dict[str, jwt.PyJWK] = {}
            for jwk in published:
                # Only Ed25519 keys for EdDSA are ever used, whatever else the set holds.
                if jwk.get("kid") and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
                    keys[jwk["kid"]] = jwt.PyJWK(jwk, algorithm=ALGORITHM)
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            logger.warning("JWKS fetch from %s failed: %s", self.jwks_url, error)
            return False
        self._keys = keys
        self._fetched_at = self._clock()
        return True


def _fetch_json(url: str) -> dict[str, Any]:
    response = httpx.get(url, timeout=5.0, follow_redirects=False)
    response.raise_for_status()
    return response.json()


class TokenVerifier:
    def __init__(
        self,
        keys: KeySet,
        *,
        issuer: str,
        audience: str,
        clock: Callable[[], float] = time.time,
        leeway: float = 0.0,
    ) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self._clock = clock
        self.leeway = leeway

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims when it is valid; raises InvalidToken otherwise."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise InvalidToken(f"unreadable header: {error}") from None
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"algorithm {header.get('alg')!r} is not {ALGORITHM}")
        if any(name in header for name in KEY_CHOOSING_HEADERS):
            raise InvalidToken("the token names its own key")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("no key id")
        key = self.keys.key(kid)
        if key is None:
            raise InvalidToken(f"unknown key id {kid!r}")
        try:
            # The signature, with this key and this algorithm only. Time, issuer and audience are checked below
            # against this verifier's own clock, so that tests can move it.
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_iss": False,
                    "verify_aud": False,
                },
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(f"signature: {error}") from None
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        missing = [name for name in REQUIRED_CLAIMS if name not in claims]
        if missing:
            raise InvalidToken(f"missing claims {missing}")
        if not isinstance(claims["sub"], str) or not claims["sub"]:
            raise InvalidToken("sub is not a user id")
        now = self._clock()
        if not _is_number(claims["exp"]) or claims["exp"] <= now - self.leeway:
            raise InvalidToken("expired")
        if "nbf" in claims and (not _is_number(claims["nbf"]) or claims["nbf"] > now + self.leeway):
            raise InvalidToken("not valid yet")
        if claims["iss"] != self.issuer:
            raise InvalidToken(f"issuer {claims['iss']!r}")
        audience = claims["aud"]
        audiences = audience if isinstance(audience, list) else [audience]
        if self.audience not in audiences:
            raise InvalidToken(f"audience {audience!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
