"""A merger: organisations that become one successor from a day, and the membership the successor continues."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow


class Merger(db.Model):
    """`successor` takes over from its predecessors (the register's succession links of `first_day`). The case in
    `continued_case_id` carries on as the successor's; every other membership of the predecessors ends on the day
    before. Applied on `first_day` (by the tick when recorded ahead)."""

    audit_type = "merger"

    id: Mapped[int] = mapped_column(primary_key=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    continued_case_id: Mapped[int | None] = mapped_column(ForeignKey("membership_case.id"))
    # The predecessor whose membership that was: the case's days before the merger are drawn as its.
    continued_from_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The steering group's agenda item the merger was decided under, when that meeting is in the app.
    meeting_item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_item.id"), index=True)

    successor: Mapped[Organisation] = relationship(foreign_keys=[successor_id])
    continued_from: Mapped[Organisation | None] = relationship(foreign_keys=[continued_from_id])

    @property
    def predecessors(self) -> list[Organisation]:
        return [link.predecessor for link in self.successor.predecessor_links if link.first_day == self.first_day]
