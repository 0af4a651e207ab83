"""The public website (app/public) as an outsider sees it, on the demo data: a crawl from the public home."""
import re
from html.parser import HTMLParser
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from app.models import NewsItem, Subgroup, SubgroupMember
from app.models.subgroup import UserRepresentative
from workflows.news import DRAFT
from workflows.subgroup import SUBGROUP

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
START = "/offentlig"
LOGIN = "/login"
CONFERENCE = "/konferanse"  # the conference's own page (app/conference), linked from the navigation


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links(html: str, base: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return [urljoin(base, href) for href in parser.found]


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert result.exit_code == 0, result.output


def crawl(client, app) -> dict[str, str]:
    """Every public page reachable from the public home, by address (path and query), with its text."""
    pages, todo, linked = {}, [START], set()
    while todo:
        url = todo.pop()
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        pages[url] = response.get_data(as_text=True)
        for target in links(pages[url], "http://localhost" + url):
            parts = urlsplit(target)
            if parts.netloc != "localhost":
                continue
            address = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(START):
                todo.append(address)
            else:
                linked.add(address)
    for address in linked - {LOGIN}:
        if address == CONFERENCE and not _routed(app, CONFERENCE):
            continue  # not merged into this checkout yet
        assert client.get(address).status_code == 200, f"{address} needs an account"
    return pages


def _routed(app, path: str) -> bool:
    return any(rule.rule.rstrip("/") == path for rule in app.url_map.iter_rules())


def test_outsider_crawl_finds_no_personal_data_comments_or_drafts(app, client, demo):
    pages = crawl(client, app)
    assert {"/offentlig/om", "/offentlig/medlemmer", "/offentlig/grupper", "/offentlig/undergrupper",
            "/offentlig/nyheter", "/offentlig/om?lang=en"} <= set(pages)
    assert any(re.fullmatch(r"/offentlig/nyheter/\d+", url) for url in pages)
    text = "\n".join(pages.values())
    assert not EMAIL.search(text), EMAIL.search(text)
    from app.extensions import db
    from app.models import AuditEvent, TransitionRequest
    comments = [c for c in db.session.scalars(select(AuditEvent.comment).where(AuditEvent.comment.is_not(None)))]
    comments += [c for c in db.session.scalars(select(TransitionRequest.comment).where(
        TransitionRequest.comment.is_not(None)))]
    assert comments and not [c for c in comments if c in text]
    hidden = db.session.scalars(select(Subgroup).where(Subgroup.state != "established")).all()
    assert hidden and not [s.name for s in hidden if s.name in text]
    assert not [r.name for r in db.session.scalars(select(UserRepresentative)) if r.name in text]
    drafts = db.session.scalars(select(NewsItem).where(NewsItem.state == DRAFT)).all()
    assert drafts and not [d.title for d in drafts if d.title in text]
    for label in (SUBGROUP.label(state) for state in ("draft", "submitted", "seconded", "returned")):
        assert f">{label}<" not in text
    assert db.session.scalar(select(SubgroupMember.id))  # the members exist, and are not named
    assert "Velferdsteknologi i hjemmetjenesten" in pages["/offentlig/undergrupper"]


def test_public_pages_are_cacheable_and_revalidate(app, client, demo):
    first = client.get("/offentlig/medlemmer")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["ETag"] and "Set-Cookie" not in first.headers
    again = client.get("/offentlig/medlemmer", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_members_are_todays_names_and_groups_show_name_organisation_role(app, client, demo):
    members = client.get("/offentlig/medlemmer").get_data(as_text=True)
    assert "Alver kommune" in members and "Lindås kommune" not in members
    assert "Universitetet i Bergen" in members
    groups = client.get("/offentlig/grupper").get_data(as_text=True)
    assert "Styringsgruppen" in groups and "Prosjektgruppen" in groups
    assert groups.count("<tr>") > 4


def test_language_is_in_the_address(app, client, demo):
    english = client.get("/offentlig/nyheter?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and 'href="/offentlig/om?lang=en"' in english
    norwegian = client.get("/offentlig/nyheter").get_data(as_text=True)
    assert '<html lang="nb">' in norwegian and 'href="/offentlig/om"' in norwegian


def test_sitemap_lists_the_public_pages_and_published_news(app, client, demo):
    from app.extensions import db
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert "<loc>http://localhost/offentlig/om</loc>" in body
    for item in db.session.scalars(select(NewsItem)):
        assert (f"/offentlig/nyheter/{item.id}<" in body) == (item.state == "published")


def test_groups_show_todays_holders_a_page_per_group(app, client, orgs, adviser, monkeypatch):
    from app import clock
    from app.extensions import db
    from app.public import routes
    from app.services import representatives
    from tests import factories

    uib, bergen, norce = orgs["Universitetet i Bergen"], orgs["Bergen"], orgs["NORCE"]
    old = factories.representative(uib, adviser, group="steering", starts_on=date(2017, 1, 1), title="Direktør",
                                   name="Forrige Direktør")
    factories.representative(uib, adviser, group="steering", starts_on=date(2021, 8, 1), title="Direktør",
                             name="Ny Direktør", replaces=old)
    factories.representative(bergen, adviser, starts_on=date(2020, 1, 1), name="Gått Ut")
    for org, name in ((bergen, "Anne Bergen"), (norce, "Nora Norce"), (uib, "Ulf Uib")):
        factories.representative(org, adviser, starts_on=date(2025, 1, 1), name=name)
    factories.representative(norce, adviser, starts_on=date(2025, 1, 1), name="Nils Norce")
    factories.representative(bergen, adviser, starts_on=date(2027, 1, 1), name="Kommer Senere")
    db.session.commit()
    monkeypatch.setattr(routes, "PER_PAGE", 2)
    with clock.pinned(date(2025, 6, 1)):
        today = clock.today()
        seated = {(org.id, seat.group, seat.current.name) for org, seats in representatives.parties(today)
                  for seat in seats if seat.current}
        assert {(org_id, group, name) for org_id, group, name, _ in representatives.holders_on(
            [org.id for org, _ in representatives.parties(today)], today)} == seated
        first = client.get("/offentlig/grupper").get_data(as_text=True)
        second = client.get("/offentlig/grupper?prosjektgruppe=2").get_data(as_text=True)
    assert "Ny Direktør" in first
    assert not [name for name in ("Forrige Direktør", "Gått Ut", "Kommer Senere") if name in first + second]
    assert first.count("<tr>") == 1 + 1 + 1 + 2  # a head row and a holder in the steering group, two of four
    assert 'href="/offentlig/grupper?prosjektgruppe=2#gruppe-project"' in first
    project = [name for name in ("Anne Bergen", "Nils Norce", "Nora Norce", "Ulf Uib") if name in first]
    assert len(project) == 2 and not [name for name in project if name in second.split("gruppe-project")[1]]


def test_the_member_and_group_lists_are_read_once_per_content_version_and_day(app, client, orgs, adviser,
                                                                              monkeypatch):
    from app import clock
    from app.extensions import db
    from app.public import facts
    from tests import factories

    factories.representative(orgs["Bergen"], adviser, starts_on=date(2025, 1, 1), name="Anne Bergen")
    factories.representative(orgs["NORCE"], adviser, starts_on=date(2026, 1, 1), name="Kommer Senere")
    db.session.commit()
    reads = []
    for name in ("group_members", "member_municipalities"):
        monkeypatch.setattr(facts, name, lambda today, real=getattr(facts, name), name=name: (
            reads.append(name), real(today))[1])
    with clock.pinned(date(2025, 6, 1)):
        for _ in range(2):
            assert "Anne Bergen" in client.get("/offentlig/grupper").get_data(as_text=True)
            assert client.get("/offentlig/medlemmer").status_code == 200
        assert reads == ["group_members", "member_municipalities"]
        factories.representative(orgs["Universitetet i Bergen"], adviser, starts_on=date(2025, 1, 1),
                                 name="Ulf Uib")
        db.session.commit()
        assert "Ulf Uib" in client.get("/offentlig/grupper").get_data(as_text=True)
    with clock.pinned(date(2026, 1, 1)):
        assert "Kommer Senere" in client.get("/offentlig/grupper").get_data(as_text=True)
    assert reads.count("group_members") == 3
