"""The cost-sharing key clicked through: the adviser drafts it (and is told when it does not add up) and sends it to
the steering group; a steering-group member records the decision; the decided key is exported."""
import csv
import io
from datetime import date
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import follow_menu, sign_in, sign_out
from tests.browser.test_accessibility import WCAG_TAGS

NBSP = "\u00a0"


def _accessible(page) -> None:
    """No WCAG 2.1 A/AA violations on the page as it is now (the demo the accessibility crawl loads has no key)."""
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]] == []


def test_a_key_is_drafted_decided_and_exported(live, page):
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
        factories.member_case(orgs["Lindås"], adviser, activated_on=date(2026, 3, 1))
        steering = factories.user("steering_member", organisation=orgs["Helse Bergen"], name="Gunn Røsland")
        db.session.commit()
        emails = adviser.email, steering.email

    sign_in(page, emails[0])
    follow_menu(page, "Avtaler og økonomi", "Fordelingsnøkkel")
    page.get_by_role("link", name="Ny fordelingsnøkkel").click()
    expect(page.get_by_label("Første år")).to_have_value("2027")
    page.get_by_label("Årlig budsjett for FoU-ressursen (kr)").fill("1000001")
    page.get_by_label("Bergen", exact=True).fill("50")
    page.get_by_label("Helse Bergen", exact=True).fill("45")
    page.get_by_label("Resten etter avrunding går til").select_option(label="Helse Bergen")
    page.get_by_role("button", name="Lagre utkastet").click()
    expect(page.get_by_text("Prosentene blir til sammen 95 %, men må bli 100 %.")).to_be_visible()
    _accessible(page)

    page.get_by_label("Helse Bergen", exact=True).fill("50")
    page.get_by_role("button", name="Lagre utkastet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fordelingsnøkkel 2027–2029")
    shares = page.get_by_role("table", name="Andeler 2027")
    # 1 000 001 − Lindås's kr 40 000 = 960 001: half each, rounded down, the krone left to Helse Bergen.
    expect(shares.get_by_role("row").filter(has_text="Lindås")).to_contain_text(f"kr 40{NBSP}000")
    expect(shares.get_by_role("row").filter(has_text="Bergen").first).to_contain_text(f"kr 480{NBSP}000")
    expect(shares.get_by_role("row").filter(has_text="Helse Bergen")).to_contain_text(f"kr 480{NBSP}001")
    expect(shares).to_contain_text(f"kr 1{NBSP}000{NBSP}001")
    page.get_by_role("link", name="Send til styringsgruppen").click()
    page.get_by_role("button", name="Send til styringsgruppen").click()
    expect(page.get_by_text("Ny status: Til behandling i styringsgruppen.")).to_be_visible()
    expect(page.get_by_role("button", name="Registrer vedtaket")).to_be_disabled()
    expect(page.get_by_text("Krever rollen Medlem av styringsgruppen.").first).to_be_visible()
    _accessible(page)
    sign_out(page)

    sign_in(page, emails[1])
    follow_menu(page, "Fordelingsnøkkel")
    page.get_by_role("link", name="Fordelingsnøkkel 2027–2029").click()
    page.get_by_role("link", name="Registrer vedtaket").click()
    expect(page.get_by_label("Dato for vedtaket")).to_have_value("2026-11-23")
    _accessible(page)
    page.get_by_label("Sak på sakslisten").fill("Sak 4/2026 Fordelingsnøkkel 2027–2029")
    page.get_by_label("Vedtak", exact=True).fill("Styringsgruppen vedtar fordelingsnøkkelen som lagt fram.")
    page.get_by_role("button", name="Registrer vedtaket").click()
    expect(page.get_by_text("Fordelingsnøkkel 2027–2029 er nå vedtatt og kan ikke endres.")).to_be_visible()
    expect(page.get_by_text("Sak 4/2026 Fordelingsnøkkel 2027–2029")).to_be_visible()
    expect(page.get_by_role("link", name="Endre utkastet")).to_have_count(0)
    _accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned CSV").click()
    assert download.value.suggested_filename == "fordelingsnokkel-2027-2029.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["År", "Part", "Organisasjonsnummer", "Grunnlag", "Beløp (kr)"]
    assert sum(int(row[4]) for row in rows[1:] if row[0] == "2027") == 1_000_001
    assert [row[4] for row in rows if row[:2] == ["2027", "Helse Bergen"]] == ["480001"]
