"""A municipality's representatives in the steering and project groups (agreement §8)."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


STEERING_GROUP, PROJECT_GROUP = "steering", "project"
GROUPS = {STEERING_GROUP: "Styringsgruppen", PROJECT_GROUP: "Prosjektgruppen"}
# Agreement §8: one representative to the steering group, two to the project group.
SEATS_PER_GROUP = {STEERING_GROUP: 1, PROJECT_GROUP: 2}

PENDING, APPROVED, REJECTED, WITHDRAWN, LAPSED = "pending", "approved", "rejected", "withdrawn", "lapsed"
REPRESENTATIVE_STATUS = {PENDING: "Venter på godkjenning", APPROVED: "Godkjent", REJECTED: "Avvist",
                         WITHDRAWN: "Trukket", LAPSED: "Bortfalt"}


class Representative(db.Model):
    """One person's term in one seat of a municipality; proposed by the municipality, approved by the adviser."""

    audit_type = "representative"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    group: Mapped[str] = mapped_column(String(20))
    seat: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # the last day of the term
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("representative.id"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    replaces: Mapped["Representative | None"] = relationship(remote_side=[id])

    @property
    def seat_label(self) -> str:
        return seat_label(self.group, self.seat)

    @property
    def status_label(self) -> str:
        return REPRESENTATIVE_STATUS[self.status]

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def overlaps(self, starts_on: date, ends_on: date) -> bool:
        return self.starts_on <= ends_on and starts_on <= self.ends_on


def seat_label(group: str, seat: int) -> str:
    return GROUPS[group] if SEATS_PER_GROUP[group] == 1 else f"{GROUPS[group]}, plass {seat}"
