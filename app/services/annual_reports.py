"""The annual report to the steering group: the year's figures gathered from the data, made into one PDF per year and
filed with that year's steering-group meeting."""
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import NamedTuple
from datetime import date, datetime, timedelta

from flask import render_template
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app import clock
from app.extensions import db
from app.models import (AnnualReport, Contribution, Meeting, MeetingInvitee, MembershipCase, Merger, Organisation,
                        Representative, Subgroup, User)
from app.models.evaluation import EvaluationResponse
from app.models.meeting import PRESENT, STEERING_MEETING
from app.models.representative import GROUPS
from app.services import ServiceError, audit, conferences, cost_keys, evaluations, members, rendered_pdfs, representatives

ONE_DAY = timedelta(days=1)
MERGED, NOTICE, EXPIRED = _l("Slått sammen"), _l("Sagt opp"), _l("Avtalen utløp")


@dataclass
class Change:
    """A membership that began or ended in the year (`how`: why it ended)."""

    organisation: str
    day: date
    how: str = ""


@dataclass
class Notice:
    organisation: str
    given_on: date
    last_day: date | None


@dataclass
class MergerLine:
    successor: str
    predecessors: list[str]
    first_day: date


@dataclass
class Term:
    organisation: str
    group: str
    name: str
    starts_on: date
    ends_on: date | None


@dataclass
class Money:
    """One party's contribution lines of the year (not cancelled), or the sum of all of them."""

    party: str
    expected: int
    invoiced: int
    paid: int
    outstanding: int


@dataclass
class Question:
    text: str
    answers: list[tuple[str, str]]  # (municipality, answer), by municipality

    @property
    def answered(self) -> int:
        return len(self.answers)


@dataclass
class Evaluation:
    asked: int
    answered: int
    closed: bool
    questions: list[Question]


@dataclass
class SubgroupLine:
    name: str
    day: date


@dataclass
class MeetingLine:
    title: str
    day: date
    place: str
    invited: int
    present: int


@dataclass
class KeyShare:
    party: str
    basis: str
    amount: int


@dataclass
class KeyTerms:
    """The cost-sharing key in force for the year and each party's share of that year."""

    title: str
    decided_on: date | None
    agenda_item: str | None
    budget: int
    shares: list[KeyShare]


def _key(year: int) -> KeyTerms | None:
    key = cost_keys.in_force(year)
    if key is None:
        return None
    return KeyTerms(key.title, key.decided_on, key.agenda_item, key.budget,
                    [KeyShare(share.organisation.name, share.basis_label, share.amount)
                     for share in sorted((s for s in key.shares if s.year == year),
                                         key=lambda s: s.organisation.name)])


@dataclass
class Report:
    """Every figure of one year's report, as the template shows it."""

    year: int
    members_at_start: list[str]
    members_at_end: list[str]
    joined: list[Change]
    notices: list[Notice]
    ended: list[Change]
    merged: list[MergerLine]
    representatives: list[Term]
    key: KeyTerms | None
    money: list[Money]
    money_total: Money
    evaluation: Evaluation | None
    subgroups_established: list[SubgroupLine]
    subgroups_closed: list[SubgroupLine]
    meetings: list[MeetingLine] = field(default_factory=list)
    # Who came to the year's conference, per municipality (municipality, attended), most first.
    conference_attendance: list[tuple[str, int]] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return clock.start_of(date(year, 1, 1)), clock.start_of(date(year + 1, 1, 1))


def _membership_changes(year: int, mergers: list[Merger]) -> tuple[list[str], list[str], list[Change], list[Change]]:
    """The members on the year's first and last day by name, and who joined and whose membership ended in it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    on = members.members_on([first, last])
    names = dict(db.session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(on[first] | on[last]))).all())
    joined, ended = changes(year, members.membership_days_around(first, last), mergers)
    return sorted(names[i] for i in on[first]), sorted(names[i] for i in on[last]), joined, ended


def changes(year: int, days: list, mergers: list[Merger]) -> tuple[list[Change], list[Change]]:
    """Who joined and whose membership ended in the year, by day, from membership `days` (members.membership_days,
    or those of every municipality whose memberships may begin or end in the year)."""
    first, last = date(year, 1, 1), date(year, 12, 31)

    def on(day: date) -> set[Organisation]:
        return {holder for holder, _, period in days if period.covers(day)}

    merged_away = {(link.predecessor_id, m.first_day) for m in mergers for link in m.successor.predecessor_links
                   if link.first_day == m.first_day}
    # A continued membership changes hands on the merger day: neither a join nor an end (the merger lists it).
    handed_over = {(org_id, m.first_day) for m in mergers if m.continued_case_id
                   for org_id in (m.successor_id, m.continued_from_id)}
    joined, ended = [], []
    for org, case, period in days:
        if first <= period.first <= last and org not in on(period.first - ONE_DAY) \
                and (org.id, period.first) not in handed_over:
            joined.append(Change(org.name, period.first))
        if period.last is not None and first <= period.last <= last and org not in on(period.last + ONE_DAY) \
                and (org.id, period.last + ONE_DAY) not in handed_over:
            how = MERGED if (org.id, period.last + ONE_DAY) in merged_away else \
                NOTICE if case.notice_date is not None else EXPIRED
            ended.append(Change(org.name, period.last, how))
    order = lambda change: (change.day, change.organisation)  # noqa: E731
    return sorted(joined, key=order), sorted(ended, key=order)


def _money(year: int) -> tuple[list[Money], Money]:
    sums = (func.sum(Contribution.expected_amount), func.sum(Contribution.invoiced_amount),
            func.sum(Contribution.paid_amount), func.sum(Contribution.outstanding_amount))
    rows = db.session.execute(select(Organisation.name, *sums).join(Contribution.organisation).where(
        Contribution.year == year, Contribution.cancelled_at.is_(None))
        .group_by(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    parties = [Money(*row) for row in rows]
    total = Money("Sum", *(sum(getattr(p, key) for p in parties)
                           for key in ("expected", "invoiced", "paid", "outstanding")))
    return parties, total


def _evaluation(year: int) -> Evaluation | None:
    found = evaluations.for_year(year)
    if found is None:
        return None
    responses = list(db.session.scalars(select(EvaluationResponse).where(EvaluationResponse.evaluation_id == found.id)
                                        .options(joinedload(EvaluationResponse.organisation),
                                                 selectinload(EvaluationResponse.answers))))
    responses.sort(key=lambda r: r.organisation.name)
    questions = [Question(q.text, [(r.organisation.name, r.answer_to(q)) for r in responses if r.answer_to(q)])
                 for q in found.questions]
    return Evaluation(len(evaluations.expected(found)), len(responses), not found.is_open, questions)


def _meetings(year: int) -> list[MeetingLine]:
    """The year's meetings with how many were invited and how many came, counted in the database."""
    start, end = _year_bounds(year)
    of_meeting = MeetingInvitee.meeting_id == Meeting.id
    invited = select(func.count()).where(of_meeting).scalar_subquery()
    present = select(func.count()).where(of_meeting, MeetingInvitee.attendance == PRESENT).scalar_subquery()
    held = db.session.execute(select(Meeting, invited, present).where(
        Meeting.starts_at >= start, Meeting.starts_at < end).options(lazyload(Meeting.invitees))
        .order_by(Meeting.starts_at))
    return [MeetingLine(m.title, clock.day_of(m.starts_at), m.place, n, came)
            for m, n, came in held]


def _subgroups(column, year: int) -> list[SubgroupLine]:
    rows = db.session.execute(select(Subgroup.name, column).where(
        column >= date(year, 1, 1), column <= date(year, 12, 31)).order_by(column, Subgroup.name))
    return [SubgroupLine(*row) for row in rows]


def gather(year: int) -> Report:
    """The year's figures, from the data as it is now."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    notice_cases = list(db.session.scalars(select(MembershipCase).join(MembershipCase.organisation).where(
        MembershipCase.notice_date >= first, MembershipCase.notice_date <= last)
        .order_by(MembershipCase.notice_date, Organisation.name)))
    mergers = list(db.session.scalars(select(Merger).where(Merger.first_day >= first, Merger.first_day <= last)
                                      .order_by(Merger.first_day, Merger.id)))
    at_start, at_end, joined, ended = _membership_changes(year, mergers)
    terms = db.session.execute(
        select(Organisation.name, Representative.group, Representative.name, Representative.starts_on,
               Representative.ends_on).join(Representative.organisation).where(
            representatives.in_office(first, last))
        .order_by(Organisation.name, Representative.group.desc(), Representative.seat, Representative.starts_on))
    money, total = _money(year)
    return Report(
        year=year, members_at_start=at_start, members_at_end=at_end, joined=joined,
        notices=[Notice(c.organisation.name, c.notice_date, c.notice_last_day) for c in notice_cases],
        ended=ended,
        merged=[MergerLine(m.successor.name, sorted(link.predecessor.name for link in m.successor.predecessor_links
                                                    if link.first_day == m.first_day), m.first_day)
                for m in mergers],
        representatives=[Term(org, GROUPS[group], name, starts, ends) for org, group, name, starts, ends in terms],
        key=_key(year), money=money, money_total=total, evaluation=_evaluation(year),
        subgroups_established=_subgroups(Subgroup.established_on, year),
        subgroups_closed=_subgroups(Subgroup.closed_on, year), meetings=_meetings(year),
        conference_attendance=conferences.attendance_by_municipality(year))


class Answers(NamedTuple):
    answered: int
    asked: int


@dataclass
class Summary:
    """How many of each thing the year's report lists (what the page before making it shows), and its money
    totals."""

    members_at_start: int
    members_at_end: int
    joined: int
    notices: int
    ended: int
    merged: int
    representatives: int
    money_total: Money
    evaluation: Answers | None
    subgroups_established: int
    subgroups_closed: int
    meetings: int


def summary(year: int) -> Summary:
    """The figures of `gather(year)` the page before making the report shows, counted in the database."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    start, end = _year_bounds(year)
    on = members.members_on([first, last])
    mergers = list(db.session.scalars(select(Merger).where(Merger.first_day >= first, Merger.first_day <= last)))
    joined, ended = changes(year, members.membership_days_around(first, last), mergers)

    def count(model, *where) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    sums = db.session.execute(select(*(func.coalesce(func.sum(amount), 0) for amount in (
        Contribution.expected_amount, Contribution.invoiced_amount, Contribution.paid_amount,
        Contribution.outstanding_amount))).where(Contribution.year == year, Contribution.cancelled_at.is_(None))).one()
    found = evaluations.for_year(year)
    return Summary(
        members_at_start=len(on[first]), members_at_end=len(on[last]), joined=len(joined),
        notices=count(MembershipCase, MembershipCase.notice_date >= first, MembershipCase.notice_date <= last),
        ended=len(ended), merged=len(mergers),
        representatives=count(Representative, representatives.in_office(first, last)),
        money_total=Money("Sum", *sums),
        evaluation=None if found is None else Answers(
            count(EvaluationResponse, EvaluationResponse.evaluation_id == found.id), len(evaluations.expected(found))),
        subgroups_established=count(Subgroup, Subgroup.established_on >= first, Subgroup.established_on <= last),
        subgroups_closed=count(Subgroup, Subgroup.closed_on >= first, Subgroup.closed_on <= last),
        meetings=count(Meeting, Meeting.starts_at >= start, Meeting.starts_at < end))


def summary_json(year: int) -> bytes:
    """`summary(year)` as JSON, to be kept as a stored copy (see `from_json`)."""
    return json.dumps(asdict(summary(year))).encode()


def from_json(stored: bytes) -> Summary:
    found = json.loads(stored)
    return Summary(**found | {"money_total": Money(**found["money_total"]),
                              "evaluation": found["evaluation"] and Answers(*found["evaluation"])})


# --- filing it ------------------------------------------------------------------------------------------------------

def steering_meeting(year: int) -> Meeting | None:
    """The year's steering-group meeting the report is filed with (the last one, if there were several)."""
    start, end = _year_bounds(year)
    return db.session.scalar(select(Meeting).where(Meeting.kind == STEERING_MEETING, Meeting.starts_at >= start,
                                                   Meeting.starts_at < end).order_by(Meeting.starts_at.desc()).limit(1))


def for_year(year: int) -> AnnualReport | None:
    return db.session.scalar(select(AnnualReport).where(AnnualReport.year == year))


def filed_with(meeting: Meeting) -> list[AnnualReport]:
    return list(db.session.scalars(select(AnnualReport).where(AnnualReport.meeting_id == meeting.id)
                                   .order_by(AnnualReport.year)))


@dataclass
class Year:
    """A year the report can be made for: its steering-group meeting, and the report made so far."""

    year: int
    meeting: Meeting
    report: AnnualReport | None


def years() -> list[Year]:
    """The years up to this one with a steering-group meeting, newest first."""
    reports = {r.year: r for r in db.session.scalars(select(AnnualReport))}
    found: dict[int, Meeting] = {}
    for meeting in db.session.scalars(select(Meeting).where(
            Meeting.kind == STEERING_MEETING, Meeting.starts_at < _year_bounds(clock.today().year)[1])
            .order_by(Meeting.starts_at)):
        found[meeting.starts_at.astimezone(clock.OSLO).year] = meeting
    return [Year(year, meeting, reports.get(year)) for year, meeting in sorted(found.items(), reverse=True)]


def render(report: Report, meeting: Meeting) -> bytes:
    """The report as PDF, in bokmål whatever language the adviser reads the app in."""
    with force_locale("nb"):
        html = render_template("meetings/annual_report_pdf.html", report=report, meeting=meeting,
                               made_on=clock.today())
    return rendered_pdfs.pdf("annual_report", report.year, html)


def generate(year: int, actor: User) -> AnnualReport:
    """Make the year's report from the data as it is now and file it with the year's steering-group meeting,
    replacing an earlier copy. The caller commits."""
    if year > clock.today().year:
        raise ServiceError(_("Årsrapporten kan ikke lages for et år som ikke har begynt."))
    meeting = steering_meeting(year)
    if meeting is None:
        raise ServiceError(_("Det er ikke registrert noe styringsgruppemøte i %(year)s. Planlegg møtet først, så "
                             "kan årsrapporten legges ved det.", year=year))
    content = render(gather(year), meeting)
    filed = for_year(year)
    if filed is None:
        filed = AnnualReport(year=year)
        db.session.add(filed)
    filed.meeting_id, filed.content, filed.sha256 = meeting.id, content, hashlib.sha256(content).hexdigest()
    filed.generated_at, filed.generated_by_id = clock.now(), actor.id
    db.session.flush()
    audit.record(actor, "annual_report.generate", filed.audit_type, filed.id,
                 data={"year": year, "meeting": meeting.id, "sha256": filed.sha256})
    return filed
