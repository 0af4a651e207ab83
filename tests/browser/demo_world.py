"""The demo story in the live server's database, a demo account per role, and a crawl of the pages each reaches
from its start page."""
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Error as PlaywrightError

from app.commands.seed import _people, _successors
from app.extensions import db
from app.services import users
from tests import factories

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
MAX_PAGES = 100


def load(live_server, whole: bool = False):
    """Replace the live server's data with the demo story (organisations, people, the 2016–2026 history, subgroups,
    meetings, representatives, the parties, cost keys, reports, news), or with `whole` everything `seed-demo` loads;
    returns the server."""
    from app.demo import cost_keys, history, meetings, membership, news, parties, reports, subgroups
    from tests.conftest import app_config, prepare_schema

    app = live_server.app
    app.config.update(app_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    with app.app_context():
        prepare_schema(app)
        if whole:
            result = app.test_cli_runner().invoke(args=["seed-demo", "--password", factories.PASSWORD])
            assert result.exit_code == 0, result.output
            return live_server
        organisations = factories.organisations() | _successors()
        _people(organisations, factories.PASSWORD)
        db.session.commit()
        history.tell(organisations, membership.before_reform)
        db.session.commit()
        for tell in (subgroups.tell, meetings.tell, lambda: membership.tell(organisations),
                     lambda: parties.tell(organisations), cost_keys.tell, reports.tell, news.tell):
            tell()
            db.session.commit()
        assert users.find_by_email(DEMO_ACCOUNTS["adviser"]) is not None
    return live_server


def start_page(role: str) -> str:
    """Signed in, the intranet's home; signed out, the public website, which links to the sign-in page."""
    return "/" if DEMO_ACCOUNTS[role] else "/offentlig"


def pattern(path: str) -> str:
    """One page per route and set of query parameters: numbers in the path and the parameters' values (a sort
    order, a year, a filter) do not make a new page."""
    route, _, query = path.partition("?")
    keys = sorted({part.partition("=")[0] for part in query.split("&") if part})
    return re.sub(r"/\d+", "/N", route) + ("?" + "&".join(keys) if keys else "")


def links(page) -> list[str]:
    """The same-site links on the page shown, as paths with their query, each once."""
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        parts = urlsplit(urljoin(page.url, href))
        if parts.netloc == urlsplit(page.url).netloc and not href.startswith("#"):
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in found:
                found.append(target)
    return found


def pages(page, start: str, max_pages: int = MAX_PAGES) -> Iterator[tuple[str, list[str]]]:
    """Same-site pages reachable by links from `start`, one per route pattern: each path with the links on it,
    yielded while the browser shows it."""
    seen, queue, visited = {pattern(start)}, [start], 0
    while queue and visited < max_pages:
        path = queue.pop(0)
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a document without a telling extension: not a page
                continue
            raise
        if response is None or response.status >= 400 or urlsplit(page.url).path.startswith("/login") and path != "/login":
            continue
        visited += 1
        found = links(page)
        yield path, found
        for target in found:
            parts = urlsplit(target)
            if SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")
            if pattern(target) not in seen:
                seen.add(pattern(target))
                queue.append(target)


def crawl(page, start: str) -> list[str]:
    """The paths of `pages`."""
    return [path for path, _ in pages(page, start)]
