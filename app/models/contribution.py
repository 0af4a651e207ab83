"""The contributions ledger: one line per municipality and year."""
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Date, ForeignKey, Integer, String, Text, UniqueConstraint, and_, case
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:  # the agreement module imports the case module, which is not needed here
    from app.models.agreement import Agreement
    from app.models.cost_key import CostKey

EXPECTED, INVOICED, PAID, CANCELLED = "expected", "invoiced", "paid", "cancelled"
CONTRIBUTION_STATUS = {EXPECTED: _l("Ikke fakturert"), INVOICED: _l("Fakturert"), PAID: _l("Betalt"),
                       CANCELLED: _l("Annullert")}


class Contribution(db.Model):
    """A municipality's contribution for one year: owed, invoiced, paid, or cancelled.

    What a line counts for is defined once, below, in Python and in SQL alike: expected unless cancelled, invoiced
    and paid when recorded (and not cancelled), outstanding = expected − paid.
    """

    __table_args__ = (UniqueConstraint("organisation_id", "year"),)
    audit_type = "contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # A line bills a membership's agreement (`case_id`, `agreement_id`) or a party's share under the cost-sharing key
    # in force that year (`cost_key_id`).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("membership_case.id"), index=True)
    # The agreement whose terms the line bills; None only for lines older than agreement records (revision 0006).
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"), index=True)
    cost_key_id: Mapped[int | None] = mapped_column(ForeignKey("cost_key.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    amount: Mapped[int] = mapped_column(Integer)
    invoiced_on: Mapped[date | None] = mapped_column(Date)
    invoice_ref: Mapped[str | None] = mapped_column(String(60))
    # Set with the invoice (its date plus INVOICE_DUE_DAYS at the time), so a later change of the setting leaves it.
    due_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_ref: Mapped[str | None] = mapped_column(String(60))
    # When the one reminder of an unpaid invoice was queued.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    agreement: Mapped["Agreement | None"] = relationship()
    cost_key: Mapped["CostKey | None"] = relationship()

    @property
    def status(self) -> str:
        if self.cancelled_at:
            return CANCELLED
        if self.paid_on:
            return PAID
        return INVOICED if self.invoiced_on else EXPECTED

    @property
    def status_label(self) -> str:
        return str(CONTRIBUTION_STATUS[self.status])

    @hybrid_property
    def expected_amount(self) -> int:
        return 0 if self.cancelled_at is not None else self.amount

    @expected_amount.inplace.expression
    @classmethod
    def _expected_amount(cls) -> ColumnElement[int]:
        return case((cls.cancelled_at.is_(None), cls.amount), else_=0)

    @hybrid_property
    def invoiced_amount(self) -> int:
        return self.expected_amount if self.invoiced_on is not None else 0

    @invoiced_amount.inplace.expression
    @classmethod
    def _invoiced_amount(cls) -> ColumnElement[int]:
        return case((cls.invoiced_on.is_not(None), cls.expected_amount), else_=0)

    @hybrid_property
    def paid_amount(self) -> int:
        return self.expected_amount if self.paid_on is not None else 0

    @paid_amount.inplace.expression
    @classmethod
    def _paid_amount(cls) -> ColumnElement[int]:
        return case((cls.paid_on.is_not(None), cls.expected_amount), else_=0)

    @hybrid_property
    def outstanding_amount(self) -> int:
        """The one definition of "outstanding" (utestående); the same expression serves Python and SQL."""
        return self.expected_amount - self.paid_amount

    @hybrid_method
    def past_due(self, day: date) -> bool:
        """Invoiced and still unpaid (not cancelled) after its due date, on `day`: the due date itself is on time."""
        return self.status == INVOICED and self.due_on is not None and self.due_on < day

    @past_due.inplace.expression
    @classmethod
    def _past_due_sql(cls, day: date) -> ColumnElement[bool]:
        return and_(cls.cancelled_at.is_(None), cls.paid_on.is_(None), cls.invoiced_on.is_not(None), cls.due_on < day)
