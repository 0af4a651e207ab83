"""The adviser's "Bidrag" pages: the ledger per year, a picture of the money, invoices and payments, the invoice
basis for the finance department."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app import clock, downloads, search
from app.extensions import db
from app.formatting import money
from app.contributions.chart import grouped_bars
from app.contributions.forms import CancelForm, InvoiceForm, PaymentForm
from app.models import Contribution, Organisation
from app.models.contribution import CANCELLED, CONTRIBUTION_STATUS, EXPECTED, INVOICED, PAID
from app.safe_input import arg_int
from app.security import role_required
from app.services import contributions, invoice_basis
from app.services.overview import paginate
from app.views import attempt, confirmation, stored, stored_page
from workflows.roles import ADVISER

bp = Blueprint("contributions", __name__, url_prefix="/medlemskap/bidrag")
PER_PAGE = 20

STATUS_FILTERS = {
    EXPECTED: (Contribution.cancelled_at.is_(None), Contribution.invoiced_on.is_(None)),
    INVOICED: (Contribution.cancelled_at.is_(None), Contribution.invoiced_on.is_not(None),
               Contribution.paid_on.is_(None)),
    PAID: (Contribution.cancelled_at.is_(None), Contribution.paid_on.is_not(None)),
    CANCELLED: (Contribution.cancelled_at.is_not(None),),
}


@bp.route("")
@role_required(ADVISER)
def contribution_list():
    # The totals and the whole ledger's pages are the same for every adviser: rendered once per content version and
    # stored (CPU time against /_bench/rows 2.04x -> 1.12x, 01.12.2026); a filtered or searched list is read each time.
    summary = stored("contribution_summary", "", _summary)
    year = arg_int("year", high=9999)
    status = request.args.get("status", "")
    query = request.args.get("q", "").strip()

    def lines(number: int) -> dict:
        stmt = select(Contribution).join(Organisation).options(contains_eager(Contribution.organisation)) \
            .order_by(Contribution.year.desc(), Organisation.name)
        if year:
            stmt = stmt.where(Contribution.year == year)
        if status in STATUS_FILTERS:
            stmt = stmt.where(*STATUS_FILTERS[status])
        page = db.paginate(search.where(stmt, query, Organisation), page=number, per_page=PER_PAGE, error_out=False)
        return {"total": page.total, "html": render_template("contributions/_lines.html", page=page)}

    requested = request.args.get("page", 1, type=int)
    listed = stored_page("contribution_lines", "", requested, PER_PAGE, lines) if request.args.keys() <= {"page"} \
        else lines(requested)
    return render_template("contributions/contributions.html", summary=Markup(summary["html"]),
                           lines=Markup(listed["html"]), year=year, status=status, query=query,
                           statuses=CONTRIBUTION_STATUS, years=summary["years"])


def _summary() -> dict:
    """The totals per year with their chart (HTML), and the years (summing the whole ledger was a fifth of the page
    at 500 municipalities)."""
    totals = contributions.summary()
    chart = grouped_bars([(str(t.year), {"expected": t.expected, "paid": t.paid}) for t in totals],
                         ("expected", "paid"), money)
    grand = {key: sum(getattr(t, key) for t in totals) for key in ("expected", "invoiced", "paid", "outstanding")}
    return {"years": [t.year for t in totals],
            "html": render_template("contributions/_summary.html", totals=totals, grand=grand, chart=chart)}


@bp.route("/part/<int:org_id>")
@role_required(ADVISER)
def party(org_id: int):
    """One party's lines, year by year: what was invoiced and what was paid, as a chart and as a table."""
    organisation = db.get_or_404(Organisation, org_id)
    lines = [line for line in contributions.lines_for(organisation) if line.cancelled_at is None]
    chart = grouped_bars([(str(line.year), {"invoiced": line.invoiced_amount, "paid": line.paid_amount})
                          for line in lines], ("invoiced", "paid"), money)
    return render_template("contributions/party.html", organisation=organisation, lines=lines, chart=chart)


@bp.route("/<int:line_id>", methods=["GET", "POST"])
@role_required(ADVISER)
def contribution(line_id: int):
    entry = db.get_or_404(Contribution, line_id)
    invoice = InvoiceForm()
    if request.method == "GET":
        invoice.invoiced_on.data = entry.invoiced_on or clock.today()
        invoice.invoice_ref.data = entry.invoice_ref
    if invoice.validate_on_submit() and attempt(lambda: contributions.mark_invoiced(
            entry, current_user, invoiced_on=invoice.invoiced_on.data, reference=invoice.invoice_ref.data), invoice):
        flash(_("Faktura for %(year)s er registrert.", year=entry.year), "success")
        return redirect(url_for("contributions.contribution", line_id=entry.id))
    return render_template("contributions/contribution.html", entry=entry, invoice=invoice)


@bp.route("/<int:line_id>/betaling", methods=["GET", "POST"])
@role_required(ADVISER)
def payment(line_id: int):
    """Record that an invoiced line is paid: it can no longer be cancelled, and no reminder goes out for it."""
    entry = db.get_or_404(Contribution, line_id)
    form = PaymentForm()
    if request.method == "GET":
        form.paid_on.data = entry.paid_on or clock.today()
        form.payment_ref.data = entry.payment_ref

    def pay() -> str:
        contributions.mark_paid(entry, current_user, paid_on=form.paid_on.data, reference=form.payment_ref.data)
        return _("Betalingen for %(year)s er registrert.", year=entry.year)

    refusal = _("Bidraget er annullert og kan ikke endres.") if entry.cancelled_at else \
        None if entry.invoiced_on else _("Registrer fakturaen før betalingen.")
    return confirmation("contributions/payment.html", form, pay,
                        url_for("contributions.contribution", line_id=entry.id), refusal=refusal, danger=False,
                        final=False, entry=entry)


@bp.route("/<int:line_id>/annuller", methods=["GET", "POST"])
@role_required(ADVISER)
def cancel(line_id: int):
    """Cancel a line that is not paid (a year not owed after all), with the reason."""
    entry = db.get_or_404(Contribution, line_id)
    form = CancelForm()

    def cancel_line() -> str:
        contributions.cancel(entry, current_user, form.reason.data)
        return _("Bidraget for %(year)s er annullert.", year=entry.year)

    refusal = _("Bidraget er allerede annullert.") if entry.cancelled_at else \
        _("Et betalt bidrag kan ikke annulleres.") if entry.paid_on else None
    return confirmation("contributions/cancel.html", form, cancel_line,
                        url_for("contributions.contribution", line_id=entry.id), refusal=refusal, entry=entry)


@bp.route("/fakturagrunnlag")
@role_required(ADVISER)
def invoice_basis_page():
    years = invoice_basis.years()
    year = arg_int("year", high=9999) or (clock.today().year if clock.today().year in years or not years
                                          else years[0])
    ordered = stored("invoice_basis_order", year, lambda: invoice_basis.order(year))
    page = paginate([line_id for line_id, _ in ordered], request.args.get("page", 1, type=int), PER_PAGE)
    # A page's rows read some ten statements (the parties' names and numbers that year, the agreements and keys):
    # half the page at 500 municipalities, and the same for every adviser.
    rows = stored("invoice_basis_rows", f"{year}:{page.page}",
                  lambda: [row.to_json() for row in invoice_basis.rows(year, page.items)])
    return render_template("contributions/invoice_basis.html", year=year, years=years, page=page,
                           rows=[invoice_basis.InvoiceRow.from_json(row) for row in rows],
                           total=sum(amount for _, amount in ordered),
                           due_days=current_app.config["INVOICE_DUE_DAYS"])


@bp.route("/fakturagrunnlag/<int:year>.csv")
@role_required(ADVISER)
def invoice_basis_csv(year: int):
    return downloads.made("invoice_basis_csv", year, lambda: invoice_basis.to_csv(invoice_basis.rows(year)),
                          "text/csv", _("fakturagrunnlag-%(year)s.csv", year=year))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/fakturagrunnlag/<int:year>.xlsx")
@role_required(ADVISER)
def invoice_basis_xlsx(year: int):
    return downloads.made("invoice_basis_xlsx", year, lambda: invoice_basis.to_xlsx(invoice_basis.rows(year), year),
                          XLSX, _("fakturagrunnlag-%(year)s.xlsx", year=year))
