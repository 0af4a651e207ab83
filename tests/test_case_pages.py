"""The case page, the action confirmation page, the approval inbox and the clock commands, as users see them."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.cases import routes as case_routes
from app.extensions import db
from app.models import AuditEvent, MembershipCase, TransitionRequest
from app.services import workflow
from tests import factories
from tests.conftest import post
from workflows import MEMBERSHIP


@pytest.fixture
def lindas_case(orgs):
    case = factories.case(orgs["Lindås"])
    db.session.commit()
    return case


def test_case_page_shows_state_actions_and_reasons(client, login, lindas_case):
    login("municipality_contact")
    html = client.get(f"/saker/{lindas_case.id}").get_data(as_text=True)
    assert "Lindås kommune" in html and "Invitert" in html and "siden 23.11.2026" in html
    assert f'href="/saker/{lindas_case.id}/handling/accept"' in html
    assert "Svarfristen har ikke gått ut ennå." in html  # why a late reply is not offered
    assert "Krever rollen FoU-rådgiver." in html           # why withdrawing is not offered
    assert f'/saker/{lindas_case.id}/diagram.svg' in html


def test_signing_completes_by_itself_and_is_not_offered_as_a_button(client, login, orgs):
    """`complete_signing` follows the second signature; the case page offers only what a person does."""
    case = factories.issued_case(orgs["Lindås"])
    db.session.commit()
    login("adviser")
    html = client.get(f"/saker/{case.id}").get_data(as_text=True)
    assert "Avtale til signering" in html and "Registrer at begge parter har signert" not in html
    assert "Begge parter må ha signert avtalen." not in html
    drawn = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", MEMBERSHIP.diagram_svg().decode()))
    assert MEMBERSHIP.spec("complete_signing").label in drawn


def test_each_reader_of_the_stored_case_page_gets_their_own_steps_and_signing_button(client, auth, orgs):
    """The page's shared part is stored; the steps and the signing button stay the reader's own, whoever read it
    first."""
    case = factories.issued_case(orgs["Lindås"])
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    signatory = factories.user("signatory", organisation=orgs["Lindås"])
    db.session.commit()
    page, sign = f"/saker/{case.id}", f'href="/avtaler/{case.agreement.id}/signer"'
    for reader, own in ((adviser, False), (signatory, True), (adviser, False)):
        auth.login(reader)
        html = client.get(page).get_data(as_text=True)
        assert (sign in html) == own and "Avtale til signering" in html
        assert (f'href="{page}/handling/decline_signing"' in html) == own
        auth.logout()


def test_a_step_is_taken_through_its_confirmation_page(client, login, lindas_case):
    user = login("adviser", organisation="Bergen")
    page = f"/saker/{lindas_case.id}/handling/withdraw"
    confirm = client.get(page).get_data(as_text=True)
    assert "Trekk tilbake invitasjonen</button>" in confirm and "Trukket tilbake" in confirm
    assert 'class="button danger"' in confirm and "Dette kan ikke angres." in confirm
    response = post(client, page, {"comment": "Kommunen er slått sammen."}, token_from=page, follow_redirects=True)
    assert "Utført: Trekk tilbake invitasjonen. Ny status: Trukket tilbake." in response.get_data(as_text=True)
    assert db.session.get(MembershipCase, lindas_case.id).state == "withdrawn"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.withdraw"))
    assert event.actor_id == user.id and event.comment == "Kommunen er slått sammen."


def test_the_reply_buttons_lead_to_the_reply_form(client, login, lindas_case):
    login("municipality_contact")
    for trigger in ("accept", "decline"):
        response = client.get(f"/saker/{lindas_case.id}/handling/{trigger}")
        assert response.status_code == 303
        assert response.headers["Location"] == f"/min-kommune/invitasjon/{lindas_case.id}/svar"


def test_required_comment_is_a_form_error(client, login, lindas_case):
    login("adviser", organisation="Bergen")
    page = f"/saker/{lindas_case.id}/handling/withdraw"
    html = post(client, page, {"comment": ""}, token_from=page).get_data(as_text=True)
    assert "Skriv en kommentar: den er påkrevd" in html
    assert db.session.get(MembershipCase, lindas_case.id).state == "invited"


def test_other_municipality_cannot_see_or_act(client, login, lindas_case):
    login("municipality_contact", organisation="Voss")
    assert client.get(f"/saker/{lindas_case.id}").status_code == 404
    assert client.get(f"/saker/{lindas_case.id}/diagram.svg").status_code == 404
    response = post(client, f"/saker/{lindas_case.id}/handling/accept", {"comment": "x"})
    assert response.status_code == 404
    assert db.session.get(MembershipCase, lindas_case.id).state == "invited"
    assert "Lindås" not in client.get("/saker/").get_data(as_text=True)


def test_the_case_list_is_read_once_per_content_version(client, login, auth, orgs, lindas_case, monkeypatch):
    """Bergen's side's list is stored as read: the next visit reads no case, a case opened after a reading is
    listed at once; a municipality's own list is read each time."""
    login("adviser", organisation="Bergen")
    assert "Voss" not in client.get("/saker/").get_data(as_text=True)
    reads = []
    monkeypatch.setattr(case_routes, "_case_page", lambda *args, read=case_routes._case_page: reads.append(1)
                        or read(*args))
    client.get("/saker/?page=4")
    assert reads == []
    factories.case(orgs["Voss"])
    db.session.commit()
    assert "Voss" in client.get("/saker/").get_data(as_text=True)
    assert reads == [1]
    auth.logout()
    login("municipality_contact", organisation="Voss")
    client.get("/saker/")
    client.get("/saker/")
    assert reads == [1, 1, 1]


def test_the_case_pages_shared_sections_are_read_once_per_content_version(client, login, auth, lindas_case,
                                                                        monkeypatch):
    """The history, documents and steps are stored as read: the next visit reads no history, a step taken after a
    reading is shown at once; who may see the case is still checked on every visit."""
    login("adviser", organisation="Bergen")
    page = f"/saker/{lindas_case.id}"
    assert "Kommunen er slått sammen." not in client.get(page).get_data(as_text=True)
    reads = []
    monkeypatch.setattr(case_routes.cases, "history", lambda *args, read=case_routes.cases.history, **kwargs:
                        reads.append(1) or read(*args, **kwargs))
    client.get(page)
    assert reads == []
    post(client, f"{page}/handling/withdraw", {"comment": "Kommunen er slått sammen."},
         token_from=f"{page}/handling/withdraw")
    history = client.get(page).get_data(as_text=True).split("Historikk")[1]
    assert "Kommunen er slått sammen." in history
    assert re.search(r'aria-current="step">\s*<p class="process-state"><strong>Trukket tilbake', history)
    assert reads == [1]
    auth.logout()
    login("municipality_contact", organisation="Voss")
    assert client.get(page).status_code == 404


def test_action_not_allowed_for_role_is_refused_on_post(client, login, lindas_case):
    login("municipality_contact")
    page = f"/saker/{lindas_case.id}/handling/withdraw"
    response = post(client, page, {"comment": "Trekker"}, token_from=page)
    assert response.status_code == 403 and "Krever rollen FoU-rådgiver." in response.get_data(as_text=True)
    assert db.session.get(MembershipCase, lindas_case.id).state == "invited"


def test_diagram_highlights_current_state(client, login, lindas_case):
    login("adviser", organisation="Bergen")
    response = client.get(f"/saker/{lindas_case.id}/diagram.svg")
    assert response.mimetype == "image/svg+xml"
    assert re.search(rb"<title>invited</title>\s*<path fill=\"darksalmon\"", response.data)
    assert re.search(rb"<title>accepted</title>\s*<path fill=\"white\"", response.data)


def test_as_of_shows_past_state(app, client, login, orgs):
    app.config["TODAY"] = "2026-11-01"
    case = factories.case(orgs["Lindås"])
    db.session.commit()
    app.config["TODAY"] = "2026-11-10"
    workflow.perform(case, "decline", factories.user("adviser", organisation=orgs["Bergen"]))
    db.session.commit()
    app.config["TODAY"] = "2026-11-23"
    login("adviser", organisation="Bergen")
    html = client.get(f"/saker/{case.id}?as_of=2026-11-05").get_data(as_text=True)
    assert "Status per 05.11.2026 (Lindås kommune): Invitert" in html
    assert "Svar nei" not in html.split("Historikk")[1]
    later = client.get(f"/saker/{case.id}?as_of=2026-11-10").get_data(as_text=True)
    assert "Status per 10.11.2026 (Lindås kommune): Takket nei" in later


def test_due_transition_shown_before_tick(app, client, login, orgs):
    case = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 11, 1)))
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get(f"/saker/{case.id}").get_data(as_text=True)
    assert ("Svarfristen er ute uten svar, og kommunen får status «Ikke svart». Det blir registrert automatisk "
            "innen i morgen.") in html


def test_inbox_approve_and_self_approval(client, auth, orgs):
    contact = factories.user("municipality_contact", organisation=orgs["Lindås"])
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 11, 1)))
    request = workflow.perform(case, "accept_late", contact, comment="Beklager.")
    db.session.commit()
    auth.login(contact)
    assert client.get("/godkjenninger/").status_code == 403
    own = client.get(f"/godkjenninger/{request.id}").get_data(as_text=True)
    assert "Du sendte inn denne forespørselen selv" in own
    auth.logout()
    auth.login(adviser)
    inbox = client.get("/godkjenninger/").get_data(as_text=True)
    assert "Sent ja-svar – Lindås kommune" in inbox and "Be om å få svare ja etter fristen" in inbox
    approve = f"/godkjenninger/{request.id}/godkjenn"
    response = post(client, approve, {"comment": "OK"}, token_from=approve)
    assert response.status_code == 302
    assert db.session.get(MembershipCase, case.id).state == "accepted"
    again = post(client, approve, token_from="/godkjenninger/")
    assert again.status_code == 409 and "allerede behandlet" in again.get_data(as_text=True)
    assert db.session.get(TransitionRequest, request.id).status == "approved"


def test_tick_command_prints_and_is_idempotent(runner, orgs):
    factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 11, 1)))
    db.session.commit()
    first = runner.invoke(args=["workflows", "tick", "--today", "2026-11-02"])
    assert first.exit_code == 0 and "Lindås – Invitasjon 2026: Invitert → Ikke svart" in first.output
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    second = runner.invoke(args=["workflows", "tick", "--today", "2026-11-02"])
    assert "ingenting å gjøre" in second.output
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_tick_command_refuses_bad_date(runner):
    result = runner.invoke(args=["workflows", "tick", "--today", "2026-13-01"])
    assert result.exit_code == 2 and "Ugyldig dato" in result.output


def test_diagram_command_writes_svg(runner, tmp_path):
    target = tmp_path / "membership.svg"
    result = runner.invoke(args=["workflows", "diagram", "membership", "-o", str(target)])
    assert result.exit_code == 0 and target.read_bytes().startswith(b"<?xml")
    assert "Avtale til signering" in target.read_text().replace("&#45;", "-")


def test_pages_show_the_terms_of_the_agreement_not_of_the_round(client, auth, orgs):
    """The 2016 round offered kr 40 000 for 2017–2019; Lindås signed kr 55 000 for 2017–2022."""
    round_ = factories.invitation_round(deadline=date(2016, 11, 1), title="Invitasjon 2016",
                                       agreement_end=date(2022, 12, 31), contribution_from=2017, contribution_to=2019)
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = factories.member_case(orgs["Lindås"], adviser, activated_on=date(2016, 10, 15), round_=round_, terms={
        "contribution": 55_000, "contribution_from": 2017, "contribution_to": 2022, "agreement_end": "2022-12-31"})
    db.session.commit()
    signed, offered = "kr 55\u00a0000 per år", "kr 40\u00a0000"
    auth.login("adviser", organisation="Bergen")
    ended = "Samarbeidsavtale 2017–2022</a>, 15.10.2016–31.12.2022, kr 55\u00a0000 per år"
    for path in (f"/saker/{case.id}", f"/medlemskap/{orgs['Lindås'].id}"):
        html = client.get(path).get_data(as_text=True)
        assert ended in html and offered not in html and "2017–2019" not in html, path
    auth.logout()
    auth.login("municipality_contact")
    html = client.get("/min-kommune/").get_data(as_text=True)
    assert signed in html and offered not in html
    html = client.get(f"/min-kommune/invitasjon/{case.id}").get_data(as_text=True)
    assert "kr 55\u00a0000" in html and "2017–2022" in html and offered not in html
