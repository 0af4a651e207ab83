"""Alver in the browser, from the 2016 invitation to Lindås, Meland and Radøy to Alver's renewal in 2022: the adviser
records the 2020 merger as it happened, and every page after it names Alver with its predecessors."""
import re
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import MembershipCase, Organisation
from tests import factories
from tests.browser.conftest import follow_menu, sign_in, sign_out

MERGED = ("Lindås", "Meland", "Radøy")


def test_lindas_meland_and_radoy_become_alver_which_renews_the_agreement(live, page):
    with live.data():
        orgs = factories.organisations()
        people = {"adviser": factories.adviser(orgs["Bergen"]),
                  "bergen": factories.user("signatory", organisation=orgs["Bergen"], name="Nina Mevold",
                                           title="Kommunaldirektør")}
        for name in MERGED:
            people[f"contact {name}"] = factories.user("municipality_contact", organisation=orgs[name],
                                                       name=f"Kontakt {name}")
            people[f"signer {name}"] = factories.user("signatory", organisation=orgs[name],
                                                      name=f"Rådmann {name}", title="Rådmann")
        db.session.commit()
        emails = {who: user.email for who, user in people.items()}

    def on(day: date) -> None:
        live.app.config["TODAY"] = day  # the `live` fixture puts the test day back for the next test

    def as_(who: str, path: str | None = None) -> None:
        if page.locator("form[action='/logout']").count():
            sign_out(page)
        sign_in(page, emails[who])
        if path:
            page.goto(path)

    def case_urls() -> dict[str, str]:
        with live.data():
            return {case.organisation.name: f"/saker/{case.id}"
                    for case in db.session.scalars(select(MembershipCase).order_by(MembershipCase.id))}

    # 2016: the adviser invites the three; each contact says yes.
    on(date(2016, 10, 3))
    as_("adviser")
    follow_menu(page, "Kommuner", "Invitasjoner")
    page.get_by_role("link", name="Ny invitasjonsrunde").click()
    page.get_by_label("Tittel").fill("Invitasjon 2016")
    page.get_by_label("Svarfrist").fill("2016-11-01")
    page.get_by_label("Bidrag fra og med år").fill("2017")
    page.get_by_label("Bidrag til og med år").fill("2019")
    page.get_by_label("Avtalen gjelder til og med").fill("2022-12-31")
    for name in MERGED:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Se over før sending").click()
    page.get_by_role("button", name="Send invitasjoner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitasjon 2016")
    expect(page.get_by_text("0 kommuner har svart. 3 kommuner har ikke svart ennå.")).to_be_visible()

    on(date(2016, 10, 12))
    for name in MERGED:
        as_(f"contact {name}")
        follow_menu(page, "Kommunen", "Min kommune")
        page.get_by_role("link", name="Les invitasjonen og svar").click()
        page.get_by_role("link", name="Svar på invitasjonen").click()
        page.get_by_label("Ja, vi ønsker å delta").check()
        page.get_by_role("button", name="Se over før sending").click()
        page.get_by_role("button", name="Send svar").click()
        expect(page.get_by_role("heading", name="Svaret er registrert")).to_be_visible()
    urls = case_urls()

    # 2018: the agreements are issued, signed by both parties and the memberships activated.
    on(date(2018, 1, 15))
    for name in MERGED:
        as_("adviser", urls[name])
        page.get_by_role("link", name="Send avtale til signering").click()
        expect(page.get_by_label("Avtalen gjelder til og med")).to_have_value("2022-12-31")
        page.get_by_role("button", name="Send avtalen til signering").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Samarbeidsavtale 2018–2022: {name} kommune")
    on(date(2018, 2, 1))
    for name in MERGED:
        as_(f"signer {name}", urls[name])
        _sign(page, f"{name} kommune")
        expect(page.get_by_text("Avtalen venter på den andre partens signatur.")).to_be_visible()
        as_("bergen", urls[name])
        _sign(page, "Bergen kommune, Byrådsavdeling for helse og omsorg")
        expect(page.get_by_text("Begge parter har nå signert.")).to_be_visible()
    on(date(2018, 3, 1))
    for name in MERGED:
        as_("adviser", urls[name])
        page.get_by_role("link", name="Aktiver medlemskapet").click()
        page.get_by_role("button", name="Aktiver medlemskapet").click()
        expect(page.get_by_text("Ny status: Aktiv")).to_be_visible()

    # 06.01.2020: the adviser records the merger from 01.01.2020; Alver continues Lindås's agreement.
    on(date(2020, 1, 6))
    as_("adviser")
    follow_menu(page, "Kommuner", "Organisasjoner")
    page.get_by_role("link", name="Registrer sammenslåing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer sammenslåing")
    for name in MERGED:
        page.get_by_label(f"{name} kommune", exact=True).check()
    page.get_by_label("Gjelder fra").fill("2020-01-01")
    page.get_by_label("Etterfølger").select_option(label="Ny organisasjon (fyll inn under)")
    page.get_by_label("Offisielt navn på den nye").fill("Alver kommune")
    page.get_by_label("Kommunenummer til den nye").fill("4631")
    page.get_by_label("Avtalen som videreføres").select_option(label="Lindås kommune – Invitasjon 2016")
    page.get_by_role("button", name="Se over før du lagrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se over før du lagrer")
    expect(page.get_by_text("Lindås kommune, Meland kommune, Radøy kommune → Alver kommune fra 1. januar 2020"))\
        .to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Videreføres av Alver kommune")).to_contain_text("Lindås")
    expect(page.get_by_role("listitem").filter(has_text="Avsluttes 31.12.2019")).to_have_count(2)
    expect(page.get_by_role("listitem").filter(has_text="Brukerkontoer")).to_have_text(
        "Brukerkontoer (også kontaktpersoner): 2 (Kontakt Lindås, Rådmann Lindås)")
    page.get_by_role("button", name="Registrer sammenslåingen").click()
    expect(page.get_by_text("Sammenslåingen til Alver kommune fra 01.01.2020 er gjennomført.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alver kommune")

    for name in ("Meland", "Radøy"):
        page.goto(urls[name])
        expect(page.locator(".page-head")).to_contain_text("Avsluttet")
        expect(page.get_by_role("definition").filter(has_text="01.02.2018–31.12.2019")).to_be_visible()
        expect(page.locator("ol.timeline")).to_contain_text(
            "Sammenslåing: Lindås, Meland, Radøy ble Alver kommune fra 01.01.2020.")
    page.goto(urls["Lindås"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Alver kommune")
    expect(page.locator(".page-head")).to_contain_text("Aktiv")
    expect(page.locator("ol.timeline .timeline-sentence").last).to_have_text(
        "Marianne N. Solbakk registrerte at Alver kommune overtar avtalen til Lindås kommune fra 01.01.2020.")

    # Late 2022: the renewal goes to Alver, signed by Alver's kommunedirektør and Bergen, and activated.
    with live.data():
        alver = db.session.scalar(select(Organisation).where(Organisation.name == "Alver"))
        emails["signer Alver"] = factories.user("signatory", organisation=alver, name="Kommunedirektør Alver",
                                                title="Kommunedirektør", email="kd@alver.kommune.no").email
        db.session.commit()
    on(date(2022, 11, 15))
    as_("adviser", urls["Lindås"])
    page.get_by_role("link", name="Forny avtalen for en ny periode").click()
    expect(page.get_by_text("Bergen kommune, Byrådsavdeling for helse og omsorg og Alver kommune")).to_be_visible()
    page.get_by_label("Avtalen gjelder til og med").fill("2027-12-31")
    page.get_by_label("Første år med bidrag").fill("2023")
    page.get_by_label("Siste år med bidrag").fill("2027")
    page.get_by_role("button", name="Send avtalen til signering").click()
    expect(page.get_by_role("status").first).to_have_text(
        "Avtalen er sendt til signering for Alver kommune og Bergen kommune.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samarbeidsavtale 2023–2027: Alver kommune")
    expect(page.get_by_text("Denne avtalen er inngått mellom Bergen kommune og Alver kommune.")).to_be_visible()
    expect(page.get_by_role("cell", name="Part Alver kommune Kommunenummer 4631")).to_be_visible()
    on(date(2022, 12, 1))
    as_("signer Alver", urls["Lindås"])
    _sign(page, "Alver kommune")
    expect(page.get_by_text("Avtalen venter på den andre partens signatur.")).to_be_visible()
    on(date(2022, 12, 5))
    as_("bergen", urls["Lindås"])
    _sign(page, "Bergen kommune, Byrådsavdeling for helse og omsorg")
    expect(page.get_by_text("Begge parter har nå signert.")).to_be_visible()
    on(date(2022, 12, 20))
    as_("adviser", urls["Lindås"])
    page.get_by_role("link", name="Aktiver medlemskapet").click()
    page.get_by_role("button", name="Aktiver medlemskapet").click()
    expect(page.get_by_text("Ny status: Aktiv")).to_be_visible()
    page.goto(urls["Lindås"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Alver kommune")
    expect(page.locator(".page-head")).to_contain_text("Aktiv siden 20.12.2022")
    expect(page.get_by_text("Kommunen: Kommunedirektør Alver, Kommunedirektør, 01.12.2022")).to_be_visible()
    expect(page.locator("ol.timeline .timeline-sentence")).to_have_text([
        "Marianne N. Solbakk inviterte Lindås kommune til å bli med i samarbeidet.",
        "Kontakt Lindås svarte ja på invitasjonen for Lindås kommune.",
        "Marianne N. Solbakk sendte samarbeidsavtalen til Lindås kommune for signering.",
        "Rådmann Lindås signerte samarbeidsavtalen for Lindås kommune.",
        "Nina Mevold signerte samarbeidsavtalen med Lindås kommune for Bergen kommune.",
        "Begge parter har signert samarbeidsavtalen med Lindås kommune.",
        "Marianne N. Solbakk aktiverte medlemskapet til Lindås kommune.",
        "Marianne N. Solbakk registrerte at Alver kommune overtar avtalen til Lindås kommune fra 01.01.2020.",
        "Marianne N. Solbakk sendte en ny samarbeidsavtale til Alver kommune for signering.",
        "Kommunedirektør Alver signerte samarbeidsavtalen for Alver kommune.",
        "Nina Mevold signerte samarbeidsavtalen med Alver kommune for Bergen kommune.",
        "Begge parter har signert samarbeidsavtalen med Alver kommune.",
        "Marianne N. Solbakk aktiverte medlemskapet til Alver kommune.",
    ])

    follow_menu(page, "Kommuner", "Oversikt")
    alver = page.get_by_role("row", name=re.compile("^Alver"))
    expect(alver).to_contain_text("tidligere: Lindås, Meland, Radøy")
    expect(alver).to_contain_text("Aktiv")
    for name in ("Meland", "Radøy"):
        row = page.get_by_role("row", name=re.compile(f"^{name}"))
        expect(row).to_contain_text("Etterfølger: Alver kommune fra 01.01.2020")
        expect(row).to_contain_text("Avsluttet")
    csv = page.request.get(page.get_by_role("link", name="Last ned som CSV (Excel)").get_attribute("href"))
    assert csv.ok and "Alver;4631;Lindås, Meland, Radøy;" in csv.text()

    follow_menu(page, "Kommuner", "Tidslinje")
    expect(page.locator(".tl-merger title")).to_have_text(
        ["Alver kommune fra 01.01.2020: sammenslått av Lindås kommune, Meland kommune og Radøy kommune"])


def _sign(page, party: str) -> None:
    page.get_by_role("link", name="Signer avtalen").click()
    page.get_by_label(f"Jeg signerer på vegne av {party}").check()
    page.get_by_role("button", name="Signer avtalen").click()
