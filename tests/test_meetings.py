"""Meetings (§7–8): the adviser plans them and invites people, invitees see them, minutes and attendance."""
import io
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Meeting, OutboxMessage, StoredFile
from app.services import ServiceError, meetings, members
from tests import factories
from tests.conftest import post, unmarked

FORM = {"date": "2026-12-03", "start_time": "10:00", "end_time": "12:00", "place": "Bergen rådhus"}


@pytest.fixture
def people(orgs):
    return {
        "steering": factories.user("steering_member", organisation=orgs["Lindås"], name="Olav Hauge"),
        "steering2": factories.user("steering_member", organisation=orgs["Bergen"], name="Nina Mevold"),
        "contact": factories.user("municipality_contact", organisation=orgs["Voss"], name="Siri Lie"),
        "gone": factories.user("steering_member", organisation=orgs["Askøy"], name="Sluttet Person"),
    }


@pytest.fixture
def meeting(orgs, people):
    people["gone"].active = False
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    made = meetings.create("steering", starts_at=datetime(2026, 1, 15, 9, tzinfo=timezone.utc),
                           ends_at=datetime(2026, 1, 15, 11, tzinfo=timezone.utc), place="Bergen rådhus",
                           invitees=[people["steering"], people["steering2"]], actor=adviser)
    db.session.commit()
    return made


def test_new_steering_meeting_invites_the_steering_group_by_default(client, login, people):
    people["gone"].active = False
    db.session.commit()
    login("adviser", organisation="Bergen")
    steering = _checked(client.get("/moter/ny/steering").get_data(as_text=True))
    assert steering == {people["steering"].id, people["steering2"].id}
    assert _checked(client.get("/moter/ny/coordination").get_data(as_text=True)) == {people["contact"].id}


def test_default_invitees_come_from_the_representatives_and_contacts(client, login, orgs, people):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    factories.member(factories.historic_round(), orgs["Lindås"], adviser)
    mayor = factories.user(organisation=orgs["Lindås"], name="Rådmann Lindås")
    former = factories.user(organisation=orgs["Lindås"], name="Tidligere representant")
    nurse = factories.user(organisation=orgs["Lindås"], name="Prosjektmedlem Lindås")
    factories.representative(orgs["Lindås"], adviser, group="steering", user=former, starts_on=date(2022, 3, 1))
    factories.representative(orgs["Lindås"], adviser, group="steering", user=mayor, starts_on=date(2025, 3, 1))
    factories.representative(orgs["Lindås"], adviser, group="project", user=nurse, starts_on=date(2025, 3, 1))
    clerk = factories.user(organisation=orgs["Lindås"], name="Synnøve Hjartholm", email="synnove@lindas.kommune.no")
    members.set_admin_contact(orgs["Lindås"], adviser, name="Synnøve Hjartholm", email="Synnove@lindas.kommune.no")
    members.set_admin_contact(orgs["Voss"], adviser, name="Uten bruker", email="ukjent@voss.kommune.no")
    people["gone"].active = False
    db.session.commit()

    steering = {u.id for u in meetings.default_invitees("steering")}
    assert steering == {people["steering"].id, people["steering2"].id, mayor.id}
    assert {u.id for u in meetings.default_invitees("coordination")} == {people["contact"].id, clerk.id}
    login("adviser", organisation="Bergen")
    assert _checked(client.get("/moter/ny/steering").get_data(as_text=True)) == steering


def _checked(html: str) -> set[int]:
    """The user ids ticked in the invitee list."""
    boxes = re.findall(r'<input[^>]*name="invitees"[^>]*>', html)
    return {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes if "checked" in box}


def test_adviser_plans_a_meeting_and_invitees_get_mail(client, login, people):
    login("adviser", organisation="Bergen")
    data = {**FORM, "invitees": [people["steering"].id, people["contact"].id]}
    response = post(client, "/moter/ny/steering", data, token_from="/moter/ny/steering")
    assert response.status_code == 302
    meeting = db.session.scalars(select(Meeting)).one()
    assert meeting.title == "Styringsgruppemøte 2026"
    assert meeting.starts_at == datetime(2026, 12, 3, 9, tzinfo=timezone.utc)  # 10:00 in Oslo
    mail = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mail) == {people["steering"].email, people["contact"].email}
    invitation = mail[people["contact"].email]
    assert invitation.subject == "Møteinnkalling: Styringsgruppemøte 2026"
    assert "3. desember 2026 kl. 10:00–12:00" in invitation.body_text
    assert f"http://kk.test/moter/{meeting.id}" in invitation.body_text
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "meeting")) == "meeting.create"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "innkallingen går ut på e-post til 2 personer i løpet av et minutt" in page


def test_meeting_form_errors_are_shown_on_the_fields(client, login, people):
    login("adviser", organisation="Bergen")
    response = post(client, "/moter/ny/coordination", {**FORM, "end_time": "09:00", "invitees": [people["contact"].id]},
                    token_from="/moter/ny/coordination")
    assert "Møtet må slutte etter at det begynner." in response.get_data(as_text=True)
    response = post(client, "/moter/ny/coordination", {**FORM, "place": ""}, token_from="/moter/ny/coordination")
    html = response.get_data(as_text=True)
    assert 'id="place-error"' in html and "Feltet må fylles ut." in html
    typed = post(client, "/moter/ny/coordination", {**FORM, "start_time": "ti"}, token_from="/moter/ny/coordination")
    assert "Skriv et gyldig klokkeslett, for eksempel 14:30." in typed.get_data(as_text=True)
    assert db.session.scalars(select(Meeting)).first() is None


def test_moving_a_meeting_tells_everyone_and_invites_newcomers(client, login, people, meeting):
    login("adviser", organisation="Bergen")
    data = {**FORM, "date": "2026-01-22", "invitees": [people["steering"].id, people["contact"].id]}
    response = post(client, f"/moter/{meeting.id}/endre", data, token_from=f"/moter/{meeting.id}/endre")
    assert response.status_code == 302
    subjects = {(m.recipient, m.subject.split(":")[0]) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id > 2))}
    assert subjects == {(people["steering"].email, "Endret møtetidspunkt eller sted"),
                        (people["contact"].email, "Møteinnkalling")}
    assert {i.user.name for i in db.get_or_404(Meeting, meeting.id).invitees} == {"Olav Hauge", "Siri Lie"}


def test_invitees_see_the_meeting_others_do_not(client, auth, login, people, meeting):
    auth.login(people["steering"])
    assert "Styringsgruppemøte 2026" in client.get("/moter/").get_data(as_text=True)
    assert client.get(f"/moter/{meeting.id}").status_code == 200
    auth.logout()
    auth.login(people["contact"])
    assert "Styringsgruppemøte 2026" not in client.get("/moter/").get_data(as_text=True)
    assert client.get(f"/moter/{meeting.id}").status_code == 404


def test_the_edit_form_ticks_who_is_invited_and_keeps_the_choice_after_an_error(client, login, people, meeting):
    login("adviser", organisation="Bergen")
    edit = f"/moter/{meeting.id}/endre"
    assert _checked(client.get(edit).get_data(as_text=True)) == {people["steering"].id, people["steering2"].id}
    chosen = {people["steering"].id, people["contact"].id}
    failed = post(client, edit, {**FORM, "place": "", "invitees": sorted(chosen)}, token_from=edit)
    assert _checked(failed.get_data(as_text=True)) == chosen


def _offered(html: str) -> list[str]:
    return re.findall(r'<label for="invitees-\d+"[^>]*>([^<,]+)', html)


def _group_box(html: str) -> bool:
    """Whether the box for the whole group is ticked."""
    return "checked" in re.search(r'<input[^>]*name="group"[^>]*>', html).group(0)


def _as_sent(html: str, **changes) -> dict:
    """What a browser sends of the invitees as the form shows them, with `changes`."""
    return {**FORM, "group": "y" if _group_box(html) else "", "invitees": sorted(_checked(html)),
            "listed": re.search(r'name="listed" type="hidden" value="([^"]*)"', html).group(1), **changes}


def test_the_form_invites_the_group_with_one_box_and_lists_the_exceptions_and_the_search(
        client, login, people, meeting, monkeypatch):
    monkeypatch.setattr(meetings, "CANDIDATES_SHOWN", 1)
    login("adviser", organisation="Bergen")
    edit = f"/moter/{meeting.id}/endre"
    assert "Siri Lie" not in client.get(f"/moter/{meeting.id}").get_data(as_text=True)
    html = client.get(edit).get_data(as_text=True)
    # The meeting invites the whole steering group: its box, and nobody listed but the first other.
    assert _group_box(html) and "Hele styringsgruppen (2)" in html and len(_offered(html)) == 1
    found = post(client, edit, _as_sent(html, q="nina", action="filter"), token_from=edit).get_data(as_text=True)
    assert _offered(found) == ["Nina Mevold"] and _checked(found) == {people["steering2"].id}
    # Her box unticked, she is left out of the group and stays listed while the search finds another.
    left_out = post(client, edit, _as_sent(found, invitees=[], q="siri", action="filter"),
                    token_from=edit).get_data(as_text=True)
    assert _offered(left_out) == ["Nina Mevold", "Siri Lie"] and _checked(left_out) == set()
    assert db.session.get(Meeting, meeting.id).place == "Bergen rådhus"  # a search saves nothing
    saved = post(client, edit, _as_sent(left_out, invitees=[people["contact"].id]), token_from=edit)
    assert saved.status_code == 302
    chosen = {people["steering"].id, people["contact"].id}
    assert set(meetings.invitees_by_name(db.session.get(Meeting, meeting.id))) == chosen
    assert "Siri Lie" in client.get(f"/moter/{meeting.id}").get_data(as_text=True)  # the stored list follows
    # Half the group: no box for it, everyone listed; saved as shown, nothing changes.
    html = client.get(edit).get_data(as_text=True)
    assert not _group_box(html) and _checked(html) == chosen
    assert post(client, edit, _as_sent(html), token_from=edit).status_code == 302
    assert set(meetings.invitees_by_name(db.session.get(Meeting, meeting.id))) == chosen


def test_a_new_meeting_saved_as_offered_invites_the_group(client, login, orgs, people, monkeypatch):
    monkeypatch.setattr(meetings, "CANDIDATES_SHOWN", 0)
    people["gone"].active = False
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get("/moter/ny/coordination").get_data(as_text=True)
    assert _group_box(html) and "Alle kommunenes kontaktpersoner og administrative kontakter (1)" in html
    assert _offered(html) == []  # the group's members are not listed one by one
    new = "/moter/ny/coordination"
    sent = _as_sent(html, invitees=[people["gone"].id])  # not offered: no longer active
    assert post(client, new, sent, token_from=new).status_code == 302
    assert [i.user.name for i in db.session.scalars(select(Meeting)).one().invitees] == ["Siri Lie"]
    factories.user("municipality_contact", organisation=orgs["Lindås"], name="Ny Kontakt")
    db.session.commit()  # the group as stored for the form follows
    assert "kontakter (2)" in client.get(new).get_data(as_text=True)




@pytest.mark.parametrize("path", ["/moter/ny/steering", "/moter/1/endre"])
def test_only_the_adviser_plans_meetings(client, auth, people, meeting, path):
    auth.login(people["steering"])
    assert client.get(path).status_code == 403


def test_minutes_as_text_and_pdf(client, login, people, meeting):
    login("adviser", organisation="Bergen")
    pdf = factories.pdf("referat")
    response = post(client, f"/moter/{meeting.id}/referat",
                    {"minutes": "Sak 1: godkjent.", "minutes_file": (io.BytesIO(pdf), "referat.pdf")},
                    token_from=f"/moter/{meeting.id}", content_type="multipart/form-data")
    assert response.status_code == 302
    stored = db.get_or_404(Meeting, meeting.id)
    assert stored.minutes == "Sak 1: godkjent." and _stored() == {stored.minutes_file: pdf}
    with client.get(f"/moter/{meeting.id}/referat.pdf") as download:
        assert download.data == pdf and download.mimetype == "application/pdf"
    with client.get(f"/moter/{meeting.id}/referat.pdf", headers={"Range": "bytes=9999-"}) as beyond:
        assert beyond.status_code == 416 and "Noe gikk galt" in beyond.get_data(as_text=True)


def test_minutes_refuse_a_file_that_is_not_a_pdf(client, login, people, meeting):
    login("adviser", organisation="Bergen")
    response = post(client, f"/moter/{meeting.id}/referat",
                    {"minutes": "", "minutes_file": (io.BytesIO(b"MZ\x90"), "referat.pdf")},
                    token_from=f"/moter/{meeting.id}", content_type="multipart/form-data")
    assert "Filen kan ikke leses som en PDF. Last opp en PDF-fil." in response.get_data(as_text=True)
    assert db.get_or_404(Meeting, meeting.id).minutes_file is None and _stored() == {}


def test_attendance_is_recorded_per_invitee(client, login, people, meeting):
    login("adviser", organisation="Bergen")
    steering, steering2 = people["steering"], people["steering2"]
    response = post(client, f"/moter/{meeting.id}/oppmote",
                    {f"attendance-{steering.id}": "present", f"attendance-{steering2.id}": "absent"},
                    token_from=f"/moter/{meeting.id}")
    assert response.status_code == 302
    html = client.get(f"/moter/{meeting.id}").get_data(as_text=True)
    assert f'name="attendance-{steering.id}" value="present" checked' in html
    assert f'name="attendance-{steering2.id}" value="absent" checked' in html


def _stored() -> dict[str, bytes]:
    return dict(db.session.execute(select(StoredFile.name, StoredFile.content)).all())


def _upload(client, meeting, pdf: bytes):
    return post(client, f"/moter/{meeting.id}/referat", {"minutes": "", "minutes_file": (io.BytesIO(pdf), "r.pdf")},
                token_from=f"/moter/{meeting.id}", content_type="multipart/form-data")


def test_the_pdf_is_stored_in_the_database_with_the_meeting(app, people, meeting):
    meetings.record_minutes(meeting, text="", pdf=factories.pdf("a"), actor=people["steering"])
    db.session.commit()
    name = db.session.get(Meeting, meeting.id).minutes_file
    assert name.startswith(f"meetings/{meeting.id}-") and _stored() == {name: factories.pdf("a")}
    assert meetings.minutes_pdf(meeting) == factories.pdf("a")


def test_a_replaced_pdf_is_removed(client, login, meeting):
    login("adviser", organisation="Bergen")
    assert _upload(client, meeting, factories.pdf("first")).status_code == 302
    first = db.session.get(Meeting, meeting.id).minutes_file
    assert _upload(client, meeting, factories.pdf("second")).status_code == 302
    second = db.session.get(Meeting, meeting.id).minutes_file
    assert second != first and _stored() == {second: factories.pdf("second")}
    assert client.get(f"/moter/{meeting.id}/referat.pdf").data == factories.pdf("second")


def test_a_rolled_back_upload_leaves_no_file_and_keeps_the_old_one(client, login, meeting, monkeypatch):
    login("adviser", organisation="Bergen")
    assert _upload(client, meeting, factories.pdf("first")).status_code == 302
    first = db.session.get(Meeting, meeting.id).minutes_file

    def refuse(*args, **kwargs):
        raise ServiceError("Noe stoppet lagringen.")

    monkeypatch.setattr(meetings.audit, "record", refuse)  # fails after the file was handed over
    response = _upload(client, meeting, factories.pdf("second"))
    assert response.status_code == 200 and "Noe stoppet lagringen." in response.get_data(as_text=True)
    assert db.session.get(Meeting, meeting.id).minutes_file == first
    assert _stored() == {first: factories.pdf("first")}


def test_the_invitees_are_listed_a_page_at_a_time_and_attendance_on_one_page_keeps_the_others(
        client, login, people, meeting, monkeypatch):
    from app.meetings import routes
    monkeypatch.setattr(routes, "PER_PAGE", 1)
    steering, steering2 = people["steering"], people["steering2"]  # Olav Hauge, Nina Mevold
    adviser = login("adviser", organisation="Bergen")
    first = unmarked(client.get(f"/moter/{meeting.id}").get_data(as_text=True))
    assert "<legend>Nina Mevold, Bergen</legend>" in first and "Olav Hauge" not in first, "by name"
    assert "Side 1 av 2 (2 treff)" in first
    path = f"/moter/{meeting.id}/oppmote?page=1"
    response = post(client, path, {f"attendance-{steering2.id}": "present"}, token_from=f"/moter/{meeting.id}")
    assert response.headers["Location"] == f"/moter/{meeting.id}?page=1"
    second = f"/moter/{meeting.id}?page=2"
    assert "<legend>Olav Hauge, Lindås</legend>" in unmarked(client.get(second).get_data(as_text=True))
    post(client, f"/moter/{meeting.id}/oppmote?page=2", {f"attendance-{steering.id}": "absent"}, token_from=second)
    attendance = {i.user_id: i.attendance for i in db.session.get(Meeting, meeting.id).invitees}
    assert attendance == {steering.id: "absent", steering2.id: "present"}
    assert adviser.id not in attendance


def test_the_page_reads_its_agenda_and_invitees_once_per_content_version(client, auth, people, meeting,
                                                                         monkeypatch):
    from app.meetings import routes
    monkeypatch.setattr(routes, "PER_PAGE", 1)  # Nina Mevold on the first page, Olav Hauge on the second
    calls, real = [], meetings.invitees_of
    monkeypatch.setattr(meetings, "invitees_of", lambda *args: calls.append(args) or real(*args))
    steering, steering2 = people["steering"], people["steering2"]
    auth.login(steering)
    client.get(f"/moter/{meeting.id}")
    first = client.get(f"/moter/{meeting.id}").get_data(as_text=True)
    assert len(calls) == 1
    assert "Nina Mevold" in first and "oppmote" not in first  # the list, not the adviser's form
    meetings.record_attendance(meeting, {steering2.id: "absent"}, factories.user("adviser"))
    db.session.commit()
    html = unmarked(client.get(f"/moter/{meeting.id}").get_data(as_text=True))
    assert "<li>Nina Mevold, Bergen – <span class=\"muted\">Ikke til stede</span></li>" in html
    assert len(calls) == 2
    pages = [unmarked(client.get(f"/moter/{meeting.id}?page={n}").get_data(as_text=True)) for n in (1, 2)]
    assert len(calls) == 3  # each page its own copy
    assert ["<li>Nina Mevold, Bergen" in page for page in pages] == [True, False]
    assert ["<li>Olav Hauge, Lindås" in page for page in pages] == [False, True]


def test_what_the_form_offers_on_a_get_is_read_once_per_content_version(client, login, orgs, people, meeting,
                                                                        monkeypatch):
    calls, real = [], meetings.candidates
    monkeypatch.setattr(meetings, "candidates", lambda *args: calls.append(args) or real(*args))
    login("adviser", organisation="Bergen")
    path = f"/moter/{meeting.id}/endre"
    client.get(path)
    client.get(path)
    assert len(calls) == 1
    client.get("/moter/ny/steering")
    client.get("/moter/ny/steering")
    assert len(calls) == 2  # a new meeting's form: its own copy
    factories.user("steering_member", organisation=orgs["Voss"], name="Aase Ny")
    db.session.commit()
    assert "Aase Ny" in unmarked(client.get(path).get_data(as_text=True)) and len(calls) == 3
    post(client, path, {**FORM, "action": "filter", "q": "Aase"}, token_from=path)  # a search: read each time
    assert len(calls) == 4
