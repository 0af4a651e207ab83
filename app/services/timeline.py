"""The collaboration timeline: each municipality's periods as invited, member, in notice and ended.

The membership days are those of the one rule (`workflows.periods`); the timeline only names the other days.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import OSLO
from app.extensions import db
from app.models import AuditEvent, MembershipCase, Organisation
from workflows import periods
from workflows.membership import (ACCEPTED, ACTIVE, AGREEMENT_PENDING, DECLINED, EXPIRED, INVITED, NO_REPLY,
                                  NOTICE_GIVEN, SIGNED, TERMINATED, WITHDRAWN)

ONE_DAY = timedelta(days=1)
CATEGORIES = {
    "invited": "Invitert, avtale under arbeid",
    "member": "Medlem",
    "notice": "I oppsigelsestid",
    "ended": "Avsluttet eller utløpt",
    "outside": "Takket nei, ikke svart eller trukket",
}
# What a day that is not a membership day is, by the case's state; active or in notice after the membership's last
# day means the tick has yet to end it.
OTHER_DAYS = {
    INVITED: "invited", ACCEPTED: "invited", AGREEMENT_PENDING: "invited", SIGNED: "invited",
    ACTIVE: "ended", NOTICE_GIVEN: "ended", TERMINATED: "ended", EXPIRED: "ended",
    DECLINED: "outside", NO_REPLY: "outside", WITHDRAWN: "outside",
}


def category(segment: periods.Segment) -> str:
    if segment.member:
        return "notice" if segment.state == NOTICE_GIVEN else "member"
    return OTHER_DAYS[segment.state]


@dataclass
class Period:
    category: str
    start: date
    end: date | None = None  # the last day; None: still so today

    @property
    def label(self) -> str:
        return CATEGORIES[self.category]


@dataclass
class Bar:
    organisation: Organisation
    case_id: int
    periods: list[Period] = field(default_factory=list)


def bar(organisation: Organisation, cases: list[list[periods.Segment]], case_id: int, today: date) -> Bar:
    """A municipality's bar up to `today` from the segments of its cases, oldest case first: a member on the days
    any case made it one, otherwise what its latest case says."""
    segments = [segment for found in cases for segment in found]
    starts = sorted({s.first for s in segments} | {s.last + ONE_DAY for s in segments if s.last is not None})
    starts = [start for start in starts if start <= today]
    result = Bar(organisation, case_id)
    for index, start in enumerate(starts):
        covering = [s for s in segments if s.first <= start and (s.last is None or start <= s.last)]
        if not covering:
            continue  # before its first invitation
        member_days = [s for s in covering if s.member]
        kind = category(member_days[-1] if member_days else covering[-1])
        end = starts[index + 1] - ONE_DAY if index + 1 < len(starts) else None
        if result.periods and result.periods[-1].category == kind:
            result.periods[-1].end = end
        else:
            result.periods.append(Period(kind, start, end))
    return result


def bars(today: date) -> list[Bar]:
    """One bar per municipality, from all state-changing audit events and the cases, in two queries."""
    events = db.session.execute(
        select(AuditEvent.at, AuditEvent.to_state, AuditEvent.object_id)
        .where(AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.to_state.is_not(None))
        .order_by(AuditEvent.seq))
    by_case: dict[int, list[tuple[date, str]]] = defaultdict(list)  # in the order the cases were invited
    for at, state, case_id in events:
        by_case[case_id].append((at.astimezone(OSLO).date(), state))
    found = {case.id: case for case in db.session.scalars(select(MembershipCase).options(
        joinedload(MembershipCase.organisation), joinedload(MembershipCase.round)))}
    by_organisation: dict[int, list[MembershipCase]] = defaultdict(list)
    for case_id in by_case:
        by_organisation[found[case_id].organisation_id].append(found[case_id])
    made = (bar(cases[0].organisation, [periods.segments(by_case[c.id], c.facts, today) for c in cases],
                cases[-1].id, today) for cases in by_organisation.values())
    return sorted((b for b in made if b.periods), key=lambda b: b.organisation.sort_key)


@dataclass
class Chart:
    """The bars laid out as an SVG picture: coordinates for the template."""

    bars: list[Bar]
    today: date
    first_year: int
    label_width: int = 130
    width: int = 1080
    row_height: int = 26
    top: int = 34

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 10

    @property
    def height(self) -> int:
        return self.top + self.row_height * len(self.bars) + 10

    @property
    def start(self) -> date:
        return date(self.first_year, 1, 1)

    def x(self, day: date) -> float:
        span = (self.today - self.start).days or 1
        return round(self.label_width + self.plot_width * (day - self.start).days / span, 1)

    def y(self, index: int) -> int:
        return self.top + index * self.row_height

    def years(self) -> list[tuple[int, float, float]]:
        """(year, x where it starts, x of its middle) for each year on the axis."""
        result = []
        for year in range(self.first_year, self.today.year + 1):
            start = self.x(date(year, 1, 1))
            end = self.x(min(date(year + 1, 1, 1), self.today))
            result.append((year, start, round((start + end) / 2, 1)))
        return result

    def segments(self, bar: Bar) -> list[tuple[Period, float, float]]:
        """(period, x, width) for each period of a bar; a period of a single day still shows."""
        result = []
        for period in bar.periods:
            x = self.x(period.start)
            end = self.x(period.end + ONE_DAY if period.end else self.today)
            result.append((period, x, max(round(end - x, 1), 1.5)))
        return result


def chart(today: date, first_year: int = 2016) -> Chart:
    found = bars(today)
    earliest = min((b.periods[0].start.year for b in found), default=first_year)
    return Chart(found, today, min(first_year, earliest))
