"""Every same-site link each demo account sees opens, and the menus work on a phone, with the keyboard and without
JavaScript."""
import pytest
from playwright.sync_api import expect

from tests.browser import demo_world
from tests.browser.conftest import sign_in
from tests.browser.demo_world import DEMO_ACCOUNTS, SKIP, pattern

# Beyond one account per role: Voss's contact person, whose signatory's notice waits for the adviser's approval.
ACCOUNTS = {role: email for role, email in DEMO_ACCOUNTS.items() if email} | {
    "contact_with_pending_notice": "siri.lie@voss.kommune.no"}
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def demo(live_server):
    """Everything `seed-demo` loads, shared by this module's tests."""
    return demo_world.load(live_server, whole=True)


def _context(browser, demo, **options):
    return browser.new_context(base_url=demo.url, locale="nb-NO", **options)


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_no_link_a_role_sees_is_refused_or_missing(browser, demo, role):
    """Follow every link on every page the account reaches: none answers 403 or 404. A download is fetched once
    per route (each is rendered anew)."""
    context = _context(browser, demo)
    page = context.new_page()
    sign_in(page, ACCOUNTS[role])
    status, downloads, broken = {}, set(), {}
    visited = 0
    for path, found in demo_world.pages(page, "/", max_pages=200):
        visited += 1
        for target in found:
            if target in status or "/logout" in target or "/static/" in target:
                continue
            if SKIP.search(target.partition("?")[0]):
                if pattern(target) in downloads:
                    continue
                downloads.add(pattern(target))
            status[target] = context.request.get(target, max_redirects=5).status
            if status[target] in (403, 404):
                broken[target] = path
    context.close()
    assert visited >= 5
    assert broken == {}, "links that answer 403 or 404, with the page that shows them"


def test_the_phone_menu_opens_and_closes_with_the_keyboard(browser, demo):
    context = _context(browser, demo, viewport=PHONE)
    page = context.new_page()
    sign_in(page, DEMO_ACCOUNTS["adviser"])
    page.goto("/saker/")
    nav = page.get_by_role("navigation", name="Hovedmeny")
    toggle = page.get_by_role("button", name="Meny")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    heading = page.get_by_role("heading", level=1)
    assert heading.bounding_box()["y"] < 120  # the menu takes one row before the content
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Kommuner")).to_be_visible()
    expect(nav.get_by_role("link", name="Tidslinje")).to_be_visible()  # the pages of the section shown
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_the_user_menu_holds_password_language_calendar_and_sign_out(browser, demo):
    context = _context(browser, demo)
    page = context.new_page()
    sign_in(page, DEMO_ACCOUNTS["municipality_contact"])
    button, menu = page.get_by_role("button", name="Kari Nordtveit"), page.locator("#brukermeny")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    for link in ("Bytt passord", "Kalender"):
        expect(menu.get_by_role("link", name=link)).to_be_visible()
    expect(menu.get_by_role("button", name="English")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(button).to_be_focused()
    expect(menu).to_be_hidden()
    button.click()
    menu.get_by_role("button", name="Logg ut").click()
    page.wait_for_url("**/login")
    context.close()


def test_without_javascript_both_menus_are_plain_links(browser, demo):
    context = _context(browser, demo, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, DEMO_ACCOUNTS["adviser"])
    nav = page.get_by_role("navigation", name="Hovedmeny")
    expect(nav.get_by_role("link", name="Kommuner")).to_be_visible()
    expect(page.get_by_role("button", name="Meny")).to_have_count(0)
    expect(page.locator("#brukermeny").get_by_role("link", name="Bytt passord")).to_be_visible()
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    context.close()
