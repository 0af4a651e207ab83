"""The collaboration timeline: each municipality's periods as invited, member, in notice and ended.

The membership days are those of the one rule (`workflows.periods`); the timeline only names the other days. A
merger's predecessors are drawn just above their successor, each ending on its last day with a line into the
successor's row at the merger's marker; a membership the successor continued is the predecessor's before the day.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import OSLO
from app.extensions import db
from app.formatting import short_date
from app.models import AuditEvent, MembershipCase, Merger, Organisation, OrganisationSuccession
from workflows import periods
from workflows.membership import (ACCEPTED, ACTIVE, AGREEMENT_PENDING, DECLINED, EXPIRED, INVITED, NO_REPLY,
                                  NOTICE_GIVEN, SIGNED, TERMINATED, WITHDRAWN)

ONE_DAY = timedelta(days=1)
CATEGORIES = {
    "invited": _l("Invitert, avtale under arbeid"),
    "member": _l("Medlem"),
    "notice": _l("I oppsigelsestid"),
    "ended": _l("Avsluttet eller utløpt"),
    "outside": _l("Takket nei, ikke svart eller trukket"),
}
# What a day that is not a membership day is, by the case's state; active or in notice after the membership's last
# day means the tick has yet to end it.
OTHER_DAYS = {
    INVITED: "invited", ACCEPTED: "invited", AGREEMENT_PENDING: "invited", SIGNED: "invited",
    ACTIVE: "ended", NOTICE_GIVEN: "ended", TERMINATED: "ended", EXPIRED: "ended",
    DECLINED: "outside", NO_REPLY: "outside", WITHDRAWN: "outside",
}


_CARRIED = (Merger.applied_at.is_not(None), Merger.continued_case_id.is_not(None))


def category(segment: periods.Segment) -> str:
    if segment.member:
        return "notice" if segment.state == NOTICE_GIVEN else "member"
    return OTHER_DAYS[segment.state]


@dataclass
class Period:
    category: str
    start: date
    end: date | None = None  # the last day; None: still so today


@dataclass
class Bar:
    organisation: Organisation
    case_id: int
    periods: list[Period] = field(default_factory=list)


@dataclass(frozen=True)
class Flow:
    """A predecessor's row flowing into its successor's on the merger's first day."""

    predecessor_id: int
    successor_id: int
    first_day: date


def _clip(segments: list[periods.Segment], first: date | None = None,
          last: date | None = None) -> list[periods.Segment]:
    """The segments' days from `first` to `last` (None: no bound)."""
    result = []
    for segment in segments:
        start = max(segment.first, first) if first else segment.first
        end = segment.last if last is None else min(segment.last or last, last)
        if end is None or end >= start:
            result.append(segment._replace(first=start, last=end))
    return result


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
    """One bar per municipality, from all state-changing audit events, the cases and the mergers."""
    return bars_and_flows(today)[0]


def organisation_ids(today: date) -> list[int]:
    """Every organisation with a case (or a membership its successor carried on), in the order the chart draws
    them: predecessors just above their successor, by name within."""
    drawn = select(MembershipCase.organisation_id).union(select(Merger.continued_from_id).where(*_CARRIED))
    keys = dict(db.session.execute(
        select(Organisation.id, Organisation.sort_key).where(Organisation.id.in_(drawn))).all())
    into = {predecessor: keys[successor] for predecessor, successor in db.session.execute(
        select(OrganisationSuccession.predecessor_id, OrganisationSuccession.successor_id)
        .where(OrganisationSuccession.first_day <= today)) if predecessor in keys and successor in keys}
    return sorted(keys, key=lambda i: (into.get(i, keys[i]), i not in into, keys[i]))


def bars_and_flows(today: date, organisations: list[int] | None = None) -> tuple[list[Bar], list[Flow]]:
    """The bars (of `organisations` only, when given) in four queries, and the mergers' flows between them."""
    events = select(AuditEvent.at, AuditEvent.to_state, AuditEvent.object_id) \
        .where(AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.to_state.is_not(None)) \
        .order_by(AuditEvent.seq)
    cases = select(MembershipCase).options(joinedload(MembershipCase.organisation), joinedload(MembershipCase.round))
    if organisations is not None:
        wanted = select(MembershipCase.id).where(MembershipCase.organisation_id.in_(organisations)).union(
            select(Merger.continued_case_id).where(*_CARRIED, Merger.continued_from_id.in_(organisations)))
        events, cases = events.where(AuditEvent.object_id.in_(wanted)), cases.where(MembershipCase.id.in_(wanted))
    events = db.session.execute(events)
    by_case: dict[int, list[tuple[date, str]]] = defaultdict(list)  # in the order the cases were invited
    for at, state, case_id in events:
        by_case[case_id].append((at.astimezone(OSLO).date(), state))
    found = {case.id: case for case in db.session.scalars(cases)}
    carried = {merger.continued_case_id: merger for merger in db.session.scalars(
        select(Merger).options(joinedload(Merger.continued_from)).where(*_CARRIED))}
    by_organisation: dict[int, list[tuple[Organisation, MembershipCase, list[periods.Segment]]]] = defaultdict(list)
    for case_id in by_case:
        case = found[case_id]
        made = periods.segments(by_case[case_id], case.facts, today)
        merger = carried.get(case_id)
        if merger is not None:
            before = merger.first_day - ONE_DAY
            by_organisation[merger.continued_from_id].append(
                (merger.continued_from, case, _clip(made, last=before)))
            made = _clip(made, first=merger.first_day)
        by_organisation[case.organisation_id].append((case.organisation, case, made))
    made_bars = []
    for rows in by_organisation.values():
        organisation = rows[0][0]
        drawn = bar(organisation, [_clip(segments, last=organisation.active_to) for _, _, segments in rows],
                    rows[-1][1].id, today)
        if drawn.periods and (organisations is None or organisation.id in organisations):
            made_bars.append(drawn)
    shown = {b.organisation.id: b for b in made_bars}
    flows = [Flow(link.predecessor_id, link.successor_id, link.first_day)
             for link in db.session.scalars(select(OrganisationSuccession).order_by(OrganisationSuccession.id))
             if link.predecessor_id in shown and link.successor_id in shown and link.first_day <= today]
    into = {flow.predecessor_id: shown[flow.successor_id].organisation.sort_key for flow in flows}

    def place(b: Bar) -> tuple:
        """Predecessors just above their successor, by name within."""
        own = b.organisation.sort_key
        return (into.get(b.organisation.id, own), b.organisation.id not in into, own)

    return sorted(made_bars, key=place), flows


# How each kind of period is drawn, (offset from the row's top, height): membership as a full bar, an invitation as a
# narrower one, and the days outside a membership quietly (QUIET), as a thin line.
SHAPES = {"member": (4, 18), "notice": (4, 18), "invited": (8, 10), "ended": (11, 4), "outside": (12, 2)}
QUIET = ("ended", "outside")


@dataclass
class Chart:
    """The bars laid out as two SVG pictures: the names, and the years (which a narrow screen scrolls, starting
    at today's end)."""

    bars: list[Bar]
    today: date
    first_year: int
    flows: list[Flow] = field(default_factory=list)
    year_width: int = 80
    row_height: int = 26
    top: int = 34
    margin: int = 8

    @property
    def plot_width(self) -> int:
        return self.margin + round(self.year_width * self._span / 365.25) + self.margin

    @property
    def height(self) -> int:
        return self.top + self.row_height * len(self.bars) + 10

    @property
    def start(self) -> date:
        return date(self.first_year, 1, 1)

    @property
    def _span(self) -> int:
        return (self.today - self.start).days or 1

    def x(self, day: date) -> float:
        return round(self.margin + (self.plot_width - 2 * self.margin) * (day - self.start).days / self._span, 1)

    def y(self, index: int) -> int:
        return self.top + index * self.row_height

    def label(self, bar: Bar) -> str:
        """The row's name; one that no longer exists says until when ("Voss (til 2019)" above "Voss")."""
        gone = bar.organisation.active_to
        return _("%(name)s (til %(year)s)", name=bar.organisation.name, year=gone.year) \
            if gone and gone < self.today else bar.organisation.name

    def years(self) -> list[tuple[int, float, float]]:
        """(year, x where it starts, x of its middle) for each year on the axis."""
        result = []
        for year in range(self.first_year, self.today.year + 1):
            start = self.x(date(year, 1, 1))
            end = self.x(min(date(year + 1, 1, 1), self.today))
            result.append((year, start, round((start + end) / 2, 1)))
        return result

    def segments(self, bar: Bar) -> list[tuple[Period, float, float, int, int]]:
        """(period, x, width, y offset, height) for each period of a bar; a period of a single day still shows."""
        result = []
        for period in bar.periods:
            x = self.x(period.start)
            end = self.x(period.end + ONE_DAY if period.end else self.today)
            result.append((period, x, max(round(end - x, 1), 1.5), *SHAPES[period.category]))
        return result

    def merger_lines(self) -> list[tuple[float, int, int]]:
        """(x, y from, y to) of each line from a predecessor's row into its successor's, at the first day."""
        rows = {b.organisation.id: index for index, b in enumerate(self.bars)}
        middle = 4 + 9
        return [(self.x(flow.first_day), self.y(rows[flow.predecessor_id]) + middle,
                 self.y(rows[flow.successor_id]) + middle) for flow in self.flows]

    @cached_property
    def _merged(self) -> dict[tuple[int, date], list[str]]:
        """The predecessors' names by (successor id, first day)."""
        names = {b.organisation.id: b.organisation.display_name for b in self.bars}
        found: dict[tuple[int, date], list[str]] = defaultdict(list)
        for flow in self.flows:
            found[(flow.successor_id, flow.first_day)].append(names[flow.predecessor_id])
        return found

    def merger_titles(self, bar: Bar) -> list[str]:
        """What each merger into the bar's municipality says: "Alver kommune fra 01.01.2020: sammenslått av Lindås
        kommune, Meland kommune og Radøy kommune"."""
        return [_merger_title(bar, day, found) for (successor_id, day), found in self._merged.items()
                if successor_id == bar.organisation.id]

    def merger_markers(self) -> list[tuple[float, int, str]]:
        """(x, y, title) of each successor's merger marker."""
        rows = {b.organisation.id: index for index, b in enumerate(self.bars)}
        return [(self.x(day), self.y(rows[successor_id]) + 13,
                 _merger_title(self.bars[rows[successor_id]], day, found))
                for (successor_id, day), found in self._merged.items()]


def _merger_title(bar: Bar, day: date, predecessors: list[str]) -> str:
    names = _("%(first)s og %(last)s", first=", ".join(predecessors[:-1]), last=predecessors[-1]) \
        if len(predecessors) > 1 else predecessors[0]
    return _("%(name)s fra %(date)s: sammenslått av %(names)s", name=bar.organisation.display_name,
             date=short_date(day), names=names)


def chart(today: date, first_year: int = 2016, organisations: list[int] | None = None) -> Chart:
    found, flows = bars_and_flows(today, organisations)
    earliest = min((b.periods[0].start.year for b in found), default=first_year)
    return Chart(found, today, min(first_year, earliest), flows=flows)
