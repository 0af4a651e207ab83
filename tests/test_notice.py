"""Written notice (§ 13): given by a signatory, confirmed by the adviser; a member to the same date a year later,
or to the agreement's last day if that comes first, and ended the day after."""
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select

from app import clock
from app.extensions import db
from app.models import OutboxMessage, TransitionRequest, User
from app.services import agreements, members, tick, workflow
from tests import factories
from tests.conftest import post


@pytest.fixture
def lindas(orgs, adviser):
    """Lindås as an active member; its agreement runs to 31.12.2030."""
    case = factories.active_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    return case


def _requests() -> int:
    return db.session.scalar(select(func.count()).select_from(TransitionRequest))


def test_notice_page_states_the_last_day_before_it_is_sent(app, client, auth, orgs, adviser, lindas):
    signer = factories.user("signatory", organisation=orgs["Lindås"])
    db.session.commit()
    auth.login(signer)
    page = f"/avtaler/sak/{lindas.id}/oppsigelse"
    assert client.get(f"/saker/{lindas.id}/handling/give_notice").headers["Location"].endswith(page)
    far_future = post(client, f"/saker/{lindas.id}/handling/give_notice", {"notice_date": "2199-01-01"},
                      token_from=page)
    assert far_future.headers["Location"].endswith(page) and _requests() == 0, "no way around the notice page"
    assert "Oppsigelsen gis av" in client.get(page).get_data(as_text=True)

    review = post(client, page, {"notice_date": "2026-11-23", "reason": "Vedtak i kommunestyret.", "review": "1"},
                  token_from=page).get_data(as_text=True)
    assert "Kontroller før du sender" in review and "Medlem til og med" in review and "23. november 2027" in review
    assert "Det er samme dato ett år etter oppsigelsen." in review
    assert 'Fra dagen etter er <span translate="no">Lindås kommune</span> ikke lenger medlemskommune' in review
    assert _requests() == 0

    sent = post(client, page, {"notice_date": "2026-11-23", "reason": "Vedtak i kommunestyret.", "send": "1"},
                token_from=page)
    assert sent.status_code == 302 and lindas.state == "active" and _requests() == 1
    auth.logout()

    auth.login(adviser)
    request = db.session.scalar(select(TransitionRequest))
    detail = client.get(f"/godkjenninger/{request.id}").get_data(as_text=True)
    assert "Lindås kommune" in detail and "Medlem til og med" in detail and "23. november 2027" in detail
    approve = f"/godkjenninger/{request.id}/godkjenn"
    assert "Medlem til og med" in client.get(approve).get_data(as_text=True)
    assert post(client, approve, token_from=approve).status_code == 302
    assert lindas.state == "notice_given" and lindas.notice_by == "municipality"
    assert (lindas.notice_date, lindas.notice_last_day) == (date(2026, 11, 23), date(2027, 11, 23))
    assert "medlem til og med <strong>23.11.2027" in client.get(f"/saker/{lindas.id}").get_data(as_text=True)
    assert "medlem til og med 23.11.2027" in client.get("/saker/").get_data(as_text=True)


def test_bergen_gives_notice_through_its_signatory(app, client, auth, orgs, lindas):
    signer = factories.user("signatory", organisation=orgs["Bergen"])
    db.session.commit()
    auth.login(signer)
    page = f"/avtaler/sak/{lindas.id}/oppsigelse"
    assert "Bergen kommune" in client.get(page).get_data(as_text=True)
    post(client, page, {"notice_date": "2026-11-23", "send": "1"}, token_from=page)
    request = db.session.scalar(select(TransitionRequest))
    assert '"notice_by": "host"' in request.data


@pytest.mark.parametrize("role, organisation, status", [
    ("municipality_contact", "Lindås", 403), ("adviser", "Bergen", 403), ("signatory", "Voss", 404)])
def test_only_a_signatory_of_a_party_gives_notice(app, client, login, lindas, role, organisation, status):
    login(role, organisation=organisation)
    page = f"/avtaler/sak/{lindas.id}/oppsigelse"
    assert client.get(page).status_code == status
    assert post(client, page, {"notice_date": "2026-11-23", "send": "1"}).status_code == status
    assert _requests() == 0


@pytest.mark.parametrize("notice_date, message", [
    ("2026-12-01", "Oppsigelsen kan ikke dateres frem i tid."),
    ("2026-11-20", "Oppsigelsen kan ikke dateres før avtalen trådte i kraft (23.11.2026)."),
], ids=["ahead", "before-agreement"])
@pytest.mark.parametrize("button", ["review", "send"])
def test_notice_date_must_fit_the_agreement(app, client, login, lindas, notice_date, message, button):
    login("signatory", organisation="Lindås")
    page = f"/avtaler/sak/{lindas.id}/oppsigelse"
    response = post(client, page, {"notice_date": notice_date, button: "1"}, token_from=page)
    html = response.get_data(as_text=True)
    assert message in html and "Kontroller før du sender" not in html
    assert _requests() == 0


@pytest.mark.parametrize("notice_date, agreement_last_day, last_day", [
    (date(2026, 3, 15), date(2030, 12, 31), date(2027, 3, 15)),
    (date(2028, 2, 29), date(2030, 12, 31), date(2029, 2, 28)),
    (date(2026, 6, 1), date(2026, 12, 31), date(2026, 12, 31)),
    (date(2025, 12, 31), date(2026, 12, 31), date(2026, 12, 31)),
], ids=["a-year-later", "leap-day", "capped-by-the-agreement", "year-end"])
def test_a_member_to_the_last_day_and_ended_the_day_after(app, orgs, adviser, notice_date, agreement_last_day,
                                                            last_day):
    org = orgs["Lindås"]
    case = factories.member(factories.historic_round("Invitasjon 2024", created=date(2024, 10, 1),
                                                     deadline=date(2024, 11, 1), agreement_end=agreement_last_day),
                            org, adviser, active_from=date(2025, 1, 1))
    term = factories.representative(org, adviser, starts_on=date(2025, 6, 1), ends_on=date(2030, 12, 31))
    signer = factories.user("signatory", organisation=org)
    with clock.pinned(notice_date):
        workflow.approve(agreements.give_notice(case, signer, notice_date=notice_date, reason=None), adviser)
        db.session.commit()
    assert case.notice_last_day == last_day
    day_after = last_day + timedelta(days=1)
    with clock.pinned(last_day):
        assert members.member_on(org, last_day) and not members.member_on(org, day_after)
        assert members.is_member(org)
        tick.run(last_day)
    assert case.state == "notice_given"
    with clock.pinned(day_after):
        assert not members.is_member(org), "not a member the day after, even before the tick has run"
        tick.run(day_after)
    assert case.state == "terminated" and term.ends_on == last_day
    assert members.member_periods(case) == [(date(2025, 1, 1), last_day)]


def test_notice_withdrawn_by_agreement_returns_to_active(app, orgs, adviser, lindas):
    signer = factories.user("signatory", organisation=orgs["Lindås"])
    workflow.approve(agreements.give_notice(lindas, signer, notice_date=date(2026, 11, 23), reason=None), adviser)
    request = workflow.perform(lindas, "withdraw_notice", signer, comment="Enige om å fortsette.")
    workflow.approve(request, adviser)
    db.session.commit()
    assert lindas.state == "active" and lindas.notice_date is None and lindas.notice_last_day is None


@pytest.mark.parametrize("party,giver_org,told_org", [("municipality", "Lindås", "Bergen"),
                                                     ("host", "Bergen", "Lindås")])
def test_confirmed_notice_is_mailed_to_the_other_party_and_the_advisers(app, orgs, adviser, lindas, party,
                                                                         giver_org, told_org):
    giver = factories.user("signatory", organisation=orgs[giver_org])
    told = factories.user("signatory", organisation=orgs[told_org], name="Den andre parten")
    factories.user("signatory", organisation=orgs["Voss"])
    db.session.execute(delete(OutboxMessage))
    request = agreements.give_notice(lindas, giver, notice_date=date(2026, 11, 23), reason="Vedtak i kommunestyret.")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # not before it is confirmed
    workflow.approve(request, adviser)
    db.session.commit()
    mail = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    other_side = db.session.scalars(select(User.email).where(
        User.organisation_id == orgs[told_org].id, User.role_rows.any(role="signatory"))).all()
    assert told.email in other_side and giver.email not in other_side
    assert set(mail) == {*other_side, adviser.email}
    message = mail[told.email]
    if told_org == "Lindås":  # writes nynorsk
        notice, given, reason = "Oppseiing", "Bergen kommune har gitt skriftleg oppseiing", "Grunngjeving"
    else:
        notice, given, reason = "Oppsigelse", "Lindås kommune har gitt skriftlig oppsigelse", "Begrunnelse"
    assert message.subject == f"{notice} av samarbeidsavtalen: Lindås kommune"
    assert given in message.body_text
    for fact in ("23.11.2026", "Lindås kommune er medlem til og med 23. november 2027",
                 f"{reason}: Vedtak i kommunestyret.",
                 f"http://kk.test/saker/{lindas.id}"):
        assert fact in message.body_text
