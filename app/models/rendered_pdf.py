"""PDFs the app made from its own pages, kept so each version is made once (app/services/rendered_pdfs.py)."""
from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class RenderedPdf(db.Model):
    """The latest PDF of one document (an agreement, a reply letter, a case's history ...), with the fingerprint of
    the HTML it was made from: a copy whose fingerprint differs from today's HTML is stale."""

    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    object_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
