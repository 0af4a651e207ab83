"""The calendar feed: a secret link per person, their own dates only, and a link that can be switched off."""
import re
from datetime import date, datetime, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent
from app.services import meetings, workflow
from tests import factories
from tests.conftest import Auth, post


@pytest.fixture
def dates(orgs):
    """Lindås and Voss invited with the reply deadline 15.12.2026; Osterøy a member; Askøy in notice; a meeting."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.historic_round("Invitasjon 2026", created=date(2026, 10, 26), deadline=date(2026, 12, 15),
                                        agreement_end=date(2030, 12, 31))
    for name in ("Lindås", "Voss"):
        factories.invited(round_, orgs[name], adviser)
    older = factories.historic_round(agreement_end=date(2027, 12, 31))
    factories.member(older, orgs["Osterøy"], adviser)
    askoy = factories.member(older, orgs["Askøy"], adviser)
    with clock.pinned(date(2026, 3, 2)):
        request = workflow.perform(askoy, "give_notice", factories.user("signatory", organisation=orgs["Askøy"]),
                                   data={"notice_date": "2026-03-01", "notice_by": "municipality"})
        workflow.approve(request, adviser)
    steering = factories.user("steering_member", organisation=orgs["Lindås"], name="Styremedlem Lindås")
    meetings.create("steering", starts_at=datetime(2026, 12, 3, 9, tzinfo=timezone.utc),
                    ends_at=datetime(2026, 12, 3, 11, tzinfo=timezone.utc), place="Bergen rådhus",
                    invitees=[steering], actor=adviser)
    db.session.commit()
    return steering


def _feed_url(client) -> str:
    """Make a link on the calendar page, as a person would, and read it from the page."""
    response = post(client, "/kalender/ny", token_from="/kalender/", follow_redirects=True)
    match = re.search(r'value="http://kk\.test(/kalender/[^"]+\.ics)"', response.get_data(as_text=True))
    assert match, "the new link is shown once"
    return match.group(1)


def _events(client, url) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}


def test_adviser_feed_has_every_deadline_and_the_meetings(client, login, dates):
    login("adviser", organisation="Bergen")
    events = _events(client, _feed_url(client))
    deadline = events["Svarfrist: Lindås kommune (Invitasjon 2026)"]
    assert deadline.decoded("DTSTART") == date(2026, 12, 15) and deadline.decoded("DTEND") == date(2026, 12, 16)
    assert "Svarfrist: Voss kommune (Invitasjon 2026)" in events
    assert events["Siste dag som medlem: Askøy kommune"].decoded("DTSTART") == date(2027, 3, 1)
    assert events["Avtaleperioden slutter: Osterøy kommune"].decoded("DTSTART") == date(2027, 12, 31)
    meeting = events["Styringsgruppemøte 2026"]
    assert meeting.decoded("DTSTART") == datetime(2026, 12, 3, 9, tzinfo=timezone.utc)
    assert str(meeting["LOCATION"]) == "Bergen rådhus" and str(meeting["URL"]).startswith("http://kk.test/moter/")


def test_the_settings_page_says_whose_dates_the_feed_holds(client, auth, dates):
    """As the feed does (access.sees_all): Bergen's signatories get every municipality's dates too."""
    auth.login("signatory", organisation="Bergen")
    assert "Du får datoene for alle kommunene." in client.get("/kalender/").get_data(as_text=True)
    auth.logout()
    auth.login("municipality_contact", organisation="Voss")
    assert "Du får bare datoene for din egen kommune." in client.get("/kalender/").get_data(as_text=True)


def test_municipality_feed_has_only_its_own_dates(client, login, dates):
    login("municipality_contact", organisation="Voss")
    assert set(_events(client, _feed_url(client))) == {"Svarfrist: Voss kommune (Invitasjon 2026)"}


def test_invitee_feed_has_the_meeting(client, auth, dates):
    auth.login(dates)
    assert set(_events(client, _feed_url(client))) == {"Svarfrist: Lindås kommune (Invitasjon 2026)",
                                                        "Styringsgruppemøte 2026"}


def test_revoked_link_gives_404(client, login, dates):
    user = login("municipality_contact", organisation="Voss")
    url = _feed_url(client)
    response = post(client, "/kalender/slett", token_from="/kalender/", follow_redirects=True)
    assert "Kalenderlenken virker ikke lenger." in response.get_data(as_text=True)
    assert client.get(url).status_code == 404
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == user.id,
                                                                  AuditEvent.action.like("calendar.%"))).all()
    assert actions == ["calendar.token_create", "calendar.token_revoke"]


def test_new_link_replaces_the_old_one(client, login, dates):
    login("municipality_contact", organisation="Voss")
    old = _feed_url(client)
    new = _feed_url(client)
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_link_is_shown_only_once(client, login, dates):
    login("municipality_contact", organisation="Voss")
    url = _feed_url(client)
    page = client.get("/kalender/").get_data(as_text=True)
    assert url not in page and "Du har en aktiv kalenderlenke" in page


def test_unknown_link_and_deactivated_user_give_404(client, login, dates):
    user = login("municipality_contact", organisation="Voss")
    url = _feed_url(client)
    assert client.get("/kalender/feil-token.ics").status_code == 404
    user.active = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_the_feed_stops_when_its_owner_changes_password(client, login, dates):
    user = login("municipality_contact", organisation="Voss")
    url = _feed_url(client)
    response = post(client, "/passord", {"current_password": factories.PASSWORD, "password": "nytt-passord-456",
                                         "confirm": "nytt-passord-456"}, token_from="/passord", follow_redirects=True)
    assert "Kalenderlenken din er slått av: lag en ny under Kalender." in response.get_data(as_text=True)
    assert client.get(url).status_code == 404
    assert _calendar_actions(user) == [("calendar.token_create", user.id), ("calendar.token_revoke", user.id)]


def _calendar_actions(user) -> list[tuple[str, int]]:
    return [tuple(row) for row in db.session.execute(select(AuditEvent.action, AuditEvent.actor_id).where(
        AuditEvent.object_id == user.id, AuditEvent.action.like("calendar.%")).order_by(AuditEvent.seq))]


def test_the_feed_stops_for_good_when_its_owner_is_deactivated(app, client, auth, orgs, dates):
    user = auth.login("municipality_contact", organisation="Voss")
    url = _feed_url(client)
    auth.logout()
    admin = app.test_client()
    admin_user = Auth(admin, orgs).login("admin", organisation="Bergen")
    page = f"/admin/brukere/{user.id}"
    form = {"name": user.name, "organisation_id": orgs["Voss"].id, "roles": ["municipality_contact"]}
    assert post(admin, page, form, token_from=page).status_code == 302
    assert client.get(url).status_code == 404
    assert post(admin, page, {**form, "active": "y"}, token_from=page).status_code == 302
    assert db.session.get(type(user), user.id).active and client.get(url).status_code == 404
    assert _calendar_actions(user) == [("calendar.token_create", user.id), ("calendar.token_revoke", admin_user.id)]


def test_feed_needs_no_sign_in_but_the_settings_page_does(client, auth, dates):
    auth.login("municipality_contact", organisation="Voss")
    url = _feed_url(client)
    auth.logout()
    assert client.get(url).status_code == 200
    assert client.get("/kalender/").status_code == 302


@pytest.fixture
def terms(orgs, dates):
    """Osterøy's steering representative ends 28.02.2027, an earlier term has ended; Askøy has a proposal waiting."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    factories.representative(orgs["Osterøy"], adviser, group="steering", name="Kari Osterøy",
                             starts_on=date(2023, 3, 1), ends_on=date(2025, 2, 28))
    factories.representative(orgs["Osterøy"], adviser, group="steering", name="Per Osterøy",
                             starts_on=date(2025, 3, 1))
    factories.representative(orgs["Askøy"], adviser, name="Anne Askøy", starts_on=date(2026, 1, 1))
    contact = factories.user("municipality_contact", organisation=orgs["Askøy"])
    factories.representative(orgs["Askøy"], contact, name="Foreslått Person", starts_on=date(2026, 12, 1))
    db.session.commit()


def test_feed_has_the_end_of_each_current_representative_term(client, login, terms):
    login("adviser", organisation="Bergen")
    events = _events(client, _feed_url(client))
    ending = {name: e for name, e in events.items() if name.startswith("Representantperioden slutter")}
    assert set(ending) == {"Representantperioden slutter: Per Osterøy (Osterøy)",
                           "Representantperioden slutter: Anne Askøy (Askøy)"}
    per = ending["Representantperioden slutter: Per Osterøy (Osterøy)"]
    assert per.decoded("DTSTART") == date(2027, 2, 28) and per.decoded("DTEND") == date(2027, 3, 1)
    assert "Siste dag for Per Osterøy i styringsgruppen for Osterøy kommune." in str(per["DESCRIPTION"])
    assert str(per["URL"]).startswith("http://kk.test/medlemskap/")
    assert ending["Representantperioden slutter: Anne Askøy (Askøy)"].decoded("DTSTART") == date(2027, 12, 31)


def test_municipality_feed_has_only_its_own_representatives(client, login, terms):
    login("municipality_contact", organisation="Osterøy")
    assert set(_events(client, _feed_url(client))) == {"Avtaleperioden slutter: Osterøy kommune",
                                                        "Representantperioden slutter: Per Osterøy (Osterøy)"}


@pytest.mark.parametrize("role, organisation, count", [
    ("adviser", "Bergen", 7), ("admin", "Bergen", 7), ("signatory", "Bergen", 6), ("municipality_contact", "Askøy", 2),
    ("signatory", "Osterøy", 2), ("project_member", "Lindås", 1), ("project_member", "Universitetet i Bergen", 0),
    ("steering_member", "Helse Bergen", 0), ("invited", None, 2)])
def test_every_date_in_a_feed_opens_in_the_app_for_its_owner(client, auth, dates, terms, role, organisation, count):
    """A feed shows only what its owner sees in the app (app/access.py): each event links to a page that opens for
    them."""
    if role == "invited":
        auth.login(dates)  # Lindås's steering member, invited to the meeting
    else:
        auth.login(role, organisation=organisation)
    events = _events(client, _feed_url(client))
    assert len(events) == count
    for summary, event in events.items():
        assert client.get(str(event["URL"]).removeprefix("http://kk.test")).status_code == 200, summary


def test_a_polled_feed_is_made_once_and_anew_when_a_date_changes(client, auth, login, dates, monkeypatch):
    from app.services import calendar

    made, real = [], calendar.feed
    monkeypatch.setattr(calendar, "feed", lambda user: made.append(user.id) or real(user))
    adviser = login("adviser", organisation="Bergen")
    url = _feed_url(client)
    auth.logout()  # a calendar program polls without a session
    first = client.get(url)
    second = client.get(url)
    assert first.data == second.data and len(made) == 1
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    meetings.create("coordination", starts_at=datetime(2026, 12, 10, 9, tzinfo=timezone.utc),
                    ends_at=datetime(2026, 12, 10, 10, tzinfo=timezone.utc), place="Alver rådhus",
                    invitees=[dates], actor=adviser)
    db.session.commit()
    assert "Koordineringsm" in client.get(url).get_data(as_text=True) and len(made) == 2
