"""A municipality's answer to an invitation: one row per answer given, the latest is the one in force."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.case import MembershipCase
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

YES, NO = "yes", "no"
ANSWER_LABELS = {YES: _l("Ja, vi ønsker å delta"), NO: _l("Nei, vi takker nei")}


class InvitationReply(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("membership_case.id"), index=True)
    answer: Mapped[str] = mapped_column(String(10))
    # Given after the deadline and accepted by the adviser.
    late: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_title: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    # Proposed representatives (names only); the representative records themselves live elsewhere.
    steering_rep: Mapped[str | None] = mapped_column(String(120))
    project_rep_1: Mapped[str | None] = mapped_column(String(120))
    project_rep_2: Mapped[str | None] = mapped_column(String(120))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[MembershipCase] = relationship()
    answered_by: Mapped[User | None] = relationship()

    @property
    def answer_label(self) -> str:
        return str(ANSWER_LABELS[self.answer])

    @property
    def project_reps(self) -> list[str]:
        return [name for name in (self.project_rep_1, self.project_rep_2) if name]
