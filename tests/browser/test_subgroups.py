"""A subgroup from proposal to establishment, clicked through by three people."""
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import follow_menu, sign_in, sign_out

NAME = "Velferdsteknologi i hjemmetjenesten"


def test_a_proposal_is_seconded_approved_and_established(live, page):
    with live.data():
        orgs = factories.organisations()
        kari = factories.user("project_member", organisation=orgs["Lindås"], name="Kari Nordtveit")
        siri = factories.user("project_member", organisation=orgs["Voss"], name="Siri Lie")
        adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
        factories.user(organisation=orgs["Høgskulen på Vestlandet"], name="Erik Aase")
        db.session.commit()
        emails = kari.email, siri.email, adviser.email

    sign_in(page, emails[0])
    follow_menu(page, "Undergrupper")
    page.get_by_role("link", name="Foreslå undergruppe").click()
    page.get_by_label("Navn på undergruppen").fill(NAME)
    page.get_by_label("Digitale verktøy og velferdsteknologi i helse og omsorg").check()
    page.get_by_label("Mandat: hva skal gruppen levere?").fill("Samle erfaringer og lage en felles veileder.")
    page.get_by_label("Forventet varighet").fill("2 år")
    page.get_by_label("Søk etter personer (navn eller organisasjon)").fill("kari")
    page.get_by_role("button", name="Søk").click()
    page.get_by_label("Foreslått leder").select_option(label="Kari Nordtveit (Lindås)")
    page.get_by_label("Søk etter personer (navn eller organisasjon)").fill("erik")
    page.get_by_role("button", name="Søk").click()
    page.get_by_label("Erik Aase (Høgskulen på Vestlandet)").check()
    representative = page.get_by_role("group", name="Brukerrepresentant 1")
    representative.get_by_label("Navn").fill("Astrid Myhre")
    representative.get_by_label("Representerer").fill("Eldrerådet i Bergen")
    representative.get_by_label("Kontakt (e-post eller telefon)").fill("astrid.myhre@example.no")
    page.get_by_role("button", name="Lagre og send inn").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_text("Sendt inn", exact=True).first).to_be_visible()
    expect(page.get_by_text("Astrid Myhre")).to_be_visible()
    expect(page.get_by_text("Du kan ikke støtte, godkjenne, avslå eller sende tilbake ditt eget forslag.")) \
        .to_be_visible()
    sign_out(page)

    sign_in(page, emails[1])
    follow_menu(page, "Undergrupper")
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="Støtt forslaget").click()
    page.get_by_role("button", name="Støtt forslaget").click()
    expect(page.get_by_text("Ny status: Støttet.")).to_be_visible()
    sign_out(page)

    sign_in(page, emails[2])
    follow_menu(page, "Godkjenninger")
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="Registrer vedtak: godkjent").click()
    expect(page.get_by_label("Dato for vedtaket i prosjektgruppen")).to_have_value("2026-11-23")
    page.get_by_label("Vedtak og kommentar").fill("Vedtatt i prosjektgruppemøtet, sak 12/26.")
    page.get_by_role("button", name="Registrer vedtak: godkjent").click()
    expect(page.get_by_text("Ny status: Godkjent.")).to_be_visible()
    page.get_by_role("link", name="Etabler undergruppen").click()
    page.get_by_role("button", name="Etabler undergruppen").click()
    expect(page.get_by_text("Ny status: Etablert.")).to_be_visible()

    follow_menu(page, "Undergrupper")
    page.get_by_label("Status").select_option(label="Etablert")
    page.get_by_role("button", name="Søk").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=NAME))
    expect(row).to_contain_text("Etablert")
    expect(row).to_contain_text("Kari Nordtveit")
