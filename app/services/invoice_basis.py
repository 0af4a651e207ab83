"""The invoice basis (fakturagrunnlag) Bergen's finance department invoices from: per year, one row per party and
what it is billed for, as a table, CSV and an Excel workbook."""
import csv
import io
from dataclasses import astuple, dataclass, replace
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l
from markupsafe import Markup, escape
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.formatting import short_date
from app.models import Agreement, Contribution, CostKey, Organisation
from app.services import organisations
from app.spreadsheets import safe_cell


@dataclass(frozen=True)
class InvoiceRow:
    """One amount to invoice one party for one year, and how far it has come: the party as the register names it
    that year, what the amount rests on (`basis`, e.g. the party's agreement, and `reference` to it)."""

    year: int
    organisation_id: int
    org_number: str | None
    name: str
    basis: str
    reference: str
    reference_html: Markup  # the reference with the quoted agenda item marked translate="no"
    amount: int
    status: str
    invoiced_on: date | None
    invoice_ref: str | None
    due_on: date | None
    paid_on: date | None
    line_id: int

    DAYS = ("invoiced_on", "due_on", "paid_on")

    def to_json(self) -> list:
        return [value.isoformat() if isinstance(value, date) else value for value in astuple(self)]

    @classmethod
    def from_json(cls, values: list) -> "InvoiceRow":
        row = cls(*values)
        return replace(row, reference_html=Markup(row.reference_html),
                       **{name: date.fromisoformat(day) for name in cls.DAYS if (day := getattr(row, name))})


AGREEMENT_BASIS, KEY_BASIS = _l("Samarbeidsavtale"), _l("Fordelingsnøkkel")


def register_day(year: int) -> date:
    """The day whose name and numbers an invoice for `year` uses: the year's last (a party that ceased during the year
    keeps the name and numbers it last had)."""
    return date(year, 12, 31)


def agreement_reference(agreement: Agreement | None) -> str:
    if agreement is None:
        return _("Avtale før avtaleregisteret")
    signed = agreement.signed_on
    if signed:
        return _("Samarbeidsavtale %(period)s, signert %(date)s (avtale-ID %(id)s)", period=agreement.period,
                 date=short_date(signed), id=agreement.id)
    return _("Samarbeidsavtale %(period)s (avtale-ID %(id)s)", period=agreement.period, id=agreement.id)


def key_reference(key: CostKey, html: bool = False) -> str | Markup:
    """The key by title, decision date and agenda item; as HTML, the agenda item (a quoted title) is marked
    translate="no"."""
    text = (lambda message: Markup(escape(message))) if html else str
    agenda_item = Markup('<span translate="no">{}</span>').format(key.agenda_item) if html else key.agenda_item
    decided = text(_(", vedtatt %(date)s", date=short_date(key.decided_on))) if key.decided_on else text("")
    item = text(_(", sak %(item)s")) % {"item": agenda_item} if key.agenda_item else text("")
    return text(_("%(title)s%(decided)s%(item)s (nøkkel-ID %(id)s)")) % {"title": key.title, "decided": decided,
                                                                          "item": item, "id": key.id}


def _row(entry: Contribution) -> InvoiceRow:
    party = organisations.on(entry.organisation, register_day(entry.year))
    if entry.cost_key_id:
        basis = str(KEY_BASIS)
        reference, html = key_reference(entry.cost_key), key_reference(entry.cost_key, html=True)
    else:
        basis = str(AGREEMENT_BASIS)
        reference = agreement_reference(entry.agreement)
        html = Markup(escape(reference))
    return InvoiceRow(year=entry.year, organisation_id=entry.organisation_id, org_number=party.org_number,
                      name=party.official_name, basis=basis, reference=reference, reference_html=html,
                      amount=entry.amount, status=entry.status_label, invoiced_on=entry.invoiced_on,
                      invoice_ref=entry.invoice_ref, due_on=entry.due_on, paid_on=entry.paid_on, line_id=entry.id)


def rows(year: int, line_ids: list[int] | None = None) -> list[InvoiceRow]:
    """What each party is to be invoiced for `year`: every ledger line of the year that is not cancelled, by name
    (with `line_ids`, those of them)."""
    stmt = select(Contribution).where(Contribution.year == year, Contribution.cancelled_at.is_(None))
    if line_ids is not None:
        stmt = stmt.where(Contribution.id.in_(line_ids))
    # selectin loads: cheaper than subquery loads for the page's 20 lines; the exports, which read them all (two
    # statements each from 500 lines on), are built once per content version (app/downloads.py)
    lines = db.session.scalars(stmt.options(
        joinedload(Contribution.organisation).selectinload(Organisation.names),
        joinedload(Contribution.organisation).selectinload(Organisation.numbers),
        joinedload(Contribution.agreement).selectinload(Agreement.signatures),
        joinedload(Contribution.agreement).joinedload(Agreement.continues).selectinload(Agreement.signatures),
        joinedload(Contribution.cost_key)))
    return sorted((_row(entry) for entry in lines), key=lambda row: (row.name, row.line_id))


def order(year: int) -> list[tuple[int, int]]:
    """(line id, amount) of each of `rows(year)`, in its order, in two queries without loading the lines."""
    lines = db.session.execute(select(Contribution.id, Contribution.organisation_id, Contribution.amount).where(
        Contribution.year == year, Contribution.cancelled_at.is_(None))).all()
    names = organisations.official_names_on({line.organisation_id for line in lines}, register_day(year))
    return [(line.id, line.amount) for line in sorted(lines, key=lambda line: (names[line.organisation_id], line.id))]


def years() -> list[int]:
    """The years with ledger lines that are not cancelled, newest first."""
    return list(db.session.scalars(select(Contribution.year).where(Contribution.cancelled_at.is_(None))
                                   .distinct().order_by(Contribution.year.desc())))


HEADER = [_l("År"), _l("Organisasjonsnummer"), _l("Navn"), _l("Grunnlag"), _l("Referanse"), _l("Beløp (kr)"),
          _l("Status"), _l("Fakturadato"), _l("Fakturanummer"), _l("Forfallsdato"), _l("Betalt dato")]


def _values(row: InvoiceRow) -> list:
    return [row.year, row.org_number or "", row.name, row.basis, row.reference, row.amount, row.status,
            row.invoiced_on, row.invoice_ref or "", row.due_on, row.paid_on]


def _text(value) -> str:
    """A CSV cell: dates as dd.mm.åååå, and text a spreadsheet would read as a formula quoted."""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return safe_cell("" if value is None else str(value))


def to_csv(found: list[InvoiceRow]) -> bytes:
    """As CSV that Excel in Norwegian opens directly: semicolons, UTF-8 with BOM, dd.mm.åååå."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(title) for title in HEADER])
    for row in found:
        writer.writerow([_text(value) for value in _values(row)])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(found: list[InvoiceRow], year: int) -> bytes:
    """As an Excel workbook: one sheet, amounts as numbers, dates as dates, text never read as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Fakturagrunnlag %(year)s", year=year)
    sheet.append([str(title) for title in HEADER])
    for row in found:
        sheet.append([value if value != "" else None for value in _values(row)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJK", (6, 14, 28, 16, 60, 12, 14, 12, 16, 12, 12)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
