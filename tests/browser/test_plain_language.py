"""On a phone (375 px): "Slik går saken" opens to the steps with the current one marked and a drawing that fits its
box; the log reads as sentences and its filter is used by label."""
from datetime import date

from playwright.sync_api import expect

from app import clock
from app.extensions import db
from app.services import agreements, workflow
from tests import factories
from tests.browser.conftest import sign_in

PHONE = {"width": 375, "height": 800}


def _notice(live) -> tuple[str, int]:
    """Lindås a member; its signatory Olav Hauge gave notice, which the adviser confirmed. The adviser's e-mail and
    the case."""
    with live.data():
        orgs = factories.organisations()
        adviser = factories.adviser(orgs["Bergen"])
        case = factories.member_case(orgs["Lindås"], adviser)
        olav = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge")
        with clock.pinned(date(2026, 3, 2)):
            request = agreements.give_notice(case, olav, notice_date=date(2026, 3, 1), reason="Vedtak.")
        with clock.pinned(date(2026, 3, 4)):
            workflow.approve(request, adviser)
        db.session.commit()
        return adviser.email, case.id


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_steps_and_the_drawing_fit_a_phone(live, page, tmp_path):
    email, case_id = _notice(live)
    page.set_viewport_size(PHONE)
    sign_in(page, email)
    page.goto(f"/saker/{case_id}")
    steps = page.locator("details.process ol.process-steps")
    expect(steps).to_be_hidden()
    page.get_by_text("Slik går saken", exact=True).click()
    expect(steps).to_be_visible()
    expect(steps.locator('[aria-current="step"]')).to_contain_text("I oppsigelsestid")
    drawing = page.locator("details.process img")
    drawing.scroll_into_view_if_needed()
    expect(drawing).to_be_visible()
    expect(drawing).to_have_js_property("complete", True)
    expect(drawing).not_to_have_js_property("naturalWidth", 0)
    box, frame = drawing.bounding_box(), page.locator("details.process").bounding_box()
    assert box["width"] > 100 and box["x"] + box["width"] <= frame["x"] + frame["width"]
    _fits(page)
    expect(page.locator("ol.timeline")).to_contain_text("Marianne N. Solbakk bekreftet oppsigelsen fra Lindås "
                                                        "kommune.")
    page.screenshot(path=tmp_path / "sak-375.png", full_page=True)


def test_the_log_is_filtered_by_label_on_a_phone(live, page):
    email, _ = _notice(live)
    page.set_viewport_size(PHONE)
    sign_in(page, email)
    page.goto("/admin/logg")
    page.get_by_label("Person").fill("Olav")
    page.get_by_label("Hva").select_option(label="Oppsigelse sendt")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("ol.log > li")).to_have_count(1)
    expect(page.locator("ol.log")).to_contain_text("Olav Hauge sa opp samarbeidsavtalen for Lindås kommune.")
    _fits(page)
