"""Test setup: the service's modules on the path, and a client for the real Taskforge app the tests run against.

TASKFORGE_URL: the running app (its BETTER_AUTH_URL), started with REQUIRE_EMAIL_VERIFICATION=false so that tests
can sign users up, and TRUSTED_PROXY_HOPS=1 so that each test user comes from an address of its own (X-Forwarded-For)
and the per-address sign-up and sign-in limits do not run out. TASKFORGE_DATABASE_URL: its PostgreSQL database, for
the key-rotation test.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys

import httpx
import pytest

sys.path.insert(0, os.path.dirname(__file__))

PASSWORD = "harbor-quiet-lantern-" + secrets.token_hex(4)


class Taskforge:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        # Better Auth's CSRF check wants the app's own Origin on its POSTs.
        self.http = httpx.Client(base_url=self.url, headers={"origin": self.url}, timeout=30.0)

    def new_user(self) -> "User":
        email = f"py-{secrets.token_hex(6)}@example.com"
        octets = (secrets.randbelow(256), secrets.randbelow(256), secrets.randbelow(254) + 1)
        address = {"x-forwarded-for": "10.%d.%d.%d" % octets}
        body = {"email": email, "password": PASSWORD, "name": "Py"}
        signed_up = self.http.post("/api/auth/sign-up/email", json=body, headers=address)
        assert signed_up.status_code == 200, signed_up.text
        credentials = {"email": email, "password": PASSWORD}
        signed_in = self.http.post("/api/auth/sign-in/email", json=credentials, headers=address)
        assert signed_in.status_code == 200, signed_in.text
        return User(self, email, signed_in.headers["set-auth-token"], address)

    def jwks(self) -> dict:
        return self.http.get("/api/auth/jwks").json()


class User:
    def __init__(self, app: Taskforge, email: str, session_token: str, address: dict[str, str]) -> None:
        self.app = app
        self.address = address
        self.email = email
        self.session_token = session_token

    def access_token(self) -> str:
        """A new JWT from /api/auth/token, as any client mints one."""
        headers = {"authorization": f"Bearer {self.session_token}", **self.address}
        reply = self.app.http.get("/api/auth/token", headers=headers)
        assert reply.status_code == 200, reply.text
        return reply.json()["token"]


@pytest.fixture(scope="session")
def taskforge() -> Taskforge:
    url = os.environ.get("TASKFORGE_URL")
    if not url:
        pytest.fail("TASKFORGE_URL must name a running Taskforge app (see README.md, Tests)")
    return Taskforge(url)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def parts(token: str) -> tuple[dict, dict, str]:
    """A token's header, claims and signature, unverified."""
    header, payload, signature = token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    return decode(header), decode(payload), signature


def encode(header: dict, claims: dict, signature: bytes | str = b"") -> str:
    sig = signature if isinstance(signature, str) else b64url(signature)
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}.{sig}"
