"""Mergers: the membership the successor continues and what moves with it, the memberships that end on the
predecessor's last day, one contribution from the merger year, a merger recorded ahead and applied by the tick,
and the register before and after."""
import csv
import io
import json
import re
from datetime import date

import pytest
from sqlalchemy import delete, select

from app import clock
from app.extensions import db
from app.organisations import routes as organisation_routes
from app.models import (AdministrativeContact, AuditEvent, Contribution, Merger, OutboxMessage, Representative,
                        TransitionRequest, User, UserRole)
from app.models.request import PENDING
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import (ServiceError, cases, contributions, meeting_items, members, mergers, organisations, tick,
                          timeline, workflow)
from tests import factories
from tests.conftest import post, unmarked
from workflows.membership import ACTIVE, AGREEMENT_PENDING, TERMINATED

LAST_DAY, REFORM, RECORDED = date(2019, 12, 31), date(2020, 1, 1), date(2020, 1, 6)


@pytest.fixture
def world(orgs):
    """Lindås, Meland and Radøy members since 2018 (contributions 2018–2021, Lindås 45 000), each with a contact
    person and a project-group representative to 2020; Alver in the register from 01.01.2020."""
    adviser = factories.adviser(orgs["Bergen"])
    found = {}
    for name, amount in (("Lindås", 45_000), ("Meland", 40_000), ("Radøy", 30_000)):
        org = orgs[name]
        found[name] = factories.member_case(org, adviser, activated_on=date(2018, 3, 1),
                                            terms={"contribution": amount})
        factories.user("municipality_contact", organisation=org)
        with clock.pinned(date(2019, 1, 1)):
            factories.representative(org, adviser, starts_on=date(2019, 1, 1))
    with clock.pinned(date(2019, 6, 1)):
        contributions.new_year_lines(date(2019, 6, 1))
    alver = factories.municipality("Alver kommune", "4631", active_from=REFORM)
    db.session.commit()
    return adviser, found, alver, [orgs[name] for name in ("Lindås", "Meland", "Radøy")]


def _lines(org) -> dict[int, int]:
    return {line.year: line.amount for line in db.session.scalars(select(Contribution).where(
        Contribution.organisation_id == org.id, Contribution.cancelled_at.is_(None)))}


def test_one_membership_continues_the_others_end_on_the_last_day_and_one_contribution_from_2020(world, orgs):
    adviser, found, alver, predecessors = world
    lindas = found["Lindås"]
    original = lindas.agreement
    lindas_users = list(db.session.scalars(select(User.id).where(User.organisation_id == orgs["Lindås"].id)))
    with clock.pinned(RECORDED):
        merger = mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=lindas.id)
        db.session.commit()
        contributions.new_year_lines(RECORDED)
        db.session.commit()

    # continue: the case, its people and its future lines are Alver's; the agreement has a version naming Alver
    assert lindas.organisation_id == alver.id and lindas.state == ACTIVE
    assert lindas.agreement.municipality_name == "Alver kommune" and lindas.agreement.continues_id == original.id
    assert lindas.agreement.both_signed and original.superseded_at is not None
    assert set(db.session.scalars(select(User.organisation_id).where(User.id.in_(lindas_users)))) == {alver.id}
    assert members.member_on(alver, REFORM) and not members.member_on(orgs["Lindås"], REFORM)
    # end: Meland and Radøy were members to 31.12.2019, though it was recorded 06.01.2020
    for name in ("Meland", "Radøy"):
        case = found[name]
        assert case.state == TERMINATED and case.organisation_id == orgs[name].id
        assert members.member_periods(case)[-1].last == LAST_DAY
        assert case.state_since.astimezone(clock.OSLO).date() == REFORM  # "Avsluttet siden 01.01.2020"
        assert members.member_on(orgs[name], LAST_DAY) and not members.member_on(orgs[name], REFORM)
        term = db.session.scalar(select(Representative).where(Representative.organisation_id == orgs[name].id))
        assert term.ends_on == LAST_DAY
        assert 2020 not in _lines(orgs[name])
    # from 2020 one contribution, the continued agreement's amount, billed to Alver
    assert _lines(alver) == {2020: 45_000}
    assert _lines(orgs["Meland"]) == {2018: 40_000, 2019: 40_000}
    moved = json.loads(db.session.scalar(select(AuditEvent).where(AuditEvent.action == "merger.apply",
                                                       AuditEvent.object_id == merger.id)).data)["moved"]
    assert moved["case"] == [lindas.id] and sorted(moved["users"]) == sorted(lindas_users)
    assert len(moved["representatives"]) == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "merger.continue")).object_id == lindas.id
    letter = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("vidareført")))
    assert letter.subject == "Samarbeidsavtalen blir vidareført av Alver kommune"  # Alver writes nynorsk
    assert "Lindås kommune" in letter.body_text and "ingen nye signaturar" in letter.body_text


def test_continue_moves_the_admin_contact_open_requests_and_evaluations_end_moves_nothing(world, orgs):
    adviser, found, alver, predecessors = world
    lindas, meland = orgs["Lindås"], orgs["Meland"]
    for org in (lindas, meland):
        members.set_admin_contact(org, adviser, name="Kontakt", email=f"k@{org.name}.no")
    request = TransitionRequest(object_type="membership_case", object_id=found["Lindås"].id, trigger="give_notice",
                                requested_by_id=adviser.id, status=PENDING)
    db.session.add(request)
    db.session.commit()
    checked = mergers.plan(predecessors, alver, REFORM, found["Lindås"].id)
    assert checked.moves["requests"] == [request.id] and len(checked.moves["admin_contact"]) == 1
    assert [case.id for case in checked.ended] == [found["Meland"].id, found["Radøy"].id]
    mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
    db.session.commit()
    assert members.admin_contact(alver).email == "k@lindås.no"
    assert members.admin_contact(meland) is not None  # ended: it stays with Meland
    assert db.session.scalar(select(AdministrativeContact).where(
        AdministrativeContact.organisation_id == lindas.id)) is None


def test_every_membership_ends_when_none_is_continued(world, orgs):
    adviser, found, alver, predecessors = world
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM)
        db.session.commit()
    assert {case.state for case in found.values()} == {TERMINATED}
    assert not members.member_on(alver, REFORM)
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("videreføres"))) is None


def test_a_merger_recorded_ahead_is_applied_by_the_tick_on_its_day(world, orgs):
    adviser, found, alver, predecessors = world
    with clock.pinned(date(2019, 11, 1)):
        merger = mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    assert merger.applied_at is None and found["Lindås"].organisation_id == orgs["Lindås"].id
    assert mergers.apply_due(LAST_DAY) == []
    with clock.pinned(REFORM):
        done = tick.run(REFORM)
    assert "Sammenslåingen til Alver kommune fra 01.01.2020 er gjennomført." in done
    assert merger.applied_at is not None and found["Lindås"].organisation_id == alver.id
    assert found["Meland"].state == TERMINATED and members.member_periods(found["Meland"])[-1].last == LAST_DAY
    assert _lines(alver) == {2020: 45_000}


def test_a_continued_membership_is_the_predecessors_before_the_merger_day_and_the_successors_from_it(world, orgs):
    adviser, found, alver, predecessors = world
    lindas = orgs["Lindås"]
    mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
    db.session.commit()
    assert members.member_on(lindas, LAST_DAY) and not members.member_on(alver, LAST_DAY)
    assert members.member_on(alver, REFORM) and not members.member_on(lindas, REFORM)
    answering = members.answering_ids([2019, 2020])
    assert lindas.id in answering[2019] and alver.id not in answering[2019]
    assert alver.id in answering[2020] and lindas.id not in answering[2020]
    assert answering == {year: members.answering_ids([year])[year] for year in (2019, 2020)}  # read at once or apart


def test_the_register_before_and_after_the_merger(world, orgs):
    adviser, found, alver, predecessors = world
    mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
    db.session.commit()
    assert [org.active_to for org in predecessors] == [LAST_DAY] * 3
    assert [p.name for p in organisations.related(alver)] == ["Lindås", "Meland", "Radøy"]
    assert organisations.on(orgs["Lindås"], LAST_DAY).official_name == "Lindås kommune"
    assert "lindas" in alver.search_key or "lindås" in alver.search_key
    assert db.session.scalar(select(Merger)).applied_at is not None


def test_a_merger_is_refused_when_it_cannot_be(world, orgs):
    adviser, found, alver, predecessors = world
    with pytest.raises(ServiceError, match="Skriv datoen"):
        mergers.plan(predecessors, alver, None, None)
    with pytest.raises(ServiceError, match="både før og etter"):
        mergers.plan([alver], alver, REFORM, None)
    with pytest.raises(ServiceError, match="må være et medlemskap"):
        mergers.plan(predecessors, alver, REFORM, found["Lindås"].id + 1000)
    mergers.record(adviser, predecessors[:1], alver, REFORM, continued_case_id=found["Lindås"].id)
    with pytest.raises(ServiceError, match="allerede slått sammen"):
        mergers.plan(predecessors, alver, REFORM, None)
    with pytest.raises(ServiceError, match="allerede medlem"):
        mergers.plan(predecessors[1:], alver, REFORM, found["Meland"].id)


# --- the pages -----------------------------------------------------------------------------------------------------

def test_the_pages_from_the_register_to_the_successor(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    login("adviser", organisation="Bergen")
    path = "/organisasjoner/sammenslaing"
    assert 'href="/organisasjoner/sammenslaing"' in unmarked(client.get("/organisasjoner/").get_data(as_text=True))
    form = {"predecessor_ids": [org.id for org in predecessors], "first_day": "2020-01-01", "successor_id": "0",
            "official_name": "Alver kommune", "number": "4699", "continued_case_id": str(found["Lindås"].id)}
    missing = post(client, path, {**form, "official_name": "", "action": "preview"}, token_from=path)
    assert "Skriv det offisielle navnet på den nye" in missing.get_data(as_text=True)
    with clock.pinned(RECORDED):
        page = unmarked(post(client, path, {**form, "action": "preview"}, token_from=path).get_data(as_text=True))
        assert "Lindås kommune, Meland kommune, Radøy kommune → <strong>Alver kommune</strong>" in page
        assert "Avsluttes 31.12.2019" in page and "Brukerkontoer (også kontaktpersoner): 2" in page
        assert db.session.scalar(select(Merger)) is None
        saved = post(client, path, {**form, "action": "save"}, token_from=path)
    assert saved.status_code == 302
    merger = db.session.scalar(select(Merger))
    assert merger.successor.official_name == "Alver kommune" and merger.successor.number == "4699"
    assert found["Lindås"].organisation_id == merger.successor_id and found["Meland"].state == TERMINATED
    shown = unmarked(client.get(saved.location).get_data(as_text=True))
    assert "Sammenslåingen til Alver kommune fra 01.01.2020 er gjennomført." in shown
    assert "Lindås kommune, Meland kommune, Radøy kommune → Alver kommune fra 01.01.2020:" in shown
    assert f'href="/saker/{found["Lindås"].id}">avtalen som videreføres' in shown


def test_the_merger_form_offers_the_first_few_finds_the_others_and_keeps_those_chosen(
        world, orgs, client, login, monkeypatch):
    adviser, found, alver, predecessors = world
    monkeypatch.setattr(organisation_routes, "MERGER_SHOWN", 2)
    login("adviser", organisation="Bergen")
    path = "/organisasjoner/sammenslaing"

    def offered(html: str, name: str) -> list[str]:
        if name == "predecessor_ids":
            return re.findall(r'<label for="predecessor_ids-\d+"[^>]*>([^<]+)</label>', html)
        return re.findall(r"<option[^>]*>([^<]+)</option>", html.split(f'name="{name}">')[1].split("</select>")[0])

    html = client.get(path).get_data(as_text=True)
    assert len(offered(html, "predecessor_ids")) == 2
    assert len(offered(html, "successor_id")) == 3 and len(offered(html, "continued_case_id")) == 3
    lindas = post(client, path, {"q": "lindås", "action": "filter"}, token_from=path).get_data(as_text=True)
    assert offered(lindas, "predecessor_ids") == ["Lindås kommune"]
    assert offered(lindas, "continued_case_id")[1:] == ["Lindås kommune – Runde Lindås 2018"]
    chosen = post(client, path, {"q": "alver", "predecessor_ids": [org.id for org in predecessors],
                                 "action": "filter"}, token_from=path).get_data(as_text=True)
    assert offered(chosen, "predecessor_ids") == ["Lindås kommune", "Meland kommune", "Radøy kommune",
                                                  "Alver kommune"]
    assert "Alver kommune" in offered(chosen, "successor_id")
    assert offered(chosen, "continued_case_id")[1:] == [f"{name} kommune – Runde {name} 2018"
                                                        for name in ("Lindås", "Meland", "Radøy")]


def test_the_merger_form_s_lists_are_read_once_per_content_version_until_something_is_searched_or_chosen(
        world, orgs, client, login, monkeypatch):
    adviser, found, alver, predecessors = world
    monkeypatch.setattr(organisation_routes, "MERGER_SHOWN", 2)
    reads = []
    monkeypatch.setattr(meeting_items, "choices", lambda kind, read=meeting_items.choices: reads.append(1) or read(kind))
    login("adviser", organisation="Bergen")
    path = "/organisasjoner/sammenslaing"

    def offered() -> list[str]:
        return re.findall(r'<label for="predecessor_ids-\d+"[^>]*>([^<]+)</label>', client.get(path).get_data(
            as_text=True))

    first = offered()
    assert offered() == first and len(reads) == 1
    factories.municipality("Aaa kommune", "4699")  # first in the alphabet
    db.session.commit()
    assert offered() == ["Aaa kommune", first[0]] and len(reads) == 2
    post(client, path, {"q": "lindås", "action": "filter"}, token_from=path)
    post(client, path, {"q": "lindås", "action": "filter"}, token_from=path)
    assert len(reads) == 4


def test_the_merger_page_is_for_the_adviser(orgs, client, login):
    login("admin", organisation="Bergen")
    assert client.get("/organisasjoner/sammenslaing").status_code == 403


def test_the_overview_and_its_csv_show_the_successor_with_its_former_names(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get("/oversikt?q=Alver").get_data(as_text=True)
    assert "tidligere: Lindås, Meland, Radøy" in html
    rows = list(csv.reader(io.StringIO(client.get("/oversikt.csv").data.decode("utf-8-sig")), delimiter=";"))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Alver"][1:4] == ["4631", "Lindås, Meland, Radøy", ""]
    assert by_name["Meland"][2:4] == ["", "Alver kommune fra 01.01.2020"] and "Lindås" not in by_name


def test_the_timeline_draws_the_predecessors_flowing_into_the_successor(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    with clock.pinned(date(2021, 6, 1)):
        chart = timeline.chart(date(2021, 6, 1))
        login("adviser", organisation="Bergen")
        html = client.get("/tidslinje").get_data(as_text=True)
    bars = {bar.organisation.name: bar for bar in chart.bars}
    assert [bar.organisation.name for bar in chart.bars][:4] == ["Lindås", "Meland", "Radøy", "Alver"]
    # Lindås's membership is Alver's from the first day; each predecessor's row ends on its last day
    assert [(p.category, p.start, p.end) for p in bars["Lindås"].periods][-1] == ("member", date(2018, 3, 1),
                                                                                  LAST_DAY)
    assert [(p.category, p.start, p.end) for p in bars["Alver"].periods] == [("member", REFORM, None)]
    assert bars["Meland"].periods[-1].end == LAST_DAY
    assert len(chart.merger_lines()) == 3 and {x for x, _, _ in chart.merger_lines()} == {chart.x(REFORM)}
    title = "Alver kommune fra 01.01.2020: sammenslått av Lindås kommune, Meland kommune og Radøy kommune"
    assert chart.merger_titles(bars["Alver"]) == [title]
    assert html.count('class="tl-flow"') == 3 and f'class="tl-merger"><title>{title}</title>' in html
    names = html[html.index('<ol class="tl-names'):html.index("</ol>", html.index('<ol class="tl-names'))]
    assert re.findall(r">([^<>]+)</a></li>", names)[:4] == ["Lindås (til 2019)", "Meland (til 2019)",
                                                           "Radøy (til 2019)", "Alver"]
    assert f"<li>{title}</li>" in html[html.index('id="tl-table"'):], "the merger in the table too"


def test_the_continued_case_shows_its_predecessor_in_its_history(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    login("adviser", organisation="Bergen")
    html = unmarked(client.get(f"/saker/{found['Lindås'].id}").get_data(as_text=True))
    assert "Marianne N. Solbakk registrerte at Alver kommune overtar avtalen til Lindås kommune fra 01.01.2020." \
        in html
    # Before the merger the history names the case's municipality then.
    assert "Marianne N. Solbakk aktiverte medlemskapet til Lindås kommune." in html


def test_the_case_as_of_a_day_before_the_merger_is_the_predecessors(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    login("adviser", organisation="Bergen")
    path = f"/saker/{found['Lindås'].id}?as_of="
    assert "Status per 31.12.2019 (Lindås kommune): Aktiv" in client.get(path + "2019-12-31").get_data(as_text=True)
    assert "Status per 01.01.2020 (Alver kommune): Aktiv" in client.get(path + "2020-01-01").get_data(as_text=True)


def test_with_no_contact_person_the_letter_goes_to_the_successors_mailbox(world, orgs):
    adviser, found, alver, predecessors = world
    alver.mailbox = "postmottak@alver.kommune.no"
    contacts = select(User.id).where(User.organisation_id == orgs["Lindås"].id)
    db.session.execute(delete(UserRole).where(UserRole.user_id.in_(contacts)))
    db.session.commit()
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    letters = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("vidareført"))).all()
    assert [letter.recipient for letter in letters] == ["postmottak@alver.kommune.no"]


def test_the_continued_agreement_shows_the_original_signatures(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    original = found["Lindås"].agreement
    signer = original.signed_by("municipality").name
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    version = found["Lindås"].agreement
    login("adviser", organisation="Bergen")
    page = client.get(f"/avtaler/{version.id}").get_data(as_text=True)
    assert "Alver kommune" in page and signer in page
    listed = client.get("/avtaler/").get_data(as_text=True)
    row = next(row for row in listed.split("<tr") if f'href="/avtaler/{version.id}"' in row)
    assert signer in row


def _renewing(case, adviser, signed_by_municipality: bool = False):
    """The member's agreement renewed in November 2019 (the new one waits for signatures)."""
    with clock.pinned(date(2019, 11, 15)):
        workflow.perform(case, "renew", adviser, data={"agreement_end": "2023-12-31", "contribution_from": 2020,
                                                       "contribution_to": 2023})
        if signed_by_municipality:
            signer = factories.user("signatory", organisation=case.organisation)
            cases.sign(case, MUNICIPALITY_PARTY, signer, name=signer.name, title="Rådmann", signed_on=clock.today())
    db.session.commit()
    return case.agreement


def test_a_renewing_membership_continues_and_its_new_agreement_names_the_successor(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    lindas = found["Lindås"]
    renewal = _renewing(lindas, adviser, signed_by_municipality=True)
    login(adviser)
    path = "/organisasjoner/sammenslaing"
    form = {"predecessor_ids": [org.id for org in predecessors], "first_day": "2020-01-01",
            "successor_id": str(alver.id), "continued_case_id": str(lindas.id)}
    with clock.pinned(RECORDED):
        page = post(client, path, {**form, "action": "preview"}, token_from=path).get_data(as_text=True)
        assert "Fornyelsen fortsetter: den nye avtalen får navnet Alver kommune" in page
        assert post(client, path, {**form, "action": "save"}, token_from=path).status_code == 302
    version = lindas.agreement
    assert lindas.organisation_id == alver.id and lindas.state == AGREEMENT_PENDING
    assert version.municipality_name == "Alver kommune" and version.continues_id == renewal.id
    assert version.end_date == date(2023, 12, 31) and version.signed_by(MUNICIPALITY_PARTY) is not None
    assert not version.both_signed and members.member_on(alver, REFORM)
    letter = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("vidareført")))
    assert "ikkje signert av begge partar enno" in letter.body_text
    with clock.pinned(date(2020, 1, 20)):
        cases.sign(lindas, HOST_PARTY, adviser, name="Nina Mevold", title="Kommunaldirektør",
                   signed_on=clock.today())
        workflow.perform(lindas, "activate", adviser)
    assert lindas.state == ACTIVE and lindas.agreement.id == version.id and lindas.end_date == date(2023, 12, 31)


def test_a_renewing_membership_is_not_ended_by_a_merger(world, orgs, client, login):
    adviser, found, alver, predecessors = world
    _renewing(found["Meland"], adviser)
    with pytest.raises(ServiceError, match="Meland kommune fornyer avtalen"):
        mergers.plan(predecessors, alver, REFORM, found["Lindås"].id)
    login(adviser)
    path = "/organisasjoner/sammenslaing"
    with clock.pinned(RECORDED):
        page = post(client, path, {"predecessor_ids": [org.id for org in predecessors], "first_day": "2020-01-01",
                                   "successor_id": str(alver.id), "continued_case_id": str(found["Lindås"].id),
                                   "action": "preview"}, token_from=path).get_data(as_text=True)
    assert "Velg den som avtalen Alver kommune viderefører." in page
    assert db.session.scalar(select(Merger)) is None


def test_a_renewal_begun_after_a_merger_recorded_ahead_is_left_to_the_adviser(world, orgs):
    adviser, found, alver, predecessors = world
    with clock.pinned(date(2019, 11, 1)):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)
        db.session.commit()
    _renewing(found["Meland"], adviser)
    with clock.pinned(REFORM):
        tick.run(REFORM)
    assert found["Meland"].state == AGREEMENT_PENDING and found["Meland"].organisation_id == orgs["Meland"].id
    assert found["Radøy"].state == TERMINATED and found["Lindås"].organisation_id == alver.id


def _continued(world):
    adviser, found, alver, predecessors = world
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Lindås"].id)


def _none_continued(world):
    adviser, found, alver, predecessors = world
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM)


def _recorded_ahead(world):
    adviser, found, alver, predecessors = world
    with clock.pinned(date(2019, 11, 1)):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=found["Meland"].id)
        db.session.commit()
    with clock.pinned(REFORM):
        tick.run(REFORM)


def _renewal_continued(world):
    adviser, found, alver, predecessors = world
    lindas = found["Lindås"]
    _renewing(lindas, adviser, signed_by_municipality=True)
    with clock.pinned(RECORDED):
        mergers.record(adviser, predecessors, alver, REFORM, continued_case_id=lindas.id)
    with clock.pinned(date(2020, 1, 20)):
        cases.sign(lindas, HOST_PARTY, adviser, name="Nina Mevold", title="Kommunaldirektør", signed_on=clock.today())
        workflow.perform(lindas, "activate", adviser)


@pytest.mark.parametrize("merge", [_continued, _none_continued, _recorded_ahead, _renewal_continued])
def test_the_member_list_who_answers_and_the_annual_report_read_in_sql_follow_the_rule_across_a_merger(world, merge):
    from tests.test_membership_rule import (assert_answering_is_the_rule, assert_the_member_list_is_the_rule,
                                            assert_the_years_in_sql_are_the_rule)

    merge(world)
    db.session.commit()
    days = [date(2020, 2, 5), date(2021, 6, 1), date(2022, 3, 1), date(2026, 11, 23)]
    assert_the_member_list_is_the_rule(days)
    for day in days:
        with clock.pinned(day):
            assert_answering_is_the_rule(list(range(2017, day.year + 1)))
            assert_the_years_in_sql_are_the_rule(list(range(2017, day.year + 1)))
