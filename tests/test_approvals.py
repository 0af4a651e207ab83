"""The adviser's approval inbox: exactly the pending requests, oldest first, with age; each approved or rejected on
its confirmation page."""
from datetime import date

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, TransitionRequest
from app.approvals import routes as approvals_routes
from app.services import workflow
from tests import factories
from tests.conftest import post


@pytest.fixture
def late_requests(orgs):
    """Three municipalities answered yes after the deadline: two requests wait, one is already approved."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    round_ = factories.historic_round(created=date(2026, 10, 1), deadline=date(2026, 11, 1))
    requests = {}
    for name, day in (("Osterøy", date(2026, 11, 10)), ("Fedje", date(2026, 11, 20)), ("Gulen", date(2026, 11, 5))):
        case = factories.invited(round_, orgs[name], adviser)
        contact = factories.user("municipality_contact", organisation=orgs[name], name=f"Kontakt i {name}")
        with clock.pinned(day):
            requests[name] = workflow.perform(case, "accept_late", contact, comment=f"{name} vil være med.")
    workflow.approve(requests["Gulen"], adviser)
    db.session.commit()
    return requests


def test_inbox_shows_exactly_the_pending_requests_oldest_first_with_age(client, login, late_requests):
    login("adviser", organisation="Bergen")
    html = client.get("/godkjenninger/").get_data(as_text=True)
    assert "Osterøy" in html and "Fedje" in html and "Gulen" not in html
    assert html.index("Osterøy") < html.index("Fedje")
    assert "13 dager" in html and "3 dager" in html
    assert "Be om å få svare ja etter fristen" in html and "Kontakt i Osterøy" in html
    assert "får status «Takket ja»" in html


@pytest.mark.parametrize("language, ages", [("en", ("13 days", "3 days")), ("nn", ("13 dagar", "3 dagar"))])
def test_the_inbox_says_how_old_a_request_is_in_the_reader_s_language(client, login, late_requests, language, ages):
    adviser = login("adviser", organisation="Bergen")
    adviser.language = language
    db.session.commit()
    html = client.get("/godkjenninger/").get_data(as_text=True)
    assert all(age in html for age in ages) and "dager" not in html


def test_the_inbox_lists_are_read_once_per_content_version(client, login, orgs, late_requests, monkeypatch):
    """The five lists are stored as read: the next visit reads none of them, a request made after a reading is
    listed at once."""
    login("adviser", organisation="Bergen")
    assert "Kontakt i Fedje" in client.get("/godkjenninger/").get_data(as_text=True)
    reads = []
    monkeypatch.setattr(approvals_routes, "_inbox_rows",
                        lambda *pages, read=approvals_routes._inbox_rows: reads.append(1) or read(*pages))
    client.get("/godkjenninger/")
    assert reads == []
    case = workflow.subject_of(late_requests["Fedje"])
    later = factories.invited(case.round, orgs["Voss"])
    contact = factories.user("municipality_contact", organisation=orgs["Voss"], name="Kontakt i Voss")
    with clock.pinned(date(2026, 11, 21)):
        workflow.perform(later, "accept_late", contact, comment="Voss vil være med.")
    db.session.commit()
    assert "Kontakt i Voss" in client.get("/godkjenninger/").get_data(as_text=True)
    assert reads == [1]


def test_only_the_adviser_who_sent_a_request_is_told_so_whoever_reads_the_stored_inbox_first(client, auth, orgs,
                                                                                             late_requests):
    sender, other = (factories.user("adviser", organisation=orgs["Bergen"]) for _ in range(2))
    late_requests["Fedje"].requested_by_id = sender.id
    db.session.commit()
    for adviser, own in ((other, False), (sender, True), (other, False)):
        auth.login(adviser)
        html = client.get("/godkjenninger/").get_data(as_text=True)
        assert ("Du sendte inn denne selv." in html) == own
        assert html.count(">Godkjenn<") == (1 if own else 2)
        auth.logout()


def test_the_inbox_s_paging_links_keep_the_query_string_it_was_read_with(client, login, late_requests, monkeypatch):
    monkeypatch.setattr(approvals_routes, "PER_PAGE", 1)
    login("adviser", organisation="Bergen")
    for query, following in (("", "?page=2"), ("?sort=x", "?sort=x&amp;page=2"), ("", "?page=2")):
        html = client.get(f"/godkjenninger/{query}").get_data(as_text=True)
        assert f'href="/godkjenninger/{following}" rel="next"' in html


@pytest.mark.parametrize("role", ["admin", "municipality_contact", "signatory", "project_member", "steering_member"])
def test_inbox_is_only_for_the_adviser(client, login, late_requests, role):
    login(role)
    assert client.get("/godkjenninger/").status_code == 403
    assert "Godkjenninger" not in client.get("/").get_data(as_text=True)


def test_navigation_badge_counts_pending_requests_for_the_adviser(client, login, late_requests):
    login("adviser", organisation="Bergen")
    html = client.get("/").get_data(as_text=True)
    assert 'aria-label="2 ventende">2</span>' in html


def test_approving_from_the_inbox_applies_the_transition(client, login, late_requests):
    login("adviser", organisation="Bergen")
    request = late_requests["Osterøy"]
    confirm = f"/godkjenninger/{request.id}/godkjenn?page=1"
    assert f'href="{confirm}"' in client.get("/godkjenninger/").get_data(as_text=True)
    page = client.get(confirm).get_data(as_text=True)
    assert "Godkjenne forespørselen?" in page and "Kontakt i Osterøy" in page and "får status «Takket ja»" in page
    assert db.session.get(TransitionRequest, request.id).status == "pending"  # opening the page decides nothing
    response = post(client, confirm, {"comment": "Velkommen!"}, token_from=confirm)
    assert response.status_code == 302
    assert db.session.get(TransitionRequest, request.id).status == "approved"
    case = workflow.subject_of(request)
    assert case.state == "accepted"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.request_id == request.id,
                                                        AuditEvent.to_state == "accepted")).one()
    assert event.comment == "Velkommen!"
    assert "Osterøy" not in client.get("/godkjenninger/").get_data(as_text=True)


def test_rejecting_from_the_inbox_needs_a_reason(client, login, late_requests):
    login("adviser", organisation="Bergen")
    request = late_requests["Fedje"]
    confirm = f"/godkjenninger/{request.id}/avvis"
    response = post(client, confirm, {"comment": " "}, token_from=confirm)
    assert "Skriv hvorfor forespørselen avvises." in response.get_data(as_text=True)
    assert db.session.get(TransitionRequest, request.id).status == "pending"
    assert post(client, confirm, {"comment": "For sent."}, token_from=confirm).status_code == 302
    assert db.session.get(TransitionRequest, request.id).status == "rejected"


def test_inbox_pages_stay_in_range_and_a_decision_returns_to_its_page(client, login, late_requests, monkeypatch):
    monkeypatch.setattr(approvals_routes, "PER_PAGE", 1)
    login("adviser", organisation="Bergen")
    beyond = client.get("/godkjenninger/?page=999").get_data(as_text=True)
    assert "Side 2 av 2" in beyond and "Kontakt i Fedje" in beyond  # the last page, not an empty one
    fedje = late_requests["Fedje"]
    confirm = f"/godkjenninger/{fedje.id}/godkjenn?page=2"
    assert f'href="{confirm}"' in beyond
    response = post(client, confirm, token_from=confirm)
    assert response.headers["Location"].endswith("/godkjenninger/?page=2")
    emptied = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kontakt i Osterøy" in emptied and "Ingen forespørsler venter." not in emptied


def test_inbox_pages_each_list_below_the_requests_by_its_own_parameter(client, login, orgs, monkeypatch):
    monkeypatch.setattr(approvals_routes, "SECTION_PER_PAGE", 1)
    factories.user("adviser", organisation=orgs["Bergen"])
    proposer = factories.user("project_member", organisation=orgs["Bergen"])
    for name in ("Første forslag", "Andre forslag"):
        workflow.perform(factories.subgroup(proposer, name=name), "submit", proposer)
    db.session.commit()
    login("adviser", organisation="Bergen")
    first = client.get("/godkjenninger/").get_data(as_text=True)
    assert "Første forslag" in first and "Andre forslag" not in first
    assert "undergrupper=2#subgroups" in first
    second = client.get("/godkjenninger/?undergrupper=2").get_data(as_text=True)
    assert "Andre forslag" in second and "Første forslag" not in second and "Side 2 av 2" in second
