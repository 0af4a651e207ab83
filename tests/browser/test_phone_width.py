"""On a phone (375 px) no page scrolls sideways, for any role: wide content stacks or scrolls in a region of its own
that says so, every button stays on the screen and nothing spills out of its card."""
import pytest

from tests.browser.conftest import sign_in
from tests.browser.demo_world import DEMO_ACCOUNTS, crawl, start_page

PHONE = {"width": 375, "height": 740}

# What sticks out on the page as it is: the document wider than the window, a button or field partly off the
# screen (also in a table that scrolls: a table with actions stacks instead), content wider than its card, and a
# scroll region a keyboard user cannot reach or a screen reader cannot name.
PROBLEMS = """width => {
    const problems = [];
    const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") +
        " «" + (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40) + "»";
    if (document.documentElement.scrollWidth > width) {
        problems.push("the page is " + document.documentElement.scrollWidth + " px wide");
    }
    for (const el of document.querySelectorAll("button, input, select, textarea, a.button")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || el.type === "hidden") continue;
        if (box.left < 0 || box.right > width) problems.push("off the screen: " + name(el));
    }
    for (const card of document.querySelectorAll(".card")) {
        if (card.scrollWidth > card.clientWidth + 1) problems.push("wider than its card: " + name(card));
    }
    for (const el of document.querySelectorAll("main *")) {
        const style = getComputedStyle(el);
        if (!["auto", "scroll"].includes(style.overflowX) || el.scrollWidth <= el.clientWidth) continue;
        if (el.tabIndex < 0 || el.getAttribute("role") !== "region" ||
            !(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby"))) {
            problems.push("a scroll area without tabindex, role=region and a label: " + name(el));
        }
    }
    return problems;
}"""


@pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
def test_no_page_scrolls_sideways_on_a_phone(browser, demo, role):
    context = browser.new_context(base_url=demo.url, locale="nb-NO", viewport=PHONE)
    page = context.new_page()
    if DEMO_ACCOUNTS[role]:
        sign_in(page, DEMO_ACCOUNTS[role])
    problems = {}
    pages = crawl(page, start_page(role))
    for path in pages:
        page.goto(path)
        if found := page.evaluate(PROBLEMS, PHONE["width"]):
            problems[path] = found
    context.close()
    assert len(pages) >= (3 if DEMO_ACCOUNTS[role] else 2)
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())
