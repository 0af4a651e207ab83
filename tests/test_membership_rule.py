""""Is a member on day D": the rule in Python (workflows.periods over the audit history) and its SQL form agree on
random histories of membership transitions, and the pages that ask use them."""
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AuditEvent, MembershipCase, Merger, Organisation
from app.services import annual_reports, audit, cases, members, rounds
from tests import factories
from workflows import MEMBERSHIP
from workflows.membership import (ACCEPTED, AGREEMENT_PENDING, DECLINED, INVITED, NO_REPLY, NOTICE_GIVEN,
                                  SIGNED)

ONE_DAY = timedelta(days=1)
# Half the steps take the way to a membership, so most histories have one.
TOWARDS_MEMBERSHIP = {INVITED: "accept", DECLINED: "accept", NO_REPLY: "accept_late", ACCEPTED: "issue_agreement",
                      AGREEMENT_PENDING: "complete_signing", SIGNED: "activate"}
_numbers = itertools.count(1)

steps = st.lists(st.tuples(st.integers(0, 500), st.integers(0, 99), st.dates(date(2017, 1, 1), date(2034, 12, 31))),
                 max_size=14)


def sql_member_on(organisation: Organisation, day: date) -> bool:
    return db.session.scalar(select(members.member_on_sql()).where(Organisation.id == organisation.id),
                             members.on_day(day))


def _walk(case: MembershipCase, day: date, walk: list[tuple[int, int, date]]) -> tuple[set[date], date]:
    """Take the case through the workflow's transitions (not its guards) on the days given; the days that matter,
    and the day of the last transition."""
    days = {day}
    for gap, choice, agreement_end in walk:
        specs = MEMBERSHIP.specs_from(case.state)
        if not specs:
            break
        day += timedelta(days=gap)
        preferred = TOWARDS_MEMBERSHIP.get(case.state)
        spec = MEMBERSHIP.spec(preferred) if preferred and choice < 50 else specs[choice % len(specs)]
        if spec.trigger in ("issue_agreement", "renew"):
            case.agreement_end = agreement_end
        elif spec.trigger == "give_notice":
            case.notice_date = day
        elif spec.trigger == "withdraw_notice":
            case.notice_date = None
        with clock.pinned(day):
            audit.record(None, f"membership.{spec.trigger}", case.audit_type, case.id, from_state=case.state,
                         to_state=spec.dest)
        case.state = spec.dest
        days.add(day)
    for known in (case.end_date, case.notice_last_day):
        if known:
            days.add(known)
    return days, day


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(walk=steps, round_end=st.one_of(st.none(), st.dates(date(2017, 1, 1), date(2030, 12, 31))),
       other_days=st.lists(st.dates(date(2016, 1, 1), date(2036, 12, 31)), max_size=4))
def test_python_and_sql_agree_on_every_day(app, walk, round_end, other_days):
    organisation = Organisation(name=f"Prøvekommune {next(_numbers)}", region="Nordhordland")
    db.session.add(organisation)
    start = date(2016, 10, 3)
    with clock.pinned(start):
        round_ = factories.invitation_round(deadline=date(2016, 11, 1), agreement_end=round_end)
        case = cases.invite(round_, organisation, None)
    days, last_transition = _walk(case, start, walk)
    db.session.commit()
    for day in sorted({d + shift for d in days for shift in (-ONE_DAY, timedelta(0), ONE_DAY)} | set(other_days)):
        assert members.member_on(organisation, day) == sql_member_on(organisation, day), (day, case.state)
    # is_member reads the case's state as it is now, so now is not before the walk's last transition.
    with clock.pinned(max(clock.today(), last_transition)):
        assert members.is_member(organisation) == sql_member_on(organisation, clock.today())


def test_the_sql_form_follows_a_notice_to_its_last_day(orgs):
    """A notice given 29.02.2028 keeps the member to 28.02.2029, whether or not the tick has run."""
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    org = orgs["Lindås"]
    case = factories.member(factories.historic_round(agreement_end=date(2030, 12, 31)), org, adviser)
    with clock.pinned(date(2028, 2, 29)):
        audit.record(None, "membership.give_notice", case.audit_type, case.id, from_state=case.state,
                     to_state=NOTICE_GIVEN)
        case.state, case.notice_date = NOTICE_GIVEN, date(2028, 2, 29)
    db.session.commit()
    on = {day: sql_member_on(org, day) for day in (date(2018, 2, 28), date(2018, 3, 1), date(2029, 2, 28),
                                                  date(2029, 3, 1))}
    assert on == {date(2018, 2, 28): False, date(2018, 3, 1): True, date(2029, 2, 28): True,
                  date(2029, 3, 1): False}
    assert [members.member_on(org, day) for day in on] == list(on.values())


# A walk to active (the agreement to 2030) and on to a renewal, which keeps the municipality a member.
SIGNED_AND_RENEWING = [(10, 0, date(2030, 12, 31))] * 4 + [(30, 50, date(2030, 12, 31))]


def assert_the_member_list_is_the_rule(days: list[date]) -> None:
    """On each day (as today), the member list's SQL forms (`current_cases`, then `former_memberships`)
    name the same municipalities and cases as `memberships`, the rule in Python, in the same order."""
    for day in days:
        with clock.pinned(day):
            python = members.memberships()
            current = [(m.organisation.id, m.current.id) for m in python if m.current]
            former = [(m.organisation.id, m.latest.id) for m in python if m.current is None]
            found = members.current_cases()
            assert [(org_id, case_id) for case_id, org_id in found] == current, day
            assert [(m.organisation.id, m.latest.id)
                    for m in members.former_memberships([org_id for _, org_id in found])] == former, day
            assert_one_read_is_the_rule()


def assert_one_read_is_the_rule() -> None:
    """For each municipality with a case, the membership page's one read (`membership_and_days`) gives what
    `memberships`, `membership_days` and `member_periods` of each of its cases give read apart."""
    for organisation in db.session.scalars(select(Organisation).where(
            Organisation.id.in_(select(MembershipCase.organisation_id)))):
        membership, days = members.membership_and_days(organisation)
        apart = next(iter(members.memberships(organisation)), None)
        assert (membership and (membership.latest, membership.current)) == \
            (apart and (apart.latest, apart.current)), organisation.name
        assert days == members.membership_days(organisation), organisation.name
        of_cases = members.membership_of(rounds.cases_of(organisation.id))
        assert (of_cases and (of_cases.latest, of_cases.current, of_cases.periods)) == \
            (apart and (apart.latest, apart.current, apart.periods)), organisation.name
        for case in db.session.scalars(select(MembershipCase).where(MembershipCase.organisation_id == organisation.id)):
            assert members.periods_of(membership, case) == members.member_periods(case), (organisation.name, case.id)


def assert_answering_is_the_rule(years: list[int]) -> None:
    """`answering_ids` (the database where the year's first day settles it) names, for each year, the holders the
    membership periods give (`membership_days`, the rule in Python), also when read for one organisation, and
    the same whether the years are read at once or one by one."""
    in_python = members._holders_in(members.membership_days(), years)
    found = members.answering_ids(years)
    assert {year: {o.id for o in holders} for year, holders in in_python.items()} == found
    assert {year: members.answering_ids([year])[year] for year in years} == found
    for organisation in {o for holders in in_python.values() for o in holders}:
        assert {year: bool(asked) for year, asked in members.answering(years, organisation).items()} == \
            {year: organisation.id in found[year] for year in years}


def assert_the_years_in_sql_are_the_rule(years: list[int]) -> None:
    """The annual report's members on the year's first and last day (`members_on`) and who joined or left in it
    (from `membership_days_around`) are those the periods of every case give (`membership_days`)."""
    days = members.membership_days()
    for year in years:
        first, last = date(year, 1, 1), date(year, 12, 31)
        on = members.members_on([first, last])
        assert on == {day: {holder.id for holder, _, period in days if period.covers(day)} for day in (first, last)}
        mergers = list(db.session.scalars(select(Merger).where(Merger.first_day.between(first, last))))
        assert annual_reports.changes(year, members.membership_days_around(first, last), mergers) == \
            annual_reports.changes(year, days, mergers), year


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(walks=st.lists(steps, min_size=1, max_size=3), later=st.integers(0, 4000))
@example(walks=[SIGNED_AND_RENEWING], later=0)
@example(walks=[SIGNED_AND_RENEWING, [(20, 0, date(2030, 12, 31))] * 4], later=0)  # two current: the newer
def test_the_member_list_and_who_answers_in_sql_are_the_rule_in_python(app, walks, later):
    """Up to three cases of one municipality (and those of the examples before), each taken on its own walk."""
    organisation = Organisation(name=f"Prøvekommune {next(_numbers)}", region="Nordhordland")
    db.session.add(organisation)
    for n, walk in enumerate(walks):
        start = date(2016, 10, 3) + timedelta(days=n)
        with clock.pinned(start):
            round_ = factories.invitation_round(deadline=date(2016, 11, 1), agreement_end=date(2025, 12, 31))
            # Not cases.invite, which refuses a second open case: the rule is defined for any histories.
            case = MembershipCase(round=round_, organisation=organisation, state=INVITED, state_since=clock.now())
            db.session.add(case)
            db.session.flush()
            audit.record(None, "membership.invite", case.audit_type, case.id, to_state=INVITED)
        _walk(case, start, walk)
    db.session.commit()
    # Today is never before a transition (those of the examples before this one included).
    last = db.session.scalar(select(func.max(AuditEvent.at))).astimezone(clock.OSLO).date()
    for today in (max(clock.today(), last), last + timedelta(days=later)):
        assert_the_member_list_is_the_rule([today])
        with clock.pinned(today):
            assert_answering_is_the_rule(list(range(2016, today.year + 1)))
            assert_the_years_in_sql_are_the_rule(list(range(2016, today.year + 1)))


# (notice date, registered on, today, the membership's last day)
NOTICES = [
    # registered two years late: active, so a member, until the day before
    (date(2025, 3, 15), date(2027, 6, 1), date(2027, 6, 2), date(2027, 5, 31)),
    # its year ends on the last day of 2026, and the tick has not run yet
    (date(2025, 12, 31), date(2025, 12, 31), date(2026, 12, 31), date(2026, 12, 31)),
]


@pytest.mark.parametrize("notice_date, registered, today, last_day", NOTICES)
def test_the_annual_report_in_sql_ends_a_membership_when_the_notice_says(orgs, notice_date, registered, today,
                                                                          last_day):
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = factories.member(factories.historic_round(agreement_end=date(2030, 12, 31)), orgs["Lindås"], adviser)
    with clock.pinned(registered):
        audit.record(None, "membership.give_notice", case.audit_type, case.id, from_state=case.state,
                     to_state=NOTICE_GIVEN)
        case.state, case.notice_date = NOTICE_GIVEN, notice_date
    db.session.commit()
    with clock.pinned(today):
        assert members.member_periods(case)[-1].last == last_day
        assert_the_years_in_sql_are_the_rule(list(range(2024, today.year + 1)))
