"""The contributions ledger: one line per member municipality per owed year, invoiced and paid."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import Agreement, Contribution, MembershipCase, Organisation, User
from app.models.contribution import CANCELLED, PAID
from app.services import ServiceError, audit, members


def billing_agreement(case: MembershipCase, year: int) -> Agreement | None:
    """The agreement that bills `year`: of the case's agreements both parties signed, the newest whose contribution
    period holds the year (a renewal bills its own years; one that was never signed bills none)."""
    return next((agreement for agreement in case.agreements
                 if agreement.both_signed and agreement.contribution_from <= year <= agreement.contribution_to), None)


def owed_years(case: MembershipCase) -> list[int]:
    """The years, up to this one, that the case owes: a member on at least one day of the year (the whole year is
    billed), and the year in the contribution period of an agreement in force."""
    return [year for year in members.member_years(case) if billing_agreement(case, year)]


def line(organisation: Organisation, year: int) -> Contribution | None:
    return db.session.scalar(select(Contribution).where(
        Contribution.organisation_id == organisation.id, Contribution.year == year))


def ensure_lines(case: MembershipCase, actor: User | None = None) -> list[Contribution]:
    """Create the missing lines for the years the case owes, each at its agreement's amount (idempotent), each
    logged; returns the new ones."""
    made = []
    # A year the case billed before a merger moved it to the successor stays the predecessor's line.
    billed = set(db.session.scalars(select(Contribution.year).where(Contribution.case_id == case.id)))
    for year in owed_years(case):
        if year not in billed and line(case.organisation, year) is None:
            agreement = billing_agreement(case, year)
            entry = Contribution(organisation_id=case.organisation_id, case_id=case.id, agreement_id=agreement.id,
                                 year=year, amount=agreement.contribution, created_at=clock.now())
            db.session.add(entry)
            db.session.flush()
            audit.record(actor, "contribution.expect", entry.audit_type, entry.id,
                         data={"organisation_id": case.organisation_id, "year": year, "amount": entry.amount,
                               "agreement": agreement.id})
            made.append(entry)
    return made


def owed_from_activation(case: MembershipCase, actor, data: dict) -> None:
    ensure_lines(case, actor)


def new_year_lines(today: date) -> list[str]:
    """Daily: every member municipality owes the current year as soon as it starts."""
    done = []
    for membership in members.memberships():
        if membership.current is not None:
            done += [f"Bidrag {entry.year} for {membership.organisation.name} er registrert som forventet."
                     for entry in ensure_lines(membership.current)]
    return done


def _check_date(day: date | None, field: str) -> date:
    if day is None:
        raise ServiceError(_("Skriv inn en dato."), field=field)
    if day > clock.today():
        raise ServiceError(_("Datoen kan ikke være fram i tid."), field=field)
    return day


def _editable(entry: Contribution) -> None:
    if entry.status == CANCELLED:
        raise ServiceError(_("Bidraget er annullert og kan ikke endres."))


def due_date(invoiced_on: date) -> date:
    return invoiced_on + timedelta(days=current_app.config["INVOICE_DUE_DAYS"])


def mark_invoiced(entry: Contribution, actor: User, *, invoiced_on: date | None, reference: str | None) -> None:
    """Record the invoice for a line (date and invoice number); its due date follows. The caller commits."""
    _editable(entry)
    _check_date(invoiced_on, "invoiced_on")
    if entry.paid_on and invoiced_on > entry.paid_on:
        raise ServiceError(_("Fakturadatoen kan ikke være etter betalingsdatoen."), field="invoiced_on")
    before = {"invoiced_on": entry.invoiced_on.isoformat() if entry.invoiced_on else None, "ref": entry.invoice_ref,
              "due_on": entry.due_on.isoformat() if entry.due_on else None}
    entry.invoiced_on, entry.invoice_ref = invoiced_on, (reference or "").strip() or None
    entry.due_on = due_date(invoiced_on)
    audit.record(actor, "contribution.invoice", entry.audit_type, entry.id,
                 data={"before": before, "invoiced_on": invoiced_on.isoformat(), "ref": entry.invoice_ref,
                       "due_on": entry.due_on.isoformat()})


def mark_paid(entry: Contribution, actor: User, *, paid_on: date | None, reference: str | None) -> None:
    """Record the payment of an invoiced line. The caller commits."""
    _editable(entry)
    _check_date(paid_on, "paid_on")
    if entry.invoiced_on is None:
        raise ServiceError(_("Registrer fakturaen før betalingen."), field="paid_on")
    if paid_on < entry.invoiced_on:
        raise ServiceError(_("Betalingsdatoen kan ikke være før fakturadatoen."), field="paid_on")
    before = {"paid_on": entry.paid_on.isoformat() if entry.paid_on else None, "ref": entry.payment_ref}
    entry.paid_on, entry.payment_ref = paid_on, (reference or "").strip() or None
    audit.record(actor, "contribution.pay", entry.audit_type, entry.id,
                 data={"before": before, "paid_on": paid_on.isoformat(), "ref": entry.payment_ref})


def cancel(entry: Contribution, actor: User | None, reason: str) -> None:
    """Cancel a line that is not paid (e.g. a year not owed after all); a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Skriv hvorfor bidraget annulleres."), field="reason")
    _editable(entry)
    if entry.status == PAID:
        raise ServiceError(_("Et betalt bidrag kan ikke annulleres."))
    entry.cancelled_at, entry.cancel_reason = clock.now(), reason
    audit.record(actor, "contribution.cancel", entry.audit_type, entry.id, comment=reason,
                 data={"organisation": entry.organisation_id, "year": entry.year})


def stop_after(organisation: Organisation, last_year: int, actor: User | None, reason: str) -> None:
    """The membership ended: lines for later years that are not invoiced are cancelled."""
    later = db.session.scalars(select(Contribution).where(
        Contribution.organisation_id == organisation.id, Contribution.year > last_year,
        Contribution.invoiced_on.is_(None), Contribution.cancelled_at.is_(None)))
    for entry in later:
        cancel(entry, actor, reason)


def lines_for(organisation: Organisation) -> list[Contribution]:
    return list(db.session.scalars(select(Contribution).where(Contribution.organisation_id == organisation.id)
                                   .order_by(Contribution.year)))


def lines_of(case: MembershipCase) -> list[Contribution]:
    """The lines the case billed, to whichever organisation held it that year."""
    return list(db.session.scalars(select(Contribution).where(Contribution.case_id == case.id)
                                   .order_by(Contribution.year)))


def outstanding():
    """SQL: what the organisation of the enclosing query still owes (`Contribution.outstanding_amount` summed); NULL
    when it has no ledger lines."""
    return select(func.sum(Contribution.outstanding_amount)).where(
        Contribution.organisation_id == Organisation.id).scalar_subquery()


def outstanding_by_organisation(organisation_ids: list[int]) -> dict[int, int]:
    """Organisation id -> what it still owes, for those of these organisations with ledger lines, in one query."""
    return dict(db.session.execute(select(Contribution.organisation_id, func.sum(Contribution.outstanding_amount))
                                   .where(Contribution.organisation_id.in_(organisation_ids))
                                   .group_by(Contribution.organisation_id)).all())


@dataclass
class YearTotals:
    year: int
    expected: int
    invoiced: int
    paid: int
    outstanding: int
    lines: int


def summary() -> list[YearTotals]:
    """Per year with lines not cancelled: the sums of expected, invoiced, paid and outstanding, and the count."""
    rows = db.session.execute(
        select(Contribution.year, func.sum(Contribution.expected_amount), func.sum(Contribution.invoiced_amount),
               func.sum(Contribution.paid_amount), func.sum(Contribution.outstanding_amount), func.count())
        .where(Contribution.cancelled_at.is_(None)).group_by(Contribution.year).order_by(Contribution.year))
    return [YearTotals(*row) for row in rows]
