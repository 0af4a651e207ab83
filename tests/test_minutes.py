"""The minutes' workflow (workflows/minutes.py): drafted by the adviser, put on the agenda of the next meeting of the
same body, approved there as that meeting's decision on the item, or returned for correction; locked once approved;
read by the invitees once put before the next meeting."""
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, Meeting, MeetingItem
from app.services import ServiceError, meetings, workflow
from tests import factories
from tests.conftest import post


@pytest.fixture
def world(orgs, adviser):
    member = factories.user("project_member", organisation=orgs["Lindås"], name="Prosjektmedlem")
    outsider = factories.user("project_member", organisation=orgs["Voss"], name="Ikke invitert")
    first = factories.meeting("project", date(2026, 9, 10), [member], adviser)
    earlier = factories.meeting("project", date(2026, 3, 12), [member], adviser)
    steering = factories.meeting("steering", date(2026, 11, 19), [member], adviser)
    second = factories.meeting("project", date(2026, 11, 19), [member], adviser)
    meetings.record_minutes(first, text="Sak 1: vedtatt.", pdf=None, actor=adviser)
    db.session.commit()
    return {"first": first, "earlier": earlier, "steering": steering, "second": second, "member": member,
            "outsider": outsider, "adviser": adviser}


def _submit(world, meeting_id=None):
    return workflow.perform(world["first"], "submit", world["adviser"],
                            data={"meeting_id": meeting_id or world["second"].id})


def test_minutes_are_approved_at_the_next_meeting_as_its_decision_on_an_item(world):
    _submit(world)
    db.session.commit()
    first, second = world["first"], world["second"]
    item = db.session.scalars(select(MeetingItem).where(MeetingItem.meeting_id == second.id)).one()
    assert first.state == "submitted" and item.approves_minutes_of_id == first.id and item.reference == "PG 1/2026"
    assert item.heading == "Godkjenning av referat fra prosjektgruppemøte 10.09.2026"
    with force_locale("en_GB"):  # English as the app selects it (languages.REGIONS)
        assert item.heading.endswith(" 10/09/2026")  # the reader's date format
    workflow.perform(first, "approve", world["adviser"], comment="Referatet godkjennes uten merknader.")
    db.session.commit()
    assert first.state == "approved"
    assert item.decision == "Referatet godkjennes uten merknader." and item.decided_by_id == world["adviser"].id
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "meeting",
                                                              AuditEvent.object_id == first.id)).all()[-2:] == [
        "minutes.submit", "minutes.approve"]


def test_returned_minutes_become_a_draft_again_and_the_return_is_the_decision(world):
    _submit(world)
    with pytest.raises(ServiceError, match="kommentar"):
        workflow.perform(world["first"], "return_for_correction", world["adviser"])
    workflow.perform(world["first"], "return_for_correction", world["adviser"], comment="Rett sak 1.")
    db.session.commit()
    item = db.session.scalars(select(MeetingItem).where(MeetingItem.approves_minutes_of_id == world["first"].id)).one()
    assert world["first"].state == "draft" and item.decision == "Rett sak 1."
    meetings.record_minutes(world["first"], text="Sak 1: vedtatt med endring.", pdf=None, actor=world["adviser"])
    _submit(world)  # put before the meeting again: a new item
    db.session.commit()
    assert db.session.scalar(select(MeetingItem.number).order_by(MeetingItem.id.desc()).limit(1)) == 2


def test_approved_minutes_are_locked(world):
    _submit(world)
    workflow.perform(world["first"], "approve", world["adviser"])
    db.session.commit()
    with pytest.raises(ServiceError, match="kan ikke endres"):
        meetings.record_minutes(world["first"], text="Ny tekst.", pdf=None, actor=world["adviser"])
    with pytest.raises(ServiceError):
        workflow.perform(world["first"], "return_for_correction", world["adviser"], comment="For sent.")


def test_submitted_minutes_cannot_be_changed_either(world):
    _submit(world)
    with pytest.raises(ServiceError, match="kan ikke endres"):
        meetings.record_minutes(world["first"], text="Ny tekst.", pdf=None, actor=world["adviser"])


@pytest.mark.parametrize("other", ["steering", "earlier", "first"])
def test_the_minutes_cannot_go_before_a_meeting_of_another_body_or_an_earlier_one(world, other):
    with pytest.raises(ServiceError, match="senere møte i samme organ"):
        _submit(world, world[other].id)
    db.session.rollback()
    assert db.session.get(Meeting, world["first"].id).state == "draft"
    assert db.session.scalars(select(MeetingItem)).all() == []


def test_approval_waits_for_the_approving_meeting(world, adviser):
    later = factories.meeting("project", date(2026, 12, 10), [world["member"]], adviser)
    _submit(world, later.id)
    with pytest.raises(ServiceError, match="har begynt"):
        workflow.perform(world["first"], "approve", adviser)
    with clock.pinned(date(2026, 12, 11)):
        workflow.perform(world["first"], "approve", adviser)
    assert world["first"].state == "approved"


def test_minutes_without_text_or_file_cannot_be_put_forward(world, adviser):
    empty = world["earlier"]
    with pytest.raises(ServiceError, match="Skriv referatet"):
        workflow.perform(empty, "submit", adviser, data={"meeting_id": world["first"].id})


def test_the_draft_is_the_advisers_and_the_invitees_read_it_once_put_forward(client, auth, world):
    first = world["first"]
    auth.login(world["member"])
    page = client.get(f"/moter/{first.id}").get_data(as_text=True)
    assert "Sak 1: vedtatt." not in page and "blir synlig for de inviterte" in page
    _submit(world)
    db.session.commit()
    assert "Sak 1: vedtatt." in client.get(f"/moter/{first.id}").get_data(as_text=True)
    auth.logout()
    auth.login(world["outsider"])
    assert client.get(f"/moter/{first.id}").status_code == 404


def test_the_adviser_takes_the_steps_on_confirmation_pages(client, login, world):
    login("adviser", organisation="Bergen")
    first, second = world["first"], world["second"]
    page = client.get(f"/moter/{first.id}/referat/submit").get_data(as_text=True)
    assert "Prosjektgruppemøte 2026, 19.11.2026" in page and "Styringsgruppemøte" not in page
    response = post(client, f"/moter/{first.id}/referat/submit", {"meeting_id": second.id},
                    token_from=f"/moter/{first.id}/referat/submit")
    assert response.status_code == 302
    assert "Til godkjenning i sak" in client.get(f"/moter/{first.id}").get_data(as_text=True)
    approve = f"/moter/{first.id}/referat/approve"
    assert "Referatet er godkjent." in client.get(approve).get_data(as_text=True)  # the vedtak proposed
    assert post(client, approve, {"comment": "Godkjent."}, token_from=approve).status_code == 302
    assert db.session.get(Meeting, first.id).state == "approved"
    item_page = client.get(f"/moter/saker/{db.session.scalar(select(MeetingItem.id))}").get_data(as_text=True)
    assert "Godkjent." in item_page and "registrerte at referatet" not in item_page
