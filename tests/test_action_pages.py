"""A step with a page of its own is taken there only, over every transition of every workflow: the generic action
route sends such a step to its page and changes nothing, takes every other step a person takes, and refuses the
steps the app takes itself (the clock's, the automatic ones)."""
from dataclasses import replace
from datetime import date
from types import MappingProxyType

import pytest
from flask import url_for
from sqlalchemy import func, select

from app.extensions import db
from app.models import TransitionRequest
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import agreements, cases, cost_keys, representatives, workflow
from app.wiring import WIRING
from tests import factories
from tests.conftest import post
from workflows import MEMBERSHIP, WORKFLOWS
from workflows.key_shares import PERCENT

# Every transition of every workflow: the state its object is brought to, and who takes the step there.
STEPS = {
    ("membership", "accept"): ("invited", "contact"),
    ("membership", "decline"): ("invited", "contact"),
    ("membership", "accept_late"): ("late", "contact"),
    ("membership", "decline_late"): ("late", "adviser"),
    ("membership", "expire_reply"): ("late", "adviser"),
    ("membership", "reopen"): ("no_reply", "adviser"),
    ("membership", "withdraw"): ("invited", "adviser"),
    ("membership", "issue_agreement"): ("accepted", "adviser"),
    ("membership", "complete_signing"): ("agreement_pending", "signatory"),
    ("membership", "decline_signing"): ("agreement_pending", "signatory"),
    ("membership", "activate"): ("signed", "adviser"),
    ("membership", "give_notice"): ("active", "signatory"),
    ("membership", "withdraw_notice"): ("notice_given", "adviser"),
    ("membership", "terminate"): ("notice_given", "adviser"),
    ("membership", "expire"): ("active", "adviser"),
    ("membership", "renew"): ("active", "adviser"),
    ("membership", "end_by_merger"): ("active", "adviser"),
    ("subgroup", "submit"): ("draft", "kari"),
    ("subgroup", "second"): ("submitted", "siri"),
    ("subgroup", "approve"): ("seconded", "adviser"),
    ("subgroup", "reject"): ("submitted", "adviser"),
    ("subgroup", "return_for_changes"): ("submitted", "adviser"),
    ("subgroup", "establish"): ("approved", "adviser"),
    ("subgroup", "close"): ("established", "kari"),
    ("representative", "register"): ("proposed", "adviser"),
    ("representative", "approve"): ("proposed", "adviser"),
    ("representative", "reject"): ("proposed", "adviser"),
    ("representative", "withdraw"): ("proposed", "contact"),
    ("representative", "lapse"): ("proposed", "adviser"),
    ("cost_key", "submit"): ("draft", "adviser"),
    ("cost_key", "return_for_changes"): ("submitted", "steering"),
    ("cost_key", "decide"): ("submitted", "steering"),
    # News has no generic action route: the adviser takes each step on the news pages (app/news), confirmed there.
    ("news", "publish"): ("draft", None),
    ("news", "unpublish"): ("published", None),
    ("news", "discard"): ("draft", None),
    # Nor have the minutes: the adviser takes each step on the meeting's pages (app/meetings), confirmed there.
    ("minutes", "submit"): ("draft", None),
    ("minutes", "approve"): ("submitted", None),
    ("minutes", "return_for_correction"): ("submitted", None),
    # A conference registration has no generic action route: the conference service takes every step itself.
    ("conference_registration", "confirm"): ("registered", None),
    ("conference_registration", "waitlist"): ("registered", None),
    ("conference_registration", "move_up"): ("waitlisted", None),
    ("conference_registration", "cancel"): ("confirmed", None),
    ("conference_registration", "attend"): ("confirmed", None),
    ("conference_registration", "mark_absent"): ("confirmed", None),
}
# Where each workflow's steps are posted when they have no page of their own, and the object's id as pages take it.
GENERIC = {"membership": ("/saker/{id}/handling/{trigger}", "case_id"),
           "subgroup": ("/undergrupper/{id}/handling/{trigger}", "subgroup_id"),
           "representative": ("/medlemskap/representanter/{id}/handling/{trigger}", "rep_id"),
           "cost_key": ("/okonomi/fordelingsnokkel/{id}/handling/{trigger}", "key_id")}
FORM = {"comment": "Begrunnelse.", "decided_on": "2026-11-20"}
# Written by signing in and by reading (a page's stored copy, app/views.py: stored), never by a refused step.
READ_BOOKKEEPING = {"login_session", "login_attempt", "stored_document", "rendered_pdf"}


def _apps_own(key) -> bool:
    spec = WORKFLOWS[key[0]].spec(key[1])
    return spec.automatic or workflow.is_clock_driven(spec)


PERSON_STEPS = [key for key in STEPS if not _apps_own(key) and key[0] in GENERIC]


@pytest.fixture
def people(orgs):
    made = {"adviser": factories.user("adviser", organisation=orgs["Bergen"]),
            "contact": factories.user("municipality_contact", organisation=orgs["Lindås"]),
            "signatory": factories.user("signatory", organisation=orgs["Lindås"]),
            "kari": factories.user("project_member", organisation=orgs["Lindås"]),
            "siri": factories.user("project_member", organisation=orgs["Voss"]),
            "steering": factories.user("steering_member", organisation=orgs["Helse Bergen"])}
    db.session.commit()
    return made


def _case(state: str, orgs, people):
    lindas, adviser = orgs["Lindås"], people["adviser"]
    if state in ("invited", "late", "no_reply"):
        deadline = date(2026, 12, 31) if state == "invited" else date(2026, 11, 1)
        case = factories.case(lindas, factories.invitation_round(deadline=deadline), adviser)
        if state == "no_reply":
            workflow.apply(case, MEMBERSHIP.spec("expire_reply"), None)
        return case
    if state == "accepted":
        return factories.accepted_case(lindas, by=adviser)
    if state in ("agreement_pending", "signed"):
        case = factories.issued_case(lindas, by=adviser)
        if state == "signed":
            for party in (MUNICIPALITY_PARTY, HOST_PARTY):
                cases.sign(case, party, adviser, name="Signert Person", title="Rådmann", signed_on=date(2026, 11, 23))
        return case
    case = factories.active_case(lindas, by=adviser)
    if state == "notice_given":
        request = agreements.give_notice(case, people["signatory"], notice_date=date(2026, 11, 23), reason=None)
        workflow.approve(request, adviser)
    return case


def _subgroup(state: str, people):
    kari, siri, adviser = people["kari"], people["siri"], people["adviser"]
    subgroup = factories.subgroup(kari)
    path = [("submit", kari), ("second", siri), ("approve", adviser), ("establish", adviser)]
    steps = {"draft": 0, "submitted": 1, "seconded": 2, "approved": 3, "established": 4}[state]
    for trigger, actor in path[:steps]:
        workflow.perform(subgroup, trigger, actor)
    return subgroup


def _representative(orgs, people):
    factories.member_case(orgs["Lindås"], people["adviser"], activated_on=date(2025, 3, 1))
    return representatives.propose(orgs["Lindås"], people["contact"], group="project", name="Per Lid",
                                   email="per.lid@lindas.kommune.no", starts_on=date(2026, 1, 1))


def _cost_key(state: str, orgs, people):
    bergen = orgs["Bergen"]
    key = cost_keys.create(cost_keys.KeyDraft(2027, 2029, 1_000_000, PERCENT, bergen.id, {bergen.id: 10_000}),
                           people["adviser"])
    if state == "submitted":
        workflow.perform(key, "submit", people["adviser"])
    return key


def _reach(key, orgs, people):
    """The object of the step's workflow in the state the step starts from, the person taking it and the generic
    route's address for it."""
    state, who = STEPS[key]
    name, trigger = key
    obj = {"membership": lambda: _case(state, orgs, people), "subgroup": lambda: _subgroup(state, people),
           "representative": lambda: _representative(orgs, people),
           "cost_key": lambda: _cost_key(state, orgs, people)}[name]()
    db.session.commit()
    assert obj.state == state or (state == "late" and obj.state == "invited")
    return obj, people[who], GENERIC[name][0].format(id=obj.id, trigger=trigger)


def _snapshot() -> dict:
    return {t.name: db.session.execute(select(t).order_by(*t.primary_key.columns)).all()
            for t in db.metadata.sorted_tables if t.name not in READ_BOOKKEEPING}


def _post(client, key, path):
    return post(client, path, FORM)


def test_the_table_above_holds_every_transition_of_every_workflow():
    assert set(STEPS) == {(wf.name, spec.trigger) for wf in WORKFLOWS.values() for spec in wf.specs}


@pytest.mark.parametrize("key", PERSON_STEPS, ids=".".join)
def test_a_step_with_a_page_of_its_own_is_never_taken_on_the_generic_route(app, client, auth, orgs, people,
                                                                           monkeypatch, key):
    """For a step in the wiring's action_pages as it is, and for every other step given a page for the test: the
    generic route sends a GET and a POST there, and the POST changes nothing."""
    obj, actor, path = _reach(key, orgs, people)
    spec = obj.workflow.spec(key[1])
    assert workflow.refusal(obj, spec, actor) is None  # the step is the actor's to take now, but not here
    endpoint = WIRING.action_pages.get(key)
    if endpoint is None:
        endpoint = "main.home"
        monkeypatch.setitem(app.extensions, "wiring",
                            replace(WIRING, action_pages=MappingProxyType({key: endpoint})))
    with app.test_request_context():
        page = url_for(endpoint, **{GENERIC[key[0]][1]: obj.id})
    auth.login(actor)
    before = _snapshot()
    response = _post(client, key, path)
    assert (response.status_code, response.headers["Location"]) == (303, page)
    assert _snapshot() == before
    assert f"«{spec.label}» gjøres på denne siden. Ingenting er endret ennå." in client.get(page).get_data(
        as_text=True)
    assert client.get(path).headers["Location"] == page


@pytest.mark.parametrize("key", [key for key in PERSON_STEPS if key not in WIRING.action_pages], ids=".".join)
def test_every_other_step_a_person_takes_is_taken_on_the_generic_route(app, client, auth, orgs, people, key):
    obj, actor, path = _reach(key, orgs, people)
    spec = obj.workflow.spec(key[1])
    auth.login(actor)
    assert _post(client, key, path).status_code == 302
    db.session.refresh(obj)
    if spec.needs_approval:
        assert db.session.scalar(select(func.count()).select_from(TransitionRequest).where(
            TransitionRequest.object_id == obj.id, TransitionRequest.trigger == spec.trigger,
            TransitionRequest.status == "pending")) == 1
    else:
        assert obj.state == spec.dest


def test_a_workflow_without_a_generic_route_has_only_steps_the_app_takes_itself(app):
    without = {name for name, _trigger in STEPS} - set(GENERIC)
    assert without == {"conference_registration", "news", "minutes"}
    assert all(_apps_own(key) for key in STEPS if key[0] == "conference_registration")
    assert not [rule for rule in app.url_map.iter_rules() if "/handling/" in rule.rule and "konferans" in rule.rule]


@pytest.mark.parametrize("key", [key for key in STEPS if _apps_own(key) and key[0] in GENERIC], ids=".".join)
def test_the_steps_the_app_takes_itself_have_no_page_and_are_refused_on_the_generic_route(client, auth, orgs, people,
                                                                                          key):
    obj, actor, path = _reach(key, orgs, people)
    assert key not in WIRING.action_pages
    auth.login(actor)
    before = _snapshot()
    assert _post(client, key, path).status_code in (403, 409)
    assert _snapshot() == before
