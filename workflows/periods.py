"""When a membership case made its municipality a member: the one rule, read from the case's state history.

On a day D the case is in the state of its last transition on or before D. The municipality is a member on D when
that state is

- active, and D is on or before the agreement's last day (the agreement "gjelder til" that day, agreement § 13);
- in its notice period, and D is on or before the notice's last day (one year after the notice, capped by the
  agreement's last day; see `dates.notice_last_day`), or the agreement's last day when the notice is gone;
- renewing its agreement (a new one being signed), when the renewal started from active: a member stays a member
  while the new agreement is signed.

A day in any other state is not a membership day, so a membership ended by a transition on day E lasted until the
day before E at the latest. The database form (`app.services.members.member_on_sql`) states the same rule in SQL;
a property test holds the two together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from .membership import ACTIVE, AGREEMENT_PENDING, NOTICE_GIVEN, SIGNED

MEMBER_STATES = (ACTIVE, NOTICE_GIVEN)
RENEWING = (AGREEMENT_PENDING, SIGNED)
ONE_DAY = timedelta(days=1)


class Facts(NamedTuple):
    """What the case says now: its state and the last days it knows of (None: not known)."""

    state: str
    agreement_last_day: date | None
    notice_last_day: date | None


class Segment(NamedTuple):
    """Consecutive days in one state (`last` None: from `first` on), and whether they are membership days."""

    first: date
    last: date | None
    state: str
    member: bool


class Period(NamedTuple):
    """A membership from its first to its last day (None: no last day is known)."""

    first: date
    last: date | None

    def covers(self, day: date) -> bool:
        return self.first <= day and (self.last is None or day <= self.last)


def segments(events: Iterable[tuple[date, str]], facts: Facts, today: date) -> list[Segment]:
    """The case's days from its first transition on, split by state and by whether they are membership days.

    `events` are (day, state reached) in the order they happened. A transition's steps run before its event is
    written, so a current state that the last event does not show counts as reached today.
    """
    events = list(events)
    if not events or events[-1][1] != facts.state:
        events.append((max(today, events[-1][0]) if events else today, facts.state))
    result, previous, renewed_from = [], None, None
    for index, (first, state) in enumerate(events):
        if state in RENEWING and previous not in RENEWING:
            renewed_from = previous
        previous = state
        last = events[index + 1][0] - ONE_DAY if index + 1 < len(events) else None
        if last is not None and last < first:
            continue  # left again the same day
        if state not in MEMBER_STATES:
            result.append(Segment(first, last, state, state in RENEWING and renewed_from in MEMBER_STATES))
            continue
        until = _last_member_day(state, facts)
        if until is None or (last is not None and last <= until):
            result.append(Segment(first, last, state, True))
            continue
        if until >= first:
            result.append(Segment(first, until, state, True))
        result.append(Segment(max(first, until + ONE_DAY), last, state, False))
    return result


def _last_member_day(state: str, facts: Facts) -> date | None:
    """The last day a case in a member state is a member, whenever the tick gets round to moving it on."""
    if state == NOTICE_GIVEN and facts.notice_last_day is not None:
        return facts.notice_last_day
    return facts.agreement_last_day


def member_periods(events: Iterable[tuple[date, str]], facts: Facts, today: date) -> list[Period]:
    """The case's memberships, oldest first: its membership days joined into unbroken periods."""
    periods: list[Period] = []
    for segment in segments(events, facts, today):
        if not segment.member:
            continue
        if periods and periods[-1].last == segment.first - ONE_DAY:
            periods[-1] = Period(periods[-1].first, segment.last)
        else:
            periods.append(Period(segment.first, segment.last))
    return periods
