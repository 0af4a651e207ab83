"""Written notice (§ 13): given by a signatory, confirmed by the adviser, effective a year later or at the end."""
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select

from app import clock
from app.extensions import db
from app.models import OutboxMessage, TransitionRequest, User
from app.services import agreements, tick, workflow
from tests import factories
from tests.conftest import post


@pytest.fixture
def adviser(orgs):
    user = factories.adviser(orgs["Bergen"])
    db.session.commit()
    return user


@pytest.fixture
def lindas(orgs, adviser):
    """Lindås as an active member; its agreement runs to 31.12.2030."""
    case = factories.active_case(orgs["Lindås"], by=adviser)
    db.session.commit()
    return case


def _requests() -> int:
    return db.session.scalar(select(func.count()).select_from(TransitionRequest))


def test_notice_page_states_the_effective_date_before_it_is_sent(app, client, auth, orgs, adviser, lindas):
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
    assert "Kontroller før du sender" in review and "23. november 2027" in review
    assert "Lindås kommune ikke lenger medlemskommune" in review
    assert _requests() == 0

    sent = post(client, page, {"notice_date": "2026-11-23", "reason": "Vedtak i kommunestyret.", "send": "1"},
                token_from=page)
    assert sent.status_code == 302 and lindas.state == "active" and _requests() == 1
    auth.logout()

    auth.login(adviser)
    request = db.session.scalar(select(TransitionRequest))
    detail = client.get(f"/godkjenninger/{request.id}").get_data(as_text=True)
    assert "Lindås kommune" in detail and "23. november 2027" in detail
    assert post(client, f"/godkjenninger/{request.id}", {"approve": "1"},
                token_from=f"/godkjenninger/{request.id}").status_code == 302
    assert lindas.state == "notice_given" and lindas.notice_by == "municipality"
    assert (lindas.notice_date, lindas.notice_effective) == (date(2026, 11, 23), date(2027, 11, 23))
    assert "23. november 2027" in client.get(f"/saker/{lindas.id}").get_data(as_text=True)
    assert "23.11.2027" in client.get("/saker/").get_data(as_text=True)


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


@pytest.mark.parametrize("notice_date, effective", [
    (date(2028, 2, 29), date(2029, 2, 28)),
    (date(2030, 3, 1), date(2030, 12, 31)),
], ids=["leap-day", "capped-at-agreement-end"])
def test_membership_ends_on_the_effective_date_and_not_before(app, orgs, adviser, lindas, notice_date, effective):
    signer = factories.user("signatory", organisation=orgs["Lindås"])
    with clock.pinned(notice_date):
        request = agreements.give_notice(lindas, signer, notice_date=notice_date, reason=None)
        workflow.approve(request, adviser)
        db.session.commit()
    assert lindas.notice_effective == effective
    day_before = effective - timedelta(days=1)
    with clock.pinned(day_before):
        tick.run(day_before)
    assert lindas.state == "notice_given"
    with clock.pinned(effective):
        tick.run(effective)
    assert lindas.state == "terminated"


def test_notice_withdrawn_by_agreement_returns_to_active(app, orgs, adviser, lindas):
    signer = factories.user("signatory", organisation=orgs["Lindås"])
    workflow.approve(agreements.give_notice(lindas, signer, notice_date=date(2026, 11, 23), reason=None), adviser)
    request = workflow.perform(lindas, "withdraw_notice", signer, comment="Enige om å fortsette.")
    workflow.approve(request, adviser)
    db.session.commit()
    assert lindas.state == "active" and lindas.notice_date is None and lindas.notice_effective is None


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
    assert message.subject == "Oppsigelse av samarbeidsavtalen: Lindås kommune"
    giver_name = "Lindås kommune" if party == "municipality" else "Bergen kommune"
    assert f"{giver_name} har gitt skriftlig oppsigelse" in message.body_text
    for fact in ("23.11.2026", "23. november 2027", "Begrunnelse: Vedtak i kommunestyret.",
                 f"http://kk.test/saker/{lindas.id}"):
        assert fact in message.body_text
