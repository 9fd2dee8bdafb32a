"""The service over HTTP: 401 without a valid token, each user's notes only, CORS for the app's origin only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from app import Settings, create_app
from conftest import encode, parts

SERVICE_DIR = os.path.dirname(os.path.dirname(__file__))


@pytest.fixture
def service(taskforge, tmp_path) -> TestClient:
    return TestClient(create_app(Settings(taskforge_url=taskforge.url, database=str(tmp_path / "notes.sqlite3"))))


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


class TestAuthentication:
    def test_a_real_token_reaches_the_service(self, service, taskforge):
        user = taskforge.new_user()
        reply = service.get("/me", headers=bearer(user.access_token()))
        assert reply.status_code == 200
        assert reply.json()["email"] == user.email

    @pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"])
    def test_no_token_is_401_with_a_bearer_challenge(self, service, header):
        reply = service.get("/notes", headers={} if header is None else {"authorization": header})
        assert reply.status_code == 401
        assert reply.headers["www-authenticate"].startswith("Bearer")

    def test_a_forged_token_is_401(self, service, taskforge):
        header, claims, signature = parts(taskforge.new_user().access_token())
        reply = service.get("/notes", headers=bearer(encode(header, {**claims, "sub": "someone-else"}, signature)))
        assert reply.status_code == 401
        assert reply.headers["www-authenticate"] == 'Bearer error="invalid_token"'

    def test_a_session_token_is_not_an_access_token(self, service, taskforge):
        assert service.get("/notes", headers=bearer(taskforge.new_user().session_token)).status_code == 401


class TestNotesAreTheirOwners:
    def test_another_users_notes_are_unreachable(self, service, taskforge):
        alice, bob = taskforge.new_user(), taskforge.new_user()
        as_alice, as_bob = bearer(alice.access_token()), bearer(bob.access_token())
        note = service.post("/notes", json={"text": "Alice's secret"}, headers=as_alice)
        assert note.status_code == 201
        note_id = note.json()["id"]

        assert service.get("/notes", headers=as_bob).json() == []
        assert service.get(f"/notes/{note_id}", headers=as_bob).status_code == 404
        assert service.delete(f"/notes/{note_id}", headers=as_bob).status_code == 404
        # The same answer as for a note that does not exist.
        assert service.get(f"/notes/{note_id + 1000}", headers=as_bob).status_code == 404

        assert [n["text"] for n in service.get("/notes", headers=as_alice).json()] == ["Alice's secret"]
        assert service.get(f"/notes/{note_id}", headers=as_alice).status_code == 200
        assert service.delete(f"/notes/{note_id}", headers=as_alice).status_code == 204
        assert service.get("/notes", headers=as_alice).json() == []

    def test_the_owner_comes_from_the_token_not_the_body(self, service, taskforge):
        alice, bob = taskforge.new_user(), taskforge.new_user()
        bob_id = parts(bob.access_token())[1]["sub"]
        service.post("/notes", json={"text": "mine", "owner": bob_id}, headers=bearer(alice.access_token()))
        assert service.get("/notes", headers=bearer(bob.access_token())).json() == []


class TestCors:
    def preflight(self, service, origin: str):
        return service.options(
            "/notes",
            headers={
                "origin": origin,
                "access-control-request-method": "GET",
                "access-control-request-headers": "authorization",
            },
        )

    def test_the_apps_origin_may_call(self, service, taskforge):
        reply = self.preflight(service, taskforge.url)
        assert reply.status_code == 200
        assert reply.headers["access-control-allow-origin"] == taskforge.url
        assert "access-control-allow-credentials" not in reply.headers

    def test_another_origin_may_not(self, service):
        reply = self.preflight(service, "https://evil.example")
        assert "access-control-allow-origin" not in reply.headers
        simple = service.get("/health", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in simple.headers


def test_the_service_runs_under_uvicorn_as_the_readme_says(taskforge, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TASKFORGE_URL": taskforge.url, "NOTES_DATABASE": str(tmp_path / "notes.sqlite3")}
    command = [sys.executable, "-m", "uvicorn", "--factory", "app:from_environment", "--port", str(port)]
    server = subprocess.Popen(command, cwd=SERVICE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        token = taskforge.new_user().access_token()
        created = httpx.post(f"{url}/notes", json={"text": "over HTTP"}, headers=bearer(token))
        assert created.status_code == 201
        assert httpx.get(f"{url}/notes", headers=bearer(token)).json()[0]["text"] == "over HTTP"
        assert httpx.get(f"{url}/notes").status_code == 401
    finally:
        server.terminate()
        server.wait(10)
