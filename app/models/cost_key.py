"""The cost-sharing key of the shared R&D resource (agreement §11): its terms, its shares per party and year, and the
steering group's decision."""
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.meeting import Meeting, MeetingItem
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows import COST_KEY
from workflows.cost_key import DECIDED, SUBMITTED
from workflows.key_shares import METHODS, PERCENT, percent_text
from workflows.roles import ADVISER, STEERING_MEMBER

AGREEMENT = "agreement"  # a municipality's share: the fixed amount of its agreement in force that year
BASIS_LABELS = {AGREEMENT: _l("Fast beløp etter avtalen"), **METHODS}


class CostKey(db.Model):
    """A key for one to three years; its state changes only through the workflow service, and a decided key never
    changes."""

    workflow = COST_KEY
    audit_type = "cost_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_year: Mapped[int] = mapped_column(Integer, index=True)
    last_year: Mapped[int] = mapped_column(Integer)
    budget: Mapped[int] = mapped_column(Integer)  # the resource's budget per year, in kroner
    method: Mapped[str] = mapped_column(String(10), default=PERCENT)
    remainder_to_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    # Whoever saved the version the steering group gets: they may not record its decision.
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_on: Mapped[date | None] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))
    agenda_item: Mapped[str | None] = mapped_column(String(200))
    # The agenda item it was decided under, when that meeting is in the app (older decisions name it in agenda_item).
    meeting_item_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_item.id"), index=True)
    decision: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(30), default=COST_KEY.initial, index=True)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    remainder_to: Mapped[Organisation] = relationship()
    drafted_by: Mapped[User] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    meeting_item: Mapped[MeetingItem | None] = relationship()
    parties: Mapped[list["CostKeyParty"]] = relationship(cascade="all, delete-orphan", order_by="CostKeyParty.id")
    shares: Mapped[list["CostKeyShare"]] = relationship(
        back_populates="key", cascade="all, delete-orphan", order_by="[CostKeyShare.year, CostKeyShare.id]")

    @property
    def title(self) -> str:
        return _("Fordelingsnøkkel %(first)s–%(last)s", first=self.first_year, last=self.last_year)

    @hybrid_property
    def awaiting_decision(self) -> bool:
        """Submitted: waiting for the steering group's decision (in SQL too)."""
        return self.state == SUBMITTED

    @property
    def decided(self) -> bool:
        """Decided by the steering group: read-only, and exported for invoicing."""
        return self.state == DECIDED

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def roles_of(self, user: User) -> set[str]:
        """The adviser drafts and submits; a steering-group member records the decision or returns the draft."""
        return user.roles & {ADVISER, STEERING_MEMBER}

    def guard_context(self, today: date, actor: User | None = None) -> "CostKeyGuards":
        return CostKeyGuards(self, actor)


class CostKeyGuards:
    def __init__(self, key: CostKey, actor: User | None):
        self.key, self.actor = key, actor

    def not_drafter(self) -> bool:
        return self.actor is not None and self.actor.id != self.key.drafted_by_id


class CostKeyParty(db.Model):
    """What the key says for one of the larger parties: hundredths of a per cent of the rest, or kroner a year."""

    __table_args__ = (UniqueConstraint("key_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("cost_key.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    value: Mapped[int] = mapped_column(Integer)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class CostKeyShare(db.Model):
    """What one party pays under the key in one year, in whole kroner; a municipality's line names its agreement."""

    __table_args__ = (UniqueConstraint("key_id", "year", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("cost_key.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(10))
    # Hundredths of a per cent when the basis is a percentage.
    percent: Mapped[int | None] = mapped_column(Integer)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"))

    key: Mapped[CostKey] = relationship(back_populates="shares")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def basis_label(self) -> str:
        if self.percent is not None:
            return _("%(percent)s av resten", percent=percent_text(self.percent))
        return str(BASIS_LABELS[self.basis])
