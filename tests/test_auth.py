"""Signing in and out, lockout, sessions and passwords (links that set one: test_password_links.py)."""
import json
import re
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app import clock
from app.auth.routes import load_user
from app.config import Defaults
from app.extensions import db
from app.models import AuditEvent, LoginAttempt, LoginSession
from app.services import users
from tests import factories
from tests.conftest import Auth, csrf_token, post


def _login(client, email, password):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def test_login_page_posts_email_and_password(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html and 'name="csrf_token"' in html


def test_login_success_redirects_home(client, orgs):
    user = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne Solbakk")
    db.session.commit()
    response = _login(client, user.email.upper(), factories.PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert 'Hei, <span translate="no">Marianne Solbakk</span>' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email,password", [
    ("person@test.kommune.no", "feil-passord-123"),
    ("finnes.ikke@test.kommune.no", factories.PASSWORD),
])
def test_login_failure_gives_same_message(client, orgs, email, password):
    factories.user("adviser", email="person@test.kommune.no")
    db.session.commit()
    response = _login(client, email, password)
    assert response.status_code == 401
    assert "Feil e-postadresse eller passord." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_deactivated_user_cannot_login(client, orgs):
    user = factories.user("adviser")
    user.active = False
    db.session.commit()
    assert _login(client, user.email, factories.PASSWORD).status_code == 401


@pytest.mark.parametrize("exists", [True, False])
def test_lockout_after_repeated_failures_without_revealing_account(client, orgs, exists):
    email = "utsatt@test.kommune.no"
    if exists:
        factories.user("adviser", email=email)
        db.session.commit()
    for _ in range(5):
        assert _login(client, email, "feil-passord-123").status_code == 401
    response = _login(client, email, factories.PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede innloggingsforsøk" in response.get_data(as_text=True)
    failures = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == email, LoginAttempt.success.is_(False)))
    assert failures == 5


def test_lockout_ends_after_the_lockout_period(app, client, orgs):
    user = factories.user("adviser")
    db.session.commit()
    for _ in range(5):
        _login(client, user.email, "feil-passord-123")
    app.config["TODAY"] = "2026-11-24"
    assert _login(client, user.email, factories.PASSWORD).status_code == 302


def test_login_issues_fresh_session(client, orgs):
    user = factories.user("adviser")
    db.session.commit()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by attacker"
    _login(client, user.email, factories.PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_invalidates_old_cookie(client, auth):
    auth.login("adviser")
    with client.session_transaction() as session:
        stolen = dict(session)
    auth.logout()
    assert client.get("/").status_code == 302
    with client.session_transaction() as session:
        session.update(stolen)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_idle_timeout_logs_out(app, client, auth):
    auth.login("adviser")
    session = db.session.scalar(select(LoginSession))
    session.last_seen = clock.now() - timedelta(minutes=31)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Du er logget ut" in client.get("/login").get_data(as_text=True)
    assert db.session.get(LoginSession, session.id).ended_at is not None
    assert _session_ends(session.user_id) == [{"reason": "idle"}]


def _session_ends(user_id: int) -> list[dict]:
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.session_end",
                                                         AuditEvent.object_id == user_id)).all()
    assert all(e.actor_id is None and e.object_type == "user" for e in events)
    return [json.loads(e.data) for e in events]


@pytest.mark.parametrize("lifetime,signed_in_ago,lasts", [
    (None, timedelta(hours=11, minutes=50), True), (None, timedelta(hours=12, minutes=1), False),
    (timedelta(hours=2), timedelta(hours=2, minutes=1), False)])
def test_a_session_ends_its_lifetime_after_sign_in_however_busy(app, client, auth, lifetime, signed_in_ago, lasts):
    if lifetime:
        app.config["SESSION_ABSOLUTE_TIMEOUT"] = lifetime
    user = auth.login("adviser")
    session = db.session.scalar(select(LoginSession))
    session.created_at = clock.now() - signed_in_ago
    db.session.commit()
    response = client.get("/")
    assert response.status_code == (200 if lasts else 302)
    assert (db.session.get(LoginSession, session.id).ended_at is None) is lasts
    assert _session_ends(user.id) == ([] if lasts else [{"reason": "lifetime"}])
    if not lasts:
        assert "Du er logget ut" in client.get("/login").get_data(as_text=True)
        client.get("/")
        assert len(_session_ends(user.id)) == 1


def _last_seen_minutes_ago(minutes: int) -> LoginSession:
    session = db.session.scalar(select(LoginSession))
    session.last_seen = clock.now() - timedelta(minutes=minutes)
    db.session.commit()
    return session


def test_the_user_loader_commits_nothing(app, client, auth):
    user = auth.login("adviser")
    session = _last_seen_minutes_ago(5)
    commits = []
    count = commits.append
    event.listen(Session, "after_commit", count)
    try:
        with app.test_request_context("/"):
            assert load_user(session.id).id == user.id
            assert g.session_visit == session.id  # saved after the request, not here
    finally:
        event.remove(Session, "after_commit", count)
    assert commits == []


def test_the_user_loader_reads_session_user_organisation_and_roles_in_one_statement(app, client, orgs):
    user = Auth(client, orgs).login("adviser")
    user.set_roles(["adviser", "signatory"])
    db.session.commit()
    session_id = db.session.scalar(select(LoginSession.id).where(LoginSession.user_id == user.id))
    db.session.expunge_all()
    sent = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with app.test_request_context("/"):
            loaded = load_user(session_id)
            assert (loaded.roles, loaded.organisation.name) == ({"adviser", "signatory"}, "Lindås")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(sent) == 1, sent


def test_the_visit_is_saved_after_the_request_once_a_minute(app, client, auth):
    auth.login("adviser")
    session = _last_seen_minutes_ago(5)
    assert client.get("/").status_code == 200
    seen = db.session.get(LoginSession, session.id).last_seen
    assert clock.now() - seen < timedelta(seconds=30)
    assert client.get("/").status_code == 200
    assert db.session.get(LoginSession, session.id).last_seen == seen


def test_the_visit_is_saved_apart_from_a_refused_change(app, client, auth):
    user = auth.login("project_member")
    session = _last_seen_minutes_ago(5)
    before = user.password_hash
    refused = post(client, "/passord", {"current_password": "galt", "password": "nytt-passord-456",
                                        "confirm": "nytt-passord-456"}, token_from="/passord")
    assert "Nåværende passord er feil." in refused.get_data(as_text=True)
    assert clock.now() - db.session.get(LoginSession, session.id).last_seen < timedelta(seconds=30)
    assert db.session.get(type(user), user.id).password_hash == before


def test_safe_next_redirect(client, orgs):
    user = factories.user("admin")
    db.session.commit()
    for target, expected in [("/admin/brukere", "/admin/brukere"), ("https://evil.example/", "/"),
                             ("//evil.example/", "/"), ("/x%0D%0ASet-Cookie:%20a=b", "/"), ("/x%0Ay", "/"),
                             ("/x%09y", "/"), ("/x%20y", "/"), ("/x%E2%80%A8y", "/"), ("/x%C2%85y", "/"),
                             ("/x%E2%80%AEy", "/"), ("/m%C3%B8ter", "/m%C3%B8ter")]:
        client.get("/login")
        response = client.post(f"/login?next={target}", data={
            "email": user.email, "password": factories.PASSWORD, "csrf_token": csrf_token(client)})
        assert (response.status_code, response.headers.get("Location")) == (302, expected), target
        post(client, "/logout")


def test_change_own_password(client, auth):
    user = auth.login("project_member")
    wrong = post(client, "/passord", {"current_password": "galt", "password": "nytt-passord-456",
                                      "confirm": "nytt-passord-456"}, token_from="/passord")
    assert "Nåværende passord er feil." in wrong.get_data(as_text=True)
    short = post(client, "/passord", {"current_password": factories.PASSWORD, "password": "kort",
                                      "confirm": "kort"}, token_from="/passord")
    assert "minst 10 tegn" in short.get_data(as_text=True)
    ok = post(client, "/passord", {"current_password": factories.PASSWORD, "password": "nytt-passord-456",
                                   "confirm": "nytt-passord-456"}, token_from="/passord")
    assert ok.status_code == 302
    auth.logout()
    assert _login(client, user.email, "nytt-passord-456").status_code == 302


def test_changing_the_password_ends_every_other_session_of_the_user(app, client, orgs):
    """Whoever else is signed in as the user (an attacker with the old password) is out; this browser stays."""
    user = factories.user("project_member", organisation=orgs["Lindås"])
    bystander = factories.user("project_member", organisation=orgs["Lindås"])
    db.session.commit()
    others = [app.test_client() for _ in range(3)]
    for browser, person in zip((client, *others), (user, user, user, bystander)):
        Auth(browser, orgs).login(person)
    response = post(client, "/passord", {"current_password": factories.PASSWORD, "password": "nytt-passord-456",
                                         "confirm": "nytt-passord-456"}, token_from="/passord")
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert [browser.get("/").status_code for browser in others] == [302, 302, 200]


def test_password_is_hashed_with_strong_scrypt_by_default(app, client, orgs):
    """The suite hashes fast (see conftest); an installation gets the default, which must stay scrypt at no less
    than werkzeug's cost (n=2^15, r=8, p=1)."""
    app.config["PASSWORD_HASH_METHOD"] = Defaults.PASSWORD_HASH_METHOD
    user = factories.user("adviser")
    db.session.commit()
    method, salt, _ = user.password_hash.split("$")
    name, *cost = method.split(":")
    assert name == "scrypt", method
    n, r, p = map(int, cost)
    assert n >= 2 ** 15 and r >= 8 and p >= 1, method
    assert len(salt) >= 16 and factories.PASSWORD not in user.password_hash
    assert _login(client, user.email, factories.PASSWORD).status_code == 302


def test_an_unknown_address_is_checked_against_a_hash_of_the_configured_method(app, client, orgs, monkeypatch):
    """A wrong address costs as long as a wrong password: the stand-in hash uses the configured method too."""
    checked = []
    real_check = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash", lambda hashed, password: checked.append(hashed)
                        or real_check(hashed, password))
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    assert _login(client, "ingen@example.no", "feil-passord-123").status_code == 401
    assert checked and checked[-1].startswith("pbkdf2:sha256:1000$")


def test_session_cookie_flags(client, orgs):
    user = factories.user("adviser")
    db.session.commit()
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        client = client.application.test_client()
        html = client.get("/login", base_url=base).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        response = client.post("/login", base_url=base, data={
            "email": user.email, "password": factories.PASSWORD, "csrf_token": token})
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


def _transcript(app, email: str, attempts: int = 7) -> list[tuple[int, str]]:
    """Failed logins for `email` from a fresh browser (in alternating letter case): status and page, with the
    address and the CSRF token taken out so two transcripts can be compared."""
    client = app.test_client()
    answers = []
    for n in range(attempts):
        response = _login(client, email.upper() if n % 2 else email, "feil-passord-123")
        page = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", response.get_data(as_text=True))
        answers.append((response.status_code, re.sub(re.escape(email), "<adresse>", page, flags=re.IGNORECASE)))
    return answers


def test_brute_force_is_refused_and_logged_the_same_whether_the_account_exists(app, orgs, caplog):
    factories.user("adviser", email="finnes@test.kommune.no")
    db.session.commit()
    with caplog.at_level("WARNING", logger=app.logger.name):
        existing = _transcript(app, "finnes@test.kommune.no")
        logged_existing = [r.getMessage() for r in caplog.records]
        caplog.clear()
        unknown = _transcript(app, "finnes.ikke@test.kommune.no")
        logged_unknown = [r.getMessage() for r in caplog.records]

    assert [status for status, _ in existing] == [401] * 5 + [429] * 2
    assert "Feil e-postadresse eller passord." in existing[0][1]
    assert "For mange mislykkede innloggingsforsøk" in existing[-1][1]
    assert existing == unknown
    assert len(logged_existing) == 7
    assert logged_existing[0].startswith("failed login for finnes@test.kommune.no")
    assert logged_existing[-1].startswith("login refused, too many failures for finnes@test.kommune.no")
    assert [m.replace("finnes.ikke@", "finnes@") for m in logged_unknown] == logged_existing
