"""Random sequences of requests, decisions and ticks never leave the machine and keep the chain intact."""
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import MembershipCase
from app.services import ServiceError, audit, cases, tick, workflow
from tests import factories
from workflows import MEMBERSHIP

USER_TRIGGERS = [s.trigger for s in MEMBERSHIP.specs if not workflow.is_clock_driven(s)]
ACTORS = ["adviser", "adviser2", "contact", "signer", "host_signer"]
EDGES = {(source, spec.dest) for spec in MEMBERSHIP.specs for source in spec.sources}

operations = st.lists(st.one_of(
    st.tuples(st.just("perform"), st.sampled_from(USER_TRIGGERS), st.sampled_from(ACTORS)),
    st.tuples(st.just("sign"), st.sampled_from(["municipality", "host"]), st.just("")),
    st.tuples(st.sampled_from(["approve", "reject"]), st.just(""), st.sampled_from(ACTORS)),
    st.tuples(st.just("tick"), st.integers(1, 400).map(str), st.just("")),
), max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_sequences_stay_in_the_machine(app, orgs, ops):
    app.config["TODAY"] = "2026-11-01"
    people = {
        "adviser": factories.user("adviser", organisation=orgs["Bergen"]),
        "adviser2": factories.user("adviser", organisation=orgs["Bergen"]),
        "contact": factories.user("municipality_contact", organisation=orgs["Lindås"]),
        "signer": factories.user("signatory", organisation=orgs["Lindås"]),
        "host_signer": factories.user("signatory", organisation=orgs["Bergen"]),
    }
    factories.end_agreements(orgs["Lindås"], people["adviser"])  # what an earlier example left open
    case = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 11, 20),
                                                                     agreement_end=date(2027, 12, 31)))
    db.session.commit()
    today = date(2026, 11, 1)
    for kind, arg, who in ops:
        try:
            if kind == "perform":
                workflow.perform(case, arg, people[who], comment="Kommentar.",
                                 data={"notice_date": today.isoformat()} if arg == "give_notice" else None)
            elif kind == "sign":
                signer = people["signer" if arg == "municipality" else "host_signer"]
                cases.sign(case, arg, signer, name=signer.name, title="Tittel", signed_on=today)
            elif kind in ("approve", "reject") and (pending := workflow.pending_request(case)):
                if kind == "approve":
                    workflow.approve(pending, people[who])
                else:
                    workflow.reject(pending, people[who], "Nei.")
            elif kind == "tick":
                today += timedelta(days=int(arg))
                app.config["TODAY"] = today
                tick.run(today)
            db.session.commit()
        except ServiceError:
            db.session.rollback()
        case = db.session.get(MembershipCase, case.id)
        assert case.state in MEMBERSHIP.states
    steps = [(e.from_state, e.to_state) for e in cases.history(case) if e.from_state]
    assert all(step in EDGES for step in steps), steps
    assert audit.verify().ok
