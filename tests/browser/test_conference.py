"""The public conference page: someone registers when the conference is full and goes on the waiting list; the one
with the place cancels through the link in their mail (a page with a button); the first on the waiting list moves
up, is told by mail, and the adviser sees it."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import ConferenceRegistration, OutboxMessage
from app.services import conference_links
from tests import conference_world, factories
from tests.browser.conftest import sign_in


def _full_conference(live) -> tuple[int, str, str, str]:
    """One place, taken: the registration's id, its cancel link's path, the adviser's e-mail and Askøy's name."""
    with live.data():
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"])
        found = conference_world.conference(capacity=1, planner=adviser)
        taken = conference_world.register(found, 1)
        token = conference_links.mint(taken)
        db.session.commit()
        return taken.id, f"/konferanse/avmelding/{token}", adviser.email, orgs["Askøy"].display_name


def _registration(live, email: str) -> ConferenceRegistration:
    with live.data():
        return db.session.scalar(select(ConferenceRegistration).where(ConferenceRegistration.email == email))


def test_register_on_the_waiting_list_then_move_up_when_someone_cancels(live, page):
    taken_id, cancel_path, adviser_email, askoy = _full_conference(live)
    page.goto("/konferanse")
    expect(page.get_by_role("heading", name="Fagkonferansen 2027", level=1)).to_be_visible()
    page.get_by_label("Navn").fill("Kari Nordmann")
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_label("Organisasjon", exact=True).select_option(label=askoy)
    page.get_by_label("Allergier eller andre behov for mat").fill("Nøtteallergi")
    page.get_by_role("button", name="Meld meg på").click()
    expect(page.get_by_text("Du må samtykke for å melde deg på.").first).to_be_visible()  # nothing saved yet
    assert _registration(live, "kari@example.no") is None
    page.get_by_label("Jeg samtykker").check()
    page.get_by_role("button", name="Meld meg på").click()
    expect(page.get_by_role("heading", name="Takk for påmeldingen")).to_be_visible()
    assert _registration(live, "kari@example.no").state == "waitlisted"

    page.goto(cancel_path)  # the link in the mail of the one who has the place
    expect(page.get_by_role("heading", name="Meld deg av Fagkonferansen 2027")).to_be_visible()
    page.get_by_role("button", name="Meld meg av").click()
    expect(page.get_by_role("heading", name="Du er meldt av")).to_be_visible()
    page.goto(cancel_path)
    expect(page.get_by_role("heading", name="Lenken virker ikke")).to_be_visible()  # used up

    kari = _registration(live, "kari@example.no")
    assert kari.state == "confirmed"
    with live.data():
        assert db.session.get(ConferenceRegistration, taken_id).state == "cancelled"
        subjects = db.session.scalars(select(OutboxMessage.subject).where(
            OutboxMessage.recipient == "kari@example.no").order_by(OutboxMessage.id)).all()
    assert subjects == ["Du står på venteliste til Fagkonferansen 2027", "Du har fått plass på Fagkonferansen 2027"]

    sign_in(page, adviser_email)
    page.goto(f"/konferanser/{kari.conference_id}")
    row = page.get_by_role("row").filter(has_text="Kari Nordmann")
    expect(row).to_contain_text("Bekreftet plass")
    expect(row).to_contain_text("Nøtteallergi")
    expect(row).to_contain_text(askoy)
