"""Two people on the same case at once: exactly one wins, the rest get a clean conflict."""
import threading
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (AuditEvent, MembershipCase, Organisation, OutboxMessage, Representative, TransitionRequest,
                        User)
from app.services import Conflict, audit, reminders, representatives, tick, workflow
from tests import factories
from workflows.representative import HOLDING

DONE, CONFLICT = "done", "conflict"


def run_in_threads(app, count: int, work) -> list[str]:
    """Run work(i) in `count` threads started together, each in its own app context and session.

    Each thread ends DONE (committed) or CONFLICT (refused with Conflict, rolled back). Any other exception in a
    thread is raised here, so it fails the test with that thread's traceback.
    """
    barrier, outcomes = threading.Barrier(count, timeout=30), [None] * count

    def target(i):
        try:
            with app.app_context():
                try:
                    barrier.wait()
                    work(i)
                    db.session.commit()
                    outcomes[i] = DONE
                except Conflict:
                    db.session.rollback()
                    outcomes[i] = CONFLICT
                finally:
                    db.session.remove()
        except Exception as error:
            outcomes[i] = error
            barrier.abort()  # the others stop waiting for this one

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish within a minute"
    db.session.expire_all()  # the test's own session reads what the threads wrote
    errors = [o for o in outcomes if isinstance(o, Exception)]
    errors.sort(key=lambda error: isinstance(error, threading.BrokenBarrierError))  # the cause before the waiters
    if errors:
        raise errors[0]
    assert all(outcome in (DONE, CONFLICT) for outcome in outcomes), outcomes
    return outcomes


def test_twenty_advisers_approve_the_same_request_once(app, orgs):
    assert db.engine.dialect.name != "sqlite" or db.engine.url.database  # file-based, shared by threads
    requester = factories.user("municipality_contact", organisation=orgs["Lindås"])
    advisers = [factories.user("adviser", organisation=orgs["Bergen"]).id for _ in range(20)]
    case = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 11, 1)))
    request_id = workflow.perform(case, "accept_late", requester).id
    db.session.commit()
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    # The threads get ids, not the test's objects: reading an expired attribute would use the test's session.
    def approve(i):
        workflow.approve(db.session.get(TransitionRequest, request_id), db.session.get(User, advisers[i]))

    results = run_in_threads(app, 20, approve)
    assert sorted(results) == [CONFLICT] * 19 + [DONE]
    assert db.session.get(MembershipCase, case.id).state == "accepted"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 1
    assert audit.verify().ok


def test_two_people_answer_the_same_case_at_once(app, orgs):
    contacts = [factories.user("municipality_contact", organisation=orgs["Lindås"]).id for _ in range(2)]
    case_id = factories.case(orgs["Lindås"]).id
    db.session.commit()

    def answer(i):
        found = db.session.get(MembershipCase, case_id)
        workflow.perform(found, ("accept", "decline")[i], db.session.get(User, contacts[i]))

    results = run_in_threads(app, 2, answer)
    state = db.session.get(MembershipCase, case_id).state
    transitions = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.object_id == case_id, AuditEvent.action.in_(["membership.accept", "membership.decline"])))
    # Either one wins and the other gets a conflict, or they ran one after the other (accept then decline is legal).
    assert results.count(DONE) == transitions, results
    assert state in ("accepted", "declined") and audit.verify().ok, results


def test_two_ticks_at_once_give_the_same_result_as_one(app, orgs):
    round_ = factories.invitation_round(deadline=date(2026, 11, 1))
    ids = [factories.case(orgs[name], round_).id for name in ("Lindås", "Voss", "Askøy", "Fjell", "Os")]
    db.session.commit()
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))

    lines = []
    assert run_in_threads(app, 2, lambda i: lines.extend(tick.run(date(2026, 11, 23)))) == [DONE, DONE]
    assert len(lines) == 5
    states = db.session.scalars(select(MembershipCase.state).where(MembershipCase.id.in_(ids))).all()
    assert states == ["no_reply"] * 5
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before + 5
    assert audit.verify().ok


PROPOSERS = 12


def test_proposals_for_one_seat_at_once_one_wins(app, orgs, monkeypatch):
    """Every contact checks that the seat is free before any of them writes (the barrier below): exactly one
    proposal holds the seat, and every other proposer gets the conflict page. Twelve, not twenty: each holds a
    pooled connection while it waits, and the pool has fifteen."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    contacts = [factories.user("municipality_contact", organisation=orgs["Lindås"]).id for _ in range(PROPOSERS)]
    factories.member_case(orgs["Lindås"], adviser, activated_on=date(2024, 3, 1))
    db.session.commit()
    lindas = orgs["Lindås"].id
    all_checked, checked = threading.Barrier(PROPOSERS, timeout=30), threading.local()
    clash = representatives._clash

    def check_then_wait(*args, **kwargs):
        found = clash(*args, **kwargs)
        if not getattr(checked, "once", False):
            checked.once = True
            all_checked.wait()
        return found

    monkeypatch.setattr(representatives, "_clash", check_then_wait)

    def propose(i):
        representatives.propose(db.session.get(Organisation, lindas), db.session.get(User, contacts[i]),
                                group="steering", name=f"Leder {i}", email=f"leder{i}@lindas.kommune.no",
                                starts_on=date(2026, 12, 1) + timedelta(days=i))
        return "done"

    results = run_in_threads(app, PROPOSERS, propose)
    assert sorted(results) == ["conflict"] * (PROPOSERS - 1) + ["done"], results
    holding = db.session.scalars(select(Representative).where(Representative.state.in_(HOLDING))).all()
    assert len(holding) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "representative.propose")) == 1
    assert audit.verify().ok


@pytest.mark.postgres
def test_two_ticks_at_once_send_each_reminder_once(app, orgs, monkeypatch):
    """The daily jobs of two ticks run one after the other (each holds a lock until it commits): the second finds
    the first's reminders in the outbox instead of queuing them again (and failing on the outbox's unique key)."""
    round_ = factories.invitation_round(deadline=date(2026, 11, 26))
    for name in ("Lindås", "Voss", "Askøy"):
        factories.case(orgs[name], round_)
        factories.user("municipality_contact", organisation=orgs[name])
    db.session.commit()
    send = reminders.invitation_mail.send

    def slow_send(*args, **kwargs):  # both ticks have read the outbox before either writes to it
        time.sleep(0.3)
        return send(*args, **kwargs)

    monkeypatch.setattr(reminders.invitation_mail, "send", slow_send)
    lines = []
    assert run_in_threads(app, 2, lambda i: lines.extend(tick.run(date(2026, 11, 23)))) == [DONE, DONE]
    assert len([line for line in lines if "påminnelse sendt" in line]) == 3
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.dedupe_key.like("reminder:%"))) == 3


@pytest.mark.postgres
def test_a_second_tick_waits_for_the_first_ones_rows_instead_of_conflicting(app, orgs, monkeypatch):
    """Each tick locks the rows of its chunk as it reads them: the other waits, then reads the states the first left,
    and finds nothing due (no transition refused as a conflict, none rolled back and done one by one)."""
    round_ = factories.invitation_round(deadline=date(2026, 11, 1))
    for name in ("Lindås", "Voss", "Askøy"):
        factories.case(orgs[name], round_)
    db.session.commit()
    apply, conflicts, slowed = workflow.apply, [], threading.local()

    def slow_apply(*args, **kwargs):  # the first tick still holds its chunk when the second reads it
        if not getattr(slowed, "once", False):
            slowed.once = True
            time.sleep(0.5)
        try:
            return apply(*args, **kwargs)
        except Conflict:
            conflicts.append(args[0].id)
            raise

    monkeypatch.setattr(workflow, "apply", slow_apply)
    lines = []
    assert run_in_threads(app, 2, lambda i: lines.extend(tick.run(date(2026, 11, 23)))) == [DONE, DONE]
    assert len([line for line in lines if "→" in line]) == 3 and conflicts == []
