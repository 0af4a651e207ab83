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


def _joined_segments():
    return [Segment(date(2016, 10, 3), date(2016, 10, 19), INVITED, False),
            Segment(date(2016, 10, 20), date(2017, 1, 9), ACCEPTED, False),
            Segment(date(2017, 1, 10), date(2017, 1, 31), AGREEMENT_PENDING, False),
            Segment(date(2017, 2, 1), date(2017, 2, 1), SIGNED, False)]


def test_a_tick_on_time_splits_no_day_off():
    expired = JOINED + [(date(2023, 1, 1), EXPIRED)]
    assert segments(expired, Facts(EXPIRED, date(2022, 12, 31), None), TODAY) == _joined_segments() + [
        Segment(date(2017, 2, 2), date(2022, 12, 31), ACTIVE, True),
        Segment(date(2023, 1, 1), None, EXPIRED, False)]


def test_a_late_tick_leaves_the_days_after_the_last_day_in_the_old_state_but_not_members():
    expired = JOINED + [(date(2023, 1, 9), EXPIRED)]
    assert segments(expired, Facts(EXPIRED, date(2022, 12, 31), None), TODAY)[-3:] == [
        Segment(date(2017, 2, 2), date(2022, 12, 31), ACTIVE, True),
        Segment(date(2023, 1, 1), date(2023, 1, 8), ACTIVE, False),
        Segment(date(2023, 1, 9), None, EXPIRED, False)]


def test_a_notice_given_on_the_agreements_last_day_keeps_that_day():
    last_day = date(2026, 12, 31)
    history = JOINED + [(last_day, NOTICE_GIVEN), (date(2027, 1, 1), TERMINATED)]
    assert _periods(history, agreement_last_day=last_day, notice=last_day) == [(date(2017, 2, 2), last_day)]
    assert _periods(history[:-1], agreement_last_day=last_day, notice=last_day) == [(date(2017, 2, 2), last_day)]


def test_active_days_end_only_with_the_agreement_even_when_a_notice_is_registered_late():
    """A notice dated 15.03.2026 but registered 01.06.2027: the case was active until then, and the SQL form
    (`member_on_sql`) counts those days too."""
    notice = date(2026, 3, 15)
    history = JOINED + [(date(2027, 6, 1), NOTICE_GIVEN)]
    assert _periods(history, agreement_last_day=date(2030, 12, 31), notice=notice) == [
        (date(2017, 2, 2), date(2027, 5, 31))]


def test_a_case_without_transitions_is_in_its_state_from_today():
    assert segments([], Facts(INVITED, None, None), TODAY) == [Segment(TODAY, None, INVITED, False)]


def test_a_state_reached_on_a_day_before_the_last_transition_counts_from_that_transition():
    """The clock is behind the history (a day pinned for `workflows tick --today`): the days never run backwards."""
    found = segments(JOINED[:-1], Facts(ACTIVE, None, None), date(2017, 1, 20))
    assert found == _joined_segments()[:-1] + [Segment(date(2017, 2, 1), None, ACTIVE, True)]
