"""An invitation to a municipality with no contact person goes to its official mailbox (postmottak) with a link
that opens a page (a mail scanner opening it changes nothing), answers by POST once, until the reply deadline; the
adviser then confirms (or not) the person who answered as contact person. Only the token's hash is stored."""
import hashlib
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.logs import clean
from app.models import AuditEvent, MailboxLink, MembershipCase, OutboxMessage, User
from app.services import mail
from tests import factories
from tests.conftest import post
from tests.test_password_links import _received

MAILBOX = "postmottak@vaksdal.kommune.no"
ANSWER = {"answer": "yes", "contact_name": "Kari Nordmann", "contact_title": "Kommunalsjef helse",
          "contact_email": "Kari.Nordmann@vaksdal.kommune.no"}


@pytest.fixture
def adviser(login):
    return login("adviser", organisation="Bergen")


@pytest.fixture
def invited(adviser, orgs) -> MembershipCase:
    orgs["Vaksdal"].mailbox = MAILBOX
    case = factories.sent_round(adviser, [orgs["Vaksdal"]]).cases[0]
    db.session.commit()
    return case


def _link(smtp) -> str:  # noqa: F811
    assert mail.send_pending() == (1, 0)
    [path] = set(re.findall(r"http://kk\.test(/postmottak/svar/[^\s\"<]+)", _received(smtp)))
    return path


def test_the_invitation_goes_to_the_mailbox_and_the_round_page_says_so(client, invited, smtp):  # noqa: F811
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == MAILBOX))
    assert "[lenke for å svare]" in message.body_text and "/postmottak/svar/" not in message.body_text
    assert "sendt til postmottak" in client.get(f"/invitasjoner/{invited.round_id}").get_data(as_text=True)
    path = _link(smtp)
    token = path.rsplit("/", 1)[1]
    link = db.session.scalar(select(MailboxLink))
    db.session.refresh(link)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(m.body_text + m.body_html for m in db.session.scalars(select(OutboxMessage)))
    assert token not in stored


def test_the_link_opens_a_page_answers_by_post_once(app, invited, smtp):  # noqa: F811
    path = _link(smtp)
    browser = app.test_client()
    for _ in range(2):  # a mail scanner opening the link uses nothing up
        page = browser.get(path)
        assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    assert db.session.get(MembershipCase, invited.id).state == "invited"
    refused = post(browser, path, {**ANSWER, "contact_title": ""}, token_from=path)
    assert "Feltet må fylles ut." in refused.get_data(as_text=True)
    answered = post(browser, path, ANSWER, token_from=path)
    assert "Svaret er registrert" in answered.get_data(as_text=True)
    case = db.session.get(MembershipCase, invited.id)
    assert case.state == "accepted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.accept"))
    assert event.actor_id is None  # from the municipality, not from an account
    link = db.session.scalar(select(MailboxLink))
    assert (link.reply.contact_name, link.reply.contact_email, link.reply.answered_by_id) == (
        "Kari Nordmann", "kari.nordmann@vaksdal.kommune.no", None)
    again = browser.get(path)
    assert again.status_code == 404 and "allerede besvart" in again.get_data(as_text=True)
    second = post(browser, path, {**ANSWER, "answer": "no"}, token_from="/login")
    assert second.status_code == 404
    assert db.session.get(MembershipCase, invited.id).state == "accepted"


def test_the_link_expires_with_the_reply_deadline(app, invited, smtp):  # noqa: F811
    path = _link(smtp)
    app.config["TODAY"] = "2026-12-16"  # the day after the deadline
    page = app.test_client().get(path)
    assert page.status_code == 404 and "Svarfristen gikk ut 15.12.2026" in page.get_data(as_text=True)
    assert app.test_client().get("/postmottak/svar/ukjent").status_code == 404


def test_the_adviser_confirms_the_person_as_contact(client, app, invited, smtp, orgs):  # noqa: F811
    path = _link(smtp)
    browser = app.test_client()
    post(browser, path, ANSWER, token_from=path)
    inbox = client.get("/godkjenninger/").get_data(as_text=True)
    assert "Kari Nordmann, Kommunalsjef helse" in inbox
    link = db.session.scalar(select(MailboxLink))
    action = f"/godkjenninger/postmottak/{link.id}"
    assert f'href="{action}"' in inbox and f'href="{action}/ikke-kontaktperson"' in inbox
    page = client.get(action).get_data(as_text=True)
    assert "Gjøre Kari Nordmann til kontaktperson?" in page and "kari.nordmann@vaksdal.kommune.no" in page
    assert db.session.scalar(select(User).where(User.email == "kari.nordmann@vaksdal.kommune.no")) is None
    assert post(client, action, token_from=action).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "kari.nordmann@vaksdal.kommune.no"))
    assert user.organisation_id == orgs["Vaksdal"].id and "municipality_contact" in user.roles
    assert user.title == "Kommunalsjef helse"
    assert db.session.scalar(select(OutboxMessage).where(  # the welcome, after the receipt
        OutboxMessage.recipient == user.email, OutboxMessage.password_link_user_id == user.id)) is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitation.mailbox_contact")) is not None
    assert "Kari Nordmann, Kommunalsjef helse" not in client.get("/godkjenninger/").get_data(as_text=True)
    assert post(client, action, token_from="/godkjenninger/").status_code == 409
    assert db.session.scalar(select(User).where(User.email == user.email)).id == user.id


def test_the_adviser_declines_the_person_as_contact(client, app, invited, smtp):  # noqa: F811
    path = _link(smtp)
    post(app.test_client(), path, ANSWER, token_from=path)
    link = db.session.scalar(select(MailboxLink))
    action = f"/godkjenninger/postmottak/{link.id}/ikke-kontaktperson"
    page = client.get(action).get_data(as_text=True)
    assert "Ikke gjøre Kari Nordmann til kontaktperson?" in page and 'class="button danger"' in page
    assert post(client, action, token_from=action).status_code == 302
    assert db.session.scalar(select(User).where(User.email == "kari.nordmann@vaksdal.kommune.no")) is None
    assert db.session.get(MailboxLink, link.id).decided_at is not None
    assert "Kari Nordmann, Kommunalsjef helse" not in client.get("/godkjenninger/").get_data(as_text=True)


def test_the_logs_hide_the_token():
    assert clean('"GET /postmottak/svar/hemmelig-token HTTP/1.1" 200') == \
        '"GET /postmottak/svar/[skjult] HTTP/1.1" 200'


def test_the_person_who_answered_gets_a_receipt(app, invited, smtp):  # noqa: F811
    path = _link(smtp)
    page = post(app.test_client(), path, {**ANSWER, "project_rep_1": "Per Vik"}, token_from=path)
    assert "En kvittering er sendt til Kari.Nordmann@vaksdal.kommune.no." in page.get_data(as_text=True)
    [receipt] = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "kari.nordmann@vaksdal.kommune.no"))
    assert receipt.subject == "Kvittering: svar på invitasjonen frå Kunnskapskommunen"  # Vaksdal writes nynorsk
    for text in (receipt.body_text, receipt.body_html):
        assert "Hei Kari Nordmann," in text
        assert "Dette er registrert for Vaksdal kommune" in text
        assert "Ja, vi ønskjer å delta" in text and "Kommunalsjef helse" in text and "Per Vik" in text
        assert "FoU-rådgjevaren vil stadfeste deg som kontaktperson for kommunen." in text
