"""The home page of each demo role, on a laptop (1280 px) and a phone (375 px): what waits for that person in the
demo story, saved as screenshots in tests/browser/screenshots/ (made anew by every run)."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import DEMO_ACCOUNTS
from tests.conftest import app_config, prepare_schema

SCREENSHOTS = Path(__file__).parent / "screenshots"
WIDTHS = (1280, 375)
# What the demo story leaves waiting for each role on the test day (23.11.2026): the headings of the home page.
WAITING = {
    "admin": [],
    "adviser": ["2 saker venter på din godkjenning", "1 signert avtale venter på at du aktiverer medlemskapet",
                "6 kommuner har ikke svart på invitasjonen, og fristen nærmer seg",
                "4 kommuner har ikke svart på den årlige vurderingen",
                "3 plasser i styringsgruppen eller prosjektgruppen trenger en representant",
                "4 bidrag er ikke betalt etter forfall",
                "1 forslag til undergruppe venter på støtte fra prosjektgruppen"],
    "municipality_contact": ["1 plass i styringsgruppen eller prosjektgruppen trenger en representant",
                             "1 forslag til undergruppe venter på støtte fra prosjektgruppen"],
    "signatory": ["1 fordelingsnøkkel venter på vedtak i styringsgruppen"],
    "host_signatory": ["1 avtale venter på din signatur", "1 fordelingsnøkkel venter på vedtak i styringsgruppen"],
    "project_member": ["1 forslag til undergruppe venter på støtte fra prosjektgruppen"],
    "steering_member": ["1 fordelingsnøkkel venter på vedtak i styringsgruppen"],
}


@pytest.fixture(scope="module")
def seeded(live_server):
    """The whole demo, as `flask seed-demo` loads it, in the live server's database."""
    app = live_server.app
    app.config.update(app_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    with app.app_context():
        prepare_schema(app)
        result = app.test_cli_runner().invoke(args=["seed-demo", "--password", factories.PASSWORD])
        assert result.exit_code == 0, result.output
        db.session.remove()
    return live_server


def test_every_demo_role_has_its_waiting_items_in_the_table():
    assert set(WAITING) == set(DEMO_ACCOUNTS) - {"anonymous"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(WAITING))
def test_the_home_page_shows_what_waits_for_each_demo_role(browser, seeded, role, width):
    context = browser.new_context(base_url=seeded.url, locale="nb-NO", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, DEMO_ACCOUNTS[role])
    page.goto("/")
    main = page.get_by_role("main")
    headings = main.locator("section.waiting").get_by_role("heading", level=2)
    expect(headings).to_have_text(WAITING[role])
    for section in main.locator("section.waiting").all():
        expect(section.get_by_role("listitem").first.get_by_role("link")).to_be_visible()
    if not WAITING[role]:
        expect(main.get_by_text("Ingenting venter på deg nå.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"home-{role}-{width}.png", full_page=True)
    context.close()
