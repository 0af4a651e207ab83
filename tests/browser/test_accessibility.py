"""WCAG 2.1 A/AA with axe-core on every page each role can reach, with the demo data loaded."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import sign_in
from tests.browser.demo_world import DEMO_ACCOUNTS, crawl, start_page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
def test_every_page_has_no_wcag_violations(browser, demo, role):
    context = browser.new_context(base_url=demo.url, locale="nb-NO")
    page = context.new_page()
    if DEMO_ACCOUNTS[role]:
        sign_in(page, DEMO_ACCOUNTS[role])
    axe = Axe()
    problems = {}
    pages = crawl(page, start_page(role))
    for path in pages:
        page.goto(path)
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = result.response["violations"]
        if violations:
            problems[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    context.close()
    assert len(pages) >= (3 if DEMO_ACCOUNTS[role] else 2)
    assert problems == {}
