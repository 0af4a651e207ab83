"""The collaboration timeline: each municipality's periods as invited, member, in notice and ended."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.clock import OSLO
from app.extensions import db
from app.models import AuditEvent, MembershipCase, Organisation
from workflows.membership import (ACCEPTED, ACTIVE, AGREEMENT_PENDING, DECLINED, EXPIRED, INVITED, NO_REPLY,
                                  NOTICE_GIVEN, SIGNED, TERMINATED, WITHDRAWN)

CATEGORIES = {
    "invited": "Invitert, avtale under arbeid",
    "member": "Medlem",
    "notice": "I oppsigelsestid",
    "ended": "Avsluttet eller utløpt",
    "outside": "Takket nei, ikke svart eller trukket",
}
CATEGORY_OF = {
    INVITED: "invited", ACCEPTED: "invited", AGREEMENT_PENDING: "invited", SIGNED: "invited",
    ACTIVE: "member", NOTICE_GIVEN: "notice", TERMINATED: "ended", EXPIRED: "ended",
    DECLINED: "outside", NO_REPLY: "outside", WITHDRAWN: "outside",
}
# A member renewing its agreement is still a member while the new one is signed.
RENEWING = {AGREEMENT_PENDING, SIGNED}


@dataclass
class Period:
    category: str
    start: date
    end: date | None = None  # None: still so today

    @property
    def label(self) -> str:
        return CATEGORIES[self.category]


@dataclass
class Bar:
    organisation: Organisation
    case_id: int
    periods: list[Period] = field(default_factory=list)

    def move_to(self, state: str, day: date) -> None:
        """Follow one transition: close the running period when the category changes."""
        current = self.periods[-1] if self.periods else None
        category = CATEGORY_OF[state]
        if current and current.category == "member" and state in RENEWING:
            category = "member"
        if current and current.category == category:
            return
        if current:
            current.end = day
        self.periods.append(Period(category, day))


def bars() -> list[Bar]:
    """One bar per municipality, built from all state-changing audit events in one query."""
    events = db.session.execute(
        select(AuditEvent.at, AuditEvent.to_state, MembershipCase.organisation_id, MembershipCase.id)
        .join(MembershipCase, MembershipCase.id == AuditEvent.object_id)
        .where(AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.to_state.is_not(None))
        .order_by(AuditEvent.seq))
    organisations = {o.id: o for o in db.session.scalars(select(Organisation))}
    by_organisation: dict[int, Bar] = {}
    for at, state, organisation_id, case_id in events:
        bar = by_organisation.setdefault(organisation_id, Bar(organisations[organisation_id], case_id))
        bar.case_id = case_id
        bar.move_to(state, at.astimezone(OSLO).date())
    return sorted(by_organisation.values(), key=lambda b: b.organisation.sort_key)


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
            result.append((period, x, max(round(self.x(period.end or self.today) - x, 1), 1.5)))
        return result


def chart(today: date, first_year: int = 2016) -> Chart:
    found = bars()
    earliest = min((b.periods[0].start.year for b in found), default=first_year)
    return Chart(found, today, min(first_year, earliest))
