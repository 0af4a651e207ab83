"""Designsystemet as a person sees it: 24 px radios and checkboxes, the required marker on the label's last line
(also when the label wraps), red buttons for steps that end something, and state tags in four readable colours."""
from sqlalchemy import select

from app.extensions import db
from app.models import Organisation
from tests import factories
from tests.browser.conftest import sign_in

BOXES = """() => [...document.querySelectorAll("main input[type=radio], main input[type=checkbox]")]
    .map(el => [el.type, Math.round(el.getBoundingClientRect().width), Math.round(el.getBoundingClientRect().height)])"""

# Each label with a required marker made 8 characters wide, so that its words wrap: the marker must share a line
# with the label's last word, never start a line of its own.
MARKERS = """() => [...document.querySelectorAll(".required")].map(marker => {
    const label = marker.closest("legend, .field-label");
    if (!label) return [marker.parentElement.outerHTML.slice(0, 80), "away from its label"];
    label.style.width = "8ch";
    const words = document.createRange();
    words.setStart(label, 0);
    words.setEndBefore(marker);
    const lines = [...words.getClientRects()].filter(r => r.width > 0);
    const last = lines[lines.length - 1], box = marker.getBoundingClientRect();
    const shared = Math.abs(last.top - box.top) < 4 && box.left >= last.right - 1;
    label.style.width = "";
    return [label.textContent.trim(), shared ? "on the last line" : "on a line of its own"];
})"""

# The tags of the four families as a page would draw them: each colour distinct and the text at 4.5:1 or more.
TAGS = """() => {
    const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
    const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const result = {};
    for (const family of ["invited", "member", "ending", "ended"]) {
        const tag = document.createElement("span");
        tag.className = "tag tag-" + family;
        tag.textContent = family;
        document.querySelector("main").append(tag);
        const style = getComputedStyle(tag), [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
        result[family] = [style.backgroundColor, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    }
    return result;
}"""


def _people(live):
    with live.data():
        orgs = {o.name: o for o in db.session.scalars(select(Organisation))}
        admin = factories.user("admin", organisation=orgs["Bergen"])
        contact = factories.user("municipality_contact", organisation=orgs["Fedje"])
        case = factories.invited(factories.invitation_round(), orgs["Fedje"])
        db.session.commit()
        return admin.email, contact.email, case.id


def test_radios_and_checkboxes_are_24_px_and_required_markers_stay_on_the_labels_line(live, page):
    admin, contact, case_id = _people(live)
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, contact)
    page.goto(f"/min-kommune/invitasjon/{case_id}/svar")
    radios = page.evaluate(BOXES)
    assert radios and all(box == ["radio", 24, 24] for box in radios), radios
    markers = page.evaluate(MARKERS)
    assert markers and all(where == "on the last line" for _, where in markers), markers
    page.context.clear_cookies()
    sign_in(page, admin)
    page.goto("/admin/brukere/ny")
    checkboxes = page.evaluate(BOXES)
    assert len(checkboxes) > 3 and all(box == ["checkbox", 24, 24] for box in checkboxes), checkboxes
    markers = page.evaluate(MARKERS)
    assert {label for label, _ in markers} == {"Navn\xa0*", "E-postadresse\xa0*"}
    assert all(where == "on the last line" for _, where in markers), markers


def test_a_step_that_ends_something_is_red_and_state_tags_have_four_readable_colours(live, page):
    admin, contact, case_id = _people(live)
    with live.data():
        adviser = factories.user("adviser", organisation=db.session.scalars(
            select(Organisation).where(Organisation.name == "Bergen")).one())
        db.session.commit()
        email = adviser.email
    sign_in(page, email)
    page.goto(f"/saker/{case_id}")
    colour = "el => getComputedStyle(el).backgroundColor"
    withdraw = page.locator("a[href$='/handling/withdraw']").evaluate(colour)
    accept = page.locator("a[href$='/handling/accept']").evaluate(colour)
    assert withdraw == "rgb(192, 27, 27)" and accept == "rgb(0, 98, 186)"
    tags = page.evaluate(TAGS)
    assert len({background for background, _ in tags.values()}) == 4, tags
    assert all(contrast >= 4.5 for _, contrast in tags.values()), tags
