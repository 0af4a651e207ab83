"""The membership page in a browser: the contact proposes a representative, the adviser approves in the inbox."""
from datetime import date

from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import follow_menu, sign_in, sign_out


def test_contact_proposes_and_adviser_approves_representative(live, page):
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"])
        contact = factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
        factories.member_case(orgs["Lindås"], adviser, activated_on=date(2024, 3, 1))
        db.session.commit()
        adviser_email, contact_email = adviser.email, contact.email

    sign_in(page, contact_email)
    follow_menu(page, "Kommunen", "Medlemskap")
    expect(page.get_by_role("heading", level=1)).to_have_text("Medlemskap: Lindås kommune")
    page.get_by_role("link", name="Foreslå representant (Styringsgruppen)").click()
    page.get_by_label("Navn").fill("Olav Hauge")
    page.get_by_label("Stilling").fill("Rådmann")
    page.get_by_label("E-postadresse").fill("olav.hauge@alver.kommune.no")
    page.get_by_label("Første dag i perioden").fill("2026-12-01")
    page.get_by_role("button", name="Send forslaget").click()
    expect(page.get_by_text("Forslaget om Olav Hauge er sendt til FoU-rådgiveren for godkjenning.")).to_be_visible()
    sign_out(page)

    sign_in(page, adviser_email)
    page.goto("/godkjenninger/")
    page.get_by_role("link", name="Godkjenn forslaget om Olav Hauge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Godkjenn forslaget")
    expect(page.get_by_text("Olav Hauge – Styringsgruppen, Lindås kommune")).to_be_visible()
    page.get_by_role("button", name="Godkjenn forslaget").click()
    expect(page.get_by_text("Utført: Godkjenn forslaget. Ny status: Godkjent.")).to_be_visible()
    follow_menu(page, "Kommuner", "Medlemskap")
    page.get_by_role("link", name="Lindås", exact=True).click()
    seats = page.get_by_role("table", name="Plasser og representanter i dag")
    expect(seats.get_by_role("row", name="Styringsgruppen")).to_contain_text("Neste: Olav Hauge fra 01.12.2026")
