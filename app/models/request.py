"""Requests for transitions that need the adviser's approval."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

PENDING, APPROVED, REJECTED, CANCELLED = "pending", "approved", "rejected", "cancelled"
STATUS_LABELS = {PENDING: _l("Venter"), APPROVED: _l("Godkjent"), REJECTED: _l("Avvist"), CANCELLED: _l("Trukket")}


class TransitionRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int] = mapped_column(Integer, index=True)
    trigger: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    comment: Mapped[str | None] = mapped_column(Text)
    # Extra facts the transition needs when it is applied, e.g. the date of a notice (JSON).
    data: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def waiting(self) -> bool:
        return self.status == PENDING

    @property
    def was_rejected(self) -> bool:
        return self.status == REJECTED
