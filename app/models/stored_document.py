"""Documents served as they were made while nothing they show has changed (app/services/stored_documents.py)."""
from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class StoredDocument(db.Model):
    """The latest copy of one download (a case's ZIP, an agreement's PDF, a CSV with its filters ...), with the
    content version it was made at: a copy of an older version is stale. One per language: the key ends in its
    locale ("12@nb")."""

    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    version: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentVersion(db.Model):
    """One row: counts the transactions that changed anything a page or document may show."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
