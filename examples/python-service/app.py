"""A service of its own beside Taskforge: notes in SQLite, each visible only to the user whose access token asks.

Run: TASKFORGE_URL=http://localhost:3000 /usr/bin/python3 -m uvicorn --factory app:from_environment --port 8000
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel, Field

from tokens import InvalidToken, KeySet, TokenVerifier


@dataclass(frozen=True)
class Settings:
    # The app's public URL (its BETTER_AUTH_URL): tokens' issuer and audience, the JWKS's host, the one CORS origin.
    taskforge_url: str
    database: str = "notes.sqlite3"
    # Where the keys are fetched; by default under taskforge_url (set it when the app is reached by another address).
    jwks_url: str | None = None

    @staticmethod
    def from_environment() -> "Settings":
        return Settings(
            taskforge_url=os.environ.get("TASKFORGE_URL", "http://localhost:3000").rstrip("/"),
            database=os.environ.get("NOTES_DATABASE", "notes.sqlite3"),
            jwks_url=os.environ.get("TASKFORGE_JWKS_URL"),
        )


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)


class Note(BaseModel):
    id: int
    text: str
    created_at: float


class NoteStore:
    """Notes in SQLite. Every query takes the owner's id: there is no way to read a note without saying whose."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, text TEXT NOT NULL,"
                " created_at REAL NOT NULL)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS note_owner ON note (owner, id)")
            self._db.commit()

    def add(self, owner: str, text: str) -> Note:
        with self._lock:
            now = time.time()
            cursor = self._db.execute("INSERT INTO note (owner, text, created_at) VALUES (?, ?, ?)", (owner, text, now))
            self._db.commit()
            return Note(id=int(cursor.lastrowid or 0), text=text, created_at=now)

    def list(self, owner: str) -> list[Note]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, text, created_at FROM note WHERE owner = ? ORDER BY id", (owner,)
            ).fetchall()
        return [Note(id=row[0], text=row[1], created_at=row[2]) for row in rows]

    def get(self, owner: str, note_id: int) -> Note | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, text, created_at FROM note WHERE owner = ? AND id = ?", (owner, note_id)
            ).fetchone()
        return Note(id=row[0], text=row[1], created_at=row[2]) if row else None

    def delete(self, owner: str, note_id: int) -> bool:
        with self._lock:
            cursor = self._db.execute("DELETE FROM note WHERE owner = ? AND id = ?", (owner, note_id))
            self._db.commit()
            return cursor.rowcount > 0


def create_app(settings: Settings, verifier: TokenVerifier | None = None) -> FastAPI:
    verifier = verifier or TokenVerifier(
        KeySet(settings.jwks_url or f"{settings.taskforge_url}/api/auth/jwks"),
        issuer=settings.taskforge_url,
        audience=settings.taskforge_url,
    )
    store = NoteStore(settings.database)
    app = FastAPI(title="Notes beside Taskforge")
    # Browsers may call this service from the app's pages and from nowhere else. No cookies: the token is the
    # credential.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[origin_of(settings.taskforge_url)],
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["authorization", "content-type"],
        allow_credentials=False,
    )

    def caller(request: Request) -> dict[str, Any]:
        """The verified claims of the caller's access token, or 401. (FastAPI's HTTPBearer would answer 403.)"""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(401, "A Taskforge access token is required", {"WWW-Authenticate": "Bearer"})
        try:
            return verifier.verify(token.strip())
        except InvalidToken:
            raise HTTPException(
                401, "Invalid access token", {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            ) from None

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/me")
    def me(claims: dict[str, Any] = Depends(caller)) -> dict[str, Any]:
        return {"id": claims["sub"], "email": claims.get("email"), "role": claims.get("role")}

    @app.get("/notes", response_model=list[Note])
    def list_notes(claims: dict[str, Any] = Depends(caller)) -> list[Note]:
        return store.list(claims["sub"])

    @app.post("/notes", response_model=Note, status_code=201)
    def add_note(note: NoteIn, claims: dict[str, Any] = Depends(caller)) -> Note:
        return store.add(claims["sub"], note.text)

    # Another user's note answers 404, exactly like a note that does not exist: ids reveal nothing.
    @app.get("/notes/{note_id}", response_model=Note)
    def get_note(note_id: int, claims: dict[str, Any] = Depends(caller)) -> Note:
        note = store.get(claims["sub"], note_id)
        if note is None:
            raise HTTPException(404, "No such note")
        return note

    @app.delete("/notes/{note_id}", status_code=204, response_class=Response)
    def delete_note(note_id: int, claims: dict[str, Any] = Depends(caller)) -> Response:
        if not store.delete(claims["sub"], note_id):
            raise HTTPException(404, "No such note")
        return Response(status_code=204)

    return app


def from_environment() -> FastAPI:
    """The service as configured by its environment: `uvicorn --factory app:from_environment`."""
    return create_app(Settings.from_environment())
