"""The contributions ledger: lines only for member years, the totals, invoices and payments, the Bidrag page."""
import csv
import io
import json
import re
from datetime import date

import pytest
from flask import template_rendered
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.contributions import routes as contribution_routes
from app.contributions.chart import grouped_bars, nice_top
from app.models import AuditEvent, Contribution
from app.services import ServiceError, contributions, tick, workflow
from tests import factories
from tests.conftest import post, unmarked
from tests.races import twin_saved_first

NBSP = "\u00a0"


@pytest.fixture
def adviser(orgs):
    person = factories.user("adviser", organisation=orgs["Bergen"])
    db.session.commit()
    return person


def _years(organisation) -> list[int]:
    return [line.year for line in contributions.lines_for(organisation)]


def test_lines_only_for_the_years_a_municipality_was_a_member(orgs, adviser):
    round_ = factories.invitation_round(deadline=date(2019, 6, 1), title="Runde 2018", agreement_end=date(2022, 12, 31),
                                       contribution_from=2018, contribution_to=2022)
    case = factories.member_case(orgs["Vaksdal"], adviser, activated_on=date(2019, 6, 1), round_=round_)
    assert _years(orgs["Vaksdal"]) == [2019], "activation makes the first year owed"
    with clock.pinned(date(2021, 3, 1)):
        workflow.perform(case, "end_by_merger", adviser, comment="Sammenslått.")
    contributions.ensure_lines(case)
    db.session.commit()
    assert _years(orgs["Vaksdal"]) == [2019, 2020, 2021]
    logged = db.session.execute(select(AuditEvent.actor_id, AuditEvent.data).where(
        AuditEvent.action == "contribution.expect").order_by(AuditEvent.seq)).all()
    assert [(actor, json.loads(data)["year"]) for actor, data in logged] == [(adviser.id, 2019), (None, 2020),
                                                                               (None, 2021)]
    assert _years(orgs["Voss"]) == []


def test_the_daily_task_adds_the_new_year_only_for_members(orgs, adviser):
    case = factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 5, 1))
    factories.case(orgs["Os"])
    db.session.commit()
    with clock.pinned(date(2026, 1, 1)):
        tick.run(date(2026, 1, 1))
        tick.run(date(2026, 1, 1))
    assert _years(orgs["Voss"]) == [2025, 2026] and _years(orgs["Os"]) == []
    assert {line.amount for line in contributions.lines_for(orgs["Voss"])} == {case.round.contribution}


def test_contribution_period_follows_the_agreement_in_force(orgs, adviser):
    round_ = factories.invitation_round(deadline=date(2018, 3, 1), title="Runde 2016", agreement_end=date(2022, 12, 31),
                                       contribution_from=2017, contribution_to=2019)
    case = factories.member_case(orgs["Lindås"], adviser, activated_on=date(2018, 3, 1), round_=round_)
    assert case.agreement.period == "2018–2022", "the agreement's period, not the round's 2017–2019"
    contributions.ensure_lines(case)  # still active in 2026 (the tick has not expired it): lines stop at 2022
    assert _years(orgs["Lindås"]) == [2018, 2019, 2020, 2021, 2022]


def _tick_into(*years: int) -> None:
    for year in years:
        with clock.pinned(date(year, 1, 1)):
            tick.run(date(year, 1, 1))


def _billed(organisation) -> list[tuple[int, int, int]]:
    return [(entry.year, entry.amount, entry.agreement_id) for entry in contributions.lines_for(organisation)]


def test_lines_bill_the_signed_agreement_not_the_round(orgs, adviser):
    """The round offered kr 40 000 for 2026–2030; the agreement signed says kr 55 000 for 2027–2029."""
    round_ = factories.invitation_round(deadline=date(2026, 12, 1), title="Invitasjon 2026",
                                       agreement_end=date(2030, 12, 31), contribution_from=2026, contribution_to=2030)
    case = factories.member_case(orgs["Voss"], adviser, activated_on=date(2026, 11, 2), round_=round_, terms={
        "contribution": 55_000, "contribution_from": 2027, "contribution_to": 2029, "agreement_end": "2030-12-31"})
    db.session.commit()
    assert round_.contribution == 40_000 and _years(orgs["Voss"]) == [], "2026 is outside the agreement's years"
    _tick_into(2027, 2028, 2029, 2030)
    assert case.state == "active", "a member in 2030 too, with no contribution that year"
    assert _billed(orgs["Voss"]) == [(2027, 55_000, case.agreement.id), (2028, 55_000, case.agreement.id),
                                     (2029, 55_000, case.agreement.id)]


def test_a_renewal_bills_its_own_amount_for_its_own_years(orgs, adviser):
    case = factories.member_case(orgs["Osterøy"], adviser, activated_on=date(2023, 3, 1))  # kr 40 000, 2023–2026
    first = case.agreement
    _tick_into(2024, 2025)
    factories.renewed(case, adviser, date(2025, 10, 1),
                      {"contribution": 48_000, "contribution_to": 2029, "agreement_end": "2029-12-31"})
    renewal = case.agreement
    db.session.commit()
    _tick_into(2026, 2027, 2028)
    assert (first.period, renewal.period) == ("2023–2026", "2027–2029")
    assert _billed(orgs["Osterøy"]) == [(2023, 40_000, first.id), (2024, 40_000, first.id), (2025, 40_000, first.id),
                                        (2026, 40_000, first.id), (2027, 48_000, renewal.id),
                                        (2028, 48_000, renewal.id)]


def test_an_agreement_never_signed_bills_nothing(orgs, adviser):
    """A renewal still waiting for signatures does not bill its years; the member keeps paying what it signed."""
    case = factories.member_case(orgs["Vaksdal"], adviser, activated_on=date(2025, 3, 1),
                                 terms={"contribution_from": 2025, "contribution_to": 2026,
                                        "agreement_end": "2026-12-31"})
    with clock.pinned(date(2026, 10, 1)):
        workflow.perform(case, "renew", adviser, data={"contribution": 60_000, "agreement_end": "2028-12-31"})
        db.session.commit()
    _tick_into(2026, 2027)
    assert case.state == "agreement_pending"
    assert [(year, amount) for year, amount, _ in _billed(orgs["Vaksdal"])] == [(2025, 40_000), (2026, 40_000)]


def test_totals_per_year(orgs, adviser):
    for name in ("Lindås", "Voss", "Os"):
        contributions.ensure_lines(factories.member_case(orgs[name], adviser, activated_on=date(2025, 2, 1)))
    lindas, voss, os_ = (contributions.line(orgs[n], 2025) for n in ("Lindås", "Voss", "Os"))
    contributions.mark_invoiced(lindas, adviser, invoiced_on=date(2025, 3, 1), reference="F-1")
    contributions.mark_paid(lindas, adviser, paid_on=date(2025, 4, 1), reference="KID 1")
    contributions.mark_invoiced(voss, adviser, invoiced_on=date(2025, 3, 1), reference="F-2")
    contributions.cancel(contributions.line(orgs["Os"], 2026), adviser, "Feilført.")
    db.session.commit()
    by_year = {t.year: t for t in contributions.summary()}
    assert (by_year[2025].expected, by_year[2025].invoiced, by_year[2025].paid, by_year[2025].outstanding) == \
        (120_000, 80_000, 40_000, 80_000)
    assert (by_year[2026].expected, by_year[2026].invoiced, by_year[2026].paid, by_year[2026].outstanding) == \
        (80_000, 0, 0, 80_000)
    assert os_.status == "expected"


def _ledger_of_three(orgs, adviser) -> dict[str, int]:
    """Voss (kr 55 000) paid 2024, was invoiced 2025 and owes 2026; Lindås paid 2025 and was invoiced 2026; Os had
    its only line cancelled. Returns what each owes."""
    made = {"Voss": factories.member_case(orgs["Voss"], adviser, activated_on=date(2024, 2, 1),
                                         terms={"contribution": 55_000}),
            "Lindås": factories.member_case(orgs["Lindås"], adviser, activated_on=date(2025, 2, 1)),
            "Os": factories.member_case(orgs["Os"], adviser, activated_on=date(2026, 2, 1))}
    for case in made.values():
        contributions.ensure_lines(case)
    for name, year, paid in (("Voss", 2024, True), ("Voss", 2025, False), ("Lindås", 2025, True),
                             ("Lindås", 2026, False)):
        entry = contributions.line(orgs[name], year)
        contributions.mark_invoiced(entry, adviser, invoiced_on=date(year, 3, 1), reference=None)
        if paid:
            contributions.mark_paid(entry, adviser, paid_on=date(year, 4, 1), reference=None)
    contributions.cancel(contributions.line(orgs["Os"], 2026), adviser, "Feilført.")
    db.session.commit()
    return {"Voss": 110_000, "Lindås": 40_000, "Os": 0}


def test_what_a_line_counts_for_is_the_same_in_python_and_in_sql(orgs, adviser):
    _ledger_of_three(orgs, adviser)
    columns = (Contribution.expected_amount, Contribution.invoiced_amount, Contribution.paid_amount,
               Contribution.outstanding_amount)
    rule = {"paid": (1, 1, 1, 0), "invoiced": (1, 1, 0, 1), "expected": (1, 0, 0, 1), "cancelled": (0, 0, 0, 0)}
    for entry in db.session.scalars(select(Contribution)):
        in_sql = tuple(db.session.execute(select(*columns).where(Contribution.id == entry.id)).one())
        in_python = (entry.expected_amount, entry.invoiced_amount, entry.paid_amount, entry.outstanding_amount)
        assert in_sql == in_python == tuple(entry.amount * share for share in rule[entry.status]), entry.status


def _kroner(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def test_outstanding_agrees_on_the_overview_the_member_pages_and_the_ledger(client, auth, orgs, adviser):
    owed = _ledger_of_three(orgs, adviser)
    auth.login(adviser)
    overview = unmarked(client.get("/oversikt").get_data(as_text=True))
    table = list(csv.reader(io.StringIO(client.get("/oversikt.csv").data.decode("utf-8-sig")), delimiter=";"))
    in_csv = {row[0]: row[-1] for row in table[1:]}
    listed = unmarked(client.get("/medlemskap/").get_data(as_text=True))
    for name, amount in owed.items():
        organisation = orgs[name]
        on_overview = re.search(rf'<td><a href="/saker/\d+">{name}</a>.*?<td class="num">([^<]*)</td>\s*</tr>',
                                overview, re.S).group(1)
        on_list = re.search(rf'<a href="/medlemskap/{organisation.id}">{name}</a>.*?<td class="num">([^<]*)</td>',
                            listed, re.S).group(1)
        page = unmarked(client.get(f"/medlemskap/{organisation.id}").get_data(as_text=True))
        on_page = re.search(r'Utestående</th><td class="num">([^<]*)</td>', page).group(1)
        in_python = sum(entry.outstanding_amount for entry in contributions.lines_for(organisation))
        assert [_kroner(on_overview), int(in_csv[name]), _kroner(on_list), _kroner(on_page), in_python,
                contributions.outstanding_by_organisation([organisation.id])[organisation.id]] == [amount] * 6, name
    ledger = unmarked(client.get("/medlemskap/bidrag").get_data(as_text=True))
    total = _kroner(re.search(r"utestående <strong>([^<]*)</strong>", ledger).group(1))
    assert total == sum(t.outstanding for t in contributions.summary()) == sum(owed.values())


def test_payment_needs_an_invoice_and_sane_dates(orgs, adviser):
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 2, 1))
    line = contributions.line(orgs["Voss"], 2025)
    with pytest.raises(ServiceError, match="Registrer fakturaen før betalingen"):
        contributions.mark_paid(line, adviser, paid_on=date(2025, 4, 1), reference=None)
    with pytest.raises(ServiceError, match="fram i tid"):
        contributions.mark_invoiced(line, adviser, invoiced_on=date(2026, 12, 1), reference=None)
    contributions.mark_invoiced(line, adviser, invoiced_on=date(2025, 3, 1), reference=None)
    with pytest.raises(ServiceError, match="før fakturadatoen"):
        contributions.mark_paid(line, adviser, paid_on=date(2025, 2, 1), reference=None)
    contributions.mark_paid(line, adviser, paid_on=date(2025, 3, 20), reference="KID")
    with pytest.raises(ServiceError, match="betalt bidrag kan ikke annulleres"):
        contributions.cancel(line, adviser, "Angret.")


def test_adviser_marks_invoiced_and_paid_on_the_line_page_and_it_is_audited(client, auth, orgs, adviser):
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 2, 1))
    db.session.commit()
    line_id = contributions.line(orgs["Voss"], 2025).id
    auth.login(adviser)
    path, paying = f"/medlemskap/bidrag/{line_id}", f"/medlemskap/bidrag/{line_id}/betaling"
    assert "Registrer fakturaen før betalingen." in client.get(paying).get_data(as_text=True)
    post(client, path, {"invoiced_on": "2025-03-01", "invoice_ref": "F-2025-1235", "submit": "1"}, token_from=path)
    assert f'href="{paying}"' in client.get(path).get_data(as_text=True)
    early = post(client, paying, {"paid_on": "2025-02-01"}, token_from=paying)
    assert "Betalingsdatoen kan ikke være før fakturadatoen." in early.get_data(as_text=True)
    post(client, paying, {"paid_on": "2025-04-02", "payment_ref": "KID 123"}, token_from=paying)
    line = db.session.get(Contribution, line_id)
    assert (line.invoiced_on, line.invoice_ref, line.paid_on, line.payment_ref) == \
        (date(2025, 3, 1), "F-2025-1235", date(2025, 4, 2), "KID 123")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "contribution",
                                                         AuditEvent.object_id == line_id)).all()
    assert [(e.action, e.actor_id) for e in events] == [("contribution.expect", adviser.id),
                                                        ("contribution.invoice", adviser.id),
                                                        ("contribution.pay", adviser.id)]


def test_bidrag_page_shows_totals_chart_and_table(client, auth, orgs, adviser):
    contributions.ensure_lines(factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 2, 1)))
    line = contributions.line(orgs["Voss"], 2025)
    contributions.mark_invoiced(line, adviser, invoiced_on=date(2025, 3, 1), reference=None)
    contributions.mark_paid(line, adviser, paid_on=date(2025, 4, 1), reference=None)
    db.session.commit()
    auth.login(adviser)
    html = unmarked(client.get("/medlemskap/bidrag").get_data(as_text=True))
    assert 'role="img"' in html and "<desc" in html and "<rect" in html
    assert f"2025 forventet: kr 40{NBSP}000. 2025 betalt: kr 40{NBSP}000." in html
    assert f"utestående <strong>kr 40{NBSP}000</strong>" in html  # 2026 is owed, not yet paid
    filtered = unmarked(client.get("/medlemskap/bidrag?status=expected").get_data(as_text=True))
    assert "Voss 2026" in filtered and "Voss 2025" not in filtered


def test_the_ledger_s_totals_and_pages_are_read_once_per_content_version(app, client, auth, orgs, adviser,
                                                                        monkeypatch):
    """A second visit sums nothing and reads no line; a line invoiced after a reading is shown at once; a page past
    the end is the last; a filtered list is read each time."""
    for name in ("Lindås", "Voss", "Os"):
        contributions.ensure_lines(factories.member_case(orgs[name], adviser, activated_on=date(2025, 2, 1)))
    db.session.commit()
    monkeypatch.setattr(contribution_routes, "PER_PAGE", 2)
    sums, pages = [], []
    monkeypatch.setattr(contributions, "summary", lambda read=contributions.summary: sums.append(1) or read())
    auth.login(adviser)
    client.get("/medlemskap/")  # the welcome

    def seen(path: str) -> str:
        return unmarked(client.get(path).get_data(as_text=True))

    def listed(sender, template, context, **extra):
        if template.name == "contributions/_lines.html":
            pages.append(context["page"].page)

    with template_rendered.connected_to(listed, app):
        first = seen("/medlemskap/bidrag")
        assert seen("/medlemskap/bidrag") == first and seen("/medlemskap/bidrag?page=1") == first
        assert sums == [1] and pages == [1]
        assert seen("/medlemskap/bidrag?page=99") == seen("/medlemskap/bidrag?page=3") and pages == [1, 3]
        contributions.mark_invoiced(contributions.line(orgs["Os"], 2026), adviser, invoiced_on=date(2026, 3, 1),
                                    reference="F-77")
        db.session.commit()
        assert "F-77" in seen("/medlemskap/bidrag") and sums == [1, 1] and pages == [1, 3, 1]
        seen("/medlemskap/bidrag?status=invoiced")
        assert "F-77" in seen("/medlemskap/bidrag?status=invoiced") and pages == [1, 3, 1, 1, 1]


def test_chart_bars_are_proportional_on_a_round_axis():
    assert nice_top(280_000) == (300_000, 100_000)
    assert nice_top(400_000) == (400_000, 100_000)
    chart = grouped_bars([("2025", {"expected": 400_000, "paid": 200_000})], ("expected", "paid"))
    expected, paid = chart.bars
    assert paid.height == pytest.approx(expected.height / 2, abs=0.1)
    assert expected.y + expected.height == pytest.approx(chart.baseline)
    assert [value for _, value in chart.ticks] == [0, 100_000, 200_000, 300_000, 400_000]


def test_a_line_for_the_same_year_saved_at_once_shows_the_conflict_page(client, auth, orgs, adviser):
    round_ = factories.invitation_round(contribution_from=2026, contribution_to=2028, agreement_end=date(2028, 12, 31))
    case = factories.signed_case(orgs["Voss"], adviser, factories.user("signatory", organisation=orgs["Bergen"]),
                                 factories.user("signatory", organisation=orgs["Voss"]), round_)
    db.session.commit()
    auth.login(adviser)
    path = f"/saker/{case.id}/handling/activate"
    with twin_saved_first(Contribution) as twin:  # e.g. the tick wrote the year's line meanwhile
        response = post(client, path, {}, token_from=path)
    assert twin and twin[0].year == 2026 and response.status_code == 409
    assert "Noen andre registrerte det samme akkurat nå." in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.state == "signed" and _years(orgs["Voss"]) == []
