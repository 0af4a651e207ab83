"""The whole invitation round in a browser: the adviser invites, two municipalities answer, the adviser sees it."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, OutboxMessage
from tests import factories
from tests.browser.conftest import follow_menu, sign_in, sign_out


def _answer(page, answer: str, steering_rep: str = "") -> None:
    page.get_by_role("link", name="Svar på invitasjonen").click()
    page.get_by_label(answer).check()
    if steering_rep:
        page.get_by_label("Representant i styringsgruppen").fill(steering_rep)
    page.get_by_role("button", name="Se over før sending").click()
    expect(page.get_by_role("heading", name="Se over før sending")).to_be_visible()
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("heading", name="Svaret er registrert")).to_be_visible()


def test_adviser_invites_lindas_and_voss_who_answer_yes_and_no(live, page):
    with live.data():
        orgs = {o.name: o for o in db.session.scalars(select(Organisation))}
        adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
        kari = factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
        siri = factories.user("municipality_contact", organisation=orgs["Voss"], name="Siri Lie")
        db.session.commit()
        adviser_email, kari_email, siri_email = adviser.email, kari.email, siri.email

    sign_in(page, adviser_email)
    follow_menu(page, "Kommuner", "Invitasjoner")
    page.get_by_role("link", name="Ny invitasjonsrunde").click()
    expect(page.get_by_label("Brevtekst")).to_contain_text("i perioden 2027–2029")
    page.get_by_label("Svarfrist").fill("2026-12-15")
    page.get_by_label("Lindås", exact=True).check()
    page.get_by_label("Voss", exact=True).check()
    page.get_by_role("button", name="Se over før sending").click()
    expect(page.get_by_role("heading", name="Se over før sending")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Lindås"))).to_contain_text("Kari Nordtveit")
    page.get_by_role("button", name="Send invitasjoner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitasjon 2026")
    expect(page.get_by_text("0 kommuner har svart. 2 kommuner har ikke svart ennå.")).to_be_visible()
    sign_out(page)

    sign_in(page, kari_email)
    follow_menu(page, "Kommunen", "Min kommune")
    page.get_by_role("link", name="Les invitasjonen og svar").click()
    expect(page.get_by_text("15. desember 2026")).to_be_visible()
    _answer(page, "Ja, vi ønsker å delta", steering_rep="Olav Hauge")
    sign_out(page)

    with live.data():
        link = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.recipient == siri_email))
        path = re.search(r"http://kk\.test(/min-kommune/\S+)", link).group(1)
    page.goto(path)  # the personal link in the e-mail: sign in first, then straight to the invitation
    page.get_by_label("E-postadresse").fill(siri_email)
    page.get_by_label("Passord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitasjon 2026")
    _answer(page, "Nei, vi takker nei")
    sign_out(page)

    sign_in(page, adviser_email)
    follow_menu(page, "Kommuner", "Invitasjoner")
    page.get_by_role("link", name="Invitasjon 2026").click()
    lindas = page.get_by_role("row", name=re.compile("^Lindås"))
    expect(lindas).to_contain_text("Takket ja")
    expect(lindas).to_contain_text("Kari Nordtveit")
    expect(lindas).to_contain_text("Olav Hauge")
    voss = page.get_by_role("row", name=re.compile("^Voss"))
    expect(voss).to_contain_text("Takket nei")
    expect(voss).to_contain_text("Siri Lie")
    expect(page.get_by_text("2 kommuner har svart. 0 kommuner har ikke svart ennå.")).to_be_visible()
