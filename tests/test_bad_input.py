"""What the fuzzing found, pinned down: control characters, impossible dates, absurd numbers, long mail subjects."""
from datetime import date

import pytest
from sqlalchemy import select

from app.agreements.forms import IssueForm, NoticeForm
from app.extensions import db
from app.forms import INVALID_DATE, INVALID_NUMBER, REQUIRED
from app.models import InvitationReply, OutboxMessage
from app.services import workflow
from tests import factories
from tests.conftest import post

RANGE = "Datoen må være mellom 01.01.1900 og 31.12.2199."


def test_control_characters_are_removed_before_any_form_sees_them(client, login, orgs):
    contact = login("municipality_contact", organisation="Lindås")
    case = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 12, 15)))
    db.session.commit()
    path = f"/min-kommune/invitasjon/{case.id}/svar"
    response = post(client, path, {
        "answer": "yes", "contact_name": "Kari\x00 Nord\x1bmann", "contact_email": contact.email,
        "comment": "Første linje\r\nAndre\tlinje\x00", "action": "send"}, token_from=path)
    assert response.status_code == 302
    reply = db.session.scalar(select(InvitationReply))
    assert reply.contact_name == "Kari Nordmann"
    assert reply.comment == "Første linje\r\nAndre\tlinje"


@pytest.mark.parametrize("typed,message", [
    ("abc", INVALID_DATE), ("2026-02-31", INVALID_DATE), ("0001-01-01", RANGE), ("9999-12-31", RANGE),
    ("", REQUIRED)])
def test_a_date_field_says_what_is_wrong_with_the_date(app, typed, message):
    with app.test_request_context(method="POST", data={"notice_date": typed}):
        form = NoticeForm(meta={"csrf": False})
        assert not form.validate()
    assert form.notice_date.errors == [message]
    assert form.notice_date.data is None


@pytest.mark.parametrize("typed,message", [
    ("40 000", INVALID_NUMBER), ("4e4", INVALID_NUMBER), ("", REQUIRED),
    ("-1", "Skriv et beløp mellom 0 og 10\u00a0000\u00a0000 kroner."),
    ("99999999999", "Skriv et beløp mellom 0 og 10\u00a0000\u00a0000 kroner.")])
def test_a_number_field_says_what_is_wrong_with_the_number(app, typed, message):
    with app.test_request_context(method="POST", data={"contribution": typed}):
        form = IssueForm(meta={"csrf": False})
        form.validate()
    assert form.contribution.errors == [message]


def test_an_impossible_date_in_the_address_is_a_message_on_the_page(client, login, orgs):
    login("adviser", organisation="Bergen")
    case = factories.case(orgs["Lindås"])
    db.session.commit()
    page = client.get(f"/saker/{case.id}?as_of=9999-12-31")
    assert page.status_code == 200 and RANGE in page.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/saker/99999999999999999999", "/saker/2147483648",
                                  "/medlemskap/vurdering/99999999999999999999"])
def test_an_id_too_large_for_the_database_is_a_missing_page(client, login, path):
    login("adviser", organisation="Bergen")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/saker/?page=99999999999999999999", "/medlemskap/bidrag?year=99999999999999999999",
                                  "/undergrupper/?q=%00"])
def test_absurd_query_arguments_give_a_normal_page(client, login, path):
    login("adviser", organisation="Bergen")
    assert client.get(path).status_code == 200


def test_a_long_name_in_a_mail_subject_is_cut_to_one_line_that_fits(orgs):
    """The subject «Undergruppen «…» er etablert» around a 200-character name would not fit its column."""
    proposer = factories.user("project_member", organisation=orgs["Lindås"])
    seconder = factories.user("project_member", organisation=orgs["Voss"])
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    subgroup = factories.subgroup(proposer, name="Velferdsteknologi\n" + "x" * 182)
    for trigger, actor in (("submit", proposer), ("second", seconder), ("approve", adviser), ("establish", adviser)):
        workflow.perform(subgroup, trigger, actor, data={"decided_on": "2026-11-20"} if trigger == "approve" else None)
    db.session.commit()
    subject = db.session.scalar(select(OutboxMessage.subject).where(OutboxMessage.subject.like("Undergruppen%")))
    assert len(subject) == 200 and subject.endswith("…") and "\n" not in subject
    assert subject.startswith("Undergruppen «Velferdsteknologi xxx")
