"""Links that set a password: made as the mail goes out and never stored (so no outbox page or export holds one),
opened by a button (a mail scanner uses nothing up and the token leaves the address bar), valid an hour as a reset
and a week as a first invitation; setting the password ends every session the account had."""
import json
import re
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select, update

from app.extensions import db
from app.models import AuditEvent, OutboxMessage, User
from app.services import mail, password_links
from tests import factories
from tests.conftest import Auth, csrf_token, post
from tests.smtp_server import SMTPServer

NEW_PASSWORD = "mitt-nye-passord"


@pytest.fixture
def admin(app, orgs):
    """A browser with the administrator signed in."""
    browser = app.test_client()
    Auth(browser, orgs).login("admin", organisation="Bergen")
    return browser


def _invite(admin, user: User) -> OutboxMessage:
    """The administrator sends the person a link (from the person's page), as the UI does."""
    page = f"/admin/brukere/{user.id}"
    assert post(admin, f"{page}/invitasjon", token_from=page).status_code == 302
    return db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1))


def _received(smtp) -> str:
    """Text and HTML of the last mail the server got."""
    return "\n".join(part.get_content() for part in smtp.inbox.messages[-1].walk() if not part.is_multipart())


def _mailed_link(smtp) -> str:
    assert mail.send_pending() == (1, 0)
    [link] = set(re.findall(r"http://kk\.test(/invitasjon/[^\s\"<]+)", _received(smtp)))
    return link


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


def _choose_password(browser, link: str):
    """Open the link, press its button and save a new password: every response on the way."""
    landing = browser.get(link)
    html = landing.get_data(as_text=True)
    opened = browser.post("/invitasjon", data={"token": _hidden(html, "token"),
                                               "csrf_token": _hidden(html, "csrf_token")})
    form = browser.get(opened.headers["Location"])
    saved = browser.post("/passord/velg", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                                "csrf_token": _hidden(form.get_data(as_text=True), "csrf_token")})
    return landing, opened, form, saved


def test_no_stored_mail_holds_the_link_so_neither_the_outbox_nor_the_export_shows_it(app, client, orgs, admin,
                                                                                      smtp):
    user = factories.user("municipality_contact", organisation=orgs["Voss"], name="Nils Nygård", password=None)
    db.session.commit()
    message = _invite(admin, user)
    assert message.password_link_user_id == user.id
    for body in (message.body_text, message.body_html):
        assert password_links.PLACEHOLDER in body and "/invitasjon/" not in body

    link = _mailed_link(smtp)
    token = link.removeprefix("/invitasjon/")
    assert f'href="http://kk.test{link}"' in _received(smtp)
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.sent_at and token not in stored.body_text + stored.body_html
    shown = admin.get(f"/admin/e-post/{message.id}").get_data(as_text=True)
    assert "Nils Nygård" in shown and password_links.PLACEHOLDER in shown and token not in shown
    page = f"/admin/brukere/{user.id}/personopplysninger"
    export = post(admin, f"{page}/eksport", token_from=page).get_data(as_text=True)
    assert password_links.PLACEHOLDER in json.loads(export)["outbox_mail"][0]["body_text"] and token not in export
    assert client.get(link).status_code == 200


def test_each_delivery_attempt_makes_a_fresh_link_and_only_the_last_one_works(app, client, orgs, admin):
    server = SMTPServer()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    user = factories.user("project_member", password=None)
    db.session.commit()
    message = _invite(admin, user)
    assert mail.send_pending() == (0, 1)  # nobody listens yet
    server.start()
    try:
        db.session.execute(update(OutboxMessage).values(next_attempt_at=db.session.get(
            OutboxMessage, message.id).created_at))
        db.session.commit()
        link = _mailed_link(server)
        made = db.session.scalars(select(AuditEvent.actor_id).where(
            AuditEvent.action == "user.password_link", AuditEvent.object_id == user.id)).all()
        assert made == [None, None]
        assert client.get(link).status_code == 200
        second = _invite(admin, user)
        assert client.get(link).status_code == 404  # ordering a new link ends the old one at once
        assert second.sent_at is None and client.get(_mailed_link(server)).status_code == 200
    finally:
        server.stop()


def test_the_link_opens_a_page_whose_button_posts_the_token_and_no_later_address_holds_it(app, orgs, admin, smtp):
    user = factories.user("municipality_contact", organisation=orgs["Voss"], password=None)
    db.session.commit()
    _invite(admin, user)
    link = _mailed_link(smtp)
    token = link.removeprefix("/invitasjon/")
    browser = app.test_client()
    scanned = browser.get(link)  # a mail scanner following the link uses nothing up
    assert scanned.status_code == 200 and 'name="password"' not in scanned.get_data(as_text=True)

    landing, opened, form, saved = _choose_password(browser, link)
    assert landing.status_code == 200 and landing.headers["Referrer-Policy"] == "no-referrer"
    assert 'action="/invitasjon"' in landing.get_data(as_text=True)
    assert (opened.status_code, opened.headers["Location"]) == (302, "/passord/velg")
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)
    assert token not in form.get_data(as_text=True)
    assert (saved.status_code, saved.headers["Location"]) == (302, "/login")
    assert browser.post("/login", data={"email": user.email, "password": NEW_PASSWORD,
                                        "csrf_token": csrf_token(browser)}).status_code == 302
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    used = browser.get(link)
    assert used.status_code == 404 and "allerede brukt" in used.get_data(as_text=True)
    assert browser.get("/passord/velg").status_code == 404


def test_a_link_that_was_never_opened_or_is_forged_sets_nothing(app, client, orgs):
    assert client.get("/passord/velg").status_code == 404
    assert "Åpne lenken i e-posten på nytt" in client.get("/passord/velg").get_data(as_text=True)
    response = client.post("/invitasjon", data={"token": "abc.def.ghi", "csrf_token": csrf_token(client)})
    assert response.status_code == 404 and "ugyldig" in response.get_data(as_text=True)
    assert client.get("/invitasjon/abc.def.ghi").status_code == 404


def _minted(monkeypatch, user: User, age: timedelta) -> str:
    """A token for the user made `age` ago."""
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() - age.total_seconds()))
        token = password_links.mint(user)
    db.session.commit()
    return token


@pytest.mark.parametrize("has_password,age,valid", [
    (False, timedelta(days=6, hours=23), True), (False, timedelta(days=7, minutes=5), False),
    (True, timedelta(minutes=55), True), (True, timedelta(minutes=65), False)])
def test_a_reset_link_lasts_an_hour_and_a_first_invitation_a_week(app, client, orgs, monkeypatch, has_password, age,
                                                                  valid):
    user = factories.user("project_member", password=factories.PASSWORD if has_password else None)
    token = _minted(monkeypatch, user, age)
    response = client.get(f"/invitasjon/{token}")
    assert response.status_code == (200 if valid else 404)
    assert ("utløpt" in response.get_data(as_text=True)) is not valid


def test_the_mail_says_how_long_the_link_works(app, orgs, admin):
    newcomer = factories.user("project_member", password=None, name="Ny Person")
    known = factories.user("project_member", name="Kjent Person")
    db.session.commit()
    invitation, reset = _invite(admin, newcomer), _invite(admin, known)
    assert invitation.subject == "Invitasjon til intranettet for Kunnskapskommunen"
    assert "lenken virker i 7 døgn og bare én gang" in invitation.body_text
    assert reset.subject == "Nytt passord til intranettet for Kunnskapskommunen"
    assert "den virker i 1 time og bare én gang" in reset.body_text


@pytest.mark.parametrize("lifetime,words", [
    (timedelta(days=7), "7 døgn"), (timedelta(days=1), "1 døgn"), (timedelta(hours=1), "1 time"),
    (timedelta(hours=36), "36 timer"), (timedelta(minutes=1), "1 minutt"), (timedelta(minutes=90), "90 minutter")])
def test_lifetime_in_words(app, lifetime, words):
    app.config["PASSWORD_RESET_MAX_AGE"] = lifetime
    assert password_links.lifetime_in_words(User(password_hash="x")) == words


def test_sending_a_new_link_says_how_long_it_works(app, orgs, admin):
    newcomer, known = factories.user("project_member", password=None), factories.user("project_member")
    db.session.commit()
    assert "Lenken virker i 7 døgn og bare én gang." in admin.get(f"/admin/brukere/{newcomer.id}/invitasjon").get_data(
        as_text=True)
    assert "Lenken virker i 1 time og bare én gang." in admin.get(f"/admin/brukere/{known.id}/invitasjon").get_data(
        as_text=True)
    post(admin, "/sprak", {"lang": "en"})
    assert "The link works for 1 hour and only once." in admin.get(f"/admin/brukere/{known.id}/invitasjon").get_data(
        as_text=True)


def test_a_reset_through_the_link_ends_every_session_the_account_had(app, orgs, admin, smtp):
    user = factories.user("project_member", organisation=orgs["Lindås"])
    db.session.commit()
    elsewhere = app.test_client()
    Auth(elsewhere, orgs).login(user)
    _invite(admin, user)
    *_, saved = _choose_password(app.test_client(), _mailed_link(smtp))
    assert saved.status_code == 302
    response = elsewhere.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
