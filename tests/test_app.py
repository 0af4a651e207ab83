"""The factory, configuration, health check, headers and error pages."""
import pathlib
import re
import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import text

from app import config, create_app
from app.security import public
from app.extensions import db
from tests.conftest import app_config, csrf_token


def test_factory_uses_test_config(app, database_url):
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url
    assert not create_app(app_config(database_url, TESTING=False)).testing


def test_secret_key_is_generated_into_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first, second = Flask("probe", instance_path=str(tmp_path)), Flask("probe", instance_path=str(tmp_path))
    config.load(first, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    config.load(second, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key = (tmp_path / "secret_key").read_text()
    assert len(key) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key


def test_audit_key_is_generated_once_into_instance_folder_readable_by_the_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    make_key, together = config.secrets.token_hex, threading.Barrier(8, timeout=10)

    def racing_key(size):  # eight workers starting at once all find no key and each makes one
        together.wait()
        return make_key(size)

    monkeypatch.setattr(config.secrets, "token_hex", racing_key)
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: config._instance_secret(tmp_path / "audit_key"), range(8)))
    monkeypatch.undo()
    flask_app = Flask("probe", instance_path=str(tmp_path))
    config.load(flask_app, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert keys == {flask_app.config["AUDIT_KEY"]} and len(flask_app.config["AUDIT_KEY"]) == 64
    assert stat.S_IMODE((tmp_path / "audit_key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit_key", "secret_key"]


def test_audit_key_from_the_environment_and_not_too_short(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIT_KEY", "k" * 32)
    flask_app = Flask("probe", instance_path=str(tmp_path))
    config.load(flask_app)
    assert flask_app.config["AUDIT_KEY"] == "k" * 32 and not (tmp_path / "audit_key").exists()
    monkeypatch.setenv("AUDIT_KEY", "k" * 31)
    with pytest.raises(RuntimeError, match="AUDIT_KEY må ha minst 32 tegn"):
        config.load(Flask("probe", instance_path=str(tmp_path)))


def test_environment_overrides_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://kk@127.0.0.1/kk")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("AUDIT_KEY", "a" * 32)
    flask_app = Flask("probe", instance_path=str(tmp_path))
    config.load(flask_app)
    assert flask_app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://kk@127.0.0.1/kk"
    assert flask_app.config["SECRET_KEY"] == "from-env"


@pytest.mark.parametrize("given, missing", [({}, "SECRET_KEY og AUDIT_KEY mangler"),
                                            ({"SECRET_KEY": "from-env"}, "AUDIT_KEY mangler"),
                                            ({"AUDIT_KEY": "a" * 32}, "SECRET_KEY mangler")])
def test_a_server_on_postgresql_refuses_to_start_without_the_shared_keys(monkeypatch, tmp_path, given, missing):
    """Every node on one database must sign sessions and hash the audit chain with the same keys: none makes its
    own."""
    for name in ("SECRET_KEY", "AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://kk@127.0.0.1/kk")
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=f"^{missing}: med en delt database"):
        config.load(Flask("probe", instance_path=str(tmp_path)))
    assert list(tmp_path.iterdir()) == []


def test_the_instance_folder_is_set_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "node-a"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    served = create_app()
    assert served.instance_path == str(tmp_path / "node-a")
    assert served.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'node-a' / 'kunnskapskommunen.db'}"
    assert (tmp_path / "node-a" / "secret_key").is_file()
    with served.app_context():
        db.engine.dispose()


def test_default_database_is_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    flask_app = Flask("probe", instance_path=str(tmp_path))
    config.load(flask_app)
    assert flask_app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kunnskapskommunen.db'}"


def test_healthz_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] != "ok"


@pytest.mark.parametrize("path", ["/login", "/healthz", "/personvern", "/tilgjengelighet", "/finnes-ikke"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"] and "geolocation=()" in \
        response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # not over http, and HSTS_SECONDS is 0


def test_hsts_over_https_when_configured(app, client):
    assert "Strict-Transport-Security" not in client.get("/login", base_url="https://kk.test").headers
    app.config["HSTS_SECONDS"] = 31536000
    assert client.get("/login", base_url="https://kk.test").headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.mark.parametrize("proxies,hsts", [(0, False), (1, True)])
def test_https_behind_the_configured_proxy(app, database_url, proxies, hsts):
    served = create_app(app_config(database_url, PROXY_COUNT=proxies, HSTS_SECONDS=600))
    try:
        response = served.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
        assert ("Strict-Transport-Security" in response.headers) == hsts
    finally:
        with served.app_context():
            db.engine.dispose()


def _modes(*paths) -> dict[str, int]:
    return {path.name: stat.S_IMODE(path.stat().st_mode) for path in paths}


def test_instance_files_are_readable_by_the_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    config.load(Flask("probe", instance_path=str(instance)), {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    served = create_app(app_config(f"sqlite:///{tmp_path / 'kk.db'}"))
    with served.app_context():
        db.create_all()
        db.session.commit()
        database = _modes(tmp_path / "kk.db", tmp_path / "kk.db-wal")  # the journal is there while connected
        db.engine.dispose()
    assert database == {"kk.db": 0o600, "kk.db-wal": 0o600}
    assert _modes(instance, instance / "secret_key") == {"instance": 0o700, "secret_key": 0o600}


def test_no_external_assets(client):
    html = client.get("/login").get_data(as_text=True)
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_404_page_in_norwegian(client):
    response = client.get("/finnes-ikke")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.get_data(as_text=True)


def test_500_page_shows_reference_not_traceback(database_url, orgs):
    app = create_app(app_config(database_url, DEBUG=False, TESTING=False))
    assert not app.debug and not app.testing

    @app.route("/boom")
    @public
    def boom():
        raise RuntimeError("hemmelig detalj")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Noe gikk galt" in body and "Referanse" in body
    assert "hemmelig detalj" not in body and "Traceback" not in body and "RuntimeError" not in body
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_language_switch_to_english_and_back(client):
    assert "Logg inn" in client.get("/login").get_data(as_text=True)
    client.post("/sprak", data={"lang": "en", "csrf_token": csrf_token(client)})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html
    client.post("/sprak", data={"lang": "nb", "csrf_token": csrf_token(client)})
    assert '<html lang="nb">' in client.get("/login").get_data(as_text=True)


def test_dates_and_amounts_in_norwegian(app):
    from datetime import date

    from app.formatting import long_date, money, short_date

    with app.test_request_context():
        assert short_date(date(2016, 11, 1)) == "01.11.2016"
        assert long_date(date(2016, 11, 1)) == "1. november 2016"
        assert money(40000) == "kr 40\u00a0000"


def test_a_moment_is_dated_by_its_day_in_oslo(app):
    from datetime import date, datetime, timezone

    from app.formatting import short_date

    new_year_in_oslo = datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)
    with app.test_request_context():
        assert short_date(new_year_in_oslo) == "01.01.2026"
        assert short_date(new_year_in_oslo.replace(tzinfo=None)) == "01.01.2026"  # naive moments are UTC
        assert short_date(date(2025, 12, 31)) == "31.12.2025"


def test_database_is_configured_for_concurrent_use(app):
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    else:
        assert db.session.execute(text("SHOW transaction_isolation")).scalar() == "read committed"


def test_english_dates_are_day_first(app):
    from datetime import date

    from app.formatting import short_date

    with app.test_request_context():
        from flask import session
        from flask_babel import refresh

        session["lang"] = "en"
        refresh()
        assert short_date(date(2026, 3, 4)) == "04/03/2026"


def test_every_page_title_is_text_only():
    """A page's title block holds the title, not markup (a block left open swallows a section into <title>)."""
    titles = re.compile(r"{% block title %}(.*?){% endblock %}", re.S)
    wrong = {path.name: title for path in (pathlib.Path(__file__).parent.parent / "templates").rglob("*.html")
             for title in titles.findall(path.read_text()) if "<" in title or "\n" in title}
    assert wrong == {}
