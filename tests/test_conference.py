"""The annual conference: places are never overbooked however many register at once; a cancellation gives its
place to the first on the waiting list, once; the cancel link works once, by POST; dietary needs are the adviser's
only; the tick deletes personal data some months after the day and keeps the counts."""
import csv
import io
import re
import threading
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.conference import routes as conference_routes
from app.extensions import db
from app.logs import clean
from app.models import AuditEvent, Conference, ConferenceRegistration, OutboxMessage
from app.services import ServiceError, audit, conference_exports, conference_links, conferences, mail, tick
from tests import conference_world, factories
from tests.conftest import post
from tests.test_concurrency import DONE, run_in_threads
from tests.test_password_links import _received

REGISTRATIONS = 20
FORM = {"name": "Kari Nordmann", "email": "kari@example.no", "organisation_id": "0", "organisation_text": "Eget firma",
        "dietary_needs": "Nøtteallergi", "consent": "y"}


def _states(conference_id: int) -> list[str]:
    return list(db.session.scalars(select(ConferenceRegistration.state).where(
        ConferenceRegistration.conference_id == conference_id).order_by(ConferenceRegistration.id)))


def test_twenty_register_at_once_for_ten_places(app, orgs, monkeypatch):
    """Each registration, having counted the places taken, waits a moment for the others to have counted too: only
    the conference's lock (on SQLite also its serialised writes) keeps them from all seeing free places."""
    assert db.engine.dialect.name != "sqlite" or db.engine.url.database  # file-based, shared by threads
    conference_id = conference_world.conference(capacity=10).id
    db.session.commit()
    all_counted, counted = threading.Barrier(REGISTRATIONS, timeout=5), threading.local()
    count = conferences.places_taken

    def count_then_wait(found):
        taken = count(found)
        if not getattr(counted, "once", False):
            counted.once = True
            try:
                all_counted.wait()
            except threading.BrokenBarrierError:  # the others wait for the lock: as it should be
                pass
        return taken

    monkeypatch.setattr(conferences, "places_taken", count_then_wait)

    def register(i):
        conference_world.register(db.session.get(Conference, conference_id), i)

    assert run_in_threads(app, REGISTRATIONS, register) == [DONE] * REGISTRATIONS
    states = _states(conference_id)
    assert sorted(states) == ["confirmed"] * 10 + ["waitlisted"] * 10
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == REGISTRATIONS
    assert audit.verify().ok


@pytest.fixture
def full(app, orgs):
    """Two places, two confirmed (1, 2) and two on the waiting list (3, 4)."""
    found = conference_world.conference(capacity=2)
    made = [conference_world.register(found, i) for i in range(1, 5)]
    db.session.commit()
    assert [r.state for r in made] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    return found, made


def _moves_up() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "conference_registration.move_up"))


def test_a_cancellation_moves_the_first_on_the_waiting_list_up_once(full, smtp):
    found, made = full
    assert mail.send_pending() == (4, 0)
    db.session.expire_all()
    conferences.cancel_by_token(_token_of(made[0]))
    db.session.commit()
    assert _states(found.id) == ["cancelled", "confirmed", "confirmed", "waitlisted"]
    assert _moves_up() == 1
    [moved_up] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    assert moved_up.recipient == "deltaker3@example.no" and "fått plass" in moved_up.subject
    # Someone on the waiting list cancelling frees no place: nobody moves.
    conferences.cancel(made[3], factories.user("adviser"))
    db.session.commit()
    assert _states(found.id) == ["cancelled", "confirmed", "confirmed", "cancelled"] and _moves_up() == 1


def _token_of(registration: ConferenceRegistration) -> str:
    token = conference_links.mint(registration)
    db.session.commit()
    return token


def test_registering_on_the_public_page_mails_a_cancel_link_that_works_once_by_post(app, client, orgs, smtp):
    found = conference_world.conference(capacity=1)
    conference_world.register(found, 1)
    db.session.commit()
    page = client.get("/konferanse").get_data(as_text=True)
    assert "Fagkonferansen 2027" in page and "Jeg samtykker til at opplysningene" in page
    response = post(client, "/konferanse", FORM, token_from="/konferanse")
    assert response.status_code == 303 and response.headers["Location"].endswith("/konferanse/pameldt")
    mine = db.session.scalar(select(ConferenceRegistration).where(ConferenceRegistration.email == "kari@example.no"))
    assert mine.state == "waitlisted" and mine.dietary_needs == "Nøtteallergi"
    stored = " ".join(m.body_text + m.body_html for m in db.session.scalars(select(OutboxMessage)))
    assert "/konferanse/avmelding/" not in stored and "[lenke for å melde deg av]" in stored
    assert mail.send_pending() == (2, 0)
    [path] = set(re.findall(r"http://kk\.test(/konferanse/avmelding/[^\s\"<]+)", _received(smtp)))  # the last: hers
    assert _owner_of_link(path) == mine.id
    for _ in range(2):  # a mail scanner opening the link changes nothing
        opened = client.get(path)
        assert opened.status_code == 200 and opened.headers["Referrer-Policy"] == "no-referrer"
        assert 'method="post"' in opened.get_data(as_text=True)
    db.session.refresh(mine)
    assert mine.state == "waitlisted"
    assert post(client, path, token_from=path).status_code == 200
    db.session.refresh(mine)
    assert mine.state == "cancelled" and mine.cancel_token_hash is None
    assert client.get(path).status_code == 404  # used up
    assert "avmelding/[skjult]" in clean(f"GET {path} HTTP/1.1") and path.rsplit("/", 1)[1] not in clean(path)
    audited = " ".join(f"{e.data} {e.comment}" for e in db.session.scalars(select(AuditEvent)))
    assert "Nøtteallergi" not in audited and "kari@example.no" not in audited and "Kari" not in audited


def test_the_public_form_offers_the_organisations_that_exist_today(app, client, orgs):
    conference_world.conference(capacity=1)
    db.session.commit()
    offered = f'value="{orgs["Voss"].id}"'
    assert offered in client.get("/konferanse").get_data(as_text=True)
    orgs["Voss"].active_to = date(2020, 1, 1)
    db.session.commit()  # the list as stored follows
    assert offered not in client.get("/konferanse").get_data(as_text=True)


def test_the_public_form_reads_and_writes_its_organisation_select_once_per_content_version(app, client, orgs,
                                                                                           monkeypatch):
    conference_world.conference(capacity=1)
    db.session.commit()
    calls, real = [], conference_routes._organisation_choices
    monkeypatch.setattr(conference_routes, "_organisation_choices", lambda: calls.append(1) or real())

    def select() -> str:
        return re.search(r"<select.*?</select>", client.get("/konferanse").get_data(as_text=True), re.S).group()

    assert orgs["Voss"].name in select() and select() == select() and len(calls) == 1
    orgs["Voss"].official_name = "Voss herad (ny)"
    db.session.commit()
    assert "Voss herad (ny)" in select() and len(calls) == 2


def _owner_of_link(path: str) -> int | None:
    return db.session.scalar(select(ConferenceRegistration.id).where(
        ConferenceRegistration.cancel_token_hash == conference_links.digest(path.rsplit("/", 1)[1])))


def test_dietary_needs_are_shown_to_the_adviser_only(app, client, auth, orgs):
    found = conference_world.conference(capacity=5)
    conference_world.register(found, 1, diet="Glutenfri")
    db.session.commit()
    auth.login("project_member", organisation="Lindås")
    page = client.get(f"/konferanser/{found.id}").get_data(as_text=True)
    assert "Glutenfri" not in page and "Deltaker 1" not in page
    assert client.get(f"/konferanser/{found.id}/deltakere.csv").status_code == 403
    auth.logout()
    auth.login("adviser", organisation="Bergen")
    page = client.get(f"/konferanser/{found.id}").get_data(as_text=True)
    assert "Glutenfri" in page and "Deltaker 1" in page


def test_the_adviser_sees_the_registrations_a_page_at_a_time(app, client, auth, orgs, monkeypatch):
    from app.conference import routes
    found = conference_world.conference(capacity=5)
    for i in (1, 2, 3):
        conference_world.register(found, i)
    db.session.commit()
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    auth.login("adviser", organisation="Bergen")
    first = client.get(f"/konferanser/{found.id}").get_data(as_text=True)
    last = client.get(f"/konferanser/{found.id}?page=2").get_data(as_text=True)
    assert "Deltaker 1" in first and "Deltaker 2" in first and "Deltaker 3" not in first
    assert f'href="/konferanser/{found.id}?page=2"' in first
    assert "Deltaker 3" in last and "Deltaker 1" not in last
    assert "Deltaker 3" in client.get(f"/konferanser/{found.id}?page=9").get_data(as_text=True)  # past the end: the last


def test_the_facts_and_programme_are_rendered_once_per_content_version_the_registrations_each_time(
        app, client, auth, orgs, monkeypatch):
    """The page's facts, counts and programme are the same for every planner: the next visit, by anyone, renders
    none of them; a session added or a registration made after a rendering shows at once; the adviser's registrations
    (personal data) are read on every visit."""
    from datetime import time
    found = conference_world.conference(capacity=5)
    conference_world.register(found, 1)
    planner = factories.user("project_member", organisation=orgs["Lindås"])
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    db.session.commit()
    heads, rows = [], []
    monkeypatch.setattr(conference_routes, "_head", lambda c, real=conference_routes._head: heads.append(1) or real(c))
    monkeypatch.setattr(conferences, "registration_rows",
                        lambda *args, real=conferences.registration_rows: rows.append(1) or real(*args))
    path = f"/konferanser/{found.id}"
    auth.login(planner)
    assert "Programmet kommer." in client.get(path).get_data(as_text=True)
    auth.logout()
    auth.login(adviser)
    assert "Deltaker 1" in client.get(path).get_data(as_text=True)
    assert (heads, rows) == ([1], [1])
    conferences.add_session(found, planner, starts_at=time(9), ends_at=time(10), title="Velkommen", speakers=None)
    conference_world.register(found, 2)
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Velkommen" in page and "Deltaker 2" in page
    assert (heads, rows) == ([1, 1], [1, 1])


def test_the_adviser_s_rows_say_what_the_registrations_say(app, orgs):
    """The list's narrow read (the labels and "can be cancelled" in SQL) agrees with the registrations, in every
    state, with an organisation from the register (with and without an official name), one typed, and none."""
    from workflows.conference import STATES
    found = conference_world.conference(capacity=5)
    orgs["Voss"].official_name, orgs["Lindås"].official_name, orgs["Bergen"].official_name = "Voss herad", "", None
    made = [conference_world.register(found, 1, organisation=orgs["Voss"]),
            conference_world.register(found, 2, organisation=orgs["Lindås"]),
            conference_world.register(found, 3, organisation=orgs["Bergen"]), conference_world.register(found, 4)]
    made[3].organisation_text = None
    made += [conference_world.register(found, 4 + i) for i, _state in enumerate(STATES, start=1)]
    for registration, state in zip(made[4:], STATES):
        registration.state = state
    db.session.commit()
    rows = conferences.registration_rows(found, 0, 50)
    assert [tuple(row) for row in rows] == [(r.id, r.name, r.organisation_label, r.state, r.dietary_needs, r.cancellable)
                                            for r in made]
    assert [row.organisation_label for row in rows[:5]] == ["Voss herad", "Lindås", "Bergen", "", "Eget firma"]
    assert {row.state for row in rows if row.cancellable} == {"confirmed", "waitlisted"}
    assert [row.id for row in conferences.registration_rows(found, 3, 2)] == [made[3].id, made[4].id]


def test_the_participant_list_keeps_formulas_as_text(app, orgs):
    found = conference_world.conference(capacity=5)
    registration = conference_world.register(found, 1, diet="=HYPERLINK(\"http://x\")")
    db.session.commit()
    rows = list(csv.reader(io.StringIO(conference_exports.to_csv([registration]).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][5] == "'=HYPERLINK(\"http://x\")"
    sheet = load_workbook(io.BytesIO(conference_exports.to_xlsx([registration]))).active
    assert sheet.cell(2, 6).value == "'=HYPERLINK(\"http://x\")" and sheet.cell(2, 6).data_type == "s"


def test_registration_closes_after_the_deadline_and_is_rate_limited(app, orgs):
    found = conference_world.conference(capacity=50)
    db.session.commit()
    app.config["CONFERENCE_REGISTRATIONS"] = 2
    for number in (1, 2):
        conferences.register(found, name="A", email=f"a{number}@example.no", organisation_id=None,
                             organisation_text="X", dietary_needs=None, remote_addr="10.9.9.9")
    with pytest.raises(ServiceError, match="For mange påmeldinger"):
        conferences.register(found, name="A", email="a3@example.no", organisation_id=None, organisation_text="X",
                             dietary_needs=None, remote_addr="10.9.9.9")
    db.session.rollback()
    app.config["TODAY"] = "2027-05-21"
    with pytest.raises(ServiceError, match="Påmeldingen er stengt"):
        conference_world.register(db.session.get(Conference, found.id), 3)


def test_attendance_after_the_day_feeds_the_count_per_municipality(app, orgs):
    found = conference_world.conference(capacity=5, held_on=date(2026, 6, 10), deadline=date(2026, 6, 1))
    app.config["TODAY"] = "2026-05-01"
    made = [conference_world.register(found, i, organisation=orgs[name])
            for i, name in enumerate(("Voss", "Voss", "Askøy"), start=1)]
    db.session.commit()
    adviser = factories.user("adviser")
    with pytest.raises(ServiceError, match="fra konferansedagen"):
        conferences.record_attendance(found, {made[0].id}, adviser)
    app.config["TODAY"] = "2026-06-11"
    assert conferences.record_attendance(found, {made[0].id, made[1].id}, adviser) == 3
    db.session.commit()
    assert [r.state for r in made] == ["attended", "attended", "absent"]
    assert conferences.attendance_by_municipality(2026) == [(orgs["Voss"].display_name, 2)]


def test_the_attendance_page_lists_who_holds_a_place_and_ticks_who_came(app, client, auth, orgs):
    app.config["TODAY"] = "2026-05-01"
    found = conference_world.conference(capacity=2, held_on=date(2026, 6, 10), deadline=date(2026, 6, 1))
    came, absent, waiting = (conference_world.register(found, i) for i in (1, 2, 3))
    db.session.commit()
    app.config["TODAY"] = "2026-06-11"
    adviser = factories.user("adviser")
    conferences.record_attendance(found, {came.id}, adviser)
    db.session.commit()
    auth.login(adviser)
    page = client.get(f"/konferanser/{found.id}/oppmote").get_data(as_text=True)
    assert re.findall(r'<input (checked )?[^>]*value="(\d+)"', page) == [("checked ", str(came.id)),
                                                                       ("", str(absent.id))]
    assert "Deltaker 2" in page and "Deltaker 3" not in page  # the waiting list holds no place


def test_the_tick_deletes_personal_data_months_after_the_day_and_keeps_the_counts(app, orgs):
    app.config["TODAY"] = "2026-05-01"
    found = conference_world.conference(capacity=2, held_on=date(2026, 6, 10), deadline=date(2026, 6, 1))
    for i, name in enumerate(("Voss", "Askøy", "Voss"), start=1):
        conference_world.register(found, i, organisation=orgs[name], diet="Vegetar")
    db.session.commit()
    app.config["TODAY"] = "2026-06-11"
    conferences.record_attendance(found, {r.id for r in conferences.registrations(found)}, factories.user("adviser"))
    db.session.commit()
    counts, by_municipality = conferences.counts(found), conferences.attendance_by_municipality(2026)
    assert counts == {"attended": 2, "waitlisted": 1}

    tick.run(date(2026, 12, 9))  # six months after 10 June is 10 December
    assert db.session.scalar(select(func.count()).select_from(ConferenceRegistration).where(
        ConferenceRegistration.email.is_not(None))) == 3
    lines = tick.run(date(2026, 12, 10))
    assert any("personopplysninger i 3 påmeldinger slettet" in line for line in lines)
    db.session.expire_all()
    for registration in conferences.registrations(found):
        assert (registration.name, registration.email, registration.organisation_text, registration.dietary_needs,
                registration.cancel_token_hash) == (None, None, None, None, None)
        assert registration.personal_data_deleted_at is not None
    assert conferences.counts(found) == counts
    assert conferences.attendance_by_municipality(2026) == by_municipality
    assert tick.run(date(2026, 12, 11)) == []  # once
    assert audit.verify().ok


def test_the_retention_is_a_setting(app, orgs):
    app.config["TODAY"] = "2026-05-01"
    found = conference_world.conference(capacity=2, held_on=date(2026, 6, 10), deadline=date(2026, 6, 1))
    conference_world.register(found, 1)
    db.session.commit()
    app.config["CONFERENCE_RETENTION_MONTHS"] = 1
    assert conferences.delete_personal_data(date(2026, 7, 9)) == []
    assert len(conferences.delete_personal_data(date(2026, 7, 10))) == 1


def test_the_public_pages_speak_the_language_in_their_address_and_the_cancel_link_hers(app, client, orgs, smtp):
    conference_world.conference(capacity=5)
    db.session.commit()
    english_browser = {"Accept-Language": "en"}
    page = client.get("/konferanse?lang=nn", headers=english_browser).get_data(as_text=True)
    assert '<html lang="nn">' in page and "Påmeldingsfrist" in page and "kjem du på venteliste" in page
    assert 'href="/offentlig/om?lang=nn"' in page  # the menu stays in the page's language
    assert '<html lang="en">' in client.get("/konferanse", headers=english_browser).get_data(as_text=True)
    response = post(client, "/konferanse?lang=nn", FORM, token_from="/konferanse?lang=nn")
    assert response.status_code == 303 and response.headers["Location"].endswith("/konferanse/pameldt?lang=nn")
    mine = db.session.scalar(select(ConferenceRegistration).where(ConferenceRegistration.email == "kari@example.no"))
    assert mine.language == "nn"
    assert mail.send_pending() == (1, 0)
    [path] = set(re.findall(r"http://kk\.test(/konferanse/avmelding/[^\s\"<]+)", _received(smtp)))
    cancel = client.get(path, headers=english_browser).get_data(as_text=True)
    assert '<html lang="nn">' in cancel and "Dette kan ikkje angrast." in cancel
    assert '<html lang="en">' in client.get(f"{path}?lang=en").get_data(as_text=True)
