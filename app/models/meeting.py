"""The meetings of the agreement (§7–8): steering group, project group and coordination meeting."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, ForeignKey, String, Text, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import access
from app.clock import OSLO
from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

STEERING_MEETING = "steering"
PROJECT_MEETING = "project"
COORDINATION = "coordination"
KIND_LABELS = {STEERING_MEETING: _l("Styringsgruppemøte"), PROJECT_MEETING: _l("Prosjektgruppemøte"),
               COORDINATION: _l("Koordineringsmøte")}
PRESENT = "present"
ABSENT = "absent"
ATTENDANCE_LABELS = {PRESENT: _l("Til stede"), ABSENT: _l("Ikke til stede")}


class Meeting(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    # The uploaded minutes (PDF): the name of its StoredFile.
    minutes_file: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    invitees: Mapped[list["MeetingInvitee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="selectin")

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def title(self) -> str:
        return f"{self.kind_label} {self.starts_at.astimezone(OSLO).year}"

    @hybrid_property
    def has_minutes(self) -> bool:
        """The minutes are written, uploaded as a PDF, or both (in SQL too)."""
        return bool(self.minutes or self.minutes_file)

    @has_minutes.inplace.expression
    @classmethod
    def _has_minutes_sql(cls) -> ColumnElement[bool]:
        return or_(cls.minutes != "", cls.minutes_file.is_not(None))

    def invitee(self, user: User) -> "MeetingInvitee | None":
        return next((i for i in self.invitees if i.user_id == user.id), None)

    def can_view(self, user: User) -> bool:
        # Asked first, so that the adviser's pages need not load the invitees (hundreds).
        return access.sees_every_meeting(user) or access.sees_meeting(user, {i.user_id for i in self.invitees})


class MeetingInvitee(db.Model):
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    attendance: Mapped[str | None] = mapped_column(String(10))

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def attendance_label(self) -> str:
        return str(ATTENDANCE_LABELS.get(self.attendance, _l("Ikke registrert")))
