"""Active membership: representatives and their seats, the approval inbox, access, the contact person, the end."""
import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AdministrativeContact, AuditEvent, Organisation, OutboxMessage, Representative, User
from app.services import ServiceError, contributions, members, representatives, tick, workflow
from tests import factories
from tests.conftest import csrf_token, post, unmarked

TODAY = date(2026, 11, 23)


@pytest.fixture
def people(orgs):
    people = {
        "adviser": factories.user("adviser", organisation=orgs["Bergen"]),
        "lindas_contact": factories.user("municipality_contact", organisation=orgs["Lindås"]),
        "lindas_signer": factories.user("signatory", organisation=orgs["Lindås"]),
        "voss_contact": factories.user("municipality_contact", organisation=orgs["Voss"]),
    }
    db.session.commit()
    return people


@pytest.fixture
def lindas(orgs, people):
    case = factories.member_case(orgs["Lindås"], people["adviser"], activated_on=date(2024, 3, 1))
    db.session.commit()
    return case


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions(object_type: str, object_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == object_id).order_by(AuditEvent.seq)))


def test_a_municipality_is_a_member_while_active_or_in_notice(orgs, people, lindas):
    assert members.is_member(orgs["Lindås"]) and not members.is_member(orgs["Voss"])
    assert members.member_periods(lindas) == [(date(2024, 3, 1), date(2027, 12, 31))], "to the agreement's last day"


def test_three_seats_and_the_fourth_is_refused(orgs, people, lindas):
    org, adviser = orgs["Lindås"], people["adviser"]
    for group in ("steering", "project", "project"):
        factories.representative(org, adviser, group=group)
    db.session.commit()
    assert [s.current is not None for s in representatives.seats(org, TODAY)] == [True, True, True]
    for group in ("project", "steering"):
        with pytest.raises(ServiceError, match="høyeste antallet avtalen tillater"):
            representatives.propose(org, people["lindas_contact"], group=group, name="Fjerde", email="f@x.no",
                                    starts_on=date(2026, 1, 1))
        db.session.rollback()
    with pytest.raises(ServiceError, match="2 plasser"):
        factories.representative(org, adviser, seat=3)
    db.session.rollback()
    assert _count(Representative) == 3


def test_overlapping_terms_for_the_same_seat_are_refused(orgs, people, lindas):
    org, adviser = orgs["Lindås"], people["adviser"]
    factories.representative(org, adviser, seat=1, starts_on=date(2025, 1, 1))  # to 31.12.2026
    db.session.commit()
    with pytest.raises(ServiceError, match="allerede besatt"):
        factories.representative(org, adviser, seat=1, starts_on=date(2026, 12, 31))
    db.session.rollback()
    successor = factories.representative(org, adviser, seat=1, starts_on=date(2027, 1, 1))
    assert successor.state == "approved" and successor.ends_on == date(2028, 12, 31)


def test_a_waiting_proposal_holds_its_seat(orgs, people, lindas):
    org = orgs["Lindås"]
    representatives.propose(org, people["lindas_contact"], group="steering", name="A", email="a@x.no",
                            starts_on=date(2026, 12, 1))
    with pytest.raises(ServiceError, match="venter på godkjenning"):
        representatives.propose(org, people["lindas_contact"], group="steering", name="B", email="b@x.no",
                                starts_on=date(2027, 1, 1), seat=1)


def test_start_after_end_is_refused(orgs, people, lindas):
    with pytest.raises(ServiceError, match="Sluttdatoen kan ikke være før startdatoen") as error:
        factories.representative(orgs["Lindås"], people["adviser"], starts_on=date(2026, 5, 1),
                                 ends_on=date(2026, 4, 30))
    assert error.value.field == "ends_on"


def test_a_non_member_cannot_name_representatives(orgs, people, lindas):
    with pytest.raises(ServiceError, match="ikke medlemskommune"):
        factories.representative(orgs["Voss"], people["adviser"])
    with pytest.raises(ServiceError, match="ikke medlemskommune"):
        factories.representative(orgs["Lindås"], people["adviser"], starts_on=date(2024, 2, 1))


@pytest.mark.parametrize("start,end", [
    (date(2024, 3, 1), date(2026, 2, 28)),
    (date(2025, 1, 1), date(2026, 12, 31)),
    (date(2026, 3, 1), date(2028, 2, 29)),
    (date(2024, 2, 29), date(2026, 2, 27)),  # the same date two years later is 28.02.2026 (domstolloven § 149)
])
def test_a_term_lasts_two_years(start, end):
    assert representatives.default_end(start) == end


def test_replacing_ends_the_old_term_the_day_before_the_new_one(orgs, people, lindas):
    org = orgs["Lindås"]
    old = factories.representative(org, people["adviser"], group="steering", starts_on=date(2025, 1, 1))
    db.session.commit()
    new = representatives.propose(org, people["lindas_contact"], group="steering", name="Ny Leder",
                                  email="ny@lindas.kommune.no", starts_on=date(2026, 6, 1), replaces=old)
    assert old.ends_on == date(2026, 12, 31), "nothing changes before the adviser approves"
    workflow.perform(new, "approve", people["adviser"])
    db.session.commit()
    assert old.ends_on == date(2026, 5, 31) and new.ends_on == date(2028, 5, 31)
    assert [s.current.name for s in representatives.seats(org, TODAY) if s.group == "steering"] == ["Ny Leder"]
    assert _actions("representative", old.id)[-1] == "representative.end"


@pytest.mark.parametrize("days_left,flagged", [(0, True), (60, True), (61, False)])
def test_end_of_term_flag_at_60_days(orgs, people, lindas, days_left, flagged):
    org = orgs["Lindås"]
    factories.representative(org, people["adviser"], seat=1, starts_on=date(2025, 6, 1),
                             ends_on=TODAY + timedelta(days=days_left))
    assert [s.flagged for s in representatives.seats(org, TODAY)][1] is flagged


def test_a_named_successor_clears_the_flag(orgs, people, lindas):
    org = orgs["Lindås"]
    term = factories.representative(org, people["adviser"], seat=1, starts_on=date(2025, 1, 1))
    assert representatives.ending_soon(term, TODAY) and representatives.seats(org, TODAY)[1].flagged
    representatives.propose(org, people["lindas_contact"], group="project", seat=1, name="Neste",
                            email="n@x.no", starts_on=term.ends_on + timedelta(days=1))
    assert not representatives.ending_soon(term, TODAY) and not representatives.seats(org, TODAY)[1].flagged


def test_the_reminder_is_mailed_once_per_term(orgs, people, lindas):
    org = orgs["Lindås"]
    soon = factories.representative(org, people["adviser"], seat=1, starts_on=date(2025, 1, 1), name="Snart Ferdig")
    factories.representative(org, people["adviser"], seat=2, starts_on=date(2025, 1, 24), name="Ikke Ennå")
    db.session.commit()
    tick.run(TODAY)
    tick.run(TODAY)
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Perioden til%"))).all()
    assert [(m.recipient, m.subject) for m in mails] == [
        (people["lindas_contact"].email, "Perioden til Snart Ferdig i prosjektgruppa sluttar 31.12.2026")]
    assert "31. desember 2026" in mails[0].body_text and f"/medlemskap/{org.id}" in mails[0].body_text
    assert soon.ends_on == date(2026, 12, 31)


def test_contact_proposes_in_the_app_and_adviser_approves_in_the_inbox(client, auth, orgs, people, lindas):
    org = orgs["Lindås"]
    auth.login(people["lindas_contact"])
    page = f"/medlemskap/{org.id}/representanter/ny?gruppe=steering"
    response = post(client, page, {"group": "steering", "name": "Kari Leder", "title": "Kommunalsjef",
                                   "email": "kari.leder@lindas.kommune.no", "phone": "", "user_id": "0",
                                   "starts_on": "2026-12-01", "ends_on": ""}, token_from=page)
    assert response.status_code == 302
    term = db.session.scalar(select(Representative))
    assert (term.state, term.ends_on) == ("proposed", date(2028, 11, 30))
    auth.logout()

    auth.login(people["adviser"])
    assert "1 forslag til representanter venter på godkjenning" in client.get("/medlemskap/").get_data(as_text=True)
    inbox = client.get("/godkjenninger/").get_data(as_text=True)
    assert "Kari Leder" in inbox and "Styringsgruppen" in inbox
    approve, reject = (f"/medlemskap/representanter/{term.id}/handling/{step}?fra=godkjenninger"
                       for step in ("approve", "reject"))
    assert f'href="{approve}"' in inbox and f'href="{reject}"' in inbox
    assert "/handling/withdraw" not in inbox, "only the proposer may withdraw"
    refused = post(client, reject, {"comment": ""}, token_from=reject)
    assert refused.status_code == 200 and "Skriv en kommentar" in refused.get_data(as_text=True)
    assert db.session.get(Representative, term.id).state == "proposed"
    done = post(client, approve, {"comment": "Velkommen"}, token_from=approve)
    assert done.headers["Location"] == "/godkjenninger/#representanter"
    term = db.session.get(Representative, term.id)
    assert term.state == "approved"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "representative.approve"))
    assert (event.object_id, event.actor_id, event.comment, event.from_state, event.to_state) == \
        (term.id, people["adviser"].id, "Velkommen", "proposed", "approved")
    assert _actions("representative", term.id) == ["representative.propose", "representative.approve"]
    assert "Ingen forslag venter." in client.get("/godkjenninger/").get_data(as_text=True)
    told = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == people["lindas_contact"].email)
                             .order_by(OutboxMessage.id.desc()).limit(1))
    assert "er godkjent" in told.subject and "Kommentar: Velkommen" in told.body_text
    assert people["adviser"].name in told.body_text


def test_adviser_rejects_with_a_reason(client, auth, orgs, people, lindas):
    term = representatives.propose(orgs["Lindås"], people["lindas_contact"], group="project", name="Ola",
                                   email="ola@x.no", starts_on=date(2026, 12, 1))
    db.session.commit()
    auth.login(people["adviser"])
    reject = f"/medlemskap/representanter/{term.id}/handling/reject"
    page = client.get(reject).get_data(as_text=True)
    assert "Avvis forslaget" in page and 'class="button danger"' in page
    post(client, reject, {"comment": "Feil e-post"}, token_from=reject)
    assert db.session.get(Representative, term.id).state == "rejected"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "representative.reject"))
    assert (event.object_id, event.comment, event.actor_id) == (term.id, "Feil e-post", people["adviser"].id)


def test_only_the_adviser_approves(client, auth, orgs, people, lindas):
    term = representatives.propose(orgs["Lindås"], people["lindas_contact"], group="project", name="Ola",
                                   email="ola@x.no", starts_on=date(2026, 12, 1))
    db.session.commit()
    auth.login(people["lindas_contact"])
    response = post(client, f"/medlemskap/representanter/{term.id}/handling/approve",
                    token_from=f"/medlemskap/{orgs['Lindås'].id}")
    assert response.status_code == 403
    assert db.session.get(Representative, term.id).state == "proposed"


def test_another_municipalitys_contact_gets_404_and_writes_nothing(client, auth, orgs, people, lindas):
    lindas_id = orgs["Lindås"].id
    auth.login(people["voss_contact"])
    assert client.get(f"/medlemskap/{lindas_id}").status_code == 404
    assert client.get(f"/medlemskap/{lindas_id}/representanter/ny").status_code == 404
    proposal = post(client, f"/medlemskap/{lindas_id}/representanter/ny", {
        "group": "project", "name": "Inntrenger", "email": "i@voss.kommune.no", "starts_on": "2026-12-01",
        "user_id": "0"})
    contact = post(client, f"/medlemskap/{lindas_id}/kontaktperson", {"name": "Inntrenger", "email": "i@x.no"})
    assert proposal.status_code == contact.status_code == 404
    assert _count(Representative) == _count(AdministrativeContact) == 0
    assert client.get("/medlemskap/").headers["Location"].endswith(f"/medlemskap/{orgs['Voss'].id}")


@pytest.mark.parametrize("role,organisation,path,status", [
    ("municipality_contact", "Lindås", "/medlemskap/bidrag", 403),
    ("municipality_contact", "Lindås", "/medlemskap/vurdering", 403),
    ("signatory", "Lindås", "/medlemskap/", 302),
    ("project_member", "Universitetet i Bergen", "/medlemskap/", 403),
    ("signatory", "Bergen", "/medlemskap/", 200),
    ("project_member", "Bergen", "/medlemskap/", 403),
    ("adviser", "Bergen", "/medlemskap/", 200),
    ("adviser", "Bergen", "/medlemskap/bidrag", 200),
    ("adviser", "Bergen", "/medlemskap/vurdering", 200),
])
def test_role_checks(client, login, lindas, role, organisation, path, status):
    login(role, organisation=organisation)
    assert client.get(path).status_code == status


def test_the_seats_read_from_the_history_are_the_seats(orgs, people, lindas):
    """The membership page takes the seats from the terms it lists (`seats_from`): the same as `seats`, whether a
    seat is held, ends soon, has a successor proposed, ended, had a proposal rejected or was never filled."""
    org, adviser = orgs["Lindås"], people["adviser"]
    factories.representative(org, adviser, group="steering", starts_on=date(2025, 1, 1))  # ends soon
    factories.representative(org, adviser, seat=1, starts_on=date(2024, 3, 1), ends_on=date(2024, 12, 31))  # ended
    held = factories.representative(org, adviser, seat=2, starts_on=date(2025, 1, 1))
    representatives.propose(org, people["lindas_contact"], group="project", name="Neste", email="n@x.no",
                            starts_on=held.ends_on + timedelta(days=1), seat=2)
    rejected = representatives.propose(org, people["lindas_contact"], group="project", name="Avvist",
                                       email="a@x.no", starts_on=clock.today() + timedelta(days=30), seat=1)
    workflow.perform(rejected, "reject", adviser, comment="Nei.")
    db.session.commit()
    for day in (clock.today(), date(2024, 6, 1), date(2027, 6, 1), date(2028, 6, 1)):
        assert representatives.seats_from(representatives.history(org), day) == representatives.seats(org, day)


def test_membership_page_shows_seats_and_is_linked_from_the_case(client, auth, orgs, people, lindas):
    org = orgs["Lindås"]
    factories.representative(org, people["adviser"], group="steering", starts_on=date(2025, 1, 1), name="Sjef Sjefsen")
    db.session.commit()
    auth.login(people["lindas_contact"])
    html = client.get(f"/medlemskap/{org.id}").get_data(as_text=True)
    assert "Sjef Sjefsen" in html and "Slutter om 38 dager" in html
    assert html.count("Ledig") == 2 and "Foreslå representant" in html
    assert f"/medlemskap/{org.id}" in client.get(f"/saker/{lindas.id}").get_data(as_text=True)


def _member_list_rows(html: str) -> dict[str, list[str]]:
    """The member list's rows: the municipality's name -> the text of the row's cells."""
    table = html[html.index("<tbody>"):html.index("</tbody>")]
    return {cells[0]: cells for cells in (
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S))}


def test_the_member_list_shows_each_members_seats_and_contact_and_the_former_members(client, auth, orgs, people,
                                                                                      lindas):
    adviser = people["adviser"]
    factories.representative(orgs["Lindås"], adviser, group="steering", starts_on=date(2025, 6, 1))
    factories.representative(orgs["Lindås"], adviser, seat=1, starts_on=date(2025, 1, 1))  # ends 31.12.2026
    members.set_admin_contact(orgs["Lindås"], adviser, name="Synnøve Hjartholm", email="s@lindas.kommune.no")
    factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 2, 1))
    merged = factories.member_case(orgs["Osterøy"], adviser, activated_on=date(2023, 3, 1))
    workflow.perform(merged, "end_by_merger", adviser, comment="Slått sammen.")
    db.session.commit()
    auth.login(adviser)
    html = unmarked(client.get("/medlemskap/").get_data(as_text=True))
    rows = _member_list_rows(html)
    assert {name: cells[3:5] for name, cells in rows.items()} == {
        "Lindås": ["2 av 3 1 slutter snart", "Synnøve Hjartholm"], "Voss": ["0 av 3", "mangler"]}
    former = html[html.index("Tidligere medlemmer"):]
    former = former[:former.index("</ul>")]
    assert former.count("<li>") == 1 and ">Osterøy</a> – Avsluttet siden 23.11.2026" in former


def test_contact_person_edited_and_audited(client, auth, orgs, people, lindas):
    org = orgs["Lindås"]
    auth.login(people["lindas_contact"])
    path = f"/medlemskap/{org.id}/kontaktperson"
    bad = post(client, path, {"name": "", "email": "ikke-epost"}, token_from=path)
    assert bad.status_code == 200 and "Skriv en gyldig e-postadresse" in bad.get_data(as_text=True)
    post(client, path, {"name": "Synnøve Hjartholm", "title": "Rådgiver", "email": "Synnove@Lindas.kommune.no",
                        "phone": "55 57 50 00"}, token_from=path)
    contact = members.admin_contact(org)
    assert (contact.name, contact.email, contact.updated_by_id) == \
        ("Synnøve Hjartholm", "synnove@lindas.kommune.no", people["lindas_contact"].id)
    assert _actions("organisation", org.id) == ["organisation.register", "admin_contact.update"]


def test_the_end_of_a_notice_ends_terms_on_the_last_day(orgs, people):
    org, adviser = orgs["Lindås"], people["adviser"]
    case = factories.member_case(org, adviser, activated_on=date(2023, 3, 1))
    current = factories.representative(org, adviser, seat=1, starts_on=date(2025, 3, 1))
    later = factories.representative(org, adviser, seat=2, starts_on=date(2026, 6, 1))
    with clock.pinned(date(2025, 1, 2)):  # a member to 31.12.2025, a year after the notice
        request = workflow.perform(case, "give_notice", people["lindas_signer"], data={"notice_date": "2024-12-31"})
        workflow.approve(request, adviser)
        waiting = representatives.propose(org, people["lindas_contact"], group="steering", name="Venter",
                                          email="v@x.no", starts_on=date(2025, 6, 1))
        contributions.ensure_lines(case)
        db.session.commit()
    with clock.pinned(date(2025, 12, 31)):
        tick.run(date(2025, 12, 31))
    assert case.state == "notice_given", "the tick does nothing on the last day"
    with clock.pinned(date(2026, 1, 2)):  # the tick missed the day after: 2026 is still no membership year
        assert not members.is_member(org)
        contributions.ensure_lines(case)
        contributions.mark_invoiced(contributions.line(org, 2025), adviser, invoiced_on=date(2026, 1, 2),
                                    reference="F1")
        db.session.commit()
    with clock.pinned(date(2026, 1, 3)):
        tick.run(date(2026, 1, 3))
    assert case.state == "terminated"
    assert current.ends_on == date(2025, 12, 31)
    assert (later.state, waiting.state) == ("lapsed", "lapsed")
    assert _actions("representative", waiting.id) == ["representative.propose", "representative.lapse"]
    assert {line.year: line.status for line in contributions.lines_for(org)} == {
        2023: "expected", 2024: "expected", 2025: "invoiced"}
    assert members.member_years(case) == [2023, 2024, 2025]


def test_a_merger_on_new_years_day_cancels_that_years_contribution(orgs, people):
    org, adviser = orgs["Lindås"], people["adviser"]
    case = factories.member_case(org, adviser, activated_on=date(2023, 3, 1))
    with clock.pinned(date(2026, 1, 1)):
        tick.run(date(2026, 1, 1))
        assert contributions.line(org, 2026).status == "expected"
        workflow.perform(case, "end_by_merger", adviser, comment="Slått sammen til Alver.")
        db.session.commit()
    assert members.member_periods(case) == [(date(2023, 3, 1), date(2025, 12, 31))]
    assert members.member_years(case) == [2023, 2024, 2025]
    assert _actions("contribution", contributions.line(org, 2026).id) == ["contribution.expect", "contribution.cancel"]


def test_expiry_ends_terms_on_the_agreements_last_day(orgs, people, lindas):
    org, adviser = orgs["Lindås"], people["adviser"]
    running = factories.representative(org, adviser, seat=1, starts_on=date(2027, 6, 1))  # to 31.05.2029
    waiting = representatives.propose(org, people["lindas_contact"], group="steering", name="Venter",
                                      email="v@x.no", starts_on=date(2027, 9, 1))
    db.session.commit()
    assert not members.member_on(org, date(2028, 1, 1)), "the agreement runs to 31.12.2027"
    with pytest.raises(ServiceError, match="ikke medlemskommune 01.01.2028"):
        factories.representative(org, adviser, seat=2, starts_on=date(2028, 1, 1))
    db.session.rollback()
    with clock.pinned(date(2028, 1, 3)):  # the tick ran two days late
        contributions.ensure_lines(lindas)
        tick.run(date(2028, 1, 3))
    assert lindas.state == "expired"
    assert (running.ends_on, waiting.state) == (date(2027, 12, 31), "lapsed")
    assert members.member_periods(lindas) == [(date(2024, 3, 1), date(2027, 12, 31))]
    assert [line.year for line in contributions.lines_for(org)] == [2024, 2025, 2026, 2027]
    end = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "representative.end"))
    assert end.object_id == running.id and "Siste dag som medlem var 31.12.2027" in end.comment


def test_a_membership_ended_the_day_it_began_lets_its_terms_lapse(orgs, people):
    org, adviser = orgs["Voss"], people["adviser"]
    case = factories.member_case(org, adviser, activated_on=TODAY)
    term = factories.representative(org, adviser, starts_on=TODAY)
    workflow.perform(case, "end_by_merger", adviser, comment="Registrert ved en feil.")
    assert (members.member_periods(case), term.state) == ([], "lapsed")


def test_merger_ends_terms_the_day_before(orgs, people, lindas):
    org = orgs["Lindås"]
    term = factories.representative(org, people["adviser"], group="steering", starts_on=date(2025, 1, 1))
    workflow.perform(lindas, "end_by_merger", people["adviser"], comment="Slått sammen til Alver.")
    db.session.commit()
    assert term.ends_on == TODAY - timedelta(days=1)
    assert not members.is_member(org)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "representative.end"))
    assert event.object_id == term.id and "avsluttet" in event.comment


def test_a_proposal_that_lost_the_race_for_its_seat_gets_the_conflict_page(app, client, auth, orgs, people, lindas,
                                                                            monkeypatch):
    """Between the check that the seat is free and the insert, another contact's proposal for it is committed."""
    org_id, rival = orgs["Lindås"].id, people["lindas_contact"].id
    clash = representatives._clash

    def rival_proposes():
        with app.app_context():
            representatives.propose(db.session.get(Organisation, org_id), db.session.get(User, rival),
                                    group="steering", name="Først", email="forst@x.no", starts_on=date(2026, 12, 1))
            db.session.commit()
            db.session.remove()

    def free_then_taken(*args, **kwargs):
        found = clash(*args, **kwargs)
        monkeypatch.setattr(representatives, "_clash", clash)
        thread = threading.Thread(target=rival_proposes)
        thread.start()
        thread.join(30)
        return found

    contact = factories.user("municipality_contact", organisation=orgs["Lindås"])
    db.session.commit()
    auth.login(contact)
    page = f"/medlemskap/{org_id}/representanter/ny?gruppe=steering"
    token = csrf_token(client, page)
    monkeypatch.setattr(representatives, "_clash", free_then_taken)
    response = client.post(page, data={"group": "steering", "name": "Sist", "email": "sist@x.no", "user_id": "0",
                                       "starts_on": "2026-12-15", "csrf_token": token})
    assert response.status_code == 409
    assert "Noen andre foreslo en representant til den samme plassen" in response.get_data(as_text=True)
    assert db.session.scalars(select(Representative.name)).all() == ["Først"]


def test_the_proposer_withdraws_from_the_page_and_only_the_proposer_sees_the_button(client, auth, orgs, people,
                                                                                     lindas):
    org = orgs["Lindås"]
    term = representatives.propose(org, people["lindas_contact"], group="project", name="Ola", email="ola@x.no",
                                   starts_on=date(2026, 12, 1))
    colleague = factories.user("municipality_contact", organisation=org)
    db.session.commit()
    auth.login(colleague)
    html = client.get(f"/medlemskap/{org.id}").get_data(as_text=True)
    withdraw = f"/medlemskap/representanter/{term.id}/handling/withdraw"
    assert "Ola" in html and "/handling/" not in html
    refused = post(client, withdraw, token_from=f"/medlemskap/{org.id}")
    assert refused.status_code == 403 and "den som sendte forslaget" in refused.get_data(as_text=True)
    auth.logout()
    auth.login(people["lindas_contact"])
    html = client.get(f"/medlemskap/{org.id}").get_data(as_text=True)
    assert f'href="{withdraw}"' in html and "/handling/approve" not in html and "Trekk forslaget" in html
    assert db.session.get(Representative, term.id).state == "proposed"  # the link only opens the confirmation
    post(client, withdraw, token_from=withdraw)
    assert db.session.get(Representative, term.id).state == "withdrawn"
    assert _actions("representative", term.id) == ["representative.propose", "representative.withdraw"]
    again = post(client, withdraw, token_from=f"/medlemskap/{org.id}")
    assert again.status_code == 409


def test_each_kind_of_viewer_gets_its_own_copy_of_the_membership_page(client, auth, orgs, people, lindas):
    """The page is stored per kind of viewer: a signatory who comes after the adviser gets no edit links or
    steps; the proposer, who may edit, gets the edit links and their own step on the proposal, not the adviser's."""
    org = orgs["Lindås"]
    factories.representative(org, people["adviser"], group="steering", name="Kari")
    representatives.propose(org, people["lindas_contact"], group="project", name="Ola", email="ola@x.no",
                            starts_on=date(2026, 12, 1))
    db.session.commit()
    page = f"/medlemskap/{org.id}"
    auth.login(people["adviser"])
    html = client.get(page).get_data(as_text=True)
    assert "Erstatt" in html and "/handling/approve" in html and "/kontaktperson" in html and "/handling/withdraw" \
        not in html
    auth.logout()
    auth.login(people["lindas_signer"])
    html = client.get(page).get_data(as_text=True)
    assert "Ola" in html and "Kari" in html
    assert "Erstatt" not in html and "/handling/" not in html and "/kontaktperson" not in html
    auth.logout()
    auth.login(people["lindas_contact"])
    html = client.get(page).get_data(as_text=True)
    assert "Erstatt" in html and "/handling/withdraw" in html and "/handling/approve" not in html


def test_a_decision_already_taken_by_someone_else_gets_the_conflict_page(client, auth, orgs, people, lindas):
    term = representatives.propose(orgs["Lindås"], people["lindas_contact"], group="project", name="Ola",
                                   email="ola@x.no", starts_on=date(2026, 12, 1))
    other_adviser = factories.user("adviser", organisation=orgs["Bergen"])
    db.session.commit()
    auth.login(people["adviser"])
    token = csrf_token(client, "/godkjenninger/")
    workflow.perform(term, "reject", other_adviser, comment="Feil gruppe.")
    db.session.commit()
    response = client.post(f"/medlemskap/representanter/{term.id}/handling/approve", data={"csrf_token": token})
    assert response.status_code == 409 and db.session.get(Representative, term.id).state == "rejected"


def test_the_advisers_own_entry_is_registered_at_once_and_the_history_shows_the_reason(client, auth, orgs, people,
                                                                                      lindas):
    org = orgs["Lindås"]
    own = factories.representative(org, people["adviser"], group="steering", starts_on=date(2025, 1, 1))
    refused = representatives.propose(org, people["lindas_contact"], group="project", name="Ola", email="o@x.no",
                                      starts_on=date(2026, 12, 1))
    workflow.perform(refused, "reject", people["adviser"], comment="Ola er ikke ansatt i kommunen.")
    db.session.commit()
    assert own.state == "approved"
    assert _actions("representative", own.id) == ["representative.propose", "representative.register"]
    assert [a.spec.trigger for a in workflow.actions(own, people["adviser"], [])] == []
    auth.login(people["adviser"])
    html = client.get(f"/medlemskap/{org.id}").get_data(as_text=True)
    assert "«Ola er ikke ansatt i kommunen.»" in html and "Avvist" in html


def test_audit_events_name_the_representative_by_id_only(orgs, people, lindas):
    term = representatives.propose(orgs["Lindås"], people["lindas_contact"], group="project", name="Ola Nordmann",
                                   email="ola.nordmann@x.no", starts_on=date(2026, 12, 1))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_id == term.id))
    assert "Ola" not in event.data and "ola.nordmann" not in event.data


def test_the_member_list_pages_through_the_members(client, auth, orgs, people, lindas, monkeypatch):
    from app.members import routes
    monkeypatch.setattr(routes, "PER_PAGE", 1)
    factories.member_case(orgs["Voss"], people["adviser"], activated_on=date(2025, 2, 1))
    db.session.commit()
    auth.login(people["adviser"])
    first, second = (client.get(f"/medlemskap/?page={n}").get_data(as_text=True) for n in (1, 2))
    assert list(_member_list_rows(first)) == ["Lindås"] and list(_member_list_rows(second)) == ["Voss"]
    assert "Side 1 av 2 (2 treff)" in first and 'rel="next"' in first


def test_the_member_list_is_read_once_per_content_version(client, auth, orgs, people, lindas, monkeypatch):
    """The list's rows are stored as read: the next visit reads none of them, a change to the data reads them
    again."""
    auth.login(people["adviser"])
    assert _member_list_rows(client.get("/medlemskap/").get_data(as_text=True))["Lindås"][4] == "mangler"
    reads = []
    monkeypatch.setattr(members, "current_cases", lambda read=members.current_cases: reads.append(1) or read())
    client.get("/medlemskap/")
    assert reads == []
    members.set_admin_contact(orgs["Lindås"], people["adviser"], name="Synnøve Hjartholm",
                              email="s@lindas.kommune.no")
    db.session.commit()
    assert _member_list_rows(client.get("/medlemskap/").get_data(as_text=True))["Lindås"][4] == "Synnøve Hjartholm"
    assert reads == [1]


def test_the_membership_pages_shared_facts_are_read_once_per_content_version(client, auth, orgs, people, lindas,
                                                                              monkeypatch):
    """The contact, contribution lines, comments and evaluations of a municipality's page are stored as read: the
    next visit reads none of them, a change to the data reads them again."""
    auth.login(people["adviser"])
    page = f"/medlemskap/{orgs['Lindås'].id}"
    assert "Ikke registrert" in client.get(page).get_data(as_text=True)
    reads = []
    monkeypatch.setattr(members, "admin_contact", lambda org, read=members.admin_contact: reads.append(1) or read(org))
    assert "Ikke registrert" in client.get(page).get_data(as_text=True)
    assert reads == []
    members.set_admin_contact(orgs["Lindås"], people["adviser"], name="Synnøve Hjartholm",
                              email="s@lindas.kommune.no")
    db.session.commit()
    reads.clear()  # setting the contact reads it too
    html = client.get(page).get_data(as_text=True)
    assert "Synnøve Hjartholm" in html and "Ikke registrert" not in html
    assert reads == [1]
