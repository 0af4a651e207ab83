"""Two app servers behind one proxy share nothing but PostgreSQL and their configuration: each is a gunicorn with an
instance folder of its own, on a port of its own, with SECRET_KEY and AUDIT_KEY from the environment they share.
Whatever one of them writes, the other serves (README, "Two or more servers").

Only on PostgreSQL (tests/conftest.py leaves the `postgres` tests out of a run on SQLite)."""
import io
import re
import subprocess
from datetime import date, datetime, timezone

import pytest
import requests
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, MembershipCase, OutboxMessage
from app.services import calendar, meetings
from tests import factories
from tests.conftest import TEST_AUDIT_KEY, prepare_schema
from tests.load_support import BIN, ROOT, Client, Gunicorn

pytestmark = pytest.mark.postgres

# Equal on every server: in the instance folder's config.py of each (LOGIN_FIRST_WAIT: the wait after the fifth
# failed sign-in outlasts the test), and in the environment they share.
INSTANCE_CONFIG = "from datetime import timedelta\nLOGIN_FIRST_WAIT = timedelta(minutes=1)\n"
SHARED = {"SECRET_KEY": "two-nodes-secret", "AUDIT_KEY": TEST_AUDIT_KEY, "KK_TODAY": "2026-11-23"}


@pytest.fixture(scope="module")
def nodes(_shared_app, database_url, tmp_path_factory):
    app, _config = _shared_app
    with app.app_context():
        prepare_schema(app)  # the tables, before a server looks for them
    folder = tmp_path_factory.mktemp("nodes")
    servers = []
    for name in ("a", "b"):
        instance = folder / name / "instance"
        instance.mkdir(parents=True)
        (instance / "config.py").write_text(INSTANCE_CONFIG)
        servers.append(Gunicorn(folder / name, workers=2, env={
            **SHARED, "DATABASE_URL": database_url, "INSTANCE_PATH": str(instance)}))
    with servers[0] as a, servers[1] as b:
        yield a, b
    for server in servers:
        assert sorted(p.name for p in (folder / server.database.name / "instance").iterdir()) == ["config.py"]


def _signed_in(node, email: str, password: str = factories.PASSWORD) -> Client:
    client = Client(node.url)
    client.login(email, password)
    return client


def _on(node, client: Client) -> Client:
    """The same browser (its cookies) sent to another server, as the proxy may do with any request."""
    other = Client(node.url)
    other.http = client.http
    return other


def _token(client: Client, path: str) -> str:
    return Client.TOKEN.search(client.get(path).text).group(1)


@pytest.fixture
def adviser(app, orgs):
    person = factories.user("adviser", organisation=orgs["Bergen"])
    db.session.commit()
    return person


@pytest.fixture
def meeting(adviser):
    made = meetings.create("steering", starts_at=datetime(2026, 12, 10, 9, tzinfo=timezone.utc),
                           ends_at=datetime(2026, 12, 10, 13, tzinfo=timezone.utc), place="Bergen rådhus",
                           invitees=[adviser], actor=adviser, notify=False)
    db.session.commit()
    return made


def test_a_file_uploaded_on_one_server_downloads_from_the_other(nodes, adviser, meeting):
    a, b = nodes
    on_a = _signed_in(a, adviser.email)
    pdf = factories.pdf("referat fra styringsgruppen")
    uploaded = on_a.http.post(f"{a.url}/moter/{meeting.id}/referat", timeout=30, allow_redirects=False,
                              data={"minutes": "", "csrf_token": _token(on_a, f"/moter/{meeting.id}")},
                              files={"minutes_file": ("referat.pdf", io.BytesIO(pdf), "application/pdf")})
    assert uploaded.status_code == 302, uploaded.text[:500]
    download = _on(b, on_a).get(f"/moter/{meeting.id}/referat.pdf")
    assert download.status_code == 200 and download.content == pdf


def test_a_document_changed_on_one_server_is_not_served_stale_by_the_other(nodes, adviser, meeting):
    a, b = nodes
    feed = f"/kalender/{calendar.create_token(adviser)}.ics"
    db.session.commit()
    first = requests.get(b.url + feed, timeout=30)
    assert first.status_code == 200 and "Bergen rådhus" in first.text
    assert requests.get(b.url + feed, timeout=30, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    on_a = _signed_in(a, adviser.email)
    moved = on_a.post(f"/moter/{meeting.id}/endre", {
        "date": "2026-12-10", "start_time": "10:00", "end_time": "14:00", "place": "Voss kulturhus", "agenda": "",
        "invitees": str(adviser.id)}, f"/moter/{meeting.id}/endre")
    assert moved.status_code == 302, moved.text[:500]
    again = requests.get(b.url + feed, timeout=30, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "Voss kulturhus" in again.text and "Bergen rådhus" not in again.text


def _failed_sign_in(node, email: str) -> requests.Response:
    client = Client(node.url)
    return client.post("/login", {"email": email, "password": "feil-passord"}, "/login")


def test_failed_sign_ins_on_both_servers_count_together(nodes, adviser):
    """Five failed sign-ins on one account from one address pass (LOGIN_ACCOUNT_ATTEMPTS); the fifth makes the next
    wait. Neither server saw five, both together did."""
    a, b = nodes
    statuses = [_failed_sign_in(node, adviser.email).status_code for node in (a, b, a, b, a)]
    assert statuses == [401] * 5
    refused = Client(b.url).post("/login", {"email": adviser.email, "password": factories.PASSWORD}, "/login")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_a_session_made_on_one_server_works_on_the_other_and_ends_on_both(nodes, adviser):
    a, b = nodes
    on_a = _signed_in(a, adviser.email)
    on_b = _on(b, on_a)
    assert on_b.get("/moter/").status_code == 200
    cookies = on_a.http.cookies.copy()
    assert on_b.post("/logout", {}, "/moter/").status_code == 302
    replayed = requests.Session()
    replayed.cookies = cookies  # the cookie from before signing out, sent to the server that made it
    response = replayed.get(f"{a.url}/moter/", timeout=30, allow_redirects=False)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_two_ticks_one_on_each_server_at_once_apply_each_due_transition_once(nodes, orgs):
    """Five invitations past their deadline move to "no reply" once; five more, three days before theirs, remind
    each contact person once (a daily job: the second tick waits for the first's and finds the reminders sent)."""
    late, soon = factories.invitation_round(deadline=date(2026, 11, 1)), factories.invitation_round(
        deadline=date(2026, 11, 26), title="Invitasjon 2027")
    names = ("Lindås", "Voss", "Askøy", "Fjell", "Os")
    overdue = [factories.case(orgs[name], late).id for name in names]
    for name in names:
        factories.case(orgs[name], soon)
        factories.user("municipality_contact", organisation=orgs[name])
    db.session.commit()
    ticks = [subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "workflows", "tick", "--today", "2026-11-23"],
                              cwd=ROOT, env=node.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for node in nodes]
    outputs = [tick.communicate(timeout=120) for tick in ticks]
    assert [tick.returncode for tick in ticks] == [0, 0], outputs
    moved = [line for out, _err in outputs for line in out.splitlines() if "→" in line]
    assert len(moved) == 5, outputs
    db.session.expire_all()
    assert db.session.scalars(select(MembershipCase.state).where(MembershipCase.id.in_(overdue))).all() == \
        ["no_reply"] * 5
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.object_id.in_(overdue), AuditEvent.to_state == "no_reply")) == 5
    reminders = db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.like("reminder:%"))).all()
    assert len(reminders) == len(set(reminders)) == 5
    assert sum(len(re.findall("påminnelse sendt", out)) for out, _err in outputs) == 5

