"""The adviser approves and rejects requests with the keyboard alone, each through its confirmation page: no browser
confirm box, a reason before a rejection, and "Avbryt" going back without changing anything."""
import re
from datetime import date

from playwright.sync_api import expect

from app import clock
from app.extensions import db
from app.models import TransitionRequest
from app.services import workflow
from tests import factories
from tests.browser.test_keyboard import keyboard_sign_in, press_button, tab_to, type_into


def _late_requests(live) -> tuple[str, dict[str, int]]:
    """Osterøy and Fedje asked to answer yes after the deadline; the adviser's e-mail and the requests' ids."""
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne Solbakk")
        round_ = factories.historic_round("Invitasjon 2026", created=date(2026, 10, 1), deadline=date(2026, 11, 1))
        ids = {}
        for name in ("Osterøy", "Fedje"):
            case = factories.invited(round_, orgs[name], adviser)
            contact = factories.user("municipality_contact", organisation=orgs[name], name=f"Kontakt i {name}")
            with clock.pinned(date(2026, 11, 10)):
                ids[name] = workflow.perform(case, "accept_late", contact, comment=f"{name} vil være med.").id
        db.session.commit()
        return adviser.email, ids


def _status(live, request_id: int) -> str:
    with live.data():
        return db.session.get(TransitionRequest, request_id).status


def test_the_adviser_approves_and_rejects_through_the_confirmation_pages_with_the_keyboard(live, page):
    email, ids = _late_requests(live)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    keyboard_sign_in(page, email)
    page.goto("/godkjenninger/")

    tab_to(page, page.get_by_role("link", name=re.compile(r"^Godkjenn\b.*Osterøy")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Godkjenne forespørselen?")
    expect(page.get_by_text("Osterøy vil være med.")).to_be_visible()
    assert _status(live, ids["Osterøy"]) == "pending"  # opening the page decided nothing
    tab_to(page, page.get_by_role("link", name="Avbryt"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Godkjenninger")
    assert _status(live, ids["Osterøy"]) == "pending"

    tab_to(page, page.get_by_role("link", name=re.compile(r"^Godkjenn\b.*Osterøy")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Godkjenne forespørselen?")
    type_into(page, page.get_by_label("Kommentar"), "Velkommen!")
    press_button(page, "Godkjenn forespørselen")
    expect(page.get_by_text("Godkjent. Ny status: Takket ja.")).to_be_visible()
    assert _status(live, ids["Osterøy"]) == "approved"

    tab_to(page, page.get_by_role("link", name=re.compile(r"^Avvis\b.*Fedje")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avvise forespørselen?")
    reject = page.get_by_role("button", name="Avvis forespørselen", exact=True)
    expect(reject).to_have_class(re.compile(r"\bdanger\b"))
    press_button(page, "Avvis forespørselen")
    expect(page.get_by_text("Skriv hvorfor forespørselen avvises.").first).to_be_visible()
    assert _status(live, ids["Fedje"]) == "pending"  # no reason, no rejection
    type_into(page, page.get_by_label("Begrunnelse"), "Avtalene for i år er allerede sendt.")
    press_button(page, "Avvis forespørselen")
    expect(page.get_by_text("Forespørselen er avvist.")).to_be_visible()
    assert _status(live, ids["Fedje"]) == "rejected"
    expect(page.get_by_text("Ingen forespørsler venter.")).to_be_visible()
    assert dialogs == []
