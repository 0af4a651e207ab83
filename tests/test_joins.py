"""A municipality not in an open round asks to join on a public form (agreement §1): the request is confirmed by a
link sent to its official mailbox (a page, then a POST, once, for a week), rate-limited; the adviser decides or
records the steering group's decision, and the case continues as an accepted invitation."""
import hashlib
import itertools
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.logs import clean
from app.models import AuditEvent, JoinRequest, MembershipCase, Organisation, OrganisationSuccession, OutboxMessage
from app.models.organisation import MUNICIPALITY
from app.services import cases, joins, mail
from tests import factories
from workflows import MEMBERSHIP
from tests.conftest import post
from tests.test_password_links import _received

MAILBOX = "postmottak@vaksdal.kommune.no"


@pytest.fixture
def vaksdal(orgs):
    orgs["Vaksdal"].mailbox = MAILBOX
    db.session.commit()
    return orgs["Vaksdal"]


def _ask(client, organisation, **overrides):
    return post(client, "/bli-med", {"organisation_id": organisation.id, "name": "Kari Nordmann",
                                     "title": "Kommunedirektør", "email": "kari@vaksdal.kommune.no", **overrides},
                token_from="/bli-med")


def _link(smtp) -> str:  # noqa: F811
    assert mail.send_pending() == (1, 0)
    [path] = set(re.findall(r"http://kk\.test(/bli-med/bekreft/[^\s\"<]+)", _received(smtp)))
    return path


def test_a_municipality_asks_confirms_and_is_accepted_by_the_steering_group(app, client, vaksdal, orgs, smtp,  # noqa: F811
                                                                             login):
    factories.active_case(orgs["Lindås"], by=factories.adviser(orgs["Bergen"]))
    db.session.commit()
    form = client.get("/bli-med").get_data(as_text=True)
    assert f'value="{vaksdal.id}"' in form and f'value="{orgs["Lindås"].id}"' not in form
    response = _ask(client, vaksdal)
    assert response.status_code == 302 and response.headers["Location"] == "/bli-med/sendt"
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == MAILBOX))
    assert "[lenke for å svare]" in message.body_text
    path = _link(smtp)
    found = db.session.scalar(select(JoinRequest))
    assert found.link.token_hash == hashlib.sha256(path.rsplit("/", 1)[1].encode()).hexdigest()
    browser = app.test_client()
    for _ in range(2):  # opening the link changes nothing
        assert "Bekreft forespørselen" in browser.get(path).get_data(as_text=True)
    assert db.session.get(JoinRequest, found.id).link.used_at is None
    assert "Forespørselen er bekreftet" in post(browser, path, token_from=path).get_data(as_text=True)
    assert browser.get(path).status_code == 404  # used once
    login("adviser", organisation="Bergen")
    assert '<span translate="no">Kari Nordmann</span>, <span translate="no">Kommunedirektør</span>' in client.get("/godkjenninger/").get_data(as_text=True)
    page = f"/godkjenninger/innmelding/{found.id}"
    decided = post(client, page, {"decision": "accept", "decided_by": "steering_group", "decided_on": "2026-11-20",
                                  "comment": "Vedtatt i styringsgruppen."}, token_from=page)
    assert decided.status_code == 302
    found = db.session.get(JoinRequest, found.id)
    case = found.case
    assert decided.headers["Location"] == f"/saker/{case.id}"
    assert (case.organisation_id, case.state, case.round.title) == (vaksdal.id, "accepted", "Innmelding Vaksdal 2026")
    assert (found.decided_by, str(found.decided_on)) == ("steering_group", "2026-11-20")
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == case.id,
                                                                       AuditEvent.object_type == "membership_case")
                                  .order_by(AuditEvent.seq)))
    assert actions == ["membership.invite", "membership.accept"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "join.decide")).data
    assert f'value="{vaksdal.id}"' not in client.get("/bli-med").get_data(as_text=True)  # an open case now


def test_a_declined_request_needs_a_reason_and_opens_no_case(app, client, vaksdal, smtp, login):  # noqa: F811
    _ask(client, vaksdal)
    path = _link(smtp)
    browser = app.test_client()
    post(browser, path, token_from=path)
    login("adviser", organisation="Bergen")
    found = db.session.scalar(select(JoinRequest))
    page = f"/godkjenninger/innmelding/{found.id}"
    refused = post(client, page, {"decision": "decline", "decided_by": "adviser"}, token_from=page)
    assert "Skriv hvorfor forespørselen avslås." in refused.get_data(as_text=True)
    post(client, page, {"decision": "decline", "decided_by": "adviser", "comment": "Ikke i regionen."},
         token_from=page)
    assert db.session.get(JoinRequest, found.id).decision == "declined"
    assert db.session.scalar(select(func.count()).select_from(MembershipCase)) == 0


def test_the_confirmation_link_expires(app, client, vaksdal, smtp):  # noqa: F811
    _ask(client, vaksdal)
    path = _link(smtp)
    app.config["TODAY"] = "2026-12-01"  # eight days on
    page = app.test_client().get(path)
    assert page.status_code == 404 and "Lenken er utløpt" in page.get_data(as_text=True)


def test_requests_are_rate_limited(app, client, vaksdal):
    for _ in range(app.config["JOIN_REQUESTS"]):
        assert _ask(client, vaksdal).status_code == 302
    refused = _ask(client, vaksdal)
    assert "For mange forespørsler" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(JoinRequest)) == app.config["JOIN_REQUESTS"]


def test_a_municipality_without_a_mailbox_is_told_whom_to_ask(client, orgs):
    response = _ask(client, orgs["Vaksdal"])
    assert "har ingen registrert postmottaksadresse" in response.get_data(as_text=True)


def test_the_logs_hide_the_token():
    assert clean("GET /bli-med/bekreft/hemmelig HTTP/1.1") == "GET /bli-med/bekreft/[skjult] HTTP/1.1"


JOIN_LINK = re.compile(r'<a href="/bli-med">Be om å bli med</a>')


@pytest.mark.parametrize("path", ["/login", "/personvern", "/tilgjengelighet", "/passord/velg", "/finnes-ikke"])
def test_the_public_pages_link_to_the_join_request_once(client, path):
    assert len(JOIN_LINK.findall(client.get(path).get_data(as_text=True))) == 1


def test_the_join_pages_and_signed_in_pages_do_not(client, login):
    assert not JOIN_LINK.search(client.get("/bli-med").get_data(as_text=True))
    login("adviser", organisation="Bergen")
    assert not JOIN_LINK.search(client.get("/personvern").get_data(as_text=True))


_numbers = itertools.count(1)
# An organisation of the example: its case (state, days from today to the round's deadline, to its own deadline or
# None, from today to when it reached the state) or None, days from today to its last day or None, and the index of
# its successor among the example's organisations or None.
examples = st.lists(st.tuples(
    st.one_of(st.none(), st.tuples(st.sampled_from(list(MEMBERSHIP.states)), st.integers(-3, 3),
                                   st.one_of(st.none(), st.integers(-3, 3)), st.integers(-2, 1))),
    st.one_of(st.none(), st.integers(-2, 2)), st.one_of(st.none(), st.integers(0, 5))), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(found=examples)
def test_who_may_join_in_sql_is_the_rule_of_refusals(app, found):
    """joins.joinable (cases.may_be_invited_sql) offers exactly the municipalities cases.refusals does not refuse."""
    today, now = clock.today(), clock.now()
    made = []
    for case, last_day, _ in found:
        org = Organisation(name=f"Prøvekommune {next(_numbers)}", kind=MUNICIPALITY, region="Nordhordland",
                           active_to=today + timedelta(days=last_day) if last_day is not None else None)
        db.session.add(org)
        if case is not None:
            state, deadline, own, since = case
            round_ = factories.invitation_round(deadline=today + timedelta(days=deadline))
            db.session.add(MembershipCase(
                round=round_, organisation=org, state=state, state_since=now + timedelta(days=since),
                deadline_override=today + timedelta(days=own) if own is not None else None))
        made.append(org)
    db.session.flush()
    for org, (_, _, successor) in zip(made, found):
        if successor is not None and made[successor % len(made)] is not org:
            db.session.add(OrganisationSuccession(predecessor_id=org.id, successor_id=made[successor % len(made)].id,
                                                  first_day=today))
    db.session.commit()
    candidates = [o for o in db.session.scalars(select(Organisation).where(
        Organisation.kind == MUNICIPALITY, Organisation.is_host.is_(False))) if (o.active_from or today) <= today]
    refused = cases.refusals(candidates, today)
    assert sorted(o.id for o in joins.joinable(today)) == sorted(o.id for o in candidates if o.id not in refused)
