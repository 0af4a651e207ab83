"""Reminders of unpaid invoices: once per contribution line, 14 days after its due date, by e-mail to the party's
administrative contact (or its official mailbox when it has none), through the outbox."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock, letters
from app.extensions import db
from app.models import Contribution
from app.services import audit, invoice_basis, mail, members, organisations

DAYS_AFTER_DUE = 14


def _recipient(line: Contribution) -> tuple[str, str] | None:
    """(address, which address it is) for the reminder, or None when the party has neither."""
    contact = members.admin_contact(line.organisation)
    if contact is not None and contact.email:
        return contact.email, "admin_contact"
    return (line.organisation.mailbox, "mailbox") if line.organisation.mailbox else None


def overdue(today: date) -> list[Contribution]:
    """Invoiced, unpaid, not cancelled lines whose due date is at least 14 days past and that were not reminded."""
    return list(db.session.scalars(select(Contribution).where(
        Contribution.past_due(today - timedelta(days=DAYS_AFTER_DUE - 1)), Contribution.reminded_at.is_(None))
        .order_by(Contribution.due_on, Contribution.id)))


def send_due(today: date) -> list[str]:
    """Daily: queue the one reminder of every overdue line, recorded on the line and audited. A party with no
    address is reported and tried again the next day."""
    done = []
    for line in overdue(today):
        name = organisations.official_name(line.organisation, invoice_basis.register_day(line.year))
        found = _recipient(line)
        if found is None:
            done.append(f"Ingen adresse for purring: {name} har verken administrativ kontaktperson eller postmottak.")
            continue
        address, kind = found
        mail.queue(address, _l("Påminnelse: ubetalt faktura for bidrag %(year)s", year=line.year), "payment_reminder",
                   locale=letters.locale_of(line.organisation), dedupe_key=f"payment-reminder:{line.id}", line=line,
                   name=name)
        line.reminded_at = clock.now()
        audit.record(None, "contribution.remind", line.audit_type, line.id,
                     data={"due_on": line.due_on.isoformat(), "to": kind})
        done.append(f"Påminnelse sendt for ubetalt bidrag {line.year} fra {name}.")
    return done
