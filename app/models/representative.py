"""Representatives in the steering and project groups (agreement §8): a member municipality's, elected for a term,
and the other parties', whose steering-group seat is held by position (no last day)."""
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows import PROPOSER, REPRESENTATIVE
from workflows.representative import PROPOSED
from workflows.roles import ADVISER

STEERING_GROUP, PROJECT_GROUP = "steering", "project"
GROUPS = {STEERING_GROUP: _l("Styringsgruppen"), PROJECT_GROUP: _l("Prosjektgruppen")}
# Agreement §8: one representative to the steering group, two to the project group.
SEATS_PER_GROUP = {STEERING_GROUP: 1, PROJECT_GROUP: 2}


class Representative(db.Model):
    """One person's term in one seat of a municipality or party; its state changes only through the workflow
    service."""

    workflow = REPRESENTATIVE
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
    ends_on: Mapped[date | None] = mapped_column(Date)  # the last day of the term; None: held by position
    state: Mapped[str] = mapped_column(String(30), default=REPRESENTATIVE.initial, index=True)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("representative.id"))
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    replaces: Mapped["Representative | None"] = relationship(remote_side=[id])

    @property
    def seat_label(self) -> str:
        return seat_label(self.group, self.seat)

    @property
    def state_label(self) -> str:
        return REPRESENTATIVE.label(self.state)

    @property
    def waiting(self) -> bool:
        """A proposal the adviser has not decided yet."""
        return self.state == PROPOSED

    @property
    def by_position(self) -> bool:
        """Held by whoever has the position (`title`), with no last day."""
        return self.ends_on is None

    @property
    def last_day(self) -> date:
        return self.ends_on or date.max

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.last_day

    def overlaps(self, starts_on: date, ends_on: date | None) -> bool:
        return self.starts_on <= (ends_on or date.max) and starts_on <= self.last_day

    def roles_of(self, user: User) -> set[str]:
        """The adviser decides; whoever filed the proposal may take it back."""
        roles = user.roles & {ADVISER}
        if user.id == self.proposed_by_id:
            roles.add(PROPOSER)
        return roles

    def guard_context(self, today: date, actor: User | None = None) -> "RepresentativeGuards":
        return RepresentativeGuards(self, actor)


class RepresentativeGuards:
    """The guard conditions of the representative workflow for one person acting."""

    def __init__(self, term: Representative, actor: User | None):
        self.term, self.actor = term, actor

    def is_proposer(self) -> bool:
        return self.actor is not None and self.actor.id == self.term.proposed_by_id

    def not_proposer(self) -> bool:
        return self.actor is not None and self.actor.id != self.term.proposed_by_id


class RepresentativeSeat(db.Model):
    """One seat of one municipality or party, as a row to lock: whoever proposes or approves a term for the seat
    bumps it first, so two people filling the same seat at once take turns, and the second sees the first one's
    term."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)
    group: Mapped[str] = mapped_column(String(20), primary_key=True)
    seat: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


def seat_label(group: str, seat: int) -> str:
    name = str(GROUPS[group])
    return name if SEATS_PER_GROUP[group] == 1 else _("%(group)s, plass %(seat)s", group=name, seat=seat)
