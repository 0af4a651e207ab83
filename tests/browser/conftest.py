"""One app server and one Debian chromium for all browser tests; a fresh browser context per test."""
import os
import re
import shutil
import threading
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from tests import factories
from tests.browser import demo_world
from tests.conftest import app_config, prepare_schema

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class LiveServer:
    app: Flask
    url: str

    def data(self):
        """An app context for arranging and checking data in the server's database."""
        return self.app.app_context()


# Package scope: one server and one browser for all the browser tests, stopped when they are done, so that the tests
# after them do not run inside Playwright's event loop (pyHanko's sync calls start one of their own).
@pytest.fixture(scope="package")
def live_server(tmp_path_factory):
    url = os.environ.get("TEST_LIVE_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    app = create_app(app_config(url))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="package")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live(live_server):
    """The shared server with an empty database, the organisations loaded and the clock on the test day."""
    app = live_server.app
    app.config.update(app_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    with app.app_context():
        prepare_schema(app)
        factories.organisations()
        db.session.commit()
    return live_server


@pytest.fixture(scope="module")
def demo(live_server):
    """The demo story in the shared server's database, for one module's tests (a `live` test empties it)."""
    return demo_world.load(live_server)


@pytest.fixture
def page(browser, live):
    context = browser.new_context(base_url=live.url, locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, email: str, password: str = factories.PASSWORD) -> None:
    """Log in through the form, as a person would."""
    page.goto("/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url(lambda url: "/login" not in url)


def sign_out(page) -> None:
    """Open the menu under the person's name and log out."""
    page.locator("button[aria-controls=brukermeny]").click()
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/login")


def follow_menu(page, *names: str) -> None:
    """Follow the main menu by the names of its links: a section, then one of the section's pages."""
    nav = page.get_by_role("navigation", name="Hovedmeny")
    for name in names:
        nav.get_by_role("link", name=re.compile(rf"^{re.escape(name)}( \d+ ventende)?$")).click()
