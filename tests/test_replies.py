"""A municipality's contact person reads the invitation and answers it, before and after the deadline."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, InvitationReply, MembershipCase, OutboxMessage, TransitionRequest
from app.services import ServiceError, replies, rounds, tick, workflow
from app.services import cases as cases_service
from tests import factories
from tests.conftest import post, unmarked
from tests.races import twin_saved_first

DEADLINE = date(2026, 12, 15)


@pytest.fixture
def adviser(orgs):
    user = factories.user("adviser", organisation=orgs["Bergen"], name="Marianne N. Solbakk")
    db.session.commit()
    return user


@pytest.fixture
def cases(adviser, orgs) -> dict[str, MembershipCase]:
    round_ = factories.sent_round(adviser, [orgs["Lindås"], orgs["Voss"]], deadline=DEADLINE)
    db.session.commit()
    return {case.organisation.name: case for case in round_.cases}


@pytest.fixture
def contact(login, cases):
    """Lindås's contact person, signed in."""
    return login("municipality_contact", organisation="Lindås", name="Kari Nordtveit")


def _form(**overrides) -> dict:
    data = {"answer": "yes", "contact_name": "Kari Nordtveit", "contact_title": "Kommunalsjef",
            "contact_email": "kari.nordtveit@alver.kommune.no", "contact_phone": "56 37 50 00",
            "steering_rep": "Olav Hauge", "project_rep_1": "Kari Nordtveit", "project_rep_2": "Per Lid",
            "comment": "Vi gleder oss.", "action": "send"}
    data.update(overrides)
    return data


def _replies(case) -> list[InvitationReply]:
    return list(db.session.scalars(select(InvitationReply).where(InvitationReply.case_id == case.id)
                                   .order_by(InvitationReply.id)))


def _state(case) -> str:
    return db.session.get(MembershipCase, case.id).state


def _switch(auth, user) -> None:
    auth.logout()
    auth.login(user)


def _on(app, auth, user, day: str) -> None:
    """Move the clock and sign in again (a day later the old session has timed out)."""
    app.config["TODAY"] = day
    auth.login(user)


def test_min_kommune_shows_the_invitation_with_deadline_amount_and_history(client, contact, cases):
    home = client.get("/min-kommune/").get_data(as_text=True)
    assert "Lindås kommune" in home and "Invitasjon 2026" in home and "22 dager igjen" in home
    case = cases["Lindås"]
    page = client.get(f"/min-kommune/invitasjon/{case.id}").get_data(as_text=True)
    assert "15. desember 2026" in page and "kr 40\xa0000" in page and "2027–2029" in page
    assert "Det overordnede målet med samarbeidet" in page
    assert "Invitert" in page and "Marianne N. Solbakk" in page  # the history
    assert "Svar på invitasjonen" in page
    assert "Voss" not in page


def test_the_invitation_s_history_is_read_once_per_content_version_and_a_reply_shown_at_once(
        client, auth, contact, cases, monkeypatch):
    reads = []
    monkeypatch.setattr(cases_service, "history", lambda case, read=cases_service.history: reads.append(1) or read(case))
    case = cases["Lindås"]
    page = f"/min-kommune/invitasjon/{case.id}"
    second = factories.user("municipality_contact", organisation=case.organisation, name="Ola Andre")
    db.session.commit()
    client.get(page)
    _switch(auth, second)
    assert "Marianne N. Solbakk" in client.get(page).get_data(as_text=True) and len(reads) == 1
    assert post(client, f"{page}/svar", _form(), token_from=f"{page}/svar").status_code == 302
    history = unmarked(client.get(page).get_data(as_text=True)).split("Historikk")[1]
    assert "Ola Andre" in history and len(reads) == 2


@pytest.mark.parametrize("path", ["", "/svar", "/sent-svar", "/kvittering"])
def test_contact_cannot_see_or_answer_another_municipalitys_case(client, contact, cases, path):
    voss = cases["Voss"]
    url = f"/min-kommune/invitasjon/{voss.id}{path}"
    assert client.get(url).status_code == 404
    if path in ("/svar", "/sent-svar"):
        assert post(client, url, _form(), token_from="/min-kommune/").status_code == 404
    assert _state(voss) == "invited" and _replies(voss) == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.subject.like("Kvittering%"))) == 0


def test_contact_without_the_role_is_refused(client, login, cases):
    login("signatory", organisation="Lindås")
    assert client.get(f"/min-kommune/invitasjon/{cases['Lindås'].id}").status_code == 403


def test_form_is_prefilled_from_the_person(client, contact, cases):
    html = client.get(f"/min-kommune/invitasjon/{cases['Lindås'].id}/svar").get_data(as_text=True)
    assert 'value="Kari Nordtveit"' in html and f'value="{contact.email}"' in html


def test_preview_shows_what_will_be_sent_and_writes_nothing(client, contact, cases):
    url = f"/min-kommune/invitasjon/{cases['Lindås'].id}/svar"
    html = post(client, url, _form(action="preview"), token_from=url).get_data(as_text=True)
    assert "Se over før sending" in html and "Send svar" in html and "Gå tilbake og endre" in html
    assert "Ja, vi ønsker å delta" in html and "Olav Hauge" in html and "Per Lid" in html
    assert _state(cases["Lindås"]) == "invited" and _replies(cases["Lindås"]) == []
    back = post(client, url, _form(action="edit", comment="Endret kommentar"), token_from=url)
    assert "Endret kommentar" in back.get_data(as_text=True) and _replies(cases["Lindås"]) == []


def test_missing_answer_is_a_form_error(client, contact, cases):
    url = f"/min-kommune/invitasjon/{cases['Lindås'].id}/svar"
    html = post(client, url, _form(answer="", action="preview"), token_from=url).get_data(as_text=True)
    assert 'id="answer-error"' in html and "Velg om kommunen takker ja eller nei." in html


def test_answering_yes_on_the_deadline_day_is_stored_with_a_receipt(app, client, auth, contact, cases):
    _on(app, auth, contact, "2026-12-15")
    case = cases["Lindås"]
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    response = post(client, url, _form(), token_from=url)
    assert response.headers["Location"] == f"/min-kommune/invitasjon/{case.id}/kvittering"
    assert _state(case) == "accepted"
    [reply] = _replies(case)
    assert (reply.answer, reply.late, reply.answered_by_id) == ("yes", False, contact.id)
    assert (reply.contact_title, reply.steering_rep, reply.project_reps) == \
        ("Kommunalsjef", "Olav Hauge", ["Kari Nordtveit", "Per Lid"])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.accept"))
    assert event.actor_id == contact.id and event.comment == "Vi gleder oss."
    [receipt] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Kvittering%")))
    assert receipt.recipient == contact.email
    assert "Svar: Ja, vi ønskjer å delta" in receipt.body_text and "Per Lid" in receipt.body_html  # Lindås writes nynorsk
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Svaret er registrert" in page and "Takket ja" in page and "Olav Hauge" in page


def test_the_day_after_the_deadline_the_form_is_closed(app, client, auth, contact, cases):
    _on(app, auth, contact, "2026-12-16")
    case = cases["Lindås"]
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    response = post(client, url, _form(), token_from="/min-kommune/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Svarfristen gikk ut 15.12.2026, og svarskjemaet er stengt." in html
    assert "Be om å få svare ja etter fristen" in html
    assert _state(case) == "invited" and _replies(case) == []


def test_service_refuses_an_answer_after_the_deadline(app, contact, cases):
    app.config["TODAY"] = "2026-12-16"
    with pytest.raises(ServiceError, match="svarskjemaet er stengt"):
        replies.reply(cases["Lindås"], contact, answer="yes", details=factories.reply_details(contact))


def test_changing_the_answer_before_the_deadline_is_recorded(client, contact, cases):
    case = cases["Lindås"]
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    post(client, url, _form(), token_from=url)
    assert "Endre svaret" in client.get(f"/min-kommune/invitasjon/{case.id}").get_data(as_text=True)
    post(client, url, _form(answer="no", comment="Kommunestyret sa nei."), token_from=url)
    assert _state(case) == "declined"
    first, second = _replies(case)
    assert (first.answer, second.answer) == ("yes", "no")
    assert second.steering_rep is None and second.project_reps == []  # names only go with a yes
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "membership_case", AuditEvent.object_id == case.id).order_by(AuditEvent.seq))]
    assert actions == ["membership.invite", "membership.accept", "membership.decline"]


def test_same_answer_again_updates_the_details_without_a_transition(client, contact, cases):
    case = cases["Lindås"]
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    post(client, url, _form(project_rep_2=""), token_from=url)
    post(client, url, _form(project_rep_2="Siv Nøttveit"), token_from=url)
    assert _state(case) == "accepted"
    assert [r.project_rep_2 for r in _replies(case)] == [None, "Siv Nøttveit"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "invitation.reply_update", AuditEvent.actor_id == contact.id)) == 1


def test_answer_cannot_change_once_the_agreement_is_issued(client, contact, adviser, cases):
    case = cases["Lindås"]
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    post(client, url, _form(), token_from=url)
    workflow.perform(db.session.get(MembershipCase, case.id), "issue_agreement", adviser)
    db.session.commit()
    response = post(client, url, _form(answer="no"), token_from="/min-kommune/", follow_redirects=True)
    assert "Svaret kan ikke endres etter at samarbeidsavtalen er sendt til signering." in response.get_data(
        as_text=True)
    assert _state(case) == "agreement_pending" and len(_replies(case)) == 1


def test_withdrawn_invitation_cannot_be_answered(client, contact, adviser, cases):
    case = cases["Lindås"]
    workflow.perform(case, "withdraw", adviser, comment="Sendt ved en feil.")
    db.session.commit()
    page = client.get(f"/min-kommune/invitasjon/{case.id}").get_data(as_text=True)
    assert "Invitasjonen er trukket tilbake og kan ikke besvares." in page
    assert "Svar på invitasjonen" not in page


def test_late_reply_request_approved_by_the_adviser(app, client, auth, contact, adviser, cases):
    case = cases["Lindås"]
    app.config["TODAY"] = "2026-12-16"
    tick.run(date(2026, 12, 16))
    assert _state(case) == "no_reply"
    auth.login(contact)
    url = f"/min-kommune/invitasjon/{case.id}/sent-svar"
    preview = post(client, url, _form(action="preview"), token_from=url).get_data(as_text=True)
    assert "Send forespørselen" in preview
    response = post(client, url, _form(comment="Vedtaket kom sent."), token_from=url, follow_redirects=True)
    assert "Forespørselen er sendt" in response.get_data(as_text=True)
    assert _state(case) == "no_reply" and _replies(case) == []
    page = client.get(f"/min-kommune/invitasjon/{case.id}").get_data(as_text=True)
    assert "venter på FoU-rådgiverens godkjenning" in page

    _switch(auth, adviser)
    assert "Be om å få svare ja etter fristen" in client.get("/godkjenninger/").get_data(as_text=True)
    request = db.session.scalar(select(TransitionRequest))
    approve = f"/godkjenninger/{request.id}/godkjenn"
    assert post(client, approve, {"comment": "Greit."}, token_from=approve).status_code == 302
    assert _state(case) == "accepted"
    [reply] = _replies(case)
    assert reply.late and reply.answered_by_id == contact.id and reply.steering_rep == "Olav Hauge"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.accept_late"))
    assert (event.actor_id, event.request_id, event.to_state) == (adviser.id, request.id, "accepted")
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == contact.email).order_by(OutboxMessage.id))]
    assert subjects[-2:] == ["Kvittering: førespurnad om å svare ja etter fristen",  # Lindås writes nynorsk
                             "Svaret etter fristen er godteke"]


def test_rejected_late_request_is_shown_and_state_stays(app, client, auth, contact, adviser, cases):
    case = cases["Lindås"]
    app.config["TODAY"] = "2026-12-20"
    replies.request_late_reply(case, contact, details=factories.reply_details(contact))
    db.session.commit()
    auth.login(adviser)  # the contact's session timed out when the clock moved
    request = db.session.scalar(select(TransitionRequest))
    reject = f"/godkjenninger/{request.id}/avvis"
    post(client, reject, {"comment": "Avtalene er allerede sendt."}, token_from=reject)
    assert _state(case) == "invited" and _replies(case) == []
    _switch(auth, contact)
    page = client.get(f"/min-kommune/invitasjon/{case.id}").get_data(as_text=True)
    assert "Forrige forespørsel ble avvist" in page and "Avtalene er allerede sendt." in page


def test_no_late_answer_to_an_invitation_replaced_by_a_newer_one(app, contact, adviser, cases, orgs):
    app.config["TODAY"] = "2026-12-16"
    assert replies.reply_mode(cases["Lindås"]).kind == "late"
    factories.sent_round(adviser, [orgs["Lindås"]], deadline=date(2027, 3, 1), title="Invitasjon 2027")
    db.session.commit()
    mode = replies.reply_mode(cases["Lindås"])
    assert mode.kind == "closed"
    assert mode.message == "Svarfristen gikk ut 15.12.2026. Kommunen har fått en nyere invitasjon."


def test_late_request_before_the_deadline_is_refused(client, contact, cases):
    case = cases["Lindås"]
    response = post(client, f"/min-kommune/invitasjon/{case.id}/sent-svar", _form(), token_from="/min-kommune/")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(TransitionRequest)) == 0


def test_extended_deadline_keeps_the_form_open_for_that_municipality(app, client, auth, contact, adviser, cases):
    case = cases["Lindås"]
    rounds.extend_case_deadline(case, date(2027, 1, 15), "Kommunestyremøte i januar.", adviser)
    db.session.commit()
    _on(app, auth, contact, "2027-01-15")
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    assert post(client, url, _form(), token_from=url).status_code == 302
    assert _state(case) == "accepted"


def test_adviser_registering_an_answer_is_kept_as_a_reply(adviser, cases):
    workflow.perform(cases["Voss"], "decline", adviser, comment="Svar mottatt på e-post.")
    db.session.commit()
    [reply] = _replies(cases["Voss"])
    assert (reply.answer, reply.answered_by_id, reply.comment, reply.contact_name) == ("no", adviser.id, None, None)


def test_adviser_registers_a_letter_reply_on_the_reply_form_and_the_contacts_get_the_receipt(client, auth, contact,
                                                                                            adviser, cases):
    """The case page's «Svar ja» leads the adviser to the reply form (not to a bare confirmation): the reply row
    holds the contact the letter names, and the municipality's contact persons get the receipt."""
    case = cases["Lindås"]
    _switch(auth, adviser)
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    assert client.get(f"/saker/{case.id}/handling/accept").headers["Location"] == url
    form = client.get(url).get_data(as_text=True)
    assert "Du registrerer svaret kommunen har sendt i brev eller e-post." in form
    assert f'href="/saker/{case.id}"' in form and 'value="Marianne N. Solbakk"' not in form
    response = post(client, url, _form(comment="Svar mottatt i brev."), token_from=url)
    assert response.headers["Location"] == f"/saker/{case.id}"
    assert _state(case) == "accepted"
    [reply] = _replies(case)
    assert (reply.answered_by_id, reply.contact_name, reply.steering_rep) == (adviser.id, "Kari Nordtveit",
                                                                               "Olav Hauge")
    [receipt] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Kvittering%")))
    assert receipt.recipient == contact.email
    assert "Svaret fra Lindås kommune er registrert." in client.get(f"/saker/{case.id}").get_data(as_text=True)
    again = post(client, url, _form(project_rep_2="Lars Lid"), token_from=url)  # the same answer, new details
    assert again.status_code == 302 and _replies(case)[-1].project_rep_2 == "Lars Lid"


def test_overview_shows_who_answered_and_when(client, auth, contact, adviser, cases):
    url = f"/min-kommune/invitasjon/{cases['Lindås'].id}/svar"
    post(client, url, _form(), token_from=url)
    _switch(auth, adviser)
    html = unmarked(client.get(f"/invitasjoner/{cases['Lindås'].round_id}").get_data(as_text=True))
    row = html.split(">Lindås</a>")[1].split("</tr>")[0]
    assert "Takket ja" in row and "Kari Nordtveit" in row and "23.11.2026" in row and "Olav Hauge" in row
    assert "Takket ja: 1" in html and "Invitert: 1" in html


def test_anonymous_is_sent_to_login(app, cases):
    client = app.test_client()
    response = client.get(f"/min-kommune/invitasjon/{cases['Lindås'].id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]



def test_a_reply_that_loses_a_race_at_the_database_shows_the_conflict_page(client, contact, cases):
    case = cases["Lindås"]
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    url = f"/min-kommune/invitasjon/{case.id}/svar"
    with twin_saved_first(AuditEvent) as twin:  # the reply's event meets one that took its place in the chain
        response = post(client, url, _form(), token_from=url)
    assert twin and response.status_code == 409
    assert "Noen andre registrerte det samme akkurat nå." in response.get_data(as_text=True)
    assert _state(case) == "invited" and _replies(case) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.like("Kvittering%"))).all() == []
