"""The cost-sharing key (agreement §11): shares from the agreements and the key's terms, to the krone; its workflow
to the steering group's decision; the key in force; what an enlargement costs each party; the export."""
import csv
import io
import re
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook
from flask import template_rendered
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Contribution, CostKey
from app.models.meeting import COORDINATION, STEERING_MEETING
from app.services import (ServiceError, annual_reports, contributions, cost_keys, invoice_basis, meeting_items,
                          meetings, members, tick, workflow)
from tests import factories
from tests.conftest import post, unmarked
from workflows.cost_key import DECIDED, DRAFT, SUBMITTED
from workflows.key_shares import AMOUNT, PERCENT

NBSP = "\u00a0"


@pytest.fixture
def world(orgs, adviser):
    """Lindås (kr 40 000) and Voss (kr 55 000 from a renewal in 2026) members; a steering-group member at Helse
    Bergen."""
    factories.member_case(orgs["Lindås"], adviser, activated_on=date(2024, 3, 1))
    voss = factories.member_case(orgs["Voss"], adviser, activated_on=date(2024, 3, 1))
    factories.renewed(voss, adviser, date(2026, 1, 10), {"contribution": 55_000, "contribution_from": 2026,
                                                          "contribution_to": 2029,
                                                          "agreement_end": date(2029, 12, 31).isoformat()})
    steering = factories.user("steering_member", organisation=orgs["Helse Bergen"], name="Gunn Røsland")
    db.session.commit()
    return steering


def _draft(orgs, first=2025, last=2027, budget=1_000_001, method=PERCENT, values=None, remainder="Helse Bergen"):
    values = values or {"Bergen": 3333, "Universitetet i Bergen": 3333, "Helse Bergen": 3334}
    return cost_keys.KeyDraft(first, last, budget, method, orgs[remainder].id,
                              {orgs[name].id: value for name, value in values.items()})


def _shares(key, year) -> dict[str, int]:
    return {s.organisation.name: s.amount for s in key.shares if s.year == year}


def _decided(orgs, adviser, steering, draft, on=date(2025, 1, 20)) -> CostKey:
    key = cost_keys.create(draft, adviser)
    workflow.perform(key, "submit", adviser)
    workflow.perform(key, "decide", steering, comment="Styringsgruppen vedtok nøkkelen.",
                     data={"decided_on": on.isoformat(), "agenda_item": "Sak 4/2025"})
    db.session.commit()
    return key


def test_municipalities_pay_their_agreement_and_the_rest_is_shared_to_the_krone(orgs, adviser, world):
    key = cost_keys.create(_draft(orgs), adviser)
    db.session.commit()
    # 2025: 1 000 001 − 2 × 40 000 = 920 001; floors 306 636, 306 636, 306 728; the krone left goes to Helse Bergen.
    assert _shares(key, 2025) == {"Lindås": 40_000, "Voss": 40_000, "Bergen": 306_636,
                                  "Universitetet i Bergen": 306_636, "Helse Bergen": 306_729}
    # 2026: Voss's renewed agreement bills 55 000, so the rest is 905 001.
    assert _shares(key, 2026)["Voss"] == 55_000
    assert _shares(key, 2026)["Bergen"] == 905_001 * 3333 // 10_000
    for year in key.years:
        assert sum(_shares(key, year).values()) == 1_000_001
    voss_line = next(s for s in key.shares if s.year == 2026 and s.organisation.name == "Voss")
    assert voss_line.agreement_id == members.member_case(orgs["Voss"]).agreement.id
    assert voss_line.basis_label == "Fast beløp etter avtalen"


def test_a_municipality_with_no_agreement_that_year_pays_nothing_under_the_key(orgs, adviser, world):
    key = cost_keys.create(_draft(orgs, 2028, 2030), adviser)
    # Lindås's agreement bills 2024–2027 only; Voss's renewal bills to 2029.
    assert "Lindås" not in _shares(key, 2028)
    assert "Voss" in _shares(key, 2029) and "Voss" not in _shares(key, 2030)


@pytest.mark.parametrize("change, message", [
    ({"values": {"Bergen": 5000, "Helse Bergen": 4500}}, "2025: Prosentene blir til sammen 95 %, men må bli 100 %."),
    ({"method": AMOUNT, "values": {"Bergen": 500_000, "Helse Bergen": 400_000}},
     f"2025: Beløpene blir til sammen kr 900{NBSP}000, men resten av budsjettet er kr 920{NBSP}001: "
     f"det mangler kr 20{NBSP}001."),
    ({"budget": 60_000}, f"2025: kommunenes faste beløp (kr 80{NBSP}000) er mer enn budsjettet"),
    ({"last_year": 2028}, "En fordelingsnøkkel gjelder for høyst tre år."),
    ({"remainder": "Universitetet i Bergen", "values": {"Bergen": 10_000}}, "må ha en andel i nøkkelen"),
    ({"values": {"Lindås": 10_000}, "remainder": "Lindås"}, "deltar ikke i perioden"),
])
def test_a_key_that_does_not_add_up_is_refused_in_norwegian(orgs, adviser, world, change, message):
    args = {"first": 2025, "last": 2027, **{k: v for k, v in change.items() if k not in ("last_year",)}}
    if "last_year" in change:
        args["last"] = change["last_year"]
    with pytest.raises(ServiceError) as refused:
        cost_keys.create(_draft(orgs, **args), adviser)
    assert message in refused.value.message


def test_amounts_that_make_the_rest_are_taken_as_they_are(orgs, adviser, world):
    key = cost_keys.create(_draft(orgs, 2025, 2025, method=AMOUNT, remainder="Bergen",
                                  values={"Bergen": 620_001, "Helse Bergen": 300_000}), adviser)
    assert _shares(key, 2025) == {"Lindås": 40_000, "Voss": 40_000, "Bergen": 620_001, "Helse Bergen": 300_000}


def test_the_drafter_cannot_record_the_decision_and_a_steering_member_can(app, client, auth, orgs, adviser, world):
    also_steering = factories.user("adviser", "steering_member", organisation=orgs["Bergen"])
    key = cost_keys.create(_draft(orgs), also_steering)
    workflow.perform(key, "submit", also_steering)
    db.session.commit()
    with pytest.raises(ServiceError, match="Den som utarbeidet utkastet"):
        workflow.perform(key, "decide", also_steering, comment="Vedtatt.",
                         data={"decided_on": "2025-01-20", "agenda_item": "Sak 4/2025"})
    db.session.rollback()
    auth.login(also_steering)
    page = client.get(f"/okonomi/fordelingsnokkel/{key.id}").get_data(as_text=True)
    assert 'disabled aria-describedby="why-decide"' in page
    assert "Den som utarbeidet utkastet, kan ikke registrere" in page
    form = {"decided_on": "2025-01-20", "meeting_id": "0", "agenda_item": "Sak 4/2025", "comment": "Vedtatt."}
    assert post(client, f"/okonomi/fordelingsnokkel/{key.id}/vedtak", form).status_code == 403
    db.session.refresh(key)
    assert key.state == SUBMITTED
    auth.logout()
    auth.login(world)
    ahead = post(client, f"/okonomi/fordelingsnokkel/{key.id}/vedtak", {**form, "decided_on": "2099-01-01"})
    assert ahead.status_code == 200 and "Vedtaket kan ikke være fattet etter i dag." in ahead.get_data(as_text=True)
    response = post(client, f"/okonomi/fordelingsnokkel/{key.id}/vedtak", form)
    assert response.status_code == 302
    db.session.refresh(key)
    assert (key.state, key.decided_on, key.agenda_item, key.decision) == (DECIDED, date(2025, 1, 20), "Sak 4/2025",
                                                                          "Vedtatt.")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cost_key.decide"))
    assert event.actor_id == world.id


def test_the_decision_may_name_a_steering_group_meeting(orgs, adviser, world):
    def meeting(kind, day):
        return meetings.create(kind, starts_at=datetime(2025, 1, day, 9, tzinfo=timezone.utc),
                               ends_at=datetime(2025, 1, day, 12, tzinfo=timezone.utc), place="Rådhuset",
                               invitees=[world], actor=adviser, notify=False)

    steering, coordination = meeting(STEERING_MEETING, 20), meeting(COORDINATION, 21)
    key = cost_keys.create(_draft(orgs), adviser)
    workflow.perform(key, "submit", adviser)
    db.session.commit()
    with pytest.raises(ServiceError, match="Velg et styringsgruppemøte"):
        workflow.perform(key, "decide", world, comment="Vedtatt.",
                         data={"decided_on": "2025-01-20", "meeting_id": coordination.id, "agenda_item": "Sak 4"})
    db.session.rollback()
    assert db.session.get(CostKey, key.id).state == SUBMITTED
    workflow.perform(key, "decide", world, comment="Vedtatt.",
                     data={"decided_on": "2025-01-20", "meeting_id": steering.id, "agenda_item": "Sak 4"})
    assert key.meeting is steering


def test_returned_for_changes_goes_back_to_the_adviser_with_the_reason(app, client, auth, orgs, adviser, world):
    key = cost_keys.create(_draft(orgs), adviser)
    workflow.perform(key, "submit", adviser)
    db.session.commit()
    auth.login(world)
    path = f"/okonomi/fordelingsnokkel/{key.id}/handling/return_for_changes"
    assert post(client, path, {"comment": ""}).status_code == 200, "the reason is required"
    assert post(client, path, {"comment": "Helse Bergens andel må ned."}).status_code == 302
    db.session.refresh(key)
    assert key.state == DRAFT
    auth.logout()
    auth.login(adviser)
    assert "Helse Bergens andel må ned." in client.get(f"/okonomi/fordelingsnokkel/{key.id}/endre").get_data(
        as_text=True)


def test_a_decided_key_is_read_only(app, client, auth, orgs, adviser, world):
    key = _decided(orgs, adviser, world, _draft(orgs))
    before = _shares(key, 2025)
    auth.login(adviser)
    assert client.get(f"/okonomi/fordelingsnokkel/{key.id}/endre").status_code == 403
    form = {"first_year": "2025", "last_year": "2027", "budget": "2000000", "method": PERCENT,
            "remainder_to_id": str(orgs["Bergen"].id), f"share_{orgs['Bergen'].id}": "100"}
    assert post(client, f"/okonomi/fordelingsnokkel/{key.id}/endre", form).status_code == 403
    with pytest.raises(ServiceError, match="kan ikke endres"):
        cost_keys.revise(key, _draft(orgs, budget=2_000_000), adviser)
    db.session.rollback()
    db.session.refresh(key)
    assert (key.budget, _shares(key, 2025)) == (1_000_001, before)
    page = client.get(f"/okonomi/fordelingsnokkel/{key.id}").get_data(as_text=True)
    assert "Ingen handlinger er mulige i denne statusen." in page and "/endre" not in page


def test_the_key_in_force_and_each_partys_share(orgs, adviser, world):
    assert cost_keys.in_force(2025) is None and cost_keys.share_for(orgs["Bergen"], 2025) is None
    key = _decided(orgs, adviser, world, _draft(orgs))
    cost_keys.create(_draft(orgs, budget=2_000_000), adviser)  # a draft is never in force
    db.session.commit()
    assert cost_keys.in_force(2025) is key and cost_keys.in_force(2028) is None
    assert cost_keys.share_for(orgs["Bergen"], 2025) == (306_636, key)
    assert cost_keys.share_for(orgs["Lindås"], 2026) == (40_000, key)
    assert cost_keys.share_for(orgs["Askøy"], 2025) is None


def test_an_enlargement_shows_what_each_party_pays_more_before_it_is_decided(app, client, auth, orgs, adviser,
                                                                               world):
    first = _decided(orgs, adviser, world, _draft(orgs, budget=1_080_000, values={
        "Bergen": 5000, "Helse Bergen": 5000}), on=date(2025, 1, 20))
    bigger = cost_keys.create(_draft(orgs, 2026, 2027, budget=1_580_000, values={
        "Bergen": 5000, "Helse Bergen": 3000, "Universitetet i Bergen": 2000}), adviser)
    db.session.commit()
    current = cost_keys.in_force(2026, besides=bigger)
    rows = cost_keys.differences(bigger, current, 2026)
    assert current == first
    # 2026 before: rest 1 080 000 − 95 000 = 985 000 → 492 500 each; after: rest 1 485 000.
    more = {d.party: (d.before, d.after, d.more) for d in rows}
    assert more == {"Bergen": (492_500, 742_500, 250_000), "Helse Bergen": (492_500, 445_500, -47_000),
                    "Universitetet i Bergen": (0, 297_000, 297_000), "Lindås": (40_000, 40_000, 0),
                    "Voss": (55_000, 55_000, 0)}
    auth.login(world)
    response = client.get(f"/okonomi/fordelingsnokkel/{bigger.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hva hver part betaler mer" in page and f"+kr 297{NBSP}000" in page and f"−kr 47{NBSP}000" in page
    workflow.perform(bigger, "submit", adviser)
    workflow.perform(bigger, "decide", world, comment="Ressursen utvides.",
                     data={"decided_on": "2026-01-20", "agenda_item": "Sak 2/2026"})
    db.session.commit()
    assert cost_keys.in_force(2025) is first and cost_keys.in_force(2026) is bigger
    assert cost_keys.share_for(orgs["Bergen"], 2026) == (742_500, bigger)


def test_submitting_takes_the_agreements_of_the_day(orgs, adviser, world):
    key = cost_keys.create(_draft(orgs, 2026, 2026), adviser)
    factories.member_case(orgs["Askøy"], adviser, activated_on=date(2026, 2, 1))
    workflow.perform(key, "submit", adviser)
    assert _shares(key, 2026)["Askøy"] == 40_000
    assert sum(_shares(key, 2026).values()) == 1_000_001


def test_a_decided_key_exports_as_csv_and_excel(app, client, auth, orgs, adviser, world):
    key = _decided(orgs, adviser, world, _draft(orgs))
    auth.login(world)
    response = client.get(f"/okonomi/fordelingsnokkel/{key.id}.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(cost_keys.EXPORT_HEADER)
    bergen = [r for r in rows[1:] if r[1] == "Bergen"]
    assert [(r[0], r[2], r[4]) for r in bergen] == [("2025", "964338531", "306636"), ("2026", "964338531",
                                                                                        str(905_001 * 3333 // 10_000)),
                                                    ("2027", "964338531", str(905_001 * 3333 // 10_000))]
    assert sum(int(r[4]) for r in rows[1:] if r[0] == "2025") == 1_000_001
    assert all(r[5] == "Fordelingsnøkkel 2025–2027" and r[6] == "20.01.2025, Sak 4/2025" for r in rows[1:])
    book = load_workbook(io.BytesIO(client.get(f"/okonomi/fordelingsnokkel/{key.id}.xlsx").data))
    sheet_rows = list(book.active.iter_rows(values_only=True))
    assert [tuple("" if v is None else str(v) for v in r) for r in sheet_rows] == [tuple(r) for r in rows]
    draft = cost_keys.create(_draft(orgs), adviser)
    db.session.commit()
    assert client.get(f"/okonomi/fordelingsnokkel/{draft.id}.csv").status_code == 404


def test_the_form_says_in_norwegian_what_does_not_add_up(client, auth, orgs, adviser, world):
    auth.login(adviser)
    form = {"first_year": "2025", "last_year": "2027", "budget": "1000001", "method": PERCENT,
            "remainder_to_id": str(orgs["Bergen"].id), f"share_{orgs['Bergen'].id}": "50",
            f"share_{orgs['Helse Bergen'].id}": "45", f"share_{orgs['NORCE'].id}": "12,345"}
    page = post(client, "/okonomi/fordelingsnokkel/ny", form).get_data(as_text=True)
    assert "Skriv prosenten med høyst to desimaler." in page
    form[f"share_{orgs['NORCE'].id}"] = ""
    page = post(client, "/okonomi/fordelingsnokkel/ny", form).get_data(as_text=True)
    assert "Prosentene blir til sammen 95 %, men må bli 100 %." in page
    assert db.session.scalar(select(func.count()).select_from(CostKey)) == 0
    form[f"share_{orgs['Helse Bergen'].id}"] = "50"
    response = post(client, "/okonomi/fordelingsnokkel/ny", form)
    assert response.status_code == 302
    key = db.session.scalar(select(CostKey))
    assert key.drafted_by_id == adviser.id and sum(_shares(key, 2025).values()) == 1_000_001


def test_the_demo_has_two_decided_keys_and_an_enlargement_waiting(runner):
    result = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert result.exit_code == 0, result.output
    assert "Fordelingsnøklene er lagt inn" in result.output
    first, second, enlargement = sorted(db.session.scalars(select(CostKey)), key=lambda k: k.id)
    assert (first.state, second.state, enlargement.state) == (DECIDED, DECIDED, SUBMITTED)
    assert first.meeting.starts_at.year == 2022 and first.agenda_item == "SG 3/2022 Budsjett og bidrag for 2023"
    assert first.meeting_item.meeting_id == first.meeting_id and first.meeting_item.reference == "SG 3/2022"
    assert cost_keys.in_force(2024) is first and cost_keys.in_force(2027) is second
    for key in (first, second, enlargement):
        assert "oppdiktet" in key.note
        assert {figures.total for figures in cost_keys.year_figures(key).values()} == {key.budget}
    assert all(d.more > 0 for year in enlargement.years
               for d in cost_keys.differences(enlargement, cost_keys.in_force(year, besides=enlargement), year)
               if d.party == "Helse Bergen")


def test_a_decided_key_bills_the_larger_parties_and_a_later_decision_rebills_what_is_not_invoiced(orgs, adviser,
                                                                                                  world):
    key = _decided(orgs, adviser, world, _draft(orgs))
    lines = {(line.organisation.name, line.year): line for line in db.session.scalars(
        select(Contribution).where(Contribution.cost_key_id.is_not(None)))}
    # the years up to this one (2026); the municipalities' shares are their agreements' own lines
    assert {name_year: line.amount for name_year, line in lines.items()} == {
        (name, year): amount for year in (2025, 2026) for name, amount in _shares(key, year).items()
        if name not in ("Lindås", "Voss")}
    basis = {(row.name, row.year): row for row in invoice_basis.rows(2026) if row.basis == "Fordelingsnøkkel"}
    assert basis[("Bergen kommune", 2026)].amount == _shares(key, 2026)["Bergen"]
    assert basis[("Bergen kommune", 2026)].reference == \
        f"Fordelingsnøkkel 2025–2027, vedtatt 20.01.2025, sak Sak 4/2025 (nøkkel-ID {key.id})"
    invoiced = lines[("Bergen", 2025)]
    contributions.mark_invoiced(invoiced, adviser, invoiced_on=date(2025, 3, 1), reference="F-1")
    db.session.commit()

    larger = _decided(orgs, adviser, world, _draft(orgs, budget=1_300_001), on=date(2025, 6, 1))
    assert lines[("Bergen", 2026)].amount == _shares(larger, 2026)["Bergen"]
    assert lines[("Bergen", 2026)].cost_key_id == larger.id
    assert invoiced.amount == _shares(key, 2025)["Bergen"] and invoiced.cost_key_id == key.id
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "contribution.rekey")) == 5  # 2025 and 2026 for UiB and Helse Bergen, 2026 for Bergen

    next_year = date(2027, 1, 1)
    with clock.pinned(next_year):
        done = tick.run(next_year)
    assert "Andel 2027 for Bergen etter fordelingsnøkkelen er registrert." in done
    assert contributions.line(orgs["Bergen"], 2027).amount == _shares(larger, 2027)["Bergen"]


def test_the_annual_report_shows_the_key_in_force_and_each_share_of_the_year(orgs, adviser, world):
    key = _decided(orgs, adviser, world, _draft(orgs))
    terms = annual_reports.gather(2026).key
    assert (terms.title, terms.decided_on, terms.budget) == ("Fordelingsnøkkel 2025–2027", date(2025, 1, 20), 1_000_001)
    assert {share.party: share.amount for share in terms.shares} == _shares(key, 2026)
    assert annual_reports.gather(2024).key is None


def test_the_key_page_lists_shares_and_differences_a_page_at_a_time_as_the_shares_give_them(
        app, client, auth, orgs, adviser, world, monkeypatch):
    from app.contributions import key_routes
    monkeypatch.setattr(key_routes, "PER_PAGE", 2)
    first = _decided(orgs, adviser, world, _draft(orgs, budget=1_080_000, values={
        "Bergen": 5000, "Helse Bergen": 5000}), on=date(2025, 1, 20))
    bigger = cost_keys.create(_draft(orgs, 2026, 2027, budget=1_580_000, values={
        "Bergen": 5000, "Helse Bergen": 3000, "Universitetet i Bergen": 2000}), adviser)
    db.session.commit()
    for year in bigger.years:
        before = {s.organisation: s.amount for s in first.shares if s.year == year}
        after = {s.organisation: s.amount for s in bigger.shares if s.year == year}
        expected = sorted(((o, before.get(o, 0), after.get(o, 0)) for o in {**before, **after}),
                          key=lambda row: (row[1] - row[2], row[0].sort_key))
        found = cost_keys.differences(bigger, first, year)
        assert [(d.party, d.before, d.after) for d in found] == [(o.name, *amounts) for o, *amounts in expected]
        assert cost_keys.shares(bigger, year, 1, 2) == [(s, s.organisation.name) for s in bigger.shares
                                                          if s.year == year][1:3]
    auth.login(world)
    page = unmarked(client.get(f"/okonomi/fordelingsnokkel/{bigger.id}?andeler-2027=2&endring-2026=3").get_data(as_text=True))
    shown = [(s.organisation.name, s.year) for s in bigger.shares if s.year == 2027][2:4]
    table = page.split('id="year-2027"')[1].split("</table>")[0]
    assert re.findall(r"<tr><td>([^<]+)</td>", table) == [name for name, _ in shown]
    changes = page.split('id="changes"')[1].split("<h3>2027</h3>")[0]
    assert re.findall(r"<tr><td>([^<]+)</td>", changes) == \
        [d.party for d in cost_keys.differences(bigger, first, 2026)[4:6]]
    assert "Side 3 av" in changes

    def first_changes() -> list[str]:
        page = unmarked(client.get(f"/okonomi/fordelingsnokkel/{bigger.id}").get_data(as_text=True))
        return re.findall(r"<tr><td>([^<]+)</td>", page.split('id="changes"')[1])[:2]

    # The comparison is stored per content version: a revision of the draft shows at once.
    assert first_changes() == ["Universitetet i Bergen", "Bergen"]
    next(s for s in bigger.shares if s.year == 2026 and s.organisation.name == "Bergen").amount += 100_000
    db.session.commit()
    assert first_changes() == ["Bergen", "Universitetet i Bergen"]


def test_the_key_page_s_lists_are_rendered_once_per_content_version_and_the_viewer_s_steps_each_time(
        app, client, auth, orgs, adviser, world):
    """With every list on its first page, the shares, the comparison and the history are rendered once per content
    version and a change after a rendering is shown at once; another page of a list is rendered each time; the
    steps and the edit button are the viewer's own."""
    key = cost_keys.create(_draft(orgs), adviser)
    db.session.commit()
    path, rendered = f"/okonomi/fordelingsnokkel/{key.id}", []

    def listed(sender, template, context, **extra):
        if template.name == "cost_keys/_key_lists.html":
            rendered.append(1)

    def seen(address: str) -> str:
        return unmarked(client.get(address).get_data(as_text=True))

    with template_rendered.connected_to(listed, app):
        auth.login(adviser)
        seen(path)
        page = seen(path)
        assert "Endre utkastet" in page and len(rendered) == 1
        auth.logout()
        auth.login(world)
        seen(path)
        assert "Endre utkastet" not in seen(path) and len(rendered) == 1
        assert seen(f"{path}?andeler-2026=1") == seen(path) and len(rendered) == 2
        workflow.perform(key, "submit", adviser, comment="Klar for styringsgruppen.")
        db.session.commit()
        assert "Klar for styringsgruppen." in seen(path) and len(rendered) == 3


def test_the_draft_form_reads_the_parties_and_the_draft_once_per_content_version_and_what_is_typed_each_time(
        client, auth, orgs, adviser, world, monkeypatch):
    """The larger parties, the draft the form starts from and what the steering group asked to change are the same
    for every adviser: read once per content version and stored; a revision after a reading is shown at once, and a
    refused form shows what was typed. (Saving a draft that keeps its parties was refused as a conflict: the new
    parties were written before the old ones went.)"""
    key = cost_keys.create(_draft(orgs, budget=1_000_001), adviser)
    db.session.commit()
    reads = []
    larger_parties = cost_keys.larger_parties
    monkeypatch.setattr(cost_keys, "larger_parties", lambda *a: reads.append(1) or larger_parties(*a))
    path = f"/okonomi/fordelingsnokkel/{key.id}/endre"
    auth.login(adviser)
    assert 'value="1000001"' in client.get(path).get_data(as_text=True)
    assert 'value="1000001"' in client.get(path).get_data(as_text=True) and len(reads) == 1
    shares = {f"share_{orgs[name].id}": value for name, value in
              {"Bergen": "33,33", "Universitetet i Bergen": "33,33", "Helse Bergen": "33,34"}.items()}
    assert post(client, path, {"first_year": "2025", "last_year": "2027", "budget": "1200000", "method": PERCENT,
                               "remainder_to_id": str(orgs["Helse Bergen"].id), **shares}).status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert 'value="1200000"' in page and 'value="1000001"' not in page
    typed = post(client, path, {"first_year": "2025", "last_year": "2027", "budget": "1300000", "method": PERCENT,
                                "remainder_to_id": str(orgs["Bergen"].id), f"share_{orgs['Bergen'].id}": "abc"})
    assert typed.status_code == 200 and 'value="1300000"' in typed.get_data(as_text=True)
    assert 'value="abc"' in typed.get_data(as_text=True)
    assert f'name="share_{orgs["Bergen"].id}"' in client.get("/okonomi/fordelingsnokkel/ny").get_data(as_text=True)


def test_the_decision_form_reads_the_steering_group_s_meetings_once_per_content_version(
        client, auth, orgs, adviser, world, monkeypatch):
    """The meetings and items offered are the same for every key and viewer: read once per content version and
    stored; a meeting added after a reading is offered at once."""
    key = cost_keys.create(_draft(orgs), adviser)
    workflow.perform(key, "submit", adviser)
    db.session.commit()
    reads = []
    offered = meeting_items.choices
    monkeypatch.setattr(meeting_items, "choices", lambda kind: reads.append(kind) or offered(kind))
    path = f"/okonomi/fordelingsnokkel/{key.id}/vedtak"
    auth.login(world)
    client.get(path)
    assert "Styringsgruppemøte" in client.get(path).get_data(as_text=True) and len(reads) == 1
    meeting = meetings.create(STEERING_MEETING, starts_at=datetime(2025, 1, 20, 9, tzinfo=timezone.utc),
                              ends_at=datetime(2025, 1, 20, 12, tzinfo=timezone.utc), place="Rådhuset",
                              invitees=[world], actor=adviser, notify=False)
    db.session.commit()
    assert f'<option translate="no" value="{meeting.id}">' in client.get(path).get_data(as_text=True)
