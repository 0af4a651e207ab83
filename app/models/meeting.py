"""The meetings of the agreement (§7–8): steering group, project group, coordination and clarification meetings,
their numbered agenda items with documents and decisions, and their minutes (workflows/minutes.py)."""
from datetime import date, datetime

from flask_babel import format_date, gettext as _, lazy_gettext as _l
from sqlalchemy import ColumnElement, ForeignKey, Integer, String, Text, UniqueConstraint, or_, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import access, clock
from app.clock import OSLO
from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows import MINUTES
from workflows.minutes import DRAFT
from workflows.roles import ADVISER

STEERING_MEETING = "steering"
PROJECT_MEETING = "project"
COORDINATION = "coordination"
CLARIFICATION = "clarification"  # avklaringsmøte, §8: held as needed
KIND_LABELS = {STEERING_MEETING: _l("Styringsgruppemøte"), PROJECT_MEETING: _l("Prosjektgruppemøte"),
               COORDINATION: _l("Koordineringsmøte"), CLARIFICATION: _l("Avklaringsmøte")}
# The series an agenda item is numbered in, per body: "SG 2/2026" is the steering group's second item of 2026. The
# prefixes are part of every item's number and stay as they are.
SERIES = {STEERING_MEETING: "SG", PROJECT_MEETING: "PG", COORDINATION: "KM", CLARIFICATION: "AM"}
PRESENT = "present"
ABSENT = "absent"
ATTENDANCE_LABELS = {PRESENT: _l("Til stede"), ABSENT: _l("Ikke til stede")}


class Meeting(db.Model):
    """A meeting; the state of its minutes changes only through the workflow service (`state`, `state_since` and
    `version` are the minutes' workflow columns)."""

    workflow = MINUTES
    audit_type = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200))
    # The agenda as free text, from before agenda items were numbered: shown as it was, no longer written.
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    # The uploaded minutes (PDF): the name of its StoredFile.
    minutes_file: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    state: Mapped[str] = mapped_column("minutes_state", String(30), default=MINUTES.initial)
    state_since: Mapped[datetime] = mapped_column("minutes_state_since", UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column("minutes_version", Integer, default=1)

    invitees: Mapped[list["MeetingInvitee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", lazy="selectin")
    items: Mapped[list["MeetingItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingItem.position",
        foreign_keys="MeetingItem.meeting_id")

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

    @property
    def series(self) -> str:
        return SERIES[self.kind]

    @property
    def has_begun(self) -> bool:
        """From its start on, the agenda is fixed and decisions can be recorded."""
        return self.starts_at <= clock.now()

    def pending_approval(self) -> "MeetingItem | None":
        """The item on which a later meeting is to decide on these minutes (none once it has decided)."""
        return db.session.scalar(select(MeetingItem).where(MeetingItem.approves_minutes_of_id == self.id,
                                                           MeetingItem.decision.is_(None)))

    @property
    def minutes_editable(self) -> bool:
        """A draft: the adviser writes it; put forward or approved, it is locked."""
        return self.state == DRAFT

    def roles_of(self, user: User) -> set[str]:
        """The adviser drafts the minutes and records what the next meeting decided on them."""
        return user.roles & {ADVISER}

    def guard_context(self, today: date, actor: User | None = None) -> "MinutesGuards":
        return MinutesGuards(self)

    def invitee(self, user: User) -> "MeetingInvitee | None":
        return next((i for i in self.invitees if i.user_id == user.id), None)

    def can_view(self, user: User) -> bool:
        # Asked first, so that the adviser's pages need not load the invitees (hundreds).
        return access.sees_every_meeting(user) or access.sees_meeting(user, {i.user_id for i in self.invitees})

    def can_read_minutes(self, user: User) -> bool:
        return access.sees_every_meeting(user) or access.sees_minutes(user, self.state,
                                                                      {i.user_id for i in self.invitees})


class MeetingInvitee(db.Model):
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    attendance: Mapped[str | None] = mapped_column(String(10))

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def attendance_label(self) -> str:
        return str(ATTENDANCE_LABELS.get(self.attendance, _l("Ikke registrert")))


class MeetingItem(db.Model):
    """An item on a meeting's agenda, numbered in its body's series and year ("PG 3/2026") when it is added; the
    number stays when the item is moved or the meeting rescheduled, and a removed item's number is not reused.

    `decision` is the vedtak, recorded at or after the meeting; an item that approves the minutes of an earlier
    meeting names that meeting."""

    __tablename__ = "meeting_item"
    __table_args__ = (UniqueConstraint("series", "year", "number"),)
    audit_type = "meeting_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(4))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approves_minutes_of_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    meeting: Mapped[Meeting] = relationship(back_populates="items", foreign_keys=[meeting_id])
    approves_minutes_of: Mapped[Meeting | None] = relationship(foreign_keys=[approves_minutes_of_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    documents: Mapped[list["MeetingItemDocument"]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="MeetingItemDocument.id")

    @property
    def reference(self) -> str:
        return f"{self.series} {self.number}/{self.year}"

    @property
    def heading(self) -> str:
        """The item's title; an item on minutes says whose, in the reader's language."""
        minutes_of = self.approves_minutes_of
        if minutes_of is None:
            return self.title
        return _("Godkjenning av referat fra %(meeting)s %(date)s", meeting=minutes_of.kind_label.lower(),
                 date=format_date(clock.day_of(minutes_of.starts_at), "short"))

    @property
    def label(self) -> str:
        """"SG 2/2026 Fordelingsnøkkel 2027–2029", as a list of items offers it."""
        return f"{self.reference} {self.heading}"


class MeetingItemDocument(db.Model):
    """A PDF attached to an agenda item (a StoredFile by name), served only to those who see the meeting."""

    __tablename__ = "meeting_item_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("meeting_item.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))  # the StoredFile
    title: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    item: Mapped[MeetingItem] = relationship(back_populates="documents")


class MinutesGuards:
    """What the minutes' steps ask of the meeting."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting

    def has_minutes(self) -> bool:
        return self.meeting.has_minutes

    def approval_meeting_started(self) -> bool:
        item = self.meeting.pending_approval()
        return item is not None and item.meeting.has_begun
