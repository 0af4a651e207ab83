"""Shared fixtures: the app on a throwaway database, a client that keeps CSRF on, and login(role)."""
import contextvars
import os
import re
from datetime import timedelta

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from app import create_app
from app.extensions import db
from tests import factories, oidc_provider as oidc
from tests.smtp_server import SMTPServer

TEST_DAY = "2026-11-23"
TEST_AUDIT_KEY = "test-audit-key-" + "0" * 32
_schema_ready: set[str] = set()


def pytest_configure(config):
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(config.rootpath / ".pytest_cache" / "hypothesis"))


def pytest_collection_modifyitems(config, items):
    """A run on SQLite leaves out the tests that need PostgreSQL (marker `postgres`); `make test` runs them in its
    PostgreSQL run, where TEST_DATABASE_URL is set."""
    if (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"):
        return
    left_out = [item for item in items if item.get_closest_marker("postgres")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """SQLite file by default; TEST_DATABASE_URL runs the suite on PostgreSQL."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def app_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "AUDIT_KEY": TEST_AUDIT_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TODAY": TEST_DAY,
        "BASE_URL": "http://kk.test",
        # No sealing unless a test sets up a key (a developer's instance/seal.p12 stays out of the suite).
        "SEAL_P12_PATH": None,
        "SERVER_NAME": None,
        # Fast hashing keeps the suite quick; production uses scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # The first wait after too many failed sign-ins: longer than a slow run takes between two requests.
        "LOGIN_FIRST_WAIT": timedelta(minutes=1),
    }
    if database_url.startswith("postgresql"):
        # Connections close when returned, so no pooled connection outlives the app that opened it.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}
    config.update(overrides)
    return config


def prepare_schema(app) -> None:
    """Create the tables once per database, then empty them before each test."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url not in _schema_ready:
        db.drop_all()
        db.create_all()
        _schema_ready.add(url)
    wipe()


def wipe() -> None:
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    db.session.commit()


class IsolatedClient(FlaskClient):
    """Each request runs in its own contexts, as in a real server, not in the test's app context.

    Afterwards the test's session forgets what it loaded, so the test reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The OpenID provider on loopback (tests/oidc_provider.py), once for the whole run."""
    provider = oidc.start(tmp_path_factory.mktemp("oidc"))
    yield provider
    oidc.stop(provider)


@pytest.fixture(scope="session")
def _shared_app(database_url):
    """One app for the whole run: building the URL map for every test would dominate the suite's time."""
    app = create_app(app_config(database_url))
    app.test_client_class = IsolatedClient
    yield app, dict(app.config)
    with app.app_context():
        db.engine.dispose()  # close pooled connections now, not when the interpreter exits (a ResourceWarning)


@pytest.fixture
def app(_shared_app):
    """The app with its original configuration, inside an app context, on an empty database."""
    app, config = _shared_app
    app.config.clear()
    app.config.update(config)
    with app.app_context():
        prepare_schema(app)
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def orgs(app) -> dict:
    """The organisations of the collaboration, by name."""
    organisations = factories.organisations()
    db.session.commit()
    return organisations


@pytest.fixture
def adviser(orgs):
    """The R&D adviser at Bergen (a test module may define its own)."""
    user = factories.adviser(orgs["Bergen"])
    db.session.commit()
    return user


def csrf_token(client, path: str = "/login") -> str:
    """A valid CSRF token for the client's session, read from a page's form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Auth:
    """Sign users in and out through the real login form."""

    def __init__(self, client, orgs):
        self.client, self.orgs = client, orgs

    def login(self, role_or_user="adviser", organisation: str = "Lindås", **kwargs):
        user = role_or_user
        if isinstance(role_or_user, str):
            roles = [role_or_user] if role_or_user else []
            user = factories.user(*roles, organisation=self.orgs[organisation], **kwargs)
            db.session.commit()
        response = self.client.post("/login", data={
            "email": user.email, "password": factories.PASSWORD, "csrf_token": csrf_token(self.client)})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/")})


@pytest.fixture
def auth(client, orgs) -> Auth:
    return Auth(client, orgs)


@pytest.fixture
def login(auth):
    """login(role) signs in a fresh user with that role and returns it."""
    return auth.login


def post(client, path: str, data: dict | None = None, token_from: str = "/", **kwargs):
    """POST a form with a valid CSRF token, as a browser would."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_from)}, **kwargs)


@pytest.fixture
def smtp(app):
    """A running SMTP server on loopback that the app delivers to; `smtp.inbox.messages` holds what it accepted."""
    server = SMTPServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


def unmarked(html: str) -> str:
    """A page without the translate="no" marks around names, as its reader sees the text."""
    return re.sub(r'<span translate="no">([^<]*)</span>', r"\1", html)
