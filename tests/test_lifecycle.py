"""The lifecycle engine: roles, approvals, one audit event per change, rollback, the clock, as-of."""
from datetime import date

import pytest
from sqlalchemy import func, select, text

from app import clock
from app.extensions import db
from app.models import AuditEvent, MembershipCase, TransitionRequest
from app.services import ServiceError, audit, cases, tick, workflow
from tests import factories


@pytest.fixture
def people(orgs):
    people = {
        "adviser": factories.user("adviser", organisation=orgs["Bergen"]),
        "adviser2": factories.user("adviser", organisation=orgs["Bergen"]),
        "host_signer": factories.user("signatory", organisation=orgs["Bergen"]),
        "lindas_contact": factories.user("municipality_contact", organisation=orgs["Lindås"]),
        "lindas_signer": factories.user("signatory", organisation=orgs["Lindås"]),
        "voss_contact": factories.user("municipality_contact", organisation=orgs["Voss"]),
        "member": factories.user("project_member", organisation=orgs["Lindås"]),
    }
    db.session.commit()
    return people


def moves(lines: list[str]) -> list[str]:
    """The tick's lines about state changes (it also reports its daily tasks)."""
    return [line for line in lines if "→" in line]


def transition_events(case) -> list[AuditEvent]:
    return [e for e in cases.history(case) if e.to_state]


def test_contact_accepts_own_case_and_one_event_is_written(orgs, people):
    case = factories.case(orgs["Lindås"])
    workflow.perform(case, "accept", people["lindas_contact"], comment="Vi blir med.")
    db.session.commit()
    assert case.state == "accepted"
    last = transition_events(case)[-1]
    assert (last.actor_id, last.action, last.from_state, last.to_state, last.comment) == \
        (people["lindas_contact"].id, "membership.accept", "invited", "accepted", "Vi blir med.")


@pytest.mark.parametrize("who,trigger,message", [
    ("voss_contact", "accept", "Krever rollen"),           # another municipality's contact
    ("member", "accept", "Krever rollen"),                 # no role for this
    ("lindas_contact", "issue_agreement", "Krever rollen"),
    ("adviser", "activate", "ikke mulig"),                 # illegal from invited
])
def test_refusals(orgs, people, who, trigger, message):
    case = factories.case(orgs["Lindås"])
    db.session.commit()
    with pytest.raises(ServiceError, match=message):
        workflow.perform(case, trigger, people[who])
    db.session.rollback()
    assert db.session.get(MembershipCase, case.id).state == "invited"


def test_reply_on_deadline_day_allowed_day_after_refused(app, orgs, people):
    round_ = factories.invitation_round(deadline=date(2026, 11, 23))
    case = factories.case(orgs["Lindås"], round_)
    db.session.commit()
    app.config["TODAY"] = "2026-11-24"
    with pytest.raises(ServiceError, match="Svarfristen har gått ut."):
        workflow.perform(case, "accept", people["lindas_contact"])
    db.session.rollback()
    app.config["TODAY"] = "2026-11-23"
    workflow.perform(case, "accept", people["lindas_contact"])
    assert case.state == "accepted"


def test_late_reply_needs_approval_and_requester_cannot_approve(app, orgs, people):
    case = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 11, 1)))
    db.session.commit()
    request = workflow.perform(case, "accept_late", people["lindas_contact"], comment="Beklager sent svar.")
    db.session.commit()
    assert isinstance(request, TransitionRequest) and case.state == "invited"
    with pytest.raises(ServiceError, match="Bare FoU-rådgiveren"):
        workflow.approve(request, people["lindas_signer"])
    with pytest.raises(ServiceError, match="Venter allerede på godkjenning"):
        workflow.perform(case, "accept_late", people["lindas_contact"])
    workflow.approve(request, people["adviser"], "Godtatt.")
    db.session.commit()
    assert case.state == "accepted"
    event = transition_events(case)[-1]
    assert event.request_id == request.id and event.actor_id == people["adviser"].id


def test_adviser_cannot_approve_own_request(orgs, people):
    case = factories.signed_case(orgs["Lindås"], people["adviser"], people["host_signer"], people["lindas_signer"])
    workflow.perform(case, "activate", people["adviser"])
    workflow.perform(case, "give_notice", people["lindas_signer"], data={"notice_date": "2026-11-23"})
    workflow.approve(workflow.pending_request(case), people["adviser"])
    request = workflow.perform(case, "withdraw_notice", people["adviser"], comment="Enighet om å fortsette.")
    db.session.commit()
    assert workflow.approval_refusal(request, people["adviser"]).startswith("Du sendte inn")
    with pytest.raises(ServiceError, match="Du sendte inn"):
        workflow.approve(request, people["adviser"])
    workflow.approve(request, people["adviser2"])
    assert case.state == "active" and case.notice_date is None


def test_reject_requires_comment_and_leaves_state(orgs, people):
    case = factories.signed_case(orgs["Lindås"], people["adviser"], people["host_signer"], people["lindas_signer"])
    workflow.perform(case, "activate", people["adviser"])
    request = workflow.perform(case, "give_notice", people["lindas_signer"], data={"notice_date": "2026-11-23"})
    with pytest.raises(ServiceError, match="Skriv hvorfor"):
        workflow.reject(request, people["adviser"], "  ")
    workflow.reject(request, people["adviser"], "Oppsigelsen er ikke signert.")
    db.session.commit()
    assert case.state == "active" and request.status == "rejected"


def test_activation_requires_both_signatures(orgs, people):
    case = factories.case(orgs["Lindås"])
    workflow.perform(case, "accept", people["adviser"])
    workflow.perform(case, "issue_agreement", people["adviser"])
    cases.sign(case, "municipality", people["lindas_signer"], name="Olav", title="Rådmann",
                    signed_on=clock.today())
    assert case.state == "agreement_pending"
    with pytest.raises(ServiceError, match="Begge parter må ha signert"):
        workflow.perform(case, "complete_signing", people["adviser"])
    cases.sign(case, "host", people["host_signer"], name="Nina", title="Kommunaldirektør",
                    signed_on=clock.today())
    assert case.state == "signed"
    workflow.perform(case, "activate", people["adviser"])
    assert case.state == "active" and case.agreement_start == clock.today()


def test_failure_after_state_change_rolls_back_state_and_audit(orgs, people, monkeypatch):
    case = factories.case(orgs["Lindås"])
    db.session.commit()
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        workflow.perform(case, "accept", people["lindas_contact"])
    db.session.rollback()
    monkeypatch.undo()
    assert db.session.get(MembershipCase, case.id).state == "invited"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
    assert audit.verify().ok


def test_stale_version_is_a_conflict(orgs, people):
    case = factories.case(orgs["Lindås"])
    db.session.commit()
    assert case.version == 1  # loaded; now someone else moves the row on
    db.session.execute(MembershipCase.__table__.update().values(version=MembershipCase.version + 1))
    with pytest.raises(workflow.Conflict):
        workflow.apply(case, case.workflow.spec("accept"), people["adviser"])


def test_tick_moves_due_cases_once_and_is_idempotent(app, orgs, people):
    round_ = factories.invitation_round(deadline=date(2026, 11, 22))
    late = factories.case(orgs["Lindås"], round_)
    answered = factories.case(orgs["Voss"], round_)
    db.session.commit()
    app.config["TODAY"] = "2026-11-22"
    workflow.perform(answered, "accept", people["voss_contact"])
    db.session.commit()
    assert moves(tick.run(date(2026, 11, 22))) == [] and late.state == "invited"
    app.config["TODAY"] = "2026-11-23"
    assert workflow.due(late).trigger == "expire_reply"
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    lines = moves(tick.run(date(2026, 11, 23)))
    assert lines == ["Lindås – Invitasjon 2026: Invitert → Ikke svart"]
    assert db.session.get(MembershipCase, late.id).state == "no_reply"
    assert db.session.get(MembershipCase, answered.id).state == "accepted"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1
    assert moves(tick.run(date(2026, 11, 23))) == []
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events + 1
    assert transition_events(late)[-1].actor_id is None


def test_notice_ends_the_membership_the_day_after_its_last_day(app, orgs, people):
    case = factories.signed_case(orgs["Lindås"], people["adviser"], people["host_signer"], people["lindas_signer"])
    workflow.perform(case, "activate", people["adviser"])
    request = workflow.perform(case, "give_notice", people["lindas_signer"], data={"notice_date": "2026-11-23"})
    workflow.approve(request, people["adviser"])
    db.session.commit()
    assert case.notice_last_day == date(2027, 11, 23)
    app.config["TODAY"] = "2027-11-23"
    assert moves(tick.run(date(2027, 11, 23))) == [] and case.state == "notice_given"
    app.config["TODAY"] = "2027-11-24"
    tick.run(date(2027, 11, 24))
    assert db.session.get(MembershipCase, case.id).state == "terminated"


def test_agreement_end_expires_active_case(app, orgs, people):
    round_ = factories.invitation_round(agreement_end=date(2026, 12, 31), contribution_from=2026, contribution_to=2026)
    case = factories.signed_case(orgs["Lindås"], people["adviser"], people["host_signer"], people["lindas_signer"],
                                 round_)
    workflow.perform(case, "activate", people["adviser"])
    db.session.commit()
    assert moves(tick.run(date(2026, 12, 31))) == []
    app.config["TODAY"] = "2027-01-01"
    tick.run(date(2027, 1, 1))
    assert db.session.get(MembershipCase, case.id).state == "expired"


def test_state_as_of_past_dates(app, orgs, people):
    app.config["TODAY"] = "2026-11-01"
    case = factories.case(orgs["Lindås"])
    db.session.commit()
    app.config["TODAY"] = "2026-11-10"
    workflow.perform(case, "accept", people["lindas_contact"])
    db.session.commit()
    assert cases.state_on(case, date(2026, 10, 31)) is None
    assert cases.state_on(case, date(2026, 11, 9)) == "invited"
    assert cases.state_on(case, date(2026, 11, 10)) == "accepted"


def test_tick_leaves_sqlite_planner_statistics(app, orgs, people):
    factories.case(orgs["Fjell"])
    db.session.commit()
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's autovacuum keeps its own planner statistics")
    tick.run(date(2026, 11, 23))
    tables = set(db.session.scalars(text("SELECT tbl FROM sqlite_stat1")))
    assert {"membership_case", "organisation"} <= tables
    unsaved = factories.case(orgs["Voss"])  # left in the session by a caller: not committed along with the statistics
    tick.refresh_statistics()
    db.session.rollback()
    assert db.session.get(MembershipCase, unsaved.id) is None
