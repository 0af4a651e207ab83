"""The annual conference (fagkonferanse, agreement §7; in June by practice): its programme and its registrations.

A registration's personal data (name, e-mail, its organisation typed as text, dietary needs) is emptied a
configurable number of months after the conference; its state and its organisation from the register stay, for the
counts."""
from datetime import date, datetime, time

from sqlalchemy import ColumnElement, Date, ForeignKey, Integer, String, Text, Time, func, select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows.conference import CONFIRMED, REGISTRATION, WAITLISTED
from workflows.roles import ADVISER


class Conference(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(Integer)
    registration_deadline: Mapped[date] = mapped_column(Date)
    consent_text: Mapped[str] = mapped_column(Text)
    # Bumped by every registration and cancellation before it counts the places: the row lock that makes them
    # take turns (on SQLite, the write lock of the database).
    places_version: Mapped[int] = mapped_column(Integer, default=0)
    personal_data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sessions: Mapped[list["ConferenceSession"]] = relationship(
        back_populates="conference", cascade="all, delete-orphan",
        order_by="(ConferenceSession.starts_at, ConferenceSession.id)")


class ConferenceSession(db.Model):
    """One item of the programme."""

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(200))
    speakers: Mapped[str | None] = mapped_column(String(500))

    conference: Mapped[Conference] = relationship(back_populates="sessions")


class ConferenceRegistration(db.Model):
    """One person's registration; its state changes only through the workflow service."""

    workflow = REGISTRATION
    audit_type = "conference_registration"

    id: Mapped[int] = mapped_column(primary_key=True)  # the order of the waiting list
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    organisation_text: Mapped[str | None] = mapped_column(String(200))
    dietary_needs: Mapped[str | None] = mapped_column(String(500))  # sensitive: the adviser's eyes only
    language: Mapped[str] = mapped_column(String(5), default="nb")  # the page's language: the mails are in it
    cancel_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # SHA-256, hex
    personal_data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(30), default=REGISTRATION.initial, index=True)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    conference: Mapped[Conference] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def title(self) -> str:
        return f"{self.conference.title} #{self.id}"

    @hybrid_property
    def cancellable(self) -> bool:
        """It holds a place or waits for one: it can be cancelled (in SQL too)."""
        return self.state in (CONFIRMED, WAITLISTED)

    @cancellable.inplace.expression
    @classmethod
    def _cancellable_sql(cls) -> ColumnElement[bool]:
        return cls.state.in_((CONFIRMED, WAITLISTED))

    @hybrid_property
    def organisation_label(self) -> str:
        """Its organisation's name from the register, otherwise the one typed (in SQL too)."""
        return self.organisation.display_name if self.organisation else (self.organisation_text or "")

    @organisation_label.inplace.expression
    @classmethod
    def _organisation_label_sql(cls) -> ColumnElement[str]:
        return func.coalesce(select(Organisation.display_name).where(Organisation.id == cls.organisation_id)
                             .scalar_subquery(), cls.organisation_text, "")

    def roles_of(self, user: User) -> set[str]:
        return user.roles & {ADVISER}

    def guard_context(self, today: date, actor: User | None = None) -> object:
        return self
