"""The other parties' seats: the steering group by position (no term), the project group for two years at a time."""
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Representative
from app.models.meeting import PROJECT_MEETING, STEERING_MEETING
from app.services import ServiceError, annual_reports, meetings, representatives, tick
from tests import factories
from tests.conftest import post, unmarked

PARTIES = ["Bergen", "Universitetet i Bergen", "Høgskulen på Vestlandet", "NORCE", "Helse Bergen",
           "Folkehelseinstituttet", "Haraldsplass Diakonale Sykehus"]


@pytest.fixture
def uib(orgs):
    return orgs["Universitetet i Bergen"]


def _position(org, adviser, starts_on=date(2017, 1, 1), **kwargs):
    return factories.representative(org, adviser, group="steering", starts_on=starts_on,
                                    title=kwargs.pop("title", "Universitetsdirektør"), **kwargs)


def test_the_parties_are_bergen_and_the_institutions_not_the_other_municipalities(orgs):
    assert sorted(name for name, org in orgs.items() if org.is_party) == sorted(PARTIES)


def test_a_position_seat_has_no_end_and_survives_the_tick_years_later(app, orgs, adviser, uib):
    term = _position(uib, adviser, name="Rektor Rektorsen")
    db.session.commit()
    assert term.state == "approved" and term.ends_on is None
    later = date(2017, 1, 1) + timedelta(days=3 * 366)
    with clock.pinned(later):
        tick.run(later)
    db.session.refresh(term)
    assert term.state == "approved" and term.ends_on is None
    steering = representatives.seats(uib, later)[0]
    assert steering.current == term and not steering.flagged and steering.next_start is None
    assert representatives.seats(uib, date(2040, 1, 1))[0].current == term


def test_a_position_seat_takes_no_end_date_and_needs_the_position(orgs, adviser, uib):
    with pytest.raises(ServiceError, match="ved stilling, uten sluttdato") as refused:
        _position(uib, adviser, ends_on=date(2018, 12, 31))
    assert refused.value.field == "ends_on"
    with pytest.raises(ServiceError, match="Skriv stillingen") as refused:
        _position(uib, adviser, title=" ")
    assert refused.value.field == "title"


def test_a_new_holder_of_the_position_ends_the_old_one_and_the_history_is_kept(orgs, adviser, uib):
    old = _position(uib, adviser, name="Forrige direktør")
    db.session.commit()
    new = _position(uib, adviser, starts_on=date(2021, 8, 1), name="Ny direktør", replaces=old)
    db.session.commit()
    assert old.ends_on == date(2021, 7, 31) and new.ends_on is None
    assert representatives.seats(uib, date(2030, 1, 1))[0].current == new
    assert [t.name for t in representatives.history(uib)] == ["Ny direktør", "Forrige direktør"]
    ended = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "representative.end",
                                                       AuditEvent.object_id == old.id))
    assert json.loads(ended.data) == {"ends_on_before": None, "ends_on": "2021-07-31", "replaced_by": new.id}


def test_a_second_holder_without_replacing_is_refused(orgs, adviser, uib):
    _position(uib, adviser, name="Sitter allerede")
    db.session.commit()
    with pytest.raises(ServiceError, match="Universitetet i Bergen har allerede noen i styringsgruppen ved stilling "
                                           "fra 01.01.2022. Når en ny person får stillingen, velger du «Erstatt»"):
        _position(uib, adviser, starts_on=date(2022, 1, 1))
    with pytest.raises(ServiceError, match="Sitter allerede, fra 01.01.2017, ved stilling"):
        _position(uib, adviser, starts_on=date(2022, 1, 1), seat=1)


def test_a_partys_project_term_expires_after_two_years_like_a_municipalitys(orgs, adviser, uib):
    lindas = orgs["Lindås"]
    factories.member(factories.historic_round(), lindas, adviser)
    party = factories.representative(uib, adviser, group="project", starts_on=date(2024, 3, 1))
    member = factories.representative(lindas, adviser, group="project", starts_on=date(2024, 3, 1))
    db.session.commit()
    assert party.ends_on == member.ends_on == date(2026, 2, 28)
    assert representatives.seats(uib, date(2026, 2, 28))[1].current == party
    assert representatives.seats(uib, date(2026, 3, 1))[1].current is None
    assert representatives.ending_soon(party, date(2026, 1, 15))


def test_a_third_project_representative_of_a_party_is_refused(orgs, adviser, uib):
    for _ in range(2):
        factories.representative(uib, adviser, group="project", starts_on=date(2025, 1, 1))
    db.session.commit()
    with pytest.raises(ServiceError, match="Prosjektgruppen har allerede 2 representanter fra Universitetet i Bergen "
                                           "i hele eller deler av perioden 01.06.2025–31.05.2027, og det er det "
                                           "høyeste antallet avtalen tillater"):
        factories.representative(uib, adviser, group="project", starts_on=date(2025, 6, 1))
    with pytest.raises(ServiceError, match="Prosjektgruppen har 2 plasser per part"):
        factories.representative(uib, adviser, group="project", starts_on=date(2025, 6, 1), seat=3)


def test_a_party_sits_only_while_it_exists_and_only_the_adviser_seats_it(orgs, adviser, uib):
    hvl = orgs["Høgskulen på Vestlandet"]
    hvl.active_to = date(2030, 12, 31)
    with pytest.raises(ServiceError, match="Høgskulen på Vestlandet er ikke part i samarbeidet 01.01.2031"):
        factories.representative(hvl, adviser, group="project", starts_on=date(2031, 1, 1))
    colleague = factories.user("municipality_contact", organisation=uib)
    with pytest.raises(ServiceError, match="Bare kommunens kontaktperson eller FoU-rådgiveren"):
        factories.representative(uib, colleague, group="project")


def test_steering_and_project_meetings_invite_the_parties_by_default(orgs, adviser, uib):
    director = factories.user(organisation=uib, name="Universitetsdirektøren")
    professor = factories.user(organisation=uib, name="Professoren")
    _position(uib, adviser, starts_on=date(2017, 1, 1), user=director)
    factories.representative(uib, adviser, group="project", starts_on=date(2025, 9, 1), user=professor)
    db.session.commit()
    assert director.id in {u.id for u in meetings.default_invitees(STEERING_MEETING)}
    assert professor.id not in {u.id for u in meetings.default_invitees(STEERING_MEETING)}
    project = {u.id for u in meetings.default_invitees(PROJECT_MEETING)}
    assert professor.id in project and director.id not in project


def test_the_adviser_sees_and_seats_the_parties_on_the_membership_pages(client, auth, orgs, adviser, uib):
    _position(uib, adviser, name="Direktør Direktørsen")
    db.session.commit()
    auth.login(adviser)
    listing = unmarked(client.get("/medlemskap/").get_data(as_text=True))
    assert f'href="/medlemskap/{uib.id}"' in listing and "Direktør Direktørsen" in listing
    page = unmarked(client.get(f"/medlemskap/{uib.id}").get_data(as_text=True))
    assert "ved stilling: Universitetsdirektør" in page and "Direktør Direktørsen" in page
    assert "er ikke medlemskommune" not in page and "Foreslå for neste periode" not in page
    path = f"/medlemskap/{uib.id}/representanter/ny"
    response = post(client, path, {"group": "project", "name": "Ny Forsker", "email": "ny.forsker@uib.no",
                                   "starts_on": "2026-11-01", "user_id": "0"}, token_from=path)
    assert response.status_code == 302
    term = db.session.scalar(select(Representative).where(Representative.name == "Ny Forsker"))
    assert term.state == "approved" and term.ends_on == date(2028, 10, 31)


def test_a_municipality_contact_gets_no_party_page(client, auth, orgs, uib):
    auth.login("municipality_contact", organisation="Lindås")
    assert client.get(f"/medlemskap/{uib.id}").status_code == 404
    assert client.get(f"/medlemskap/{uib.id}/representanter/ny").status_code == 404


def test_a_partys_own_people_see_its_seats_but_do_not_change_them(client, auth, orgs, adviser, uib):
    _position(uib, adviser, name="Direktør Direktørsen")
    db.session.commit()
    auth.login("project_member", organisation="Universitetet i Bergen")
    page = client.get(f"/medlemskap/{uib.id}").get_data(as_text=True)
    assert "Direktør Direktørsen" in page and "Erstatt" not in page
    assert client.get(f"/medlemskap/{uib.id}/representanter/ny").status_code == 403


def test_the_annual_report_lists_a_position_holder_in_office(orgs, adviser, uib):
    _position(uib, adviser, name="Rektor Rektorsen")
    db.session.commit()
    terms = annual_reports.gather(2025).representatives
    assert [(t.organisation, t.name, t.ends_on) for t in terms] == [(uib.name, "Rektor Rektorsen", None)]
