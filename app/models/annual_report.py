"""The annual report to the steering group: one PDF per year, filed with that year's steering-group meeting."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.meeting import Meeting
from app.models.types import UTCDateTime, utcnow


class AnnualReport(db.Model):
    """The report of `year` as it was made and handed to the steering group (made again, it replaces the copy)."""

    audit_type = "annual_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    meeting: Mapped[Meeting] = relationship()

    @property
    def filename(self) -> str:
        return f"arsrapport-kunnskapskommunen-{self.year}.pdf"
