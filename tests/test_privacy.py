"""Personal data: the admin exports everything about a person, and anonymises someone who has left."""
import json
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import (AuditEvent, LoginAttempt, LoginSession, MembershipCase, OutboxMessage, Representative,
                        Signature, User)
from app.services import calendar, mail, meetings, cases, representatives, workflow
from tests import factories
from tests.conftest import csrf_token, post, unmarked


@pytest.fixture
def person(orgs):
    """Kari has signed in, made changes, got mail, been invited to a meeting and made a calendar link."""
    kari = factories.user("municipality_contact", "steering_member", organisation=orgs["Lindås"],
                          name="Kari Nordtveit", email="kari@lindas.kommune.no")
    kari.title, kari.phone = "Kommunalsjef", "55 00 00 00"
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = factories.invited(factories.historic_round(), orgs["Lindås"], adviser)
    with clock.pinned(date(2016, 10, 20)):
        workflow.perform(case, "accept", kari)
        workflow.perform(case, "issue_agreement", adviser)
        cases.sign(case, "municipality", kari, name=kari.name, title=kari.title, signed_on=clock.today())
    mail.queue(kari.email, "Hei", "invitation", locale="nb", user=kari, path="/x",
               days=7).sent_at = datetime.now(timezone.utc)
    meetings.create("steering", starts_at=datetime(2026, 12, 3, 9, tzinfo=timezone.utc),
                    ends_at=datetime(2026, 12, 3, 11, tzinfo=timezone.utc), place="Bergen rådhus",
                    invitees=[kari], actor=adviser)
    calendar.create_token(kari)
    db.session.commit()
    return kari


def test_export_has_everything_stored_about_the_person(client, auth, login, person):
    auth.login(person)
    auth.logout()
    login("admin", organisation="Bergen")
    page = f"/admin/brukere/{person.id}/personopplysninger"
    assert "Last ned personopplysninger (JSON)" in client.get(page).get_data(as_text=True)
    response = post(client, f"{page}/eksport", token_from=page)
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["person"]["name"] == "Kari Nordtveit" and data["person"]["phone"] == "55 00 00 00"
    assert data["person"]["roles"] == ["municipality_contact", "steering_member"]
    assert data["person"]["organisation"] == "Lindås kommune"
    assert [a["success"] for a in data["login_attempts"]] == [True]
    assert len(data["sessions"]) == 1 and data["sessions"][0]["ended_at"]
    made = {e["action"] for e in data["audit_events"] if e["made_by_person"]}
    assert made == {"membership.accept", "agreement.sign", "calendar.token_create"}
    assert {m["subject"] for m in data["outbox_mail"]} == {"Hei", "Møteinnkalling: Styringsgruppemøte 2026",
                                                           "Samarbeidsavtalen er klar til signering"}
    assert data["meetings"] == [{"title": "Styringsgruppemøte 2026", "starts_at": "2026-12-03T09:00:00+00:00",
                                 "place": "Bergen rådhus", "attendance": None}]
    assert len(data["archive_records"]["signatures"]) == 1 and len(data["calendar_links"]) == 1
    assert "password_hash" not in json.dumps(data) and "token_hash" not in json.dumps(data)
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc()).limit(1)) == "user.export"


def test_anonymise_after_confirmation_keeps_the_audit_chain_valid(client, auth, login, person, runner):
    kari_client = client.application.test_client()
    kari_client.post("/login", data={"email": person.email, "password": factories.PASSWORD,
                                     "csrf_token": csrf_token(kari_client)})
    assert kari_client.get("/").status_code == 200
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == person.id))
    login("admin", organisation="Bergen")
    page = f"/admin/brukere/{person.id}/anonymiser"
    assert "Dette kan ikke angres." in unmarked(client.get(page).get_data(as_text=True))
    assert post(client, page, token_from=page).status_code == 302

    kari = db.session.get(User, person.id)
    assert kari.name == f"Anonymisert bruker #{kari.id}" and kari.email == f"anonymisert-{kari.id}@invalid"
    assert kari.title is None and kari.phone is None and kari.roles == set() and not kari.active
    assert kari.anonymised_at is not None and kari.password_hash is None
    assert kari_client.get("/").status_code == 302  # signed out
    assert db.session.scalar(select(func.count()).select_from(LoginSession).where(
        LoginSession.user_id == kari.id, LoginSession.ended_at.is_(None))) == 0
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == "kari@lindas.kommune.no")) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient == "kari@lindas.kommune.no")) == 0
    assert calendar.active_token(kari) is None
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.actor_id == kari.id)) == events_before
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc()).limit(1)) == "user.anonymise"
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "OK" in result.output
    case_page = unmarked(client.get("/saker/1").get_data(as_text=True))
    # The history names who acted as anonymised; the signature, an archive record, keeps the name as signed.
    assert "En anonymisert person svarte ja på invitasjonen for Lindås kommune." in case_page
    assert "Kari Nordtveit signerte samarbeidsavtalen for Lindås kommune." in case_page
    assert "Kommunen: Kari Nordtveit, Kommunalsjef" in case_page  # the signature documents the agreement


def test_anonymise_twice_or_oneself_is_refused(client, login, person):
    admin = login("admin", organisation="Bergen")
    own = f"/admin/brukere/{admin.id}/anonymiser"
    assert "Du kan ikke anonymisere deg selv." in post(client, own, token_from=own).get_data(as_text=True)
    page = f"/admin/brukere/{person.id}/anonymiser"
    post(client, page, token_from=page)
    assert "Personen er allerede anonymisert." in post(client, page, token_from=page).get_data(as_text=True)


@pytest.mark.parametrize("role", ["adviser", "municipality_contact"])
def test_personal_data_pages_are_for_the_admin(client, login, person, role):
    login(role)
    assert client.get(f"/admin/brukere/{person.id}/personopplysninger").status_code == 403
    assert client.get(f"/admin/brukere/{person.id}/anonymiser").status_code == 403


@pytest.fixture
def terms(orgs, person):
    """Lindås a member since 2018 (the agreement Kari signed, signed by Bergen and activated): Kari in the project
    group (linked to her user, and earlier under her e-mail)."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = db.session.scalar(select(MembershipCase).where(MembershipCase.organisation_id == orgs["Lindås"].id))
    with clock.pinned(date(2018, 3, 1)):
        cases.sign(case, "host", adviser, name="Nina Mevold", title="Kommunaldirektør", signed_on=clock.today())
        workflow.perform(case, "activate", adviser)
    earlier = representatives.propose(orgs["Lindås"], adviser, group="project", name="Kari Nordtveit",
                                      email="KARI@lindas.kommune.no", phone="900 00 000", starts_on=date(2022, 3, 1))
    current = representatives.propose(orgs["Lindås"], adviser, group="project", name="Kari Nordtveit",
                                      email="kari.privat@example.no", title="Kommunalsjef", user=person,
                                      starts_on=date(2024, 3, 1))
    other = factories.representative(orgs["Lindås"], adviser, group="steering", name="Olav Hauge",
                                     starts_on=date(2024, 3, 1))
    db.session.commit()
    return earlier, current, other


def test_export_has_the_representative_terms_and_says_why_signatures_are_kept(client, login, person, terms):
    login("admin", organisation="Bergen")
    page = f"/admin/brukere/{person.id}/personopplysninger"
    data = json.loads(post(client, f"{page}/eksport", token_from=page).data)
    assert [(t["seat"], t["starts_on"], t["linked_by"]) for t in data["representatives"]] == [
        ("Prosjektgruppen, plass 1", "2022-03-01", "e-post"), ("Prosjektgruppen, plass 1", "2024-03-01", "bruker")]
    assert data["representatives"][0]["phone"] == "900 00 000"
    assert data["representatives"][1]["email"] == "kari.privat@example.no"
    assert "beholdes" in data["archive_records"]["note"]
    signature, = data["archive_records"]["signatures"]
    assert signature["name"] == "Kari Nordtveit" and signature["municipality"] == "Lindås kommune"
    assert signature["how"] == "signert i intranettet"


def test_anonymise_scrubs_the_representative_terms_and_keeps_the_signature(client, login, person, terms, runner):
    earlier, current, other = terms
    login("admin", organisation="Bergen")
    page = f"/admin/brukere/{person.id}/anonymiser"
    assert post(client, page, token_from=page).status_code == 302
    label = f"Anonymisert bruker #{person.id}"
    for term in (db.session.get(Representative, earlier.id), db.session.get(Representative, current.id)):
        assert (term.name, term.email, term.phone, term.title) == (label, f"anonymisert-{person.id}@invalid",
                                                                   None, None)
        assert term.seat_label == "Prosjektgruppen, plass 1" and term.state == "approved"
    assert db.session.get(Representative, current.id).starts_on == date(2024, 3, 1)
    assert db.session.get(Representative, other.id).name == "Olav Hauge"
    assert db.session.scalars(select(Signature.name).where(Signature.user_id == person.id)).all() == \
        ["Kari Nordtveit"]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "OK" in result.output
    assert "Kari Nordtveit" not in client.get(f"/medlemskap/{other.organisation_id}").get_data(as_text=True)


def test_anonymising_replaces_the_name_in_mail_to_others_as_a_word_only(client, login, orgs):
    siri = factories.user("project_member", organisation=orgs["Voss"], name="Siri", email="siri@voss.kommune.no")
    mail.queue("ola@voss.kommune.no", "Siris forslag", "invitation", locale="nb", user=siri, path="/x", days=7)
    message = db.session.scalar(select(OutboxMessage))
    message.body_text = "Siri foreslår Siriusgruppen. Svar til SIRI@voss.kommune.no."
    db.session.commit()
    login("admin", organisation="Bergen")
    page = f"/admin/brukere/{siri.id}/anonymiser"
    post(client, page, token_from=page)
    message = db.session.get(OutboxMessage, message.id)
    label = f"Anonymisert bruker #{siri.id}"
    assert message.subject == f"{label}s forslag" and message.recipient == "ola@voss.kommune.no"
    assert message.body_text == f"{label} foreslår Siriusgruppen. Svar til anonymisert-{siri.id}@invalid."
