"""Rate limits counted in the database: sign-in attempts per client address and per account and address (a growing
wait, never a lock of the account for everybody), document renders per user, and the client address behind proxies."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app import clock, create_app
from app.extensions import db
from app.models import LoginAttempt, RateLimit
from app.services import rate_limits
from tests import factories
from tests.conftest import IsolatedClient, app_config, csrf_token
from tests.test_concurrency import DONE, run_in_threads

WRONG = "feil-passord-123"
ADDRESS, OTHER_ADDRESS = "203.0.113.7", "198.51.100.23"


def _login(client, email: str, password: str = WRONG, address: str = ADDRESS, **kwargs):
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address}, **kwargs)


@pytest.fixture
def moment(monkeypatch):
    """The clock stands still at a moment the test moves: moment[0] += timedelta(...)."""
    now = [datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)]
    monkeypatch.setattr(clock, "now", lambda: now[0])
    return now


def test_concurrent_hits_are_each_counted_once(app, moment):
    assert db.engine.dialect.name != "sqlite" or db.engine.url.database  # file-based, shared by threads
    rule = rate_limits.Rule(5, timedelta(hours=1), timedelta(minutes=1), timedelta(minutes=1))
    waits = [None] * 16

    def hit(i):
        waits[i] = rate_limits.hit("test:parallel", rule)

    assert run_in_threads(app, 16, hit) == [DONE] * 16
    assert sorted(waits) == [0] * 5 + [60] * 11
    assert db.session.get(RateLimit, "test:parallel").hits == 5


def test_parallel_wrong_passwords_on_one_account_get_exactly_the_allowance(app, orgs):
    email = factories.user("adviser").email
    db.session.commit()
    clients = [app.test_client() for _ in range(16)]
    tokens = [csrf_token(c) for c in clients]
    barrier, statuses = threading.Barrier(16, timeout=30), [None] * 16

    def attempt(i):
        barrier.wait()
        statuses[i] = clients[i].post("/login", data={"email": email, "password": WRONG,
                                                      "csrf_token": tokens[i]}).status_code

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [401] * 5 + [429] * 11  # the password was checked 5 times, no more
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 5


def test_spraying_one_attempt_per_account_from_one_address_is_slowed(client, orgs):
    statuses = [_login(client, f"person{n}@test.kommune.no").status_code for n in range(11)]
    assert statuses == [401] * 10 + [429]
    assert _login(client, "person0@test.kommune.no", address=OTHER_ADDRESS).status_code == 401


def test_failures_from_one_address_do_not_keep_the_owner_out_elsewhere(client, orgs):
    user = factories.user("adviser")
    db.session.commit()
    assert [_login(client, user.email).status_code for _ in range(6)] == [401] * 5 + [429]
    response = _login(client, user.email, factories.PASSWORD, address=OTHER_ADDRESS)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_the_wait_grows_with_each_further_failure_up_to_the_most(app, client, orgs, moment):
    app.config.update(LOGIN_FIRST_WAIT=timedelta(seconds=1), LOGIN_MAX_WAIT=timedelta(seconds=4))
    user = factories.user("adviser")
    db.session.commit()
    assert [_login(client, user.email).status_code for _ in range(5)] == [401] * 5
    waits = []
    for _ in range(4):
        refused = _login(client, user.email)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        moment[0] += timedelta(seconds=waits[-1])
        assert _login(client, user.email).status_code == 401
    assert waits == [1, 2, 4, 4]
    page = _login(client, user.email).get_data(as_text=True)
    assert "For mange mislykkede innloggingsforsøk. Prøv igjen om 4 sekunder." in page
    moment[0] += timedelta(seconds=3)
    refused = _login(client, user.email, factories.PASSWORD)  # the right password waits as well
    assert refused.status_code == 429 and "Prøv igjen om 1 sekund." in refused.get_data(as_text=True)


def test_the_count_starts_again_after_the_window(app, client, orgs, moment):
    user = factories.user("adviser")
    db.session.commit()
    assert [_login(client, user.email).status_code for _ in range(6)] == [401] * 5 + [429]
    moment[0] += app.config["LOGIN_WINDOW"]
    assert [_login(client, user.email).status_code for _ in range(6)] == [401] * 5 + [429]


def test_signing_in_clears_the_count_of_the_account_from_that_address(client, orgs):
    user = factories.user("adviser")
    db.session.commit()
    assert [_login(client, user.email).status_code for _ in range(4)] == [401] * 4
    assert _login(client, user.email, factories.PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert [_login(client, user.email).status_code for _ in range(6)] == [401] * 5 + [429]


def test_people_signing_in_from_one_address_do_not_slow_each_other(app, orgs):
    people = [factories.user("adviser") for _ in range(12)]
    db.session.commit()
    for person in people:
        assert _login(app.test_client(), person.email, factories.PASSWORD).status_code == 302


def test_the_counters_hold_no_email_or_client_address(client, orgs):
    _login(client, "person@test.kommune.no")
    keys = " ".join(db.session.scalars(select(RateLimit.key)))
    assert keys.count("login-") == 2 and "person" not in keys and ADDRESS not in keys


def test_the_tick_removes_counters_that_hold_nothing_back(app, moment):
    rule = rate_limits.Rule(1, timedelta(hours=1), timedelta(days=2), timedelta(days=2))
    rate_limits.hit("test:idle", rate_limits.Rule(5, timedelta(hours=1), timedelta(1), timedelta(1)))
    rate_limits.hit("test:waiting", rule)
    moment[0] += timedelta(days=1, seconds=1)
    assert rate_limits.prune(clock.today()) == ["Tellere for innlogging og dokumenter: 1 utløpte fjernet."]
    assert db.session.scalars(select(RateLimit.key)).all() == ["test:waiting"]


@pytest.mark.parametrize("proxies,forwarded,recorded", [
    (0, "192.0.2.1", "127.0.0.1"),  # no proxy: what a client writes in the header is ignored
    (1, "192.0.2.1, 203.0.113.50", "203.0.113.50"),  # the address our proxy saw, not the one the client wrote
])
def test_the_client_address_behind_the_configured_proxies(app, orgs, database_url, proxies, forwarded, recorded):
    served = create_app(app_config(database_url, PROXY_COUNT=proxies))
    served.test_client_class = IsolatedClient
    try:
        client = served.test_client()
        response = _login(client, "person@test.kommune.no", address="127.0.0.1", headers={"X-Forwarded-For": forwarded})
        assert response.status_code == 401
        assert db.session.scalar(select(LoginAttempt.remote_addr)) == recorded
    finally:
        with served.app_context():
            db.engine.dispose()


def test_behind_a_proxy_each_client_address_counts_on_its_own(app, orgs, database_url):
    served = create_app(app_config(database_url, PROXY_COUNT=1))
    served.test_client_class = IsolatedClient
    try:
        client = served.test_client()

        def from_(address: str, n: int) -> int:
            return _login(client, f"person{n}@test.kommune.no", address="127.0.0.1",
                          headers={"X-Forwarded-For": address}).status_code

        assert [from_(ADDRESS, n) for n in range(11)] == [401] * 10 + [429]
        assert from_(OTHER_ADDRESS, 0) == 401
    finally:
        with served.app_context():
            db.engine.dispose()


def test_document_renders_are_limited_per_user_with_a_norwegian_page(app, client, auth, orgs):
    app.config["RENDER_LIMIT"] = 1
    case = factories.issued_case(orgs["Lindås"])
    db.session.commit()
    history = f"/saker/{case.id}/dokumenter/saksforlop.pdf"
    auth.login("adviser", organisation="Bergen")
    assert client.get(f"/saker/{case.id}/dokumenter/finnes-ikke.pdf").status_code == 404  # not counted
    assert client.get(history).status_code == 200
    refused = client.get(f"/saker/{case.id}/arkiv.zip")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    page = refused.get_data(as_text=True)
    assert '<html lang="nb">' in page and "Du har hentet mange dokumenter på kort tid. Prøv igjen om 60 sekunder." \
        in page
    assert client.get(f"/avtaler/{case.agreement.id}/samarbeidsavtale.pdf").status_code == 429
    assert client.get(history).status_code == 200  # its stored copy costs no render, so it is not counted
    auth.logout()
    auth.login("adviser", organisation="Bergen")  # someone else is not held back
    assert client.get(f"/saker/{case.id}/arkiv.zip").status_code == 200


def test_a_hit_read_from_the_clock_just_before_another_is_counted(app, moment):
    """Requests read the clock, and one that read it later writes first: the earlier is within the allowance all
    the same (the first hit makes the counter, the others count on it)."""
    rule = rate_limits.Rule(5, timedelta(hours=1), timedelta(minutes=1), timedelta(minutes=1))
    start = moment[0]
    for milliseconds in (10, 0, 10, 5):
        moment[0] = start + timedelta(milliseconds=milliseconds)
        assert rate_limits.hit("test:order", rule) == 0
