"""E-mail delivered by a real SMTP server on loopback: by the worker, never inside a request, once, and again when
the server is back."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import OutboxMessage
from app.services import mail
from tests import factories
from tests.conftest import TEST_AUDIT_KEY, post
from tests.smtp_server import SMTPServer

ROOT = Path(__file__).resolve().parent.parent
ROUND = {"title": "Invitasjon 2026", "reply_deadline": "2026-12-15", "contribution": "40000",
         "contribution_from": "2027", "contribution_to": "2029", "agreement_end": "2029-12-31",
         "letter_text": "Vi inviterer kommunen.", "action": "send"}


@pytest.fixture
def smtp(app):
    """Here the server is not running until the test starts it (tests/conftest.py's `smtp` is running)."""
    server = SMTPServer()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


def _queue(subject: str = "Prøve på æøå", **kwargs) -> OutboxMessage:
    user = factories.user("project_member", name="Kari Nordtveit")
    message = mail.queue("kari@lindas.kommune.no", subject, "invitation", locale="nb", user=user, path="/x", days=7,
                         **kwargs)
    db.session.commit()
    return message


def test_message_is_delivered_with_text_and_html(smtp):
    smtp.start()
    message = _queue()
    assert mail.send_pending() == (1, 0)
    [received] = smtp.inbox.messages
    assert received["To"] == "kari@lindas.kommune.no" and received["Subject"] == "Prøve på æøå"
    assert received["Date"] and received["Message-ID"] == f"<outbox-{message.id}@kunnskapskommunen>"
    parts = {part.get_content_type(): part.get_content() for part in received.walk() if not part.is_multipart()}
    assert "Hei Kari Nordtveit" in parts["text/plain"] and "<p>Hei Kari Nordtveit,</p>" in parts["text/html"]
    assert db.session.get(OutboxMessage, message.id).sent_at is not None


def test_a_batch_goes_over_one_connection(smtp):
    smtp.start()
    for n in range(5):
        _queue(f"Melding {n}")
    assert mail.send_pending() == (5, 0)
    assert len(smtp.inbox.messages) == 5 and len(set(smtp.inbox.connections)) == 1


def test_a_connection_closed_by_the_server_is_opened_again_for_the_next_message(smtp):
    smtp.start()
    smtp.inbox.refused = {"Melding 1"}
    messages = [_queue(f"Melding {n}") for n in range(3)]
    assert mail.send_pending() == (2, 1)
    assert [m["Subject"] for m in smtp.inbox.messages] == ["Melding 0", "Melding 2"]
    assert len(set(smtp.inbox.connections)) == 2
    refused = db.session.get(OutboxMessage, messages[1].id)
    assert refused.sent_at is None and refused.attempts == 1 and "421" in refused.last_error


def test_server_down_then_up_delivers_once(smtp):
    message = _queue()
    assert mail.send_pending() == (0, 1)  # nothing listens on the port yet
    failed = db.session.get(OutboxMessage, message.id)
    assert failed.status == "failed" and failed.attempts == 1 and "ConnectionRefusedError" in failed.last_error
    assert failed.next_attempt_at > datetime.now(timezone.utc)

    smtp.start()
    assert mail.send_pending() == (0, 0)  # waits for its backoff even though the server is back
    assert smtp.inbox.messages == []
    db.session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    db.session.commit()
    assert mail.send_pending() == (1, 0)
    assert mail.send_pending() == (0, 0)
    assert len(smtp.inbox.messages) == 1
    sent = db.session.get(OutboxMessage, message.id)
    assert sent.status == "sent" and sent.attempts == 2 and sent.last_error is None


def test_cli_send_pending_delivers_what_is_waiting(smtp, runner):
    _queue()
    smtp.start()
    result = runner.invoke(args=["mail", "send-pending"])
    assert "Sendt: 1, feilet: 0, venter: 0" in result.output
    assert len(smtp.inbox.messages) == 1


def test_invitations_are_queued_by_the_request_and_delivered_by_the_worker(smtp, client, login, orgs, runner):
    smtp.start()
    factories.user("municipality_contact", organisation=orgs["Voss"], email="siri.lie@voss.kommune.no")
    db.session.commit()
    login("adviser", organisation="Bergen")
    form = {**ROUND, "organisations": [orgs["Voss"].id]}
    assert post(client, "/invitasjoner/ny", form, token_from="/invitasjoner/ny").status_code == 302
    assert smtp.inbox.messages == [] and mail.pending_count() == 1

    assert runner.invoke(args=["mail", "worker", "--once"]).output == "Sendt: 1, feilet: 0\n"
    [received] = smtp.inbox.messages
    assert received["To"] == "siri.lie@voss.kommune.no"
    assert received["Subject"] == "Invitasjon til Kunnskapskommunen – svarfrist 15.12.2026"
    assert all(m.sent_at for m in db.session.scalars(select(OutboxMessage)))


@pytest.fixture
def silent_server(app):
    """A mail server that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(256)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=listener.getsockname()[1], MAIL_TIMEOUT=1)
        yield listener


def _connection_waiting(listener: socket.socket) -> bool:
    listener.setblocking(False)
    try:
        listener.accept()[0].close()
    except BlockingIOError:
        return False
    return True


def test_a_round_for_200_recipients_only_queues_when_the_mail_server_never_answers(silent_server, client, login,
                                                                                   orgs):
    invited = []
    for n in range(20):
        organisation = factories.municipality(f"Prøvekommune {n}", f"{9000 + n}")
        for _ in range(10):
            factories.user("municipality_contact", organisation=organisation)
        invited.append(organisation)
    db.session.commit()
    login("adviser", organisation="Bergen")
    form = {**ROUND, "organisations": [o.id for o in invited]}
    started = time.monotonic()
    response = post(client, "/invitasjoner/ny", form, token_from="/invitasjoner/ny")
    assert response.status_code == 302
    assert time.monotonic() - started < 30  # delivering in the request would wait 200 × 1 s for the server
    assert not _connection_waiting(silent_server)
    queued = db.session.scalars(select(OutboxMessage)).all()
    assert len(queued) == 200 and all(m.sent_at is None and m.attempts == 0 for m in queued)


def test_the_worker_delivers_and_stops_cleanly_on_sigterm(smtp, database_url):
    smtp.start()
    _queue()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "worker-test", "AUDIT_KEY": TEST_AUDIT_KEY,
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port)}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "mail", "worker", "--interval", "60"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not smtp.inbox.messages and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=10)  # wakes from its 60 s wait at once
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert out == "Sendt: 1, feilet: 0\n" and len(smtp.inbox.messages) == 1
    assert mail.pending_count() == 0


def test_request_that_fails_delivers_nothing_and_keeps_nothing(smtp, client, login, orgs):
    smtp.start()
    factories.user("municipality_contact", organisation=orgs["Voss"])
    db.session.commit()
    login("adviser", organisation="Bergen")
    form = {**ROUND, "reply_deadline": "2026-11-01", "organisations": [orgs["Voss"].id]}
    assert post(client, "/invitasjoner/ny", form, token_from="/invitasjoner/ny").status_code == 200
    assert smtp.inbox.messages == [] and db.session.scalars(select(OutboxMessage)).all() == []


def test_two_workers_at_once_send_each_message_once(smtp, app, monkeypatch):
    """Two `mail send-pending` (on two servers, say) both find the same ten messages due; each message is claimed by
    one of them before it is sent, so each goes out once."""
    smtp.start()
    for n in range(10):
        _queue(f"Melding {n}")
    both_listed, claim = threading.Barrier(2, timeout=30), mail._claim
    listed = threading.local()

    def claim_once_both_listed(*args):
        if not getattr(listed, "done", False):
            listed.done = True
            both_listed.wait()
        return claim(*args)

    monkeypatch.setattr(mail, "_claim", claim_once_both_listed)
    results = []

    def worker():
        with app.app_context():
            results.append(mail.send_pending())
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(sent for sent, _failed in results) == 10 and len(results) == 2
    assert sorted(m["Subject"] for m in smtp.inbox.messages) == [f"Melding {n}" for n in range(10)]
