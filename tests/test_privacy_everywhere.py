"""Anonymising a person removes their name, e-mail address and phone from the whole database, the audit log and the
outbox included, except the archive records kept on purpose; audit events never held them."""
import io
import json
from datetime import date, datetime, time, timedelta, timezone

import pytest
from markupsafe import escape
from pypdf import PdfWriter
from sqlalchemy import LargeBinary, select

from app import clock, search
from app.extensions import db
from app.models import OutboxMessage
from app.models.case import MUNICIPALITY_PARTY
from app.models.representative import PROJECT_GROUP, STEERING_GROUP
from app.services.privacy import REPLY_CONTACT
from app.services import (agreements, calendar, conferences, meetings, members, replies, representatives, subgroups,
                          workflow)
from tests import conference_world, factories
from tests.conftest import csrf_token, post

NAME, EMAIL, PHONE = "Åse O'Neill Nordtveit", "ase.nordtveit@lindas.kommune.no", "+47 912 34 567"


def _scanned() -> bytes:
    """A PDF that names the person (in a comment after its end, as a scanner's note might)."""
    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(blank)
    return blank.getvalue() + f"% Signert for Lindås: {NAME}\n".encode()


SCANNED = _scanned()
# Where the person stays named after anonymising: archive records (GDPR art. 17(3)(b)/(d), arkivlova).
ARCHIVE = {("signature", "name"), ("agreement_document", "content"), ("meeting", "minutes")}


def _forms(text: str) -> set[str]:
    """The text as it may be stored: as typed, in JSON, in HTML, and as a search key."""
    return {text, json.dumps(text)[1:-1], str(escape(text)), search.fold(text)}


def _where_named() -> dict[tuple[str, str], int]:
    """(table, column) -> rows naming the person, over every table of the database."""
    wanted = [form.casefold() for text in (NAME, EMAIL, PHONE) for form in _forms(text)]
    found = {}
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column in table.columns:
                value = row[column.name]
                if isinstance(column.type, LargeBinary) and value is not None:
                    value = bytes(value).decode("utf-8", "replace")
                if isinstance(value, str) and any(form in value.casefold() for form in wanted):
                    found[(table.name, column.name)] = found.get((table.name, column.name), 0) + 1
    return found


@pytest.fixture
def world(client, orgs):
    """Åse in every role: user and contact person of Lindås, the answers to two invitations (one late, by request),
    the agreement's signatory (a scanned copy), representative (replacing someone, and proposed by a colleague),
    administrative contact, meeting invitee named in the minutes, subgroup proposer, chair, member and user
    representative; she signs in, gets mail, and others get mail about her."""
    lindas, bergen = orgs["Lindås"], orgs["Bergen"]
    ase = factories.user("municipality_contact", "signatory", "project_member", organisation=lindas, name=NAME,
                         email=EMAIL, title="Kommunalsjef")
    ase.phone = PHONE
    colleague = factories.user("municipality_contact", organisation=lindas, name="Ola Kollega")
    adviser = factories.user("adviser", organisation=bergen, name="Marianne Rådgiver")
    host = factories.user("signatory", organisation=bergen, name="Nina Mevold")
    siri = factories.user("project_member", organisation=orgs["Voss"], name="Siri Lie")
    details = factories.reply_details(ase, contact_title="Kommunalsjef", contact_phone=PHONE, steering_rep=NAME,
                                      project_rep_1=NAME)

    old_round = factories.historic_round("Invitasjon 2025", created=date(2025, 3, 1), deadline=date(2025, 6, 1))
    old_case = factories.invited(old_round, lindas, adviser)
    with clock.pinned(date(2025, 4, 1)):
        replies.reply(old_case, ase, answer="yes", details=details, comment="Vi gleder oss.")
        replies.reply(old_case, ase, answer="yes", details=details)  # the same answer again: recorded all the same
        replies.reply(old_case, ase, answer="no", details=details, comment="Vi venter et år.")
    new_round = factories.historic_round("Invitasjon 2026", created=date(2026, 9, 1), deadline=date(2026, 11, 1))
    case = factories.invited(new_round, lindas, adviser)
    late = replies.request_late_reply(case, ase, details=details, comment="Vi ble sene.")
    workflow.approve(late, adviser, "Velkommen.")
    workflow.perform(case, "issue_agreement", adviser)
    agreements.register_upload(case.agreement, adviser, party=MUNICIPALITY_PARTY, name=NAME, title="Kommunalsjef",
                               signed_on=clock.today(), filename="lindas-signert.pdf", content=SCANNED)
    agreements.sign(case.agreement, host, title="Kommunaldirektør", confirmed=True)
    workflow.perform(case, "activate", adviser)

    steering = representatives.propose(lindas, adviser, group=STEERING_GROUP, name="Olav Hauge",
                                       email="olav@lindas.kommune.no", starts_on=clock.today())
    representatives.propose(lindas, adviser, group=STEERING_GROUP, name=NAME, email=EMAIL, phone=PHONE,
                            title="Kommunalsjef", user=ase, starts_on=date(2026, 12, 1), replaces=steering)
    proposed = representatives.propose(lindas, colleague, group=PROJECT_GROUP, name=NAME, email=EMAIL,
                                       starts_on=date(2026, 12, 1))
    workflow.perform(proposed, "approve", adviser)  # Ola is told by mail that Åse is approved
    members.set_admin_contact(lindas, adviser, name=NAME, email=EMAIL, title="Kommunalsjef", phone=PHONE)
    members.set_admin_contact(lindas, colleague, name=NAME, email=EMAIL.upper(), title="Kommunalsjef")

    starts = datetime.combine(date(2026, 12, 3), time(9), tzinfo=clock.OSLO).astimezone(timezone.utc)
    meeting = meetings.create("steering", starts_at=starts, ends_at=starts + timedelta(hours=2), place="Rådhuset",
                              invitees=[ase, siri, adviser], actor=adviser)
    meetings.record_minutes(meeting, text=f"Til stede: {NAME}, Siri Lie.", pdf=None, actor=adviser)

    own = factories.subgroup(ase, name="Demografi", member_ids=[siri.id])
    group = factories.subgroup(siri, representatives=[
        subgroups.UserRepresentativeEntry(NAME, "Lindås kommune", f"{EMAIL}, {PHONE}")])
    workflow.perform(group, "submit", siri)
    workflow.perform(group, "second", ase)
    workflow.perform(group, "approve", adviser, data={"decided_on": clock.today().isoformat()})
    workflow.perform(group, "establish", adviser)
    member = subgroups.add_member(group, ase.id, clock.today(), adviser)
    subgroups.remove_member(group, member.id, clock.today(), adviser)
    calendar.create_token(ase)
    conference = conference_world.conference(capacity=5, planner=adviser)
    conferences.register(conference, name=NAME, email=EMAIL.upper(), organisation_id=lindas.id,
                         organisation_text=None, dietary_needs="Glutenfri", remote_addr="10.0.0.1")
    db.session.commit()

    ase_client = client.application.test_client()
    ase_client.post("/login", data={"email": EMAIL, "password": "feil-passord-123",
                                    "csrf_token": csrf_token(ase_client)})
    ase_client.post("/login", data={"email": EMAIL, "password": factories.PASSWORD,
                                    "csrf_token": csrf_token(ase_client)})
    for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[::2]:
        message.sent_at, message.last_error = clock.now(), None  # the worker delivered every other message
    db.session.commit()
    return {"ase": ase, "own_subgroup": own}


def test_audit_events_name_nobody(world):
    named = _where_named()
    assert not {place for place in named if place[0] == "audit_event"}, named
    assert {"user", "invitation_reply", "representative", "administrative_contact", "transition_request",
            "outbox_message", "login_attempt", "user_representative", "signature", "conference_registration"} <= {
        table for table, _ in named}


def test_anonymising_leaves_the_person_only_in_archive_records(client, login, world, runner):
    login("admin", organisation="Bergen")
    ase = world["ase"]
    page = f"/admin/brukere/{ase.id}/anonymiser"
    assert post(client, page, token_from=page).status_code == 302
    assert set(_where_named()) == ARCHIVE
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and result.output.startswith("OK, ")
    label = f"Anonymisert bruker #{ase.id}"
    assert label in client.get(f"/undergrupper/{world['own_subgroup'].id}").get_data(as_text=True)


def test_the_export_lists_what_names_the_person_and_the_archive_records_kept(client, login, world):
    login("admin", organisation="Bergen")
    page = f"/admin/brukere/{world['ase'].id}/personopplysninger"
    data = json.loads(post(client, f"{page}/eksport", token_from=page).data)
    contact, with_representatives = list(REPLY_CONTACT), [*REPLY_CONTACT, "steering_rep", "project_rep_1"]
    assert [(r["answer"], r["late"], r["fields_naming_person"]) for r in data["invitation_replies"]] == [
        ("yes", False, with_representatives), ("yes", False, with_representatives), ("no", False, contact),
        ("yes", True, with_representatives)]
    late, = [r for r in data["transition_requests"] if r["trigger"] == "accept_late"]
    assert late["data"]["reply"]["contact_phone"] == PHONE and late["made_by_person"]
    assert [(c["municipality"], c["phone"]) for c in data["administrative_contacts"]] == [("Lindås kommune", None)]
    assert [(r["subgroup"], r["proposed"], r["chair"], r["left_on"]) for r in data["subgroups"]["roles"]] == [
        ("Demografi", True, True, None), ("Velferdsteknologi i hjemmetjenesten", False, False, "2026-11-23")]
    assert data["subgroups"]["user_representative"][0]["contact"] == f"{EMAIL}, {PHONE}"
    assert [(r["conference"], r["organisation"], r["dietary_needs"], r["state"])
            for r in data["conference_registrations"]] == [
        ("Fagkonferansen 2027", "Lindås kommune", "Glutenfri", "confirmed")]
    kept = data["archive_records"]
    assert "art. 17 nr. 3 bokstav b og d" in kept["note"] and "arkivlova" in kept["note"]
    assert [(s["name"], s["how"]) for s in kept["signatures"]] == [(NAME, "registrert fra skannet, signert avtale")]
    assert [d["filename"] for d in kept["scanned_copies"]] == ["lindas-signert.pdf"]
    assert len(kept["signed_agreements"]) == 1
    assert kept["meeting_minutes"] == [{"title": "Styringsgruppemøte 2026", "starts_at": "2026-12-03T08:00:00+00:00",
                                        "pdf": False}]



def test_the_privacy_statement_says_why_archive_records_are_kept(client):
    assert 'href="/personvern"' in client.get("/login").get_data(as_text=True)  # in the footer of every page
    statement = client.get("/personvern").get_data(as_text=True)
    assert "art. 17 nr. 3 bokstav b" in statement and "arkivlova" in statement
    assert "skannede kopier" in statement and "referater" in statement
    client.application.config["CONFERENCE_RETENTION_MONTHS"] = 9
    assert "slettes\n      9 måneder etter konferansen" in client.get("/personvern").get_data(as_text=True)
