"""Invitation rounds, one membership case per municipality per round, and the agreement's signatures."""
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from app import access
from app.extensions import db
from app.models.organisation import Organisation
from app.models.request import PENDING, TransitionRequest
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows import MEMBERSHIP, next_date, notice_last_day, reply_open
from workflows.membership import ACCEPTED, AGREEMENT_PENDING, DECLINED, INVITED, SIGNED, NextDate, invitation_closed
from workflows.periods import Facts
from workflows.roles import ADMIN, ADVISER, MUNICIPALITY_CONTACT, SIGNATORY

if TYPE_CHECKING:  # the agreement module imports this one
    from app.models.agreement import Agreement, AgreementDocument

DEFAULT_CONTRIBUTION = 40_000
MUNICIPALITY_PARTY = "municipality"
HOST_PARTY = "host"


class InvitationRound(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    letter_text: Mapped[str] = mapped_column(Text, default="")
    reply_deadline: Mapped[date] = mapped_column(Date)
    contribution: Mapped[int] = mapped_column(Integer, default=DEFAULT_CONTRIBUTION)
    contribution_from: Mapped[int] = mapped_column(Integer)
    contribution_to: Mapped[int] = mapped_column(Integer)
    agreement_end: Mapped[date | None] = mapped_column(Date)
    meeting: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    cases: Mapped[list["MembershipCase"]] = relationship(back_populates="round", order_by="MembershipCase.id")


class MembershipCase(db.Model):
    """One municipality in one invitation round; its state changes only through the workflow service."""

    # (organisation, round): finding a municipality's case in its latest round reads only the index.
    __table_args__ = (UniqueConstraint("round_id", "organisation_id"),
                      Index("ix_membership_case_organisation_round", "organisation_id", "round_id"))
    workflow = MEMBERSHIP
    audit_type = "membership_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("invitation_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    state: Mapped[str] = mapped_column(String(30), default=MEMBERSHIP.initial, index=True)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A deadline extended for this municipality alone; otherwise the round's applies.
    deadline_override: Mapped[date | None] = mapped_column(Date)
    agreement_start: Mapped[date | None] = mapped_column(Date)
    agreement_end: Mapped[date | None] = mapped_column(Date)
    notice_date: Mapped[date | None] = mapped_column(Date)
    notice_by: Mapped[str | None] = mapped_column(String(20))

    round: Mapped[InvitationRound] = relationship(back_populates="cases")
    organisation: Mapped[Organisation] = relationship()
    signatures: Mapped[list["Signature"]] = relationship(
        back_populates="case", order_by="Signature.id",
        primaryjoin="and_(Signature.case_id == MembershipCase.id, Signature.superseded_at.is_(None))",
        viewonly=True)
    # The agreement being signed or in force; earlier ones are superseded but kept as history.
    agreement: Mapped["Agreement | None"] = relationship(
        primaryjoin="and_(Agreement.case_id == MembershipCase.id, Agreement.superseded_at.is_(None))",
        viewonly=True, uselist=False)
    # Requests waiting for the adviser's approval on the case (a request names its object by type and id).
    waiting_requests: Mapped[list[TransitionRequest]] = relationship(
        primaryjoin=lambda: and_(foreign(TransitionRequest.object_id) == MembershipCase.id,
                                 TransitionRequest.object_type == MembershipCase.audit_type,
                                 TransitionRequest.status == PENDING),
        order_by=lambda: TransitionRequest.id, viewonly=True)
    # Every agreement of the case, the newest first.
    agreements: Mapped[list["Agreement"]] = relationship(
        primaryjoin="Agreement.case_id == MembershipCase.id", order_by="Agreement.id.desc()", viewonly=True)

    @property
    def title(self) -> str:
        return f"{self.organisation.name} – {self.round.title}"

    @hybrid_property
    def reply_deadline(self) -> date:
        """The municipality's own extended deadline, else the round's (in SQL too)."""
        return self.deadline_override or self.round.reply_deadline

    @reply_deadline.inplace.expression
    @classmethod
    def _reply_deadline_sql(cls) -> ColumnElement[date]:
        return func.coalesce(cls.deadline_override, select(InvitationRound.reply_deadline)
                             .where(InvitationRound.id == cls.round_id).scalar_subquery())

    @property
    def terms(self) -> "Agreement | InvitationRound":
        """Where the annual contribution and its years are read: the agreement being signed or in force, or the
        round's invitation before there is one (both have `contribution`, `contribution_from`, `contribution_to`)."""
        return self.agreement or self.round

    @property
    def end_date(self) -> date | None:
        """The end of the agreement period in force (or the round's, before an agreement is issued)."""
        return self.agreement_end or self.round.agreement_end

    @property
    def notice_last_day(self) -> date | None:
        """The last day of membership after the written notice on the case (None without one)."""
        return notice_last_day(self.notice_date, self.end_date) if self.notice_date else None

    @property
    def next_date(self) -> NextDate | None:
        return next_date(self.state, self.reply_deadline, self.end_date, self.notice_last_day)

    @property
    def facts(self) -> Facts:
        """What the membership rule (`workflows.periods`) reads from the case besides its history."""
        return Facts(self.state, self.end_date, self.notice_last_day)

    def signed_by(self, party: str) -> "Signature | None":
        return next((s for s in self.signatures if s.party == party), None)

    @property
    def both_signed(self) -> bool:
        return all(self.signed_by(party) for party in (MUNICIPALITY_PARTY, HOST_PARTY))

    @hybrid_property
    def awaiting_reply(self) -> bool:
        return self.state == INVITED

    @property
    def reply_may_change(self) -> bool:
        """Invited, or answered with an answer that may still change until the deadline."""
        return self.state in (INVITED, ACCEPTED, DECLINED)

    @hybrid_property
    def awaiting_signatures(self) -> bool:
        return self.state == AGREEMENT_PENDING

    @hybrid_property
    def awaiting_activation(self) -> bool:
        return self.state == SIGNED

    def guard_context(self, today: date, actor: User | None = None) -> "CaseGuards":
        """The guards on `today`, for `actor` (None: the clock)."""
        return CaseGuards(self, today, actor)

    def roles_of(self, user: User) -> set[str]:
        """The roles `user` holds for this case: global roles, and organisation roles for their own side."""
        roles = user.roles & {ADVISER, ADMIN}
        if user.organisation_id == self.organisation_id:
            roles |= user.roles & {MUNICIPALITY_CONTACT, SIGNATORY}
        elif user.organisation is not None and user.organisation.is_host:
            roles |= user.roles & {SIGNATORY}
        return roles

    def can_view(self, user: User) -> bool:
        return access.sees(user, self.organisation_id)


class CaseGuards:
    """The guard conditions of the membership workflow, read from a case on a given day."""

    def __init__(self, case: MembershipCase, today: date, actor: User | None = None):
        self.case, self.today, self.actor = case, today, actor

    def reply_open(self) -> bool:
        return reply_open(self.today, self.case.reply_deadline)

    def reply_closed(self) -> bool:
        return not self.reply_open()

    def invitation_open(self) -> bool:
        """The invitation may still be answered late, given a new deadline or withdrawn: an accepted one until its
        agreement is issued, any other until it closes (`workflows.membership.invitation_closed`)."""
        return self.case.state == ACCEPTED or not invitation_closed(self.today, self.case.reply_deadline,
                                                                    self.case.round.contribution_from)

    def both_signed(self) -> bool:
        return self.case.both_signed

    def notice_period_over(self) -> bool:
        """The notice's last day is behind us: the membership ends today at the latest."""
        last_day = self.case.notice_last_day
        return last_day is not None and self.today > last_day

    def notice_period_running(self) -> bool:
        return not self.notice_period_over()

    def agreement_ended(self) -> bool:
        return self.case.end_date is not None and self.today > self.case.end_date

    def for_own_municipality(self) -> bool:
        """The person acting belongs to the case's municipality (Bergen's signatories act for the host only)."""
        return self.actor is not None and self.actor.organisation_id == self.case.organisation_id


class Signature(db.Model):
    """A party's signature on the agreement of a case: who, with what title, on which date, and how."""

    __table_args__ = (UniqueConstraint("agreement_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("membership_case.id"), index=True)
    # None only for signatures recorded before agreements were stored as records (revision 0004).
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120))
    signed_on: Mapped[date] = mapped_column(Date)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(20), default="app")
    # The scanned signed copy, when the adviser registered the signature from one (method "upload").
    document_id: Mapped[int | None] = mapped_column(ForeignKey("agreement_document.id"))
    # A renewal asks for new signatures; the old ones stay as history.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The text signed: its language ("nb" or "nn") and fingerprint (None before agreements were records).
    language: Mapped[str] = mapped_column(String(2), default="nb", server_default="nb")
    text_sha256: Mapped[str | None] = mapped_column(String(64))

    case: Mapped[MembershipCase] = relationship(back_populates="signatures")
    user: Mapped[User | None] = relationship()
    document: Mapped["AgreementDocument | None"] = relationship()
