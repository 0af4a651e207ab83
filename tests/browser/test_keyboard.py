"""The login, reply, signing and subgroup forms completed with the keyboard alone: Tab, typing, Space and Enter.

Every element Tab lands on on the way must show where the focus is.
"""
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import MembershipCase, Signature, Subgroup
from tests import factories

MAX_TABS = 80
FOCUS_RING = """() => {
    const el = document.activeElement;
    if (el === document.body) return true;
    const style = getComputedStyle(el);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
}"""


def tab_to(page, target) -> None:
    """Press Tab until `target` has the focus, checking the focus is visible at every stop."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_RING), "no visible focus on " + page.evaluate(
            "() => document.activeElement.outerHTML.slice(0, 200)")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reaches {target}")


def type_into(page, target, text: str) -> None:
    """Tab to a text field and replace what is in it."""
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_button(page, name: str) -> None:
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    page.keyboard.press("Enter")


def keyboard_sign_in(page, email: str) -> None:
    page.goto("/login")
    type_into(page, page.get_by_label("E-postadresse"), email)
    type_into(page, page.get_by_label("Passord"), factories.PASSWORD)
    press_button(page, "Logg inn")
    page.wait_for_url(lambda url: "/login" not in url)


def test_login_with_the_keyboard(live, page):
    with live.data():
        user = factories.user("adviser", organisation=factories.organisations()["Bergen"], name="Marianne Solbakk")
        db.session.commit()
        email = user.email
    keyboard_sign_in(page, email)
    expect(page.get_by_text("Hei, Marianne Solbakk")).to_be_visible()


def test_a_contact_answers_the_invitation_with_the_keyboard(live, page):
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"])
        contact = factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
        case = factories.sent_round(adviser, [orgs["Lindås"]]).cases[0]
        db.session.commit()
        email, case_id = contact.email, case.id

    keyboard_sign_in(page, email)
    page.goto(f"/min-kommune/invitasjon/{case_id}")
    tab_to(page, page.get_by_role("link", name="Svar på invitasjonen"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Svar på invitasjonen")).to_be_visible()
    yes = page.get_by_label("Ja, vi ønsker å delta")
    tab_to(page, yes)
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    type_into(page, page.get_by_label("Representant i styringsgruppen"), "Olav Hauge")
    press_button(page, "Se over før sending")
    expect(page.get_by_role("heading", name="Se over før sending")).to_be_visible()
    expect(page.get_by_text("Olav Hauge")).to_be_visible()
    press_button(page, "Send svar")
    expect(page.get_by_role("heading", name="Svaret er registrert")).to_be_visible()
    with live.data():
        assert db.session.get(MembershipCase, case_id).state == "accepted"


def test_a_signatory_signs_the_agreement_with_the_keyboard(live, page):
    with live.data():
        orgs = factories.organisations()
        signatory = factories.user("signatory", organisation=orgs["Lindås"], name="Ole Rådmann")
        agreement = factories.issued_case(orgs["Lindås"]).agreement
        db.session.commit()
        email, agreement_id = signatory.email, agreement.id

    keyboard_sign_in(page, email)
    page.goto(f"/avtaler/{agreement_id}/signer")
    type_into(page, page.get_by_label("Tittel"), "Kommunedirektør")
    confirm = page.get_by_role("checkbox", name="Jeg signerer på vegne av")
    tab_to(page, confirm)
    page.keyboard.press("Space")
    expect(confirm).to_be_checked()
    press_button(page, "Signer avtalen")
    expect(page.get_by_text("Du har signert avtalen.")).to_be_visible()
    with live.data():
        signature = db.session.scalar(select(Signature).where(Signature.agreement_id == agreement_id))
        assert (signature.name, signature.title, signature.signed_on) == (
            "Ole Rådmann", "Kommunedirektør", date(2026, 11, 23))


def test_a_subgroup_is_proposed_with_a_user_representative_with_the_keyboard(live, page):
    with live.data():
        kari = factories.user("project_member", organisation=factories.organisations()["Lindås"],
                              name="Kari Nordtveit")
        db.session.commit()
        email = kari.email

    keyboard_sign_in(page, email)
    page.goto("/undergrupper/ny")
    type_into(page, page.get_by_label("Navn på undergruppen"), "Velferdsteknologi i hjemmetjenesten")
    theme = page.get_by_label("Brukermedvirkning")
    tab_to(page, theme)
    page.keyboard.press("Space")
    expect(theme).to_be_checked()
    type_into(page, page.get_by_label("Mandat: hva skal gruppen levere?"), "Lage en felles veileder.")
    type_into(page, page.get_by_label("Forventet varighet"), "2 år")
    type_into(page, page.get_by_label("Søk etter personer (navn eller organisasjon)"), "Kari")
    press_button(page, "Søk")
    chair = page.get_by_label("Foreslått leder")
    expect(chair.locator("option")).to_have_count(2)
    tab_to(page, chair)
    page.keyboard.type("Kari")
    expect(chair).to_have_value(str(kari.id))
    representative = page.get_by_role("group", name="Brukerrepresentant 1")
    type_into(page, representative.get_by_label("Navn"), "Astrid Myhre")
    type_into(page, representative.get_by_label("Representerer"), "Eldrerådet i Bergen")
    type_into(page, representative.get_by_label("Kontakt (e-post eller telefon)"), "astrid.myhre@example.no")
    press_button(page, "Lagre og send inn")

    expect(page.get_by_role("heading", level=1)).to_have_text("Velferdsteknologi i hjemmetjenesten")
    with live.data():
        subgroup = db.session.scalar(select(Subgroup))
        assert subgroup.state == "submitted" and subgroup.chair_id == kari.id
        assert [r.name for r in subgroup.representatives] == ["Astrid Myhre"]
