"""Invoicing the contributions: the terms of the agreement in force on the pages, the invoice basis (names and
numbers valid that year, the agreement it rests on) as a table, CSV and Excel, the due date, one reminder per
unpaid line, and a member year billed in full."""
import csv
import io
import json
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Contribution, OutboxMessage
from app.services import contributions, in_force, invoice_basis, members, mergers, organisations, payment_reminders, tick, workflow
from tests import factories
from tests.conftest import unmarked

NBSP = "\u00a0"
LINDAS_NO, ALVER_NO = "935084733", "920290922"


def _tick_into(*years: int) -> None:
    for year in years:
        with clock.pinned(date(year, 1, 1)):
            tick.run(date(year, 1, 1))


def test_pages_show_the_agreement_in_force_across_a_renewal(client, auth, orgs, adviser):
    case = factories.member_case(orgs["Osterøy"], adviser, activated_on=date(2023, 3, 1))  # kr 40 000, 2023–2026
    first = case.agreement
    factories.renewed(case, adviser, date(2025, 10, 1),
                      {"contribution": 48_000, "contribution_to": 2029, "agreement_end": "2029-12-31"})
    db.session.commit()
    periods = members.member_periods(case)
    standing = in_force.on(case, date(2026, 12, 31), periods)
    assert (standing.current.agreement, standing.current.first_day) == (first, date(2023, 3, 1))
    renewed = in_force.on(case, date(2027, 1, 1), periods).current
    assert (renewed.agreement, renewed.first_day, renewed.last_day) == (case.agreement, date(2027, 1, 1),
                                                                        date(2029, 12, 31))
    auth.login(adviser)
    for path in (f"/saker/{case.id}", f"/medlemskap/{orgs['Osterøy'].id}"):
        html = client.get(path).get_data(as_text=True)
        assert ">Samarbeidsavtale 2023–2026</a>, 01.03.2023–31.12.2026" in html, path
        assert f'<dd class="terms-in-force">kr 40{NBSP}000 per år, 2023–2026</dd>' in html, path
        assert (f'<dt>Ny avtale, signert</dt>\n<dd class="next-terms">Samarbeidsavtale 2027–2029: kr 48{NBSP}000 per år, '
                "gjelder til og med 31.12.2029</dd>") in html, path


def test_ledger_and_invoice_basis_follow_the_agreement_across_a_merger(orgs, adviser):
    """Lindås (kr 45 000, 2018–2021) continues as Alver from 01.01.2020: one line a year, the 2019 invoice to Lindås
    under its number, the 2020 invoice to Alver under Alver's, on the continued agreement."""
    lindas = orgs["Lindås"]
    organisations.record_change(lindas, None, date(2017, 1, 1), org_number=LINDAS_NO)
    case = factories.member_case(lindas, adviser, activated_on=date(2018, 3, 1),
                                 terms={"contribution": 45_000, "contribution_from": 2018, "contribution_to": 2021,
                                        "agreement_end": "2021-12-31"})
    original = case.agreement
    alver = factories.municipality("Alver kommune", "4631", active_from=date(2020, 1, 1), org_number=ALVER_NO)
    with clock.pinned(date(2019, 6, 1)):
        contributions.new_year_lines(date(2019, 6, 1))
    with clock.pinned(date(2020, 1, 6)):
        mergers.record(adviser, [lindas], alver, date(2020, 1, 1), continued_case_id=case.id)
        contributions.new_year_lines(date(2020, 1, 6))
    db.session.commit()
    continued = case.agreement
    assert continued.continues_id == original.id

    def billed(org):
        return [(line.year, line.amount, line.agreement_id) for line in contributions.lines_for(org)]

    assert billed(lindas) == [(2018, 45_000, original.id), (2019, 45_000, original.id)]
    assert billed(alver) == [(2020, 45_000, continued.id)], "one contribution from the merger year, the successor's"
    for year in (2018, 2019, 2020):
        assert contributions.billing_agreement(case, year).contribution == 45_000

    (row_2019,) = invoice_basis.rows(2019)
    (row_2020,) = invoice_basis.rows(2020)
    assert (row_2019.name, row_2019.org_number, row_2019.amount) == ("Lindås kommune", LINDAS_NO, 45_000)
    assert (row_2020.name, row_2020.org_number, row_2020.amount) == ("Alver kommune", ALVER_NO, 45_000)
    assert row_2019.reference == f"Samarbeidsavtale 2018–2021, signert 01.03.2018 (avtale-ID {original.id})"
    assert row_2020.reference == f"Samarbeidsavtale 2018–2021, signert 01.03.2018 (avtale-ID {continued.id})"


def _three_lines(orgs, adviser) -> dict[str, Contribution]:
    """Voss (kr 55 000) invoiced and paid, Vaksdal invoiced (with a reference that looks like a formula), Os not
    invoiced; all for 2026."""
    found = {}
    for name, amount in (("Voss", 55_000), ("Vaksdal", 40_000), ("Os", 40_000)):
        factories.member_case(orgs[name], adviser, activated_on=date(2026, 2, 1), terms={"contribution": amount})
        found[name] = contributions.line(orgs[name], 2026)
    contributions.mark_invoiced(found["Voss"], adviser, invoiced_on=date(2026, 3, 1), reference="F-1")
    contributions.mark_paid(found["Voss"], adviser, paid_on=date(2026, 3, 20), reference="KID 1")
    contributions.mark_invoiced(found["Vaksdal"], adviser, invoiced_on=date(2026, 3, 2), reference="=1+2")
    db.session.commit()
    return found


def test_excel_and_csv_read_back_equal_the_invoice_basis(client, auth, orgs, adviser):
    found = _three_lines(orgs, adviser)
    rows = invoice_basis.rows(2026)
    assert [(row.name, row.amount, row.status) for row in rows] == [
        ("Os kommune", 40_000, "Ikke fakturert"), ("Vaksdal kommune", 40_000, "Fakturert"),
        ("Voss kommune", 55_000, "Betalt")]
    assert sum(row.amount for row in rows) == sum(line.expected_amount for line in found.values())
    auth.login(adviser)

    book = load_workbook(io.BytesIO(client.get("/medlemskap/bidrag/fakturagrunnlag/2026.xlsx").data))
    sheet = book.active
    read = [list(values) for values in sheet.iter_rows(values_only=True)]
    assert read[0] == invoice_basis.HEADER
    as_dates = [[value.date() if hasattr(value, "date") else value for value in line] for line in read[1:]]
    assert as_dates == [[row.year, row.org_number, row.name, row.basis, row.reference, row.amount, row.status,
                         row.invoiced_on, row.invoice_ref, row.due_on, row.paid_on] for row in rows]
    assert sheet["I3"].data_type == "s", "a reference like =1+2 stays text"

    response = client.get("/medlemskap/bidrag/fakturagrunnlag/2026.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="fakturagrunnlag-2026.csv"'
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == invoice_basis.HEADER
    day = lambda value: value.strftime("%d.%m.%Y") if value else ""  # noqa: E731
    assert table[1:] == [[str(row.year), row.org_number or "", row.name, row.basis, row.reference, str(row.amount),
                          row.status, day(row.invoiced_on), "'=1+2" if row.invoice_ref == "=1+2" else
                          (row.invoice_ref or ""), day(row.due_on), day(row.paid_on)] for row in rows]

    page = client.get("/medlemskap/bidrag/fakturagrunnlag?year=2026").get_data(as_text=True)
    assert "minst én dag av året" in page and "med mindre avtalen sier noe annet" in page
    assert f"kr 135{NBSP}000" in page


def test_the_due_date_follows_the_setting_and_is_kept(app, orgs, adviser):
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2026, 2, 1))
    line = contributions.line(orgs["Voss"], 2026)
    contributions.mark_invoiced(line, adviser, invoiced_on=date(2026, 3, 1), reference=None)
    assert line.due_on == date(2026, 3, 31), "30 days by default"
    app.config["INVOICE_DUE_DAYS"] = 45
    try:
        assert line.due_on == date(2026, 3, 31), "stored: a later change of the setting leaves it"
        contributions.mark_invoiced(line, adviser, invoiced_on=date(2026, 3, 2), reference="F-9")
        assert line.due_on == date(2026, 4, 16)
    finally:
        app.config["INVOICE_DUE_DAYS"] = 30
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contribution.invoice")
                               .order_by(AuditEvent.seq.desc())).first()
    assert json.loads(event.data)["due_on"] == "2026-04-16"


def _reminders() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("ubetalt faktura"))
                                   .order_by(OutboxMessage.id)))


def test_a_reminder_once_per_overdue_line_never_for_paid_or_cancelled_not_before_14_days(client, auth, orgs, adviser):
    found = _three_lines(orgs, adviser)  # Vaksdal invoiced 02.03.2026, due 01.04.2026, unpaid; Voss paid
    for name in ("Vaksdal", "Voss", "Os"):
        members.set_admin_contact(orgs[name], adviser, name="Kontakt", email=f"kontakt@{name.lower()}.kommune.no")
    contributions.mark_invoiced(found["Os"], adviser, invoiced_on=date(2026, 3, 2), reference=None)
    contributions.cancel(found["Os"], adviser, "Feilført.")
    db.session.commit()
    due = found["Vaksdal"].due_on
    assert due == date(2026, 4, 1)
    with clock.pinned(due + timedelta(days=13)):
        tick.run(due + timedelta(days=13))
    assert _reminders() == [] and found["Vaksdal"].reminded_at is None, "not before 14 days after the due date"
    for day in (due + timedelta(days=14), due + timedelta(days=15), date(2026, 11, 1)):
        with clock.pinned(day):
            tick.run(day)
    (letter,) = _reminders()
    assert letter.recipient == "kontakt@vaksdal.kommune.no"
    assert "Vaksdal kommune" in letter.body_text and "=1+2" in letter.body_text and "01.04.2026" in letter.body_text
    assert f"kr 40{NBSP}000" in letter.body_text
    assert found["Vaksdal"].reminded_at is not None and found["Voss"].reminded_at is None
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contribution.remind")).all()
    assert [(e.object_id, json.loads(e.data)) for e in events] == [
        (found["Vaksdal"].id, {"due_on": "2026-04-01", "to": "admin_contact"})]
    auth.login(adviser)
    page = client.get(f"/medlemskap/bidrag/{found['Vaksdal'].id}").get_data(as_text=True)
    assert "<dt>Forfall</dt><dd>01.04.2026</dd>" in page and "<dt>Påminnelse sendt</dt><dd>15.04.2026" in page


def test_the_reminder_goes_to_the_official_mailbox_without_a_contact(orgs, adviser):
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2026, 2, 1))
    line = contributions.line(orgs["Voss"], 2026)
    contributions.mark_invoiced(line, adviser, invoiced_on=date(2026, 3, 1), reference=None)
    orgs["Voss"].mailbox = None
    db.session.commit()
    assert payment_reminders.send_due(date(2026, 6, 1)) == [
        "Ingen adresse for purring: Voss kommune har verken administrativ kontaktperson eller postmottak."]
    assert line.reminded_at is None, "tried again once there is an address"
    orgs["Voss"].mailbox = "postmottak@voss.kommune.no"
    payment_reminders.send_due(date(2026, 6, 2))
    assert [m.recipient for m in _reminders()] == ["postmottak@voss.kommune.no"]


def test_a_member_year_is_billed_in_full_from_one_day(orgs, adviser):
    """A member on 31.12.2025 only, and in 2026 until its membership ended on 2 January: both years in full."""
    case = factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 12, 31),
                                 terms={"contribution_from": 2025, "contribution_to": 2027,
                                        "agreement_end": "2027-12-31"})
    with clock.pinned(date(2026, 1, 2)):
        workflow.perform(case, "end_by_merger", adviser, comment="Sammenslått.")
    contributions.ensure_lines(case)
    assert [(line.year, line.amount) for line in contributions.lines_for(orgs["Voss"])] == [(2025, 40_000),
                                                                                          (2026, 40_000)]


def test_the_demo_has_paid_lines_and_one_unpaid_line_reminded_on_its_day(runner, orgs):
    assert runner.invoke(args=["seed-demo", "--password", "demo-passord"]).exit_code == 0
    vaksdal = contributions.line(orgs["Vaksdal"], 2025)
    assert vaksdal.status == "invoiced" and vaksdal.due_on == date(2025, 4, 15)
    assert vaksdal.reminded_at.astimezone(clock.OSLO).date() == date(2025, 4, 29)
    assert contributions.line(orgs["Vaksdal"], 2024).status == "paid"
    reminded = [m for m in _reminders() if "2025" in m.subject]
    assert [m.recipient for m in reminded] == ["marta.helle@vaksdal.kommune.no"]


def test_the_invoice_basis_page_pages_through_the_rows_by_the_names_of_the_register_day(client, auth, orgs, adviser,
                                                                                        monkeypatch):
    from app.contributions import routes
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    _three_lines(orgs, adviser)
    # Voss is "Aurland" by the register day (31.12.2026); Os becomes "Åsane" only after it.
    organisations.record_change(orgs["Voss"], adviser, date(2026, 6, 1), name="Aurland", official_name="Aurland herad")
    organisations.record_change(orgs["Os"], adviser, date(2027, 1, 1), name="Åsane", official_name="Åsane kommune")
    db.session.commit()
    rows = invoice_basis.rows(2026)
    assert [row.name for row in rows] == ["Aurland herad", "Os kommune", "Vaksdal kommune"]
    auth.login(adviser)
    pages = [unmarked(client.get(f"/medlemskap/bidrag/fakturagrunnlag?year=2026&page={n}").get_data(as_text=True))
             for n in (1, 2)]
    listed = [re.findall(r'<th scope="row"><a href="/medlemskap/bidrag/(\d+)">([^<]*)</a>', page) for page in pages]
    assert listed == [[(str(row.line_id), row.name) for row in rows[:2]], [(str(rows[2].line_id), rows[2].name)]]
    assert all(f"kr 135{NBSP}000" in page for page in pages), "the sum of the year, on every page"
    assert "Side 2 av 2 (3 treff)" in pages[1]
