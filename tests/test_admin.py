"""The admin creates, edits and deactivates users and sends invitation links."""
import json

from sqlalchemy import select

from app.extensions import db
from app.history import lines
from app.models import AuditEvent, OutboxMessage, User
from app.services import password_links
from tests import factories
from tests.conftest import csrf_token, post
from tests.races import twin_saved_first


def _form(orgs, **overrides):
    data = {"email": "ny.kontakt@voss.kommune.no", "name": "Nils Nygård", "title": "Fagleiar",
            "phone": "56 00 00 00", "organisation_id": orgs["Voss"].id, "roles": ["municipality_contact"],
            "active": "y"}
    data.update(overrides)
    return data


def test_admin_creates_user_and_invitation_is_mailed(client, login, orgs):
    admin = login("admin")
    response = post(client, "/admin/brukere/ny", _form(orgs), token_from="/admin/brukere/ny")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "ny.kontakt@voss.kommune.no"))
    assert user.roles == {"municipality_contact"} and user.organisation.name == "Voss"
    assert user.password_hash is None
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert message.password_link_user_id == user.id and password_links.PLACEHOLDER in message.body_text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                       AuditEvent.object_id == user.id))
    assert event.actor_id == admin.id


def test_an_inactive_contact_gets_no_invitation_to_answer_and_the_log_says_inactive(client, login, orgs):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    factories.sent_round(adviser, [orgs["Voss"]])
    db.session.commit()
    login("admin")
    post(client, "/admin/brukere/ny", _form(orgs, active=""), token_from="/admin/brukere/ny")
    user = db.session.scalar(select(User).where(User.email == "ny.kontakt@voss.kommune.no"))
    assert user.active is False
    subjects = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == user.email)).all()
    assert subjects == ["Invitasjon til intranettet for Kunnskapskommunen"]  # the account link, not the round
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                         AuditEvent.object_id == user.id))
    assert json.loads(created.data) == {"active": False, "organisation_id": orgs["Voss"].id,
                                        "roles": ["municipality_contact"]}


def test_moving_a_user_to_another_organisation_is_logged_without_personal_data(client, login, orgs):
    target = factories.user("municipality_contact", organisation=orgs["Voss"], name="Nils Nygård")
    db.session.commit()
    login("admin")
    page = f"/admin/brukere/{target.id}"
    post(client, page, {"name": "Nils Nygård Berg", "organisation_id": orgs["Fedje"].id,
                        "roles": ["municipality_contact"], "active": "y"}, token_from=page)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.update",
                                                       AuditEvent.object_id == target.id))
    data = json.loads(event.data)
    assert data["before"]["organisation_id"] == orgs["Voss"].id and data["after"]["organisation_id"] == orgs["Fedje"].id
    assert data["changed"] == ["name"] and "Nygård" not in event.data


def test_the_outbox_shows_where_the_password_link_goes_but_holds_none(client, login, orgs):
    """The link is made as the mail goes out (tests/test_password_links.py)."""
    login("admin")
    post(client, "/admin/brukere/ny", _form(orgs, roles=["admin"]), token_from="/admin/brukere/ny")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "ny.kontakt@voss.kommune.no"))
    post(client, "/logout")
    login("adviser", organisation="Bergen")
    shown = client.get(f"/admin/e-post/{message.id}").get_data(as_text=True)
    assert f"{password_links.PLACEHOLDER}\n" in shown and "/invitasjon/" not in shown and "Nils Nygård" in shown


def test_duplicate_email_is_a_form_error(client, login, orgs):
    admin = login("admin")
    response = post(client, "/admin/brukere/ny", _form(orgs, email=admin.email.upper()), token_from="/admin/brukere/ny")
    assert response.status_code == 200
    assert "Det finnes allerede en bruker med e-postadressen" in response.get_data(as_text=True)


def test_invalid_email_is_a_form_error(client, login, orgs):
    login("admin")
    response = post(client, "/admin/brukere/ny", _form(orgs, email="ikke-en-adresse"), token_from="/admin/brukere/ny")
    assert "Skriv en gyldig e-postadresse." in response.get_data(as_text=True)


def test_deactivating_user_ends_their_sessions(app, client, login, orgs):
    from tests.conftest import Auth

    other_client = app.test_client()
    target = Auth(other_client, orgs).login("project_member")
    assert other_client.get("/").status_code == 200
    login("admin")
    page = f"/admin/brukere/{target.id}"
    response = post(client, page, {"name": target.name, "organisation_id": target.organisation_id,
                                   "roles": ["project_member"]}, token_from=page)
    assert response.status_code == 302
    assert db.session.get(User, target.id).active is False
    assert other_client.get("/").status_code == 302


def test_admin_cannot_deactivate_self(client, login, orgs):
    admin = login("admin")
    page = f"/admin/brukere/{admin.id}"
    response = post(client, page, {"name": admin.name, "organisation_id": 0, "roles": ["admin"]}, token_from=page,
                    follow_redirects=True)
    assert "Du kan ikke fjerne din egen administratortilgang" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).active is True


def test_each_new_invitation_is_queued_and_logged(client, login, orgs):
    admin = login("admin")
    post(client, "/admin/brukere/ny", _form(orgs), token_from="/admin/brukere/ny")
    user = db.session.scalar(select(User).where(User.email == "ny.kontakt@voss.kommune.no"))
    post(client, f"/admin/brukere/{user.id}/invitasjon", token_from=f"/admin/brukere/{user.id}")
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                                  .order_by(OutboxMessage.id)).all()
    assert len(messages) == 2
    invites = db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "user.invite",
                                                                   AuditEvent.object_id == user.id)).all()
    assert invites == [admin.id, admin.id]
    assert [m.password_link_user_id for m in messages] == [user.id, user.id]


def test_user_search_and_pagination(client, login, orgs):
    from tests import factories

    for n in range(30):
        factories.user("project_member", name=f"Søkbar Person {n:02d}")
    db.session.commit()
    login("admin")
    html = client.get("/admin/brukere?q=søkbar").get_data(as_text=True)
    assert "Søkbar Person 00" in html and "Side 1 av 2" in html
    assert "Søkbar Person 29" in client.get("/admin/brukere?q=søkbar&page=2").get_data(as_text=True)
    assert csrf_token(client, "/")


def test_the_list_of_everyone_is_read_once_per_content_version(client, login, orgs, monkeypatch):
    """Every administrator's unfiltered list is stored as read: the next visit (any page) reads nobody, a person
    deactivated after a reading shows at once; a search is read each time."""
    from app.admin import routes as admin_routes
    from tests import factories

    for n in range(30):
        factories.user("project_member", name=f"Listet Person {n:02d}")
    db.session.commit()
    login("admin")
    assert "Listet Person 00" in client.get("/admin/brukere").get_data(as_text=True)
    reads = []
    monkeypatch.setattr(admin_routes, "_user_page",
                        lambda *args, read=admin_routes._user_page: reads.append(1) or read(*args))
    client.get("/admin/brukere")
    assert reads == []
    person = db.session.scalar(select(User).where(User.name == "Listet Person 00"))
    person.active = False
    db.session.commit()
    row = client.get("/admin/brukere").get_data(as_text=True).split("Listet Person 00", 1)[1].split("</tr>", 1)[0]
    assert "Deaktivert" in row and reads == [1]
    assert "Listet Person 29" in client.get("/admin/brukere?page=2").get_data(as_text=True)
    assert reads == [1, 1]
    client.get("/admin/brukere?q=listet")
    client.get("/admin/brukere?q=listet")
    assert reads == [1, 1, 1, 1]


def test_the_same_email_saved_at_once_by_someone_else_shows_the_conflict_page(client, login, orgs):
    login("admin")
    with twin_saved_first(User) as twin:
        response = post(client, "/admin/brukere/ny", _form(orgs), token_from="/admin/brukere/ny")
    assert twin and response.status_code == 409
    assert "Noen andre registrerte det samme akkurat nå." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "ny.kontakt@voss.kommune.no")) is None
    assert db.session.scalars(select(OutboxMessage)).all() == []


def _grants(user) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.role_grant",
                                                            AuditEvent.object_id == user.id)
                                   .order_by(AuditEvent.seq)))


def _told(user) -> list[str]:
    return sorted(db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.subject == f"{user.name} har fått rollen FoU-rådgiver")))


def test_a_role_change_to_adviser_or_admin_is_logged_and_mailed_to_every_other_admin(client, login, orgs):
    """Logged with ids and role names only, and queued to the administrators in the same transaction."""
    other_admin = factories.user("admin", organisation=orgs["Bergen"])
    away = factories.user("admin", organisation=orgs["Bergen"])
    away.active = False
    target = factories.user("project_member", organisation=orgs["Voss"], name="Nils Nygård")
    db.session.commit()
    admin = login("admin")
    page = f"/admin/brukere/{target.id}"
    post(client, page, {"name": target.name, "organisation_id": orgs["Voss"].id, "roles": ["project_member"],
                        "title": "Rådgiver", "active": "y"}, token_from=page)
    assert _grants(target) == [] and _told(target) == []  # no powerful role gained: nothing to tell
    post(client, page, {"name": target.name, "organisation_id": orgs["Voss"].id,
                        "roles": ["project_member", "adviser"], "active": "y"}, token_from=page)
    [grant] = _grants(target)
    assert (grant.actor_id, grant.object_type, grant.object_id) == (admin.id, "user", target.id)
    assert json.loads(grant.data) == {"roles": ["adviser"]} and "Nygård" not in grant.data
    assert _told(target) == sorted([admin.email, other_admin.email])
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == other_admin.email,
                                                            OutboxMessage.subject.like("Nils Nygård%")))
    assert f"gitt av {admin.name}" in message.body_text and f"http://kk.test/admin/brukere/{target.id}" in \
        message.body_text
    assert lines([grant])[0].text == f"{admin.name} ga Nils Nygård rollen FoU-rådgiver."


def test_a_new_admin_account_and_a_reactivated_adviser_are_told_too(client, login, orgs):
    admin = login("admin")
    post(client, "/admin/brukere/ny", _form(orgs, roles=["admin"]), token_from="/admin/brukere/ny")
    made = db.session.scalar(select(User).where(User.email == "ny.kontakt@voss.kommune.no"))
    assert [json.loads(e.data) for e in _grants(made)] == [{"roles": ["admin"]}]
    assert db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.subject == "Nils Nygård har fått rollen Administrator")).all() == [admin.email]
    adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne Solbakk")
    db.session.commit()
    page = f"/admin/brukere/{adviser.id}"
    fields = {"name": adviser.name, "organisation_id": orgs["Bergen"].id, "roles": ["adviser"]}
    post(client, page, fields, token_from=page)  # deactivated: nothing gained
    assert db.session.get(User, adviser.id).active is False and len(_grants(adviser)) == 1
    post(client, page, {**fields, "active": "y"}, token_from=page)
    assert [json.loads(e.data) for e in _grants(adviser)] == [{"roles": ["adviser"]}] * 2
    assert _told(adviser) == sorted([admin.email, made.email] * 2)


def test_the_mail_about_a_new_role_goes_only_with_its_change(app, orgs):
    from app.services import users

    admin = factories.user("admin", organisation=orgs["Bergen"])
    target = factories.user("project_member", organisation=orgs["Voss"])
    db.session.commit()
    users.update_user(target, name=target.name, title=None, phone=None, roles=["adviser"],
                      organisation=target.organisation, active=True, actor=admin)
    db.session.rollback()
    assert _grants(target) == [] and db.session.scalars(select(OutboxMessage)).all() == []
