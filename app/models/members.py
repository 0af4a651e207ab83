"""Active membership: representatives, the administrative contact, the contributions ledger, the annual evaluation."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

STEERING, PROJECT = "steering", "project"
GROUPS = {STEERING: "Styringsgruppen", PROJECT: "Prosjektgruppen"}
# Agreement §8: one representative to the steering group, two to the project group.
SEATS_PER_GROUP = {STEERING: 1, PROJECT: 2}

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


class AdministrativeContact(db.Model):
    """The person a municipality names to follow up the collaboration in its own organisation (agreement §10)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    updated_by: Mapped[User | None] = relationship()


EXPECTED, INVOICED, PAID, CANCELLED = "expected", "invoiced", "paid", "cancelled"
CONTRIBUTION_STATUS = {EXPECTED: "Ikke fakturert", INVOICED: "Fakturert", PAID: "Betalt", CANCELLED: "Annullert"}


class Contribution(db.Model):
    """A municipality's contribution for one year: owed, invoiced, paid, or cancelled."""

    __table_args__ = (UniqueConstraint("organisation_id", "year"),)
    audit_type = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("membership_case.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    amount: Mapped[int] = mapped_column(Integer)
    invoiced_on: Mapped[date | None] = mapped_column(Date)
    invoice_ref: Mapped[str | None] = mapped_column(String(60))
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_ref: Mapped[str | None] = mapped_column(String(60))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def status(self) -> str:
        if self.cancelled_at:
            return CANCELLED
        if self.paid_on:
            return PAID
        return INVOICED if self.invoiced_on else EXPECTED

    @property
    def status_label(self) -> str:
        return CONTRIBUTION_STATUS[self.status]


class Evaluation(db.Model):
    """The annual evaluation of one year (agreement §8): the adviser's questions, open until closed."""

    audit_type = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    questions: Mapped[list["EvaluationQuestion"]] = relationship(
        order_by="EvaluationQuestion.position", cascade="all, delete-orphan")
    responses: Mapped[list["EvaluationResponse"]] = relationship(back_populates="evaluation")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class EvaluationQuestion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class EvaluationResponse(db.Model):
    """One municipality's answers to one year's evaluation."""

    __table_args__ = (UniqueConstraint("evaluation_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluation: Mapped[Evaluation] = relationship(back_populates="responses")
    organisation: Mapped[Organisation] = relationship()
    submitted_by: Mapped[User] = relationship()
    answers: Mapped[list["EvaluationAnswer"]] = relationship(cascade="all, delete-orphan")

    def answer_to(self, question: EvaluationQuestion) -> str:
        return next((a.text for a in self.answers if a.question_id == question.id), "")


class EvaluationAnswer(db.Model):
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("evaluation_response.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("evaluation_question.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
