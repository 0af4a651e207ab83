"""The one rule of membership days, from a case's state history and its last days."""
from datetime import date, timedelta

import pytest

from workflows import notice_last_day
from workflows.membership import (ACCEPTED, ACTIVE, AGREEMENT_PENDING, EXPIRED, INVITED, NOTICE_GIVEN, SIGNED,
                                  TERMINATED)
from workflows.periods import Facts, Period, Segment, member_periods, segments

TODAY = date(2030, 6, 1)
JOINED = [(date(2016, 10, 3), INVITED), (date(2016, 10, 20), ACCEPTED), (date(2017, 1, 10), AGREEMENT_PENDING),
          (date(2017, 2, 1), SIGNED), (date(2017, 2, 2), ACTIVE)]


def _periods(events, state=None, agreement_last_day=None, notice=None, today=TODAY):
    state = state or events[-1][1]
    facts = Facts(state, agreement_last_day, notice_last_day(notice, agreement_last_day) if notice else None)
    return member_periods(events, facts, today)


@pytest.mark.parametrize("notice, agreement_last_day, last_day, ended_on", [
    (date(2028, 2, 29), date(2030, 12, 31), date(2029, 2, 28), date(2029, 3, 1)),
    (date(2026, 6, 1), date(2026, 12, 31), date(2026, 12, 31), date(2027, 1, 1)),
    (date(2025, 12, 31), date(2026, 12, 31), date(2026, 12, 31), date(2027, 1, 1)),
    (date(2026, 3, 15), date(2030, 12, 31), date(2027, 3, 15), date(2027, 3, 16)),
], ids=["leap-day", "capped-at-year-end", "year-end-exactly-a-year", "uncapped"])
def test_a_notice_keeps_the_member_to_its_last_day(notice, agreement_last_day, last_day, ended_on):
    in_notice = JOINED + [(notice, NOTICE_GIVEN)]
    assert _periods(in_notice, agreement_last_day=agreement_last_day, notice=notice) == [
        (date(2017, 2, 2), last_day)]
    for tick_ran in (ended_on, ended_on + timedelta(days=30)):
        ended = in_notice + [(tick_ran, TERMINATED)]
        assert _periods(ended, agreement_last_day=agreement_last_day, notice=notice) == [
            (date(2017, 2, 2), last_day)], "a late tick does not lengthen the membership"


def test_before_the_tick_the_day_after_the_last_day_is_no_membership_day():
    notice = date(2026, 3, 15)
    found = segments(JOINED + [(notice, NOTICE_GIVEN)], Facts(NOTICE_GIVEN, date(2030, 12, 31), date(2027, 3, 15)),
                     date(2027, 4, 1))
    assert found[-2:] == [Segment(notice, date(2027, 3, 15), NOTICE_GIVEN, True),
                          Segment(date(2027, 3, 16), None, NOTICE_GIVEN, False)]


def test_an_active_membership_lasts_to_the_agreements_last_day():
    assert _periods(JOINED, agreement_last_day=date(2022, 12, 31)) == [(date(2017, 2, 2), date(2022, 12, 31))]
    assert _periods(JOINED) == [(date(2017, 2, 2), None)]


def test_expiry_ends_the_membership_on_the_agreements_last_day_however_late_the_tick():
    expired = JOINED + [(date(2023, 1, 9), EXPIRED)]
    assert _periods(expired, agreement_last_day=date(2022, 12, 31)) == [(date(2017, 2, 2), date(2022, 12, 31))]


def test_a_merger_ends_the_membership_the_day_before():
    merged = JOINED + [(date(2020, 1, 6), TERMINATED)]
    assert _periods(merged, agreement_last_day=date(2022, 12, 31)) == [(date(2017, 2, 2), date(2020, 1, 5))]


def test_a_membership_ended_the_day_it_began_has_no_days():
    assert _periods(JOINED + [(date(2017, 2, 2), TERMINATED)]) == []


def test_a_renewal_keeps_a_member_a_member_while_the_new_agreement_is_signed():
    renewing = JOINED + [(date(2022, 11, 15), AGREEMENT_PENDING), (date(2023, 2, 1), SIGNED)]
    assert _periods(renewing, agreement_last_day=date(2027, 12, 31)) == [(date(2017, 2, 2), None)]
    renewed = renewing + [(date(2023, 2, 2), ACTIVE)]
    assert _periods(renewed, agreement_last_day=date(2027, 12, 31)) == [(date(2017, 2, 2), date(2027, 12, 31))]


def test_a_renewal_after_expiry_starts_a_new_membership_when_activated():
    history = JOINED + [(date(2023, 1, 1), EXPIRED), (date(2023, 3, 1), AGREEMENT_PENDING),
                        (date(2023, 4, 1), SIGNED)]
    assert _periods(history, agreement_last_day=date(2027, 12, 31)) == [(date(2017, 2, 2), date(2022, 12, 31))]
    history += [(date(2023, 4, 2), ACTIVE)]
    assert _periods(history, agreement_last_day=date(2027, 12, 31)) == [
        (date(2017, 2, 2), date(2022, 12, 31)), (date(2023, 4, 2), date(2027, 12, 31))]


def test_a_declined_renewal_ends_the_membership_the_day_before():
    history = JOINED + [(date(2022, 11, 15), AGREEMENT_PENDING), (date(2022, 12, 1), ACCEPTED)]
    assert _periods(history, agreement_last_day=date(2027, 12, 31)) == [(date(2017, 2, 2), date(2022, 11, 30))]


def test_the_state_a_transition_just_reached_counts_from_today():
    assert _periods(JOINED[:-1], state=ACTIVE, today=date(2017, 2, 2)) == [(date(2017, 2, 2), None)]
    assert _periods(JOINED, state=TERMINATED, today=date(2019, 5, 5)) == [(date(2017, 2, 2), date(2019, 5, 4))]


def test_only_the_last_transition_of_a_day_counts():
    history = JOINED + [(date(2019, 5, 5), NOTICE_GIVEN), (date(2019, 5, 5), ACTIVE)]
    found = segments(history, Facts(ACTIVE, None, None), TODAY)
    assert [s.state for s in found if s.first >= date(2019, 5, 5)] == [ACTIVE]
    assert member_periods(history, Facts(ACTIVE, None, None), TODAY) == [(date(2017, 2, 2), None)]


def test_period_covers_its_first_and_last_day():
    period = Period(date(2017, 2, 2), date(2022, 12, 31))
    assert [period.covers(day) for day in (date(2017, 2, 1), date(2017, 2, 2), date(2022, 12, 31),
                                           date(2023, 1, 1))] == [False, True, True, False]
    assert Period(date(2017, 2, 2), None).covers(date(2099, 1, 1))
