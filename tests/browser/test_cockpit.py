"""The adviser looks at the overview and the timeline in a real browser; screenshots go to the test's tmp folder."""
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import follow_menu, sign_in


def _municipalities(live) -> str:
    """Lindås and Osterøy members since 2018, Voss invited; returns the adviser's e-mail."""
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
        round_ = factories.historic_round()
        for name in ("Lindås", "Osterøy"):
            factories.member(round_, orgs[name], adviser)
        factories.invited(round_, orgs["Voss"], adviser)
        db.session.commit()
        return adviser.email


def test_overview_and_timeline_pages(live, page, tmp_path):
    sign_in(page, _municipalities(live))
    follow_menu(page, "Kommuner", "Oversikt")
    expect(page.get_by_role("heading", level=1)).to_have_text("Oversikt over kommunene")
    table = page.get_by_role("table", name="Kommunene og sakene deres")
    expect(table.get_by_role("row")).to_have_count(1 + 3)
    expect(table.get_by_role("row", name="Lindås")).to_contain_text("Aktiv")
    page.get_by_label("Søk etter kommune").fill("Voss herad")
    page.get_by_role("button", name="Vis").click()
    expect(table.get_by_role("row")).to_have_count(1 + 1)
    expect(table).to_contain_text("Invitert")
    page.screenshot(path=tmp_path / "oversikt.png", full_page=True)

    page.get_by_role("link", name="Tidslinje").click()
    chart = page.get_by_role("group", name="Tidslinje for samarbeidet 2016–2026")
    expect(chart).to_be_visible()
    expect(chart.locator("g.tl-row")).to_have_count(3)
    expect(page.get_by_role("table", name="Periodene til hver kommune")).to_contain_text("Medlem: fra 01.03.2018")
    page.screenshot(path=tmp_path / "tidslinje.png", full_page=True)
    assert (tmp_path / "oversikt.png").stat().st_size > 10_000 and (tmp_path / "tidslinje.png").stat().st_size > 10_000


def test_the_timeline_opens_at_the_current_year_on_a_phone(browser, live):
    context = browser.new_context(base_url=live.url, locale="nb-NO", viewport={"width": 375, "height": 812})
    page = context.new_page()
    sign_in(page, _municipalities(live))
    page.goto("/tidslinje")
    page.locator(".tl-frame").scroll_into_view_if_needed()
    this_year, first_year = page.locator("text.tl-year", has_text="2026"), page.locator("text.tl-year", has_text="2016")
    expect(this_year).to_be_in_viewport()
    expect(page.locator(".tl-plot line.tl-today")).to_be_in_viewport()
    expect(first_year).not_to_be_in_viewport()  # the years scroll; the picture is not squeezed to fit
    expect(page.get_by_role("link", name="Lindås", exact=True).first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    region = page.get_by_role("region", name="Årene 2016–2026")
    region.focus()
    before = region.evaluate("area => area.scrollLeft")
    page.keyboard.press("ArrowLeft")  # the years scroll from the keyboard too
    page.wait_for_function("before => document.querySelector('.tl-scroll').scrollLeft < before", arg=before)
    context.close()
