"""A person signs in with the browser and sees the home page for their role."""
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import sign_in, sign_out


def test_adviser_signs_in_and_sees_adviser_home(live, page):
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
        db.session.commit()
        email = adviser.email
    sign_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hei, Marianne N. Solbakk")
    nav = page.get_by_role("navigation", name="Hovedmeny")
    expect(nav.get_by_role("link", name="Godkjenninger")).to_be_visible()
    expect(nav.get_by_role("link", name="Brukere")).to_have_count(0)
    sign_out(page)
    expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()


def test_wrong_password_shows_message_on_page(live, page):
    page.goto("/login")
    page.get_by_label("E-postadresse").fill("finnes.ikke@test.no")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_text("Feil e-postadresse eller passord.").first).to_be_visible()
