"""A meeting's agenda items: numbered per body and year, changed only before the meeting, documents read by whoever
sees the meeting, decisions recorded and changed only with a reason; the decisions elsewhere that name an item."""
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, CostKey, Meeting, Merger, Subgroup
from app.services import ServiceError, cost_keys, meeting_items, mergers, workflow
from tests import factories
from tests.conftest import post, unmarked
from workflows.key_shares import PERCENT


@pytest.fixture
def world(orgs, adviser):
    member = factories.user("steering_member", organisation=orgs["Lindås"], name="Styremedlem")
    outsider = factories.user("steering_member", organisation=orgs["Voss"], name="Ikke invitert")
    held = factories.meeting("steering", date(2026, 11, 19), [member], adviser)
    coming = factories.meeting("steering", date(2026, 12, 3), [member], adviser)
    project = factories.meeting("project", date(2026, 12, 10), [member], adviser)
    next_year = factories.meeting("steering", date(2027, 1, 14), [member], adviser)
    db.session.commit()
    return {"held": held, "coming": coming, "project": project, "next_year": next_year, "member": member,
            "outsider": outsider, "adviser": adviser}


def _add(meeting, adviser, title="Sak"):
    """An item added the day before the meeting at the latest (on its day the clock's time of day could be past
    its start)."""
    with clock.pinned(min(meeting.starts_at.date() - timedelta(days=1), clock.today())):
        return meeting_items.add(meeting, adviser, title=title, description="")


def test_items_are_numbered_per_body_and_year_and_keep_their_numbers(world, adviser):
    held, coming, project, next_year = world["held"], world["coming"], world["project"], world["next_year"]
    first, second = _add(held, adviser), _add(coming, adviser)
    third = _add(coming, adviser, "Budsjett")
    assert [first.reference, second.reference, third.reference] == ["SG 1/2026", "SG 2/2026", "SG 3/2026"]
    assert _add(project, adviser).reference == "PG 1/2026"
    assert _add(next_year, adviser).reference == "SG 1/2027"
    meeting_items.move(third, adviser, -1)
    assert [i.reference for i in coming.items] == ["SG 3/2026", "SG 2/2026"]
    meeting_items.remove(second, adviser)
    assert _add(coming, adviser).reference == "SG 4/2026"  # a removed item's number is not used again
    db.session.commit()
    assert [i.reference for i in db.session.get(Meeting, coming.id).items] == ["SG 3/2026", "SG 4/2026"]


def test_the_agenda_is_changed_only_before_the_meeting(world, adviser):
    item = _add(world["held"], adviser)
    for change in (lambda: meeting_items.add(world["held"], adviser, title="Ny", description=""),
                   lambda: meeting_items.update(item, adviser, title="Ny", description=""),
                   lambda: meeting_items.move(item, adviser, 1),
                   lambda: meeting_items.remove(item, adviser)):
        with pytest.raises(ServiceError, match="etter at møtet har begynt"):
            change()


def test_a_decision_is_recorded_from_the_meeting_and_changed_only_with_a_reason(world, adviser):
    coming = _add(world["coming"], adviser)
    with pytest.raises(ServiceError, match="når møtet har begynt"):
        meeting_items.record_decision(coming, adviser, text="Vedtatt.")
    item = _add(world["held"], adviser)
    meeting_items.record_decision(item, adviser, text="Vedtatt som foreslått.")
    with pytest.raises(ServiceError, match="Skriv hvorfor"):
        meeting_items.record_decision(item, adviser, text="Vedtatt med endring.")
    meeting_items.record_decision(item, adviser, text="Vedtatt med endring.", reason="Skrivefeil i protokollen.")
    db.session.commit()
    assert item.decision == "Vedtatt med endring."
    events = meeting_items.history(item)
    assert [e.action for e in events] == ["meeting_item.create", "meeting_item.decide",
                                          "meeting_item.change_decision"]
    assert events[-1].comment == "Skrivefeil i protokollen." and "Vedtatt som foreslått." in events[-1].data


def test_the_item_page_shows_the_decision_and_its_change_in_the_history(client, login, world, adviser):
    item = _add(world["held"], adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    page = f"/moter/saker/{item.id}"
    assert post(client, f"{page}/vedtak", {"decision": "Vedtatt."}, token_from=page).status_code == 302
    refused = post(client, f"{page}/vedtak", {"decision": "Annet vedtak."}, token_from=page)
    assert "Skriv hvorfor det endres." in refused.get_data(as_text=True)
    assert post(client, f"{page}/vedtak", {"decision": "Annet vedtak.", "reason": "Feil i protokollen."},
                token_from=page).status_code == 302
    html = unmarked(client.get(page).get_data(as_text=True))
    assert "Annet vedtak." in html and "endret det registrerte vedtaket i sak SG 1/2026" in html
    assert "Feil i protokollen." in html


def test_documents_are_read_by_whoever_sees_the_meeting(client, auth, world, adviser):
    item = _add(world["coming"], adviser)
    db.session.commit()
    auth.login(adviser)
    page = f"/moter/saker/{item.id}"
    response = post(client, f"{page}/dokumenter",
                    {"title": "Forslag", "file": (io.BytesIO(factories.pdf("forslag")), "forslag.pdf")},
                    token_from=page, content_type="multipart/form-data")
    assert response.status_code == 302
    refused = post(client, f"{page}/dokumenter", {"title": "Ikke PDF", "file": (io.BytesIO(b"<html>"), "x.pdf")},
                   token_from=page, content_type="multipart/form-data")
    assert "Filen kan ikke leses som en PDF." in refused.get_data(as_text=True)
    document = item.documents[0]
    auth.logout()
    auth.login(world["member"])
    with client.get(f"/moter/dokumenter/{document.id}.pdf") as download:
        assert download.data == factories.pdf("forslag")
        assert download.headers["Content-Security-Policy"] == "sandbox; default-src 'none'; frame-ancestors 'none'"
    assert client.get(f"/moter/saker/{item.id}").status_code == 200
    assert post(client, f"/moter/saker/{item.id}/dokumenter", token_from=page).status_code == 403
    auth.logout()
    auth.login(world["outsider"])
    assert client.get(f"/moter/dokumenter/{document.id}.pdf").status_code == 404
    assert client.get(f"/moter/saker/{item.id}").status_code == 404


def test_the_adviser_adds_moves_and_removes_items_on_the_pages(client, login, world):
    coming = world["coming"]
    login("adviser", organisation="Bergen")
    new = f"/moter/{coming.id}/saker/ny"
    for title in ("Årsrapport", "Budsjett"):
        assert post(client, new, {"title": title, "description": "Forslag."}, token_from=new).status_code == 302
    assert "Feltet må fylles ut." in post(client, new, {"title": ""}, token_from=new).get_data(as_text=True)
    first, second = db.session.get(Meeting, coming.id).items
    post(client, f"/moter/saker/{second.id}/flytt", {"step": "up"}, token_from=f"/moter/{coming.id}")
    html = client.get(f"/moter/{coming.id}").get_data(as_text=True)
    assert html.index("Budsjett") < html.index("Årsrapport")
    remove = f"/moter/saker/{first.id}/fjern"
    assert "Saksnummeret blir ikke brukt igjen." in client.get(remove).get_data(as_text=True)
    assert post(client, remove, token_from=remove).status_code == 302
    assert [i.title for i in db.session.get(Meeting, coming.id).items] == ["Budsjett"]
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "meeting")
                             .order_by(AuditEvent.seq.desc()).limit(1)) == "meeting_item.remove"


def test_a_cost_key_decision_names_its_steering_group_item_and_the_item_page_links_back(
        client, auth, world, orgs, adviser):
    item = _add(world["held"], adviser, "Fordelingsnøkkel 2027–2029")
    project_item = _add(world["project"], adviser, "Undergruppe")
    bergen = orgs["Bergen"]
    key = cost_keys.create(cost_keys.KeyDraft(2027, 2029, 1_000_000, PERCENT, bergen.id, {bergen.id: 10_000}), adviser)
    workflow.perform(key, "submit", adviser)
    db.session.commit()
    auth.login("steering_member", organisation="Helse Bergen")
    decide = f"/okonomi/fordelingsnokkel/{key.id}/vedtak"
    form = client.get(decide).get_data(as_text=True)
    assert "SG 1/2026 Fordelingsnøkkel 2027–2029" in form and "PG 1/2026" not in form
    wrong = post(client, decide, {"decided_on": "2026-11-19", "meeting_id": 0, "meeting_item_id": project_item.id,
                                  "comment": "Vedtatt."}, token_from=decide)
    assert wrong.status_code == 200 and db.session.get(CostKey, key.id).state == "submitted"
    response = post(client, decide, {"decided_on": "2026-11-19", "meeting_id": 0, "meeting_item_id": item.id,
                                     "comment": "Vedtatt."}, token_from=decide)
    assert response.status_code == 302
    decided = db.session.get(CostKey, key.id)
    assert decided.meeting_item_id == item.id and decided.meeting_id == world["held"].id
    assert decided.agenda_item == "SG 1/2026 Fordelingsnøkkel 2027–2029"
    auth.logout()
    auth.login(adviser)
    html = client.get(f"/moter/saker/{item.id}").get_data(as_text=True)
    assert "Vedtaket gjelder" in html and f"/okonomi/fordelingsnokkel/{key.id}" in html


def test_what_was_decided_and_the_history_are_read_once_per_content_version_for_every_viewer(
        client, auth, world, adviser, monkeypatch):
    item = _add(world["held"], adviser, "Fordelingsnøkkel")
    db.session.commit()
    reads = []
    monkeypatch.setattr(meeting_items, "decided_under",
                        lambda item, read=meeting_items.decided_under: reads.append(1) or read(item))
    page = f"/moter/saker/{item.id}"
    auth.login(adviser)
    assert "Registrer vedtaket" in client.get(page).get_data(as_text=True)
    auth.logout()
    auth.login(world["member"])
    html = client.get(page).get_data(as_text=True)
    assert len(reads) == 1 and "Registrer vedtaket" not in html and "Ingen dokumenter." in html
    meeting_items.record_decision(item, adviser, text="Vedtatt.", reason=None)
    db.session.commit()
    html = unmarked(client.get(page).get_data(as_text=True))
    assert len(reads) == 2 and "registrerte vedtaket i sak" in html


def test_a_subgroup_decision_names_its_project_group_item(client, world, adviser, orgs):
    project_item = _add(world["project"], adviser, "Ny undergruppe")
    steering_item = _add(world["held"], adviser)
    proposer = factories.user("project_member", organisation=orgs["Voss"])
    second = factories.user("project_member", organisation=orgs["Lindås"])
    subgroup = factories.subgroup(proposer)
    workflow.perform(subgroup, "submit", proposer)
    workflow.perform(subgroup, "second", second)
    db.session.commit()
    with pytest.raises(ServiceError, match="riktig organ"):
        workflow.perform(subgroup, "approve", adviser, data={"decided_on": "2026-11-20",
                                                             "meeting_item_id": steering_item.id})
    db.session.rollback()
    subgroup = db.session.get(Subgroup, subgroup.id)
    workflow.perform(subgroup, "approve", adviser, data={"decided_on": "2026-11-20",
                                                         "meeting_item_id": project_item.id})
    db.session.commit()
    assert subgroup.meeting_item_id == project_item.id
    assert [d.label for d in meeting_items.decided_under(project_item)] == [f"Undergruppen «{subgroup.name}»"]


def test_a_merger_names_its_steering_group_item(app, world, adviser, orgs):
    item = _add(world["held"], adviser, "Sammenslåing")
    asked = mergers.Request((orgs["Fusa"].id,), date(2027, 1, 1), orgs["Bergen"].id, 0, meeting_item_id=item.id)
    with app.test_request_context():
        merger = mergers.record_request(adviser, asked)
        db.session.commit()
        assert db.session.get(Merger, merger.id).meeting_item_id == item.id
        assert [d.endpoint for d in meeting_items.decided_under(item)] == ["organisations.organisation_page"]
    with pytest.raises(ServiceError, match="riktig organ"):
        meeting_items.under(_add(world["project"], adviser).id, "steering")


def test_an_item_a_decision_names_cannot_be_removed(world, adviser):
    item = _add(world["coming"], adviser)
    db.session.add(Merger(successor_id=1, first_day=date(2027, 1, 1), meeting_item_id=item.id))
    db.session.flush()
    with pytest.raises(ServiceError, match="knyttet til et vedtak"):
        meeting_items.remove(item, adviser)


def test_the_meeting_list_counts_the_project_groups_meetings_against_four(client, login, world, adviser):
    factories.meeting("project", date(2026, 2, 12), [world["member"]], adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get("/moter/").get_data(as_text=True)
    assert "Prosjektgruppen i 2026: 1 møte holdt, 1 planlagt av 4 i året." in html and "2 møter mangler." in html
