"""Lindås from "yes" to a signed member and out again, in the browser, with every step in the case history."""
from datetime import date

from playwright.sync_api import expect

from app import clock
from app.extensions import db
from app.models import MembershipCase
from app.services import cases, tick
from tests import factories
from tests.browser.conftest import follow_menu, sign_in, sign_out


def test_lindas_says_yes_signs_becomes_member_gives_notice_and_leaves(live, page):
    with live.data():
        orgs = factories.organisations()
        adviser = factories.adviser(orgs["Bergen"])
        contact = factories.user("municipality_contact", organisation=orgs["Lindås"], name="Kari Nordtveit")
        lindas_signer = factories.user("signatory", organisation=orgs["Lindås"], name="Olav Hauge", title="Rådmann")
        bergen_signer = factories.user("signatory", organisation=orgs["Bergen"], name="Nina Mevold",
                                       title="Kommunaldirektør")
        case = cases.invite(factories.invitation_round(), orgs["Lindås"], adviser)
        db.session.commit()
        case_id = case.id
        case_url = f"/saker/{case_id}"
        emails = {who: user.email for who, user in (("adviser", adviser), ("contact", contact),
                                                     ("lindas", lindas_signer), ("bergen", bergen_signer))}

    def as_(who: str) -> None:
        if page.locator("form[action='/logout']").count():
            sign_out(page)
        sign_in(page, emails[who])
        page.goto(case_url)

    as_("contact")
    page.get_by_role("link", name="Svar ja").click()  # the reply form, which asks for the contact person too
    page.get_by_label("Ja, vi ønsker å delta").check()
    page.get_by_role("button", name="Se over før sending").click()
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Svaret er registrert")).to_be_visible()

    as_("adviser")
    page.get_by_role("link", name="Send avtale til signering").click()
    expect(page.get_by_label("Avtalen gjelder til og med")).to_have_value("2030-12-31")
    page.get_by_role("button", name="Send avtalen til signering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Samarbeidsavtale 2027–2030: Lindås kommune")
    expect(page.get_by_text("Teksten er identisk med avtalemalen")).to_be_visible()
    expect(page.get_by_text("Denne avtalen er inngått mellom Bergen kommune og Lindås kommune.")).to_be_visible()
    pdf = page.request.get(page.get_by_role("link", name="Last ned PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")

    as_("lindas")
    page.get_by_role("link", name="Signer avtalen").click()
    expect(page.get_by_label("Tittel")).to_have_value("Rådmann")
    page.get_by_role("button", name="Signer avtalen").click()
    expect(page.get_by_text("Kryss av for å bekrefte at du signerer på vegne av Lindås kommune.", exact=True)).to_be_visible()
    page.get_by_label("Jeg signerer på vegne av Lindås kommune").check()
    page.get_by_role("button", name="Signer avtalen").click()
    expect(page.get_by_text("Avtalen venter på den andre partens signatur.")).to_be_visible()

    as_("bergen")
    follow_menu(page, "Avtaler")
    page.get_by_role("link", name="Venter på min signatur").click()
    page.get_by_role("link", name="Lindås kommune").click()
    page.get_by_role("link", name="Signer avtalen").click()
    page.get_by_label("Jeg signerer på vegne av Bergen kommune, Byrådsavdeling for helse og omsorg").check()
    page.get_by_role("button", name="Signer avtalen").click()
    expect(page.get_by_text("Begge parter har nå signert.")).to_be_visible()

    as_("adviser")
    page.get_by_role("link", name="Aktiver medlemskapet").click()
    page.get_by_role("button", name="Aktiver medlemskapet").click()
    expect(page.get_by_text("Ny status: Aktiv")).to_be_visible()

    as_("lindas")
    page.get_by_role("link", name="Gi skriftlig oppsigelse").click()
    expect(page.get_by_label("Dato for den skriftlige oppsigelsen")).to_have_value("2026-11-23")
    page.get_by_label("Begrunnelse (valgfritt)").fill("Vedtak i kommunestyret.")
    page.get_by_role("button", name="Se over oppsigelsen").click()
    expect(page.get_by_role("status").filter(has_text="Medlem til og med")).to_contain_text("23. november 2027")
    page.get_by_role("button", name="Send oppsigelsen").click()
    expect(page.get_by_text("FoU-rådgiveren bekrefter at den er mottatt.")).to_be_visible()

    as_("adviser")
    page.get_by_role("link", name="Behandle forespørselen").click()
    expect(page.get_by_text("23. november 2027")).to_be_visible()
    page.get_by_role("link", name="Godkjenn", exact=True).click()
    page.get_by_role("button", name="Godkjenn forespørselen").click()
    page.goto(case_url)
    expect(page.locator(".page-head")).to_contain_text("I oppsigelsestid")
    expect(page.get_by_role("definition").filter(has_text="medlem til og med 23.11.2027")).to_be_visible()

    with live.data():
        with clock.pinned(date(2027, 11, 23)):
            tick.run(date(2027, 11, 23))
        assert db.session.get(MembershipCase, case_id).state == "notice_given"
        with clock.pinned(date(2027, 11, 24)):
            assert "Lindås – Invitasjon 2026: I oppsigelsestid → Avsluttet" in tick.run(date(2027, 11, 24))
    page.reload()
    expect(page.locator(".page-head")).to_contain_text("Avsluttet")
    expect(page.locator("ol.timeline .timeline-sentence")).to_have_text([
        "Marianne N. Solbakk inviterte Lindås kommune til å bli med i samarbeidet.",
        "Kari Nordtveit svarte ja på invitasjonen for Lindås kommune.",
        "Marianne N. Solbakk sendte samarbeidsavtalen til Lindås kommune for signering.",
        "Olav Hauge signerte samarbeidsavtalen for Lindås kommune.",
        "Nina Mevold signerte samarbeidsavtalen med Lindås kommune for Bergen kommune.",
        "Begge parter har signert samarbeidsavtalen med Lindås kommune.",
        "Marianne N. Solbakk aktiverte medlemskapet til Lindås kommune.",
        "Olav Hauge sa opp samarbeidsavtalen for Lindås kommune.",
        "Marianne N. Solbakk bekreftet oppsigelsen fra Lindås kommune.",
        "Oppsigelsestiden er ute, og medlemskapet til Lindås kommune er avsluttet.",
    ])
    expect(page.locator("ol.timeline")).to_contain_text("Olav Hauge ba om dette 23.11.2026.")
