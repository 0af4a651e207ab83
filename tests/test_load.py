"""50 concurrent people for 20 seconds on gunicorn with SQLite, a worker killed midway: nothing breaks."""
import random
import re
import threading
import time
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import AuditEvent, MembershipCase, TransitionRequest
from app.services import audit
from tests import factories
from tests.conftest import app_config
from tests.load_support import Client, Gunicorn

pytestmark = pytest.mark.load
CLIENTS, SECONDS = 50, 20
PASSWORD = factories.PASSWORD


def arrange(database) -> dict:
    """Schema by migration, then advisers, and per municipality a contact and a case, every other one past the
    deadline (and not invited again since, so the late reply form is open to it)."""
    app = create_app(app_config(f"sqlite:///{database}"))
    with app.app_context():
        upgrade()
        orgs = factories.organisations()
        open_round = factories.invitation_round(deadline=date(2026, 12, 31), title="Åpen runde")
        late_round = factories.invitation_round(deadline=date(2026, 11, 1), title="Sen runde")
        people = {"advisers": [factories.user("adviser", organisation=orgs["Bergen"], password=PASSWORD).email
                               for _ in range(5)], "contacts": []}
        municipalities = [org for org in orgs.values() if org.is_municipality and not org.is_host]
        for n, org in enumerate(municipalities):
            contact = factories.user("municipality_contact", organisation=org, password=PASSWORD)
            people["contacts"].append((contact.email, factories.case(org, (open_round, late_round)[n % 2]).id))
        db.session.commit()
        db.engine.dispose()
    return people


def adviser_session(client: Client, stop: float) -> None:
    while time.monotonic() < stop:
        inbox = client.get("/godkjenninger/")
        ids = re.findall(r'href="/godkjenninger/(\d+)/godkjenn', inbox.text)
        if ids:
            page = f"/godkjenninger/{random.choice(ids)}/{random.choice(['godkjenn', 'avvis'])}"
            client.post(page, {"comment": "Behandlet."}, page)
        client.get("/saker/")


REPLY = {"action": "send", "contact_name": "Kontaktperson", "contact_email": "kontakt@test.kommune.no"}


def contact_session(client: Client, case: int, stop: float) -> None:
    """Answer on the reply form (yes or no, whichever the case page offers), or ask to answer yes late."""
    while time.monotonic() < stop:
        client.get("/saker/")
        page = client.get(f"/saker/{case}").text
        for trigger, answer in (("accept", "yes"), ("decline", "no")):
            if f"/handling/{trigger}\"" in page:
                form = f"/min-kommune/invitasjon/{case}/svar"
                client.post(form, {**REPLY, "answer": answer, "comment": "Svar."}, form)
                break
        if "/handling/accept_late\"" in page:
            form = f"/min-kommune/invitasjon/{case}/sent-svar"
            client.post(form, {**REPLY, "comment": "Sent svar."}, form)


def test_fifty_clients_no_5xx_and_consistent_history(tmp_path):
    database = tmp_path / "load.db"
    people = arrange(database)
    with Gunicorn(database, workers=3) as server:
        clients, threads = [], []
        stop = time.monotonic() + SECONDS
        for i in range(CLIENTS):
            client = Client(server.url)
            if i < 5:
                client.login(people["advisers"][i], PASSWORD)
                target, args = adviser_session, (client, stop)
            else:
                email, case = people["contacts"][i % len(people["contacts"])]
                client.login(email, PASSWORD)
                target, args = contact_session, (client, case, stop)
            clients.append(client)
            threads.append(threading.Thread(target=_survive, args=(target, args)))
        for thread in threads:
            thread.start()
        time.sleep(SECONDS / 2)
        killed = server.kill_a_worker()
        for thread in threads:
            thread.join(SECONDS + 60)
        assert killed not in server.worker_pids() and len(server.worker_pids()) == 3  # the master replaced it
    statuses = [s for c in clients for s in c.statuses]
    assert len(statuses) > 500
    assert [s for s in statuses if s >= 500] == []
    changes, approved = _assert_history_consistent(database)
    assert changes > 50 and approved > 0  # the mix really changed states and approved requests


def _survive(target, args) -> None:
    """Connection errors when a worker is killed are expected, before the answer or in the middle of its body
    (ChunkedEncodingError, a cut-off read); the client goes on."""
    import requests

    while time.monotonic() < args[-1]:
        try:
            target(*args)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            continue


def _assert_history_consistent(database) -> None:
    app = create_app(app_config(f"sqlite:///{database}"))
    with app.app_context():
        assert audit.verify().ok
        for case in db.session.scalars(select(MembershipCase)):
            events = [e for e in db.session.scalars(select(AuditEvent).where(
                AuditEvent.object_type == "membership_case", AuditEvent.object_id == case.id,
                AuditEvent.from_state.is_not(None)).order_by(AuditEvent.seq))]
            assert case.version - 1 == len(events), case.id          # one event per state change
            chain = [events[0].from_state] + [e.to_state for e in events] if events else [case.state]
            assert all(a.to_state == b.from_state for a, b in zip(events, events[1:]))
            assert chain[-1] == case.state
        approved = db.session.scalars(select(TransitionRequest.id).where(TransitionRequest.status == "approved")).all()
        for request_id in approved:
            applied = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.request_id == request_id, AuditEvent.to_state.is_not(None)))
            assert applied == 1, request_id                              # no request applied twice
        changes = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.from_state.is_not(None)))
        db.engine.dispose()
    return changes, len(approved)
