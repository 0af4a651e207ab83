"""Who sees a municipality's membership, and who sees a meeting, is one rule each (app/access.py), and every page,
list and feed follows it."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app import access
from app.extensions import db
from app.models import Agreement
from app.services import agreements, calendar, meetings, representatives
from tests import factories

# role, organisation, sees every municipality, sees Lindås
PEOPLE = [
    ("adviser", "Bergen", True, True),
    ("admin", "Bergen", True, True),
    ("signatory", "Bergen", True, True),  # signs and gives notice for the host (agreement § 13)
    ("project_member", "Bergen", False, False),
    ("municipality_contact", "Lindås", False, True),
    ("signatory", "Lindås", False, True),
    ("signatory", "Voss", False, False),
]


@pytest.fixture
def lindas(orgs):
    adviser = factories.adviser(orgs["Bergen"])
    case = factories.member_case(orgs["Lindås"], adviser, activated_on=date(2025, 3, 1))
    factories.representative(orgs["Lindås"], adviser, starts_on=date(2025, 6, 1))
    db.session.commit()
    return case


@pytest.mark.parametrize("role, organisation, all_of_them, lindas_too", PEOPLE)
def test_the_rule(orgs, role, organisation, all_of_them, lindas_too):
    user = factories.user(role, organisation=orgs[organisation])
    assert access.sees_all(user) is all_of_them
    assert access.sees(user, orgs["Lindås"].id) is lindas_too


def test_someone_without_an_organisation_sees_only_if_they_see_all(orgs):
    assert not access.sees(factories.user("project_member"), orgs["Lindås"].id)
    assert access.sees(factories.user("admin"), orgs["Lindås"].id)


@pytest.mark.parametrize("role, organisation, all_of_them, lindas_too", PEOPLE)
def test_every_page_list_and_feed_follows_the_rule(client, login, lindas, role, organisation, all_of_them,
                                                    lindas_too):
    user = login(role, organisation=organisation)
    agreement = db.session.scalar(select(Agreement).where(Agreement.case_id == lindas.id))
    shown = 200 if lindas_too else 404
    assert client.get(f"/saker/{lindas.id}").status_code == shown
    assert client.get(f"/avtaler/{agreement.id}").status_code == shown
    assert client.get(f"/medlemskap/{lindas.organisation_id}").status_code == shown
    assert ("Lindås" in client.get("/saker/").get_data(as_text=True)) is lindas_too
    assert (agreement in db.session.scalars(agreements.visible_to(user)).all()) is lindas_too
    assert any("Lindås" in entry.summary for entry in calendar.case_dates(user)) is lindas_too
    assert any("Lindås" in entry.summary for entry in representatives.term_end_dates(user)) is lindas_too
    assert (client.get("/medlemskap/").status_code == 200) is all_of_them


# role, organisation, invited, sees the meeting
MEETING_PEOPLE = [
    ("adviser", "Bergen", False, True),
    ("admin", "Bergen", False, True),
    ("signatory", "Bergen", False, False),  # sees every municipality, but only the meetings they are invited to
    ("steering_member", "Helse Bergen", True, True),
    ("steering_member", "Lindås", False, False),
]


@pytest.mark.parametrize("role, organisation, invited, sees", MEETING_PEOPLE)
def test_the_meeting_rule_in_python_and_sql_and_on_every_page_and_feed(client, login, orgs, role, organisation,
                                                                       invited, sees):
    user = login(role, organisation=organisation)
    invitees = [user] if invited else [factories.user("steering_member", organisation=orgs["Voss"])]
    meeting = meetings.create("steering", starts_at=datetime(2026, 12, 3, 9, tzinfo=timezone.utc),
                              ends_at=datetime(2026, 12, 3, 11, tzinfo=timezone.utc), place="Bergen rådhus",
                              invitees=invitees, actor=factories.adviser(orgs["Bergen"]),
                              notify=False)
    db.session.commit()
    assert access.sees_meeting(user, {i.user_id for i in meeting.invitees}) is sees
    assert (meeting in db.session.scalars(meetings.visible(user)).all()) is sees
    assert client.get(f"/moter/{meeting.id}").status_code == (200 if sees else 404)
    assert (f'href="/moter/{meeting.id}"' in client.get("/moter/").get_data(as_text=True)) is sees
    assert any(entry.path == f"/moter/{meeting.id}" for entry in calendar.meeting_dates(user)) is sees
