"""The annual evaluation (agreement §8): questions, and each municipality's answers."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


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
