"""The verifier against tokens from the real app, and against the classic ways to forge one.

Each attack is refused because of one named check: a test here fails when that check is taken out of tokens.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from conftest import b64url, encode, parts
from tokens import InvalidToken, KeySet, TokenVerifier


@pytest.fixture
def verifier(taskforge) -> TokenVerifier:
    return TokenVerifier(KeySet(f"{taskforge.url}/api/auth/jwks"), issuer=taskforge.url, audience=taskforge.url)


@pytest.fixture(scope="module")
def user(taskforge):
    return taskforge.new_user()


def sign(key: Ed25519PrivateKey, header: dict, claims: dict) -> str:
    unsigned = encode(header, claims).rsplit(".", 1)[0]
    return f"{unsigned}.{b64url(key.sign(unsigned.encode()))}"


def public_jwk(key: Ed25519PublicKey, kid: str) -> dict:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": kid, "alg": "EdDSA"}


def refused(verifier: TokenVerifier, token: str) -> bool:
    try:
        verifier.verify(token)
    except InvalidToken:
        return True
    return False


class TestRealTokens:
    def test_a_token_from_the_app_is_accepted_with_its_claims(self, verifier, user):
        claims = verifier.verify(user.access_token())
        assert claims["email"] == user.email
        assert claims["sub"] and claims["sid"]

    def test_a_token_whose_claims_were_changed_is_refused(self, verifier, user, taskforge):
        header, claims, signature = parts(user.access_token())
        other = parts(taskforge.new_user().access_token())[1]
        assert refused(verifier, encode(header, {**claims, "sub": other["sub"]}, signature))

    def test_an_expired_token_is_refused(self, taskforge, user):
        token = user.access_token()
        exp = parts(token)[1]["exp"]
        keys = KeySet(f"{taskforge.url}/api/auth/jwks")

        def at(now: float) -> TokenVerifier:
            return TokenVerifier(keys, issuer=taskforge.url, audience=taskforge.url, clock=lambda: now)

        assert at(exp - 1).verify(token)
        assert refused(at(exp), token)
        assert refused(at(exp + 3600), token)

    def test_a_token_for_another_audience_is_refused(self, taskforge, user):
        keys = KeySet(f"{taskforge.url}/api/auth/jwks")
        elsewhere = TokenVerifier(keys, issuer=taskforge.url, audience="https://other-service.example")
        assert refused(elsewhere, user.access_token())

    def test_a_token_from_another_issuer_is_refused(self, taskforge, user):
        keys = KeySet(f"{taskforge.url}/api/auth/jwks")
        elsewhere = TokenVerifier(keys, issuer="https://other-app.example", audience=taskforge.url)
        assert refused(elsewhere, user.access_token())


class TestForgeries:
    def test_alg_none_is_refused_before_any_key_is_looked_up(self, verifier, user):
        header, claims, _ = parts(user.access_token())
        assert refused(verifier, encode({**header, "alg": "none"}, claims))
        assert refused(verifier, encode({**header, "alg": "None"}, claims))
        assert verifier.keys.fetches == 0

    def test_hs256_keyed_with_the_public_key_is_refused(self, verifier, user, taskforge):
        # Refused by the algorithm check, and again by PyJWT, which is given the one algorithm allowed (never the
        # header's): a verifier that did either would accept this token.
        header, claims, _ = parts(user.access_token())
        jwk = next(key for key in taskforge.jwks()["keys"] if key["kid"] == header["kid"])
        raw = jwk["x"] + "=" * (-len(jwk["x"]) % 4)
        public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(raw))
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        forged_header = {**header, "alg": "HS256"}
        for secret in (pem, jwk["x"].encode(), base64.urlsafe_b64decode(raw)):
            unsigned = encode(forged_header, claims).rsplit(".", 1)[0]
            mac = hmac.new(secret, unsigned.encode(), hashlib.sha256).digest()
            assert refused(verifier, f"{unsigned}.{b64url(mac)}")

    def test_a_token_signed_by_a_foreign_key_under_the_apps_kid_is_refused(self, verifier, user):
        header, claims, _ = parts(user.access_token())
        assert refused(verifier, sign(Ed25519PrivateKey.generate(), header, claims))

    def test_a_token_signed_by_a_foreign_key_under_a_kid_of_its_own_is_refused(self, verifier, user):
        header, claims, _ = parts(user.access_token())
        assert refused(verifier, sign(Ed25519PrivateKey.generate(), {**header, "kid": "attacker"}, claims))

    def test_a_token_without_kid_is_refused_before_any_key_is_looked_up(self, verifier, user):
        header, claims, signature = parts(user.access_token())
        assert refused(verifier, encode({k: v for k, v in header.items() if k != "kid"}, claims, signature))
        assert verifier.keys.fetches == 0

    def test_garbage_is_refused(self, verifier):
        for token in ("", "abc", "a.b.c", "..", secrets.token_urlsafe(40)):
            assert refused(verifier, token)


class TestKeyFetching:
    def test_unknown_kids_cause_one_refetch_then_wait(self, taskforge, user):
        clock = [1000.0]
        keys = KeySet(f"{taskforge.url}/api/auth/jwks", refetch_interval=1.0, clock=lambda: clock[0])
        verifier = TokenVerifier(keys, issuer=taskforge.url, audience=taskforge.url)
        header, claims, _ = parts(user.access_token())

        def forged() -> str:
            return sign(Ed25519PrivateKey.generate(), {**header, "kid": secrets.token_hex(8)}, claims)

        for _ in range(50):
            assert refused(verifier, forged())
        assert keys.fetches == 1
        clock[0] += 1.0
        for _ in range(50):
            assert refused(verifier, forged())
        assert keys.fetches == 2

    def test_a_known_kid_needs_no_fetch(self, taskforge, user):
        keys = KeySet(f"{taskforge.url}/api/auth/jwks")
        verifier = TokenVerifier(keys, issuer=taskforge.url, audience=taskforge.url)
        for _ in range(5):
            verifier.verify(user.access_token())
        assert keys.fetches == 1


class TestHeaderAndClaimRules:
    """Rules a token from the app never breaks: checked with a local key the verifier is told to trust, so that each
    token below is correctly signed and only the rule under test refuses it."""

    @pytest.fixture
    def local(self):
        key = Ed25519PrivateKey.generate()
        keys = KeySet("local", fetch=lambda _url: {"keys": [public_jwk(key.public_key(), "local-1")]})
        verifier = TokenVerifier(keys, issuer="https://app.example", audience="https://app.example", clock=lambda: 1000)
        claims = {"sub": "u1", "sid": "s1", "iat": 990, "exp": 1600}
        claims.update(iss="https://app.example", aud="https://app.example")
        return key, verifier, claims

    def test_a_correctly_signed_token_is_accepted(self, local):
        key, verifier, claims = local
        assert verifier.verify(sign(key, {"alg": "EdDSA", "kid": "local-1"}, claims))["sub"] == "u1"

    @pytest.mark.parametrize("name", ["jku", "jwk", "x5u", "x5c"])
    def test_headers_that_name_a_key_are_refused(self, local, name):
        key, verifier, claims = local
        header = {"alg": "EdDSA", "kid": "local-1", name: "https://attacker.example/k"}
        assert refused(verifier, sign(key, header, claims))

    def test_a_token_not_valid_yet_is_refused(self, local):
        key, verifier, claims = local
        assert refused(verifier, sign(key, {"alg": "EdDSA", "kid": "local-1"}, {**claims, "nbf": 1001}))
        assert verifier.verify(sign(key, {"alg": "EdDSA", "kid": "local-1"}, {**claims, "nbf": 1000}))

    @pytest.mark.parametrize("name", ["sub", "sid", "exp", "iss", "aud"])
    def test_a_token_missing_a_claim_is_refused(self, local, name):
        key, verifier, claims = local
        without = {k: v for k, v in claims.items() if k != name}
        assert refused(verifier, sign(key, {"alg": "EdDSA", "kid": "local-1"}, without))

    def test_only_ed25519_keys_are_trusted(self):
        secret = b64url(secrets.token_bytes(32))
        keys = KeySet("local", fetch=lambda _url: {"keys": [{"kty": "oct", "k": secret, "kid": "k", "alg": "HS256"}]})
        assert keys.key("k") is None
