"""Files people uploaded (meeting minutes), kept in the database so that every app server serves the same ones."""
from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class StoredFile(db.Model):
    """One uploaded file under the name its owner row refers to (Meeting.minutes_file: "meetings/12-….pdf")."""

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
