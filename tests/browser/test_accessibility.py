"""WCAG 2.1 A/AA with axe-core on every page each role can reach, with the demo data loaded."""
import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.commands.seed import _people, _successors
from app.extensions import db
from app.services import users
from tests import factories
from tests.browser.conftest import sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_ACCOUNTS = {
    "anonymous": None,
    "admin": "admin@bergen.kommune.no",
    "adviser": "marianne.solbakk@bergen.kommune.no",
    "municipality_contact": "kari.nordtveit@alver.kommune.no",
    "signatory": "olav.hauge@alver.kommune.no",
    "host_signatory": "nina.mevold@bergen.kommune.no",
    "project_member": "liv.instanes@uib.no",
    "steering_member": "gunn.rosland@helse-bergen.no",
}
SKIP = re.compile(r"\.(svg|pdf|csv|xlsx|ics|zip|json|png)$|/logout|/static/")
MAX_PAGES = 60


@pytest.fixture(scope="module")
def demo(live_server):
    """The demo story in the live server's database, shared by this module's tests."""
    from app.demo import history, membership
    from tests.conftest import app_config, prepare_schema

    app = live_server.app
    app.config.update(app_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    with app.app_context():
        prepare_schema(app)
        organisations = factories.organisations() | _successors()
        _people(organisations, factories.PASSWORD)
        db.session.commit()
        history.tell(organisations, membership.before_reform)
        db.session.commit()
        assert users.find_by_email(DEMO_ACCOUNTS["adviser"]) is not None
    return live_server


def pattern(path: str) -> str:
    """One page per route: numbers and tokens in the path do not make a new page."""
    return re.sub(r"/\d+", "/N", path)


def crawl(page, start: str) -> list[str]:
    """Same-site pages reachable by links from `start`, one per route pattern."""
    seen, queue, visited = {pattern(start)}, [start], []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(path)
        if response is None or response.status >= 400 or urlsplit(page.url).path.startswith("/login") and path != "/login":
            continue
        visited.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(urljoin(page.url, href))
            target = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")
            if parts.netloc != urlsplit(page.url).netloc or SKIP.search(parts.path) or href.startswith("#"):
                continue
            if pattern(target) not in seen:
                seen.add(pattern(target))
                queue.append(target)
    return visited


@pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
def test_every_page_has_no_wcag_violations(browser, demo, role):
    context = browser.new_context(base_url=demo.url, locale="nb-NO")
    page = context.new_page()
    if DEMO_ACCOUNTS[role]:
        sign_in(page, DEMO_ACCOUNTS[role])
    axe = Axe()
    problems = {}
    pages = crawl(page, "/" if DEMO_ACCOUNTS[role] else "/login")
    for path in pages:
        page.goto(path)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = result.response["violations"]
        if violations:
            problems[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    context.close()
    assert len(pages) >= (3 if DEMO_ACCOUNTS[role] else 2)
    assert problems == {}
