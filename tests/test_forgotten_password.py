""""Glemt passord?": a link mailed to the account, the same answer for any address, throttled, ending every other
session when used."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import LoginSession, OutboxMessage
from app.services import mail
from tests import factories
from tests.conftest import Auth, csrf_token, post


def forgot(client, email: str):
    return post(client, "/passord/glemt", {"email": email}, token_from="/passord/glemt")


def test_the_login_page_links_to_it(client, orgs):
    assert 'href="/passord/glemt">Glemt passord?' in client.get("/login").get_data(as_text=True)


def test_the_same_answer_whether_the_address_has_an_account_or_not(app, client, orgs):
    person = factories.user()
    db.session.commit()
    answers = []
    for email in (person.email, "ingen@test.kommune.no"):
        browser = app.test_client()
        response = forgot(browser, email)
        answers.append((response.status_code, response.headers["Location"],
                        browser.get("/login").get_data(as_text=True).count("har vi sendt en lenke")))
    assert answers[0] == answers[1] == (302, "/login", 1)
    assert db.session.scalars(select(OutboxMessage.recipient)).all() == [person.email]


def test_no_link_to_an_account_without_a_password_or_a_deactivated_one(client, orgs):
    invited = factories.user(password=None)
    gone = factories.user()
    gone.active = False
    db.session.commit()
    forgot(client, invited.email)
    forgot(client, gone.email)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_throttled_per_address_asking(client, orgs):
    for n in range(3):
        assert forgot(client, f"person{n}@test.kommune.no").status_code == 302
    response = forgot(client, "person9@test.kommune.no")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "bedt om for mange e-poster" in response.get_data(as_text=True)


def test_throttled_per_address_mailed(app, orgs):
    person = factories.user()
    db.session.commit()
    statuses = []
    for n in range(4):
        browser = app.test_client()
        statuses.append(browser.post("/passord/glemt", data={"email": person.email, "csrf_token": csrf_token(
            browser, "/passord/glemt")}, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code)
    assert statuses == [302, 302, 302, 429]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_the_link_works_once_for_an_hour_and_ends_every_other_session(app, client, orgs, smtp):
    person = factories.user()
    db.session.commit()
    elsewhere = app.test_client()
    Auth(elsewhere, orgs).login(person)
    forgot(client, person.email)
    assert mail.send_pending() == (1, 0)
    text = "\n".join(part.get_content() for part in smtp.inbox.messages[-1].walk() if not part.is_multipart())
    assert "1 time" in text
    link = re.search(r"http://kk\.test(/invitasjon/[^\s\"<]+)", text).group(1)
    page = client.get(link).get_data(as_text=True)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', page).group(1)
    assert post(client, "/invitasjon", {"token": token}, token_from=link).headers["Location"] == "/passord/velg"
    saved = post(client, "/passord/velg", {"password": "et-helt-nytt-passord", "confirm": "et-helt-nytt-passord"},
                 token_from="/passord/velg")
    assert saved.headers["Location"] == "/login"
    assert db.session.scalar(select(func.count()).select_from(LoginSession).where(
        LoginSession.user_id == person.id, LoginSession.ended_at.is_(None))) == 0
    assert elsewhere.get("/").status_code == 302
    assert client.get(link).status_code == 404  # used up
