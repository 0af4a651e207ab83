"""Uploaded files (meeting minutes), kept in the database beside the rows that name them: written and removed in
the caller's transaction, and served alike by every app server."""
from sqlalchemy import delete, select

from app import clock
from app.extensions import db
from app.models import StoredFile


def write(name: str, content: bytes) -> None:
    """Store `content` under `name` in the caller's transaction."""
    db.session.add(StoredFile(name=name, content=content, stored_at=clock.now()))


def remove(name: str) -> None:
    """Remove the file `name` in the caller's transaction."""
    db.session.execute(delete(StoredFile).where(StoredFile.name == name))


def read(name: str) -> bytes | None:
    return db.session.scalar(select(StoredFile.content).where(StoredFile.name == name))
