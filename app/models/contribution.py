"""The contributions ledger: one line per municipality and year."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow

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
