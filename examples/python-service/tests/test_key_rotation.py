"""A signing-key rotation in the app is followed: the new key's tokens are accepted (one JWKS refetch on the new kid),
and tokens of the previous key still are while the app publishes it."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import parts
from tokens import KeySet, TokenVerifier


def expire_signing_keys(database_url: str) -> None:
    """What 30 days do to the current key: the app signs the next token with a new one."""
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", database_url, "-c",
         "UPDATE jwks SET expires_at = now() - interval '1 minute' WHERE expires_at > now()"],
        check=True,
    )


def test_a_key_rotation_is_followed(taskforge):
    database_url = os.environ.get("TASKFORGE_DATABASE_URL")
    if not database_url:
        pytest.fail("TASKFORGE_DATABASE_URL must name the app's PostgreSQL database")
    keys = KeySet(f"{taskforge.url}/api/auth/jwks", refetch_interval=0.5)
    verifier = TokenVerifier(keys, issuer=taskforge.url, audience=taskforge.url)
    user = taskforge.new_user()
    before = user.access_token()
    assert verifier.verify(before)
    fetches = keys.fetches

    expire_signing_keys(database_url)
    after = user.access_token()
    assert parts(after)[0]["kid"] != parts(before)[0]["kid"]

    assert verifier.verify(after)["sub"] == parts(before)[1]["sub"]
    assert keys.fetches == fetches + 1
    assert verifier.verify(before)  # the retired key is still published for its grace period
