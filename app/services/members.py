"""Who is a member and when (the rule is `workflows.periods`), the administrative contact, and what ends with a
membership."""
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Date, and_, bindparam, false, func, literal, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased, contains_eager, joinedload

from app import clock
from app.extensions import db
from app.models import (AdministrativeContact, Agreement, AuditEvent, InvitationRound, MembershipCase, Merger,
                        Organisation, User)
from workflows.roles import ADVISER, MUNICIPALITY_CONTACT
from app.services import audit
from workflows import MEMBERSHIP, periods
from workflows.dates import earliest_notice_running_on
from workflows.membership import ACTIVE, NOTICE_GIVEN
from workflows.periods import MEMBER_STATES, RENEWING, Period

ONE_DAY = timedelta(days=1)
SINCE_ACTIVE = sorted(MEMBERSHIP.reachable_states(ACTIVE))


def member_periods(case: MembershipCase) -> list[Period]:
    """The stretches the case made its municipality a member, oldest first."""
    return periods.member_periods(_state_events([case.id])[case.id], case.facts, clock.today())


def _state_events(case_ids: list[int]) -> dict[int, list[tuple[date, str]]]:
    """Each case's transitions as (day, state reached), in the order they happened, in one query."""
    found = defaultdict(list)
    for at, state, case_id in db.session.execute(
            select(AuditEvent.at, AuditEvent.to_state, AuditEvent.object_id).where(
                AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.object_id.in_(case_ids),
                AuditEvent.to_state.is_not(None)).order_by(AuditEvent.seq)):
        found[case_id].append((at.astimezone(clock.OSLO).date(), state))
    return found


def member_on(organisation: Organisation, day: date) -> bool:
    """Whether the municipality is, was or (as far as is known today) will be a member on `day`."""
    return any(period.covers(day) for _, found in _held_periods(organisation) for period in found)


def _held_periods(organisation: Organisation) -> Iterator[tuple[MembershipCase, list[Period]]]:
    """The organisation's membership cases with the periods that count for it (see `_holders`)."""
    for holder, case, made in _holders_touching(organisation):
        if holder == organisation and made:
            yield case, made


def _holders_touching(organisation: Organisation
                      ) -> Iterator[tuple[Organisation, MembershipCase, list[Period]]]:
    """`_holders` of the organisation's own cases and of those a merger moved to or from it."""
    moves = _moves_touching(organisation)
    return _holders(_cases_with_periods(*_of(organisation, list(moves))), moves)


def _moves_touching(organisation: Organisation) -> dict[int, Merger]:
    return _moves(or_(Merger.successor_id == organisation.id, Merger.continued_from_id == organisation.id))


def _moves(*conditions) -> dict[int, Merger]:
    return {merger.continued_case_id: merger for merger in db.session.scalars(select(Merger).where(
        Merger.continued_case_id.is_not(None), Merger.applied_at.is_not(None), *conditions))}


def _holders(found, moves: dict[int, Merger]) -> Iterator[tuple[Organisation, MembershipCase, list[Period]]]:
    """(whose membership, case, its periods): a case a merger moved to a successor counts for its predecessor
    before the merger's first day and for the successor from that day."""
    for case, made in found:
        if (merger := moves.get(case.id)) is None or merger.continued_from is None:
            yield case.organisation, case, made
            continue
        day_before = merger.first_day - ONE_DAY
        yield merger.continued_from, case, [Period(p.first, min(p.last or day_before, day_before))
                                            for p in made if p.first <= day_before]
        yield case.organisation, case, [Period(max(p.first, merger.first_day), p.last)
                                        for p in made if p.last is None or p.last >= merger.first_day]


def member_years(case: MembershipCase) -> list[int]:
    """The calendar years, up to this one, in which the case made its municipality a member for at least a day."""
    return _years(member_periods(case))


def _years(found: list[Period]) -> list[int]:
    today, years = clock.today(), set()
    for period in found:
        years.update(range(period.first.year, min(period.last or today, today).year + 1))
    return sorted(years)


def member_case(organisation: Organisation) -> MembershipCase | None:
    """The case that makes the municipality a member today (active, in its notice period, or renewing)."""
    return next((found.current for found in memberships(organisation)), None)


def is_member(organisation: Organisation) -> bool:
    return member_case(organisation) is not None


def member_on_sql():
    """SQL: whether the organisation of the enclosing query is a member on the day whose values `on_day` gives.

    The rule of `workflows.periods`, on the state each case was in at the end of that day.
    """
    return _member_sql(now=False)


def member_now_sql():
    """SQL: `member_on_sql` for today (the values of `on_day(clock.today())`), on the state each case is in now, so
    that no history is read."""
    return _member_sql(now=True)


def _member_sql(now: bool):
    case, round_ = aliased(MembershipCase), aliased(InvitationRound)
    return select(case.id).join(round_, case.round_id == round_.id).where(
        case.organisation_id == Organisation.id, _case_member_on(case, round_, case.state if now else None)).exists()


def _case_member_on(case, round_, state=None, day=None):
    """SQL: whether `case` (with `round_`, its round) makes its municipality a member on the day of `on_day`.

    `state`: the case's state at the end of that day where it is known without reading its history (today: the
    state it is in); by default read from its history. `day`: the values of `on_day` as SQL (`_on_day_literals`);
    by default the statement's parameters."""
    def value(name):
        return bindparam(name) if day is None else day[name]

    def latest(column, *conditions):
        return select(column).where(
            AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.object_id == case.id,
            AuditEvent.at < value("member_day_end"), *conditions) \
            .order_by(AuditEvent.seq.desc()).limit(1).scalar_subquery()

    if state is None:
        state = latest(AuditEvent.to_state, AuditEvent.to_state.is_not(None))
    renewed_from = latest(AuditEvent.from_state, AuditEvent.to_state.in_(RENEWING),
                          AuditEvent.from_state.not_in(RENEWING))
    agreement_last_day = func.coalesce(case.agreement_end, round_.agreement_end)
    within_agreement = or_(agreement_last_day.is_(None), agreement_last_day >= value("member_day"))
    notice_running = or_(case.notice_date.is_(None), case.notice_date >= value("member_notice_from"))
    # One CASE on the state, so that the database looks it up once per case.
    renewing = renewed_from.in_(MEMBER_STATES)
    return sql_case({ACTIVE: within_agreement, NOTICE_GIVEN: and_(within_agreement, notice_running),
                     **{renewal: renewing for renewal in RENEWING}}, value=state, else_=false())


def on_day(day: date) -> dict:
    """The values `member_on_sql` runs with to ask about `day`."""
    return {"member_day": day, "member_day_end": clock.start_of(day + ONE_DAY),
            "member_notice_from": earliest_notice_running_on(day)}


def _on_day_literals(day: date) -> dict:
    """The values of `on_day` inside the statement, for one that asks about several days."""
    values = on_day(day)
    return {"member_day": literal(day, Date), "member_day_end": literal(values["member_day_end"], AuditEvent.at.type),
            "member_notice_from": literal(values["member_notice_from"], Date)}


def _cases_with_periods(*conditions, values: dict | None = None) -> Iterator[tuple[MembershipCase, list[Period]]]:
    """Every case (passing `conditions`, run with `values`) that has been a membership, with its periods, newest
    first per municipality, in two queries (the cases come with their organisation and round)."""
    stmt = select(MembershipCase).join(MembershipCase.organisation).join(MembershipCase.round).where(
        _ever_member(), *conditions) \
        .options(contains_eager(MembershipCase.organisation), contains_eager(MembershipCase.round)) \
        .order_by(Organisation.name, MembershipCase.id.desc())
    yield from _with_periods(list(db.session.scalars(stmt, values)))


def _with_periods(cases: list[MembershipCase]) -> Iterator[tuple[MembershipCase, list[Period]]]:
    """The cases that have been a membership, with their periods, in the order given, in one query."""
    if not cases:
        return
    events, today = _state_events([case.id for case in cases]), clock.today()
    for case in cases:
        if made := periods.member_periods(events[case.id], case.facts, today):
            yield case, made


def _of(organisation: Organisation | None, also_cases: list[int] = ()) -> tuple:
    """The conditions of `_cases_with_periods` for the organisation's cases and `also_cases` (None: every case)."""
    if organisation is None:
        return ()
    return (or_(MembershipCase.organisation_id == organisation.id, MembershipCase.id.in_(also_cases)),)


@dataclass(frozen=True)
class Membership:
    """A municipality that has been a member: its newest case that made it one, and the case that makes it a
    member today (None: a former member)."""

    latest: MembershipCase
    current: MembershipCase | None
    periods: dict[int, list[Period]] = field(default_factory=dict, compare=False)  # of each case that made one

    @property
    def organisation(self) -> Organisation:
        return self.latest.organisation


def periods_of(membership: Membership | None, case: MembershipCase) -> list[Period]:
    """`member_periods` of a case of the municipality whose `memberships` entry is `membership` (None: it never was
    a member), without reading them again."""
    return membership.periods.get(case.id, []) if membership else []


def memberships(organisation: Organisation | None = None) -> list[Membership]:
    """Every municipality (or the one) that has been a member, by name, in two queries."""
    return _memberships(_cases_with_periods(*_of(organisation)))


def _memberships(found: Iterator[tuple[MembershipCase, list[Period]]]) -> list[Membership]:
    today, by_organisation = clock.today(), {}
    for case, made in found:
        latest, current, periods = by_organisation.get(case.organisation_id, (case, None, {}))
        if current is None and case.state in MEMBER_STATES + RENEWING and any(p.covers(today) for p in made):
            current = case
        periods[case.id] = made
        by_organisation[case.organisation_id] = (latest, current, periods)
    return [Membership(*found) for found in by_organisation.values()]


def membership_of(cases: list[MembershipCase]) -> Membership | None:
    """The `memberships` entry of the municipality whose cases, every one, these are (None: it never was a
    member), from the cases already read (one query)."""
    return next(iter(_memberships(_with_periods(sorted(cases, key=lambda case: case.id, reverse=True)))), None)


def membership_and_days(organisation: Organisation) -> tuple[Membership | None, list[tuple[Organisation,
                                                                                            MembershipCase, Period]]]:
    """The organisation's `memberships` entry (None: it never was a member) and its `membership_days`, from one
    read of its cases (three queries; apart they read them twice)."""
    moves = _moves_touching(organisation)
    found = list(_cases_with_periods(*_of(organisation, list(moves))))
    own = _memberships((case, made) for case, made in found if case.organisation_id == organisation.id)
    return next(iter(own), None), _days(_holders(found, moves))


def load_agreements(case: MembershipCase) -> None:
    """Load the case's agreements with their signatures and the one in force or being signed, in one statement
    (lazily, what `in_force` and the membership page read of them took three)."""
    db.session.scalars(select(MembershipCase).where(MembershipCase.id == case.id).options(
        joinedload(MembershipCase.agreement),
        joinedload(MembershipCase.agreements).joinedload(Agreement.signatures))).unique().all()


def current_cases() -> list[tuple[int, int]]:
    """(case id, organisation id) of each municipality's current case today, by name: of the cases in a member or
    renewing state that make their municipality a member today (the rule in the database, on the state they are
    in now), the newest, as `memberships` picks it; without loading the cases."""
    found = db.session.execute(
        select(MembershipCase.id, MembershipCase.organisation_id).join(MembershipCase.organisation)
        .join(MembershipCase.round).where(
            MembershipCase.state.in_(MEMBER_STATES + RENEWING),
            _case_member_on(MembershipCase, InvitationRound, MembershipCase.state))
        .order_by(Organisation.name, MembershipCase.id.desc()), on_day(clock.today()))
    newest = {}
    for case_id, organisation_id in found:
        newest.setdefault(organisation_id, case_id)
    return [(case_id, organisation_id) for organisation_id, case_id in newest.items()]


def with_parents(case_ids: list[int]) -> list[MembershipCase]:
    """The cases with these ids, with their organisation and round, in the order of the ids."""
    found = {case.id: case for case in db.session.scalars(
        select(MembershipCase).where(MembershipCase.id.in_(case_ids))
        .options(joinedload(MembershipCase.organisation), joinedload(MembershipCase.round)))}
    return [found[case_id] for case_id in case_ids]


def former_memberships(current_organisations: list[int]) -> list[Membership]:
    """The `memberships` of the municipalities other than `current_organisations` (those `current_cases` names):
    the former members, by name; only their cases are read."""
    return _memberships(_cases_with_periods(MembershipCase.organisation_id.not_in(current_organisations)))


def cases_ever_active(organisation: Organisation | None = None) -> list[MembershipCase]:
    """Every case (of one municipality, or all) that has been a membership, newest first per municipality."""
    return [case for case, _ in _cases_with_periods(*_of(organisation))]


def membership_days(organisation: Organisation | None = None) -> list[tuple[Organisation, MembershipCase, Period]]:
    """Every membership period with whose it was (see `_holders`), in three queries; with `organisation`, those
    of the cases that are or were its own."""
    found = _holders(_cases_with_periods(), _moves()) if organisation is None else _holders_touching(organisation)
    return _days(found)


def _days(found) -> list[tuple[Organisation, MembershipCase, Period]]:
    return [(holder, case, period) for holder, case, made in found for period in made]


def answering(years: list[int], organisation: Organisation, days: list | None = None) -> dict[int, list[Organisation]]:
    """For each of the years, [organisation] if it answers for a membership of the year (see `answering_ids`), read
    from its own cases alone (`days`: its `membership_days` where already read), else []."""
    holders = _holders_in(membership_days(organisation) if days is None else days, years)
    return {year: [organisation] if organisation in holders[year] else [] for year in years}


def _holders_in(days: list[tuple[Organisation, MembershipCase, Period]], years: list[int]
                ) -> dict[int, set[Organisation]]:
    """Per year, the holders of the membership `days` on their last member day of the year (up to today)."""
    today, result = clock.today(), {}
    for year in years:
        last_day, latest = date(year, 12, 31), {}
        for holder, case, period in days:
            if period.first <= last_day and (period.last is None or period.last.year >= year) \
                    and period.first <= today:
                end = min(period.last or last_day, last_day)
                if case.id not in latest or end > latest[case.id][0]:
                    latest[case.id] = (end, holder)
        result[year] = {holder for _, holder in latest.values()}
    return result


def answering_ids(years: list[int]) -> dict[int, set[int]]:
    """The ids of the municipalities that answer for the memberships of each of the years (a member for at least a
    day of it, up to today): each membership's holder on its last member day of the year, so a membership a merger
    continued answers as the successor, and one a merger ended as the predecessor.

    In a fixed number of queries: the database settles a case that was a membership on the year's first day and no
    merger continued (it answers as its municipality); the periods (`membership_days`) are read only for the others
    that changed state during the year and for the continued ones."""
    if not years:
        return {}
    moves = _moves()
    result, unsettled = {year: set() for year in years}, {year: set() for year in years}
    for case_id, organisation_id, *by_year in db.session.execute(_first_day_and_changes(years)):
        for year, member in zip(years, by_year):
            if member and case_id not in moves:
                result[year].add(organisation_id)
            elif member is not None:
                unsettled[year].add(case_id)
    if not any(unsettled.values()):
        return result
    days = _days(_holders(_cases_with_periods(MembershipCase.id.in_(set().union(*unsettled.values()))), moves))
    for year in years:
        mine = [day for day in days if day[1].id in unsettled[year]]
        result[year] |= {holder.id for holder in _holders_in(mine, [year])[year]}
    return result


def members_on(days: list[date]) -> dict[date, set[int]]:
    """The ids of the municipalities that are members on each of the days (the holders of the `membership_days`
    covering it), in a fixed number of queries: the database answers for the cases no merger continued, the
    periods are read for the continued ones."""
    moves = _moves()
    stmt = select(MembershipCase.organisation_id).join(MembershipCase.round).where(
        _ever_member(), MembershipCase.id.not_in(list(moves)), _case_member_on(MembershipCase, InvitationRound))
    result = {day: set(db.session.scalars(stmt.distinct(), on_day(day))) for day in days}
    moved = _days(_holders(_cases_with_periods(MembershipCase.id.in_(list(moves))), moves))
    for day, found in result.items():
        found |= {holder.id for holder, _, period in moved if period.covers(day)}
    return result


def membership_days_around(first: date, last: date) -> list[tuple[Organisation, MembershipCase, Period]]:
    """`membership_days` of the municipalities whose memberships may begin or end from `first` to `last` (every
    period that does is among them, with all the other periods of its holder) and of every case a merger
    continued; only their cases are read."""
    moves = _moves()
    # Between active and notice given the membership goes on, unless a notice that has run out is registered
    # (or withdrawn): while the case's notice runs past `last`, such a step neither begins nor ends one.
    notice_runs = or_(MembershipCase.notice_date.is_(None),
                      MembershipCase.notice_date >= earliest_notice_running_on(last + ONE_DAY))
    changed = select(AuditEvent.id).where(
        AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.object_id == MembershipCase.id,
        AuditEvent.to_state.is_not(None), AuditEvent.at >= clock.start_of(first),
        AuditEvent.at < clock.start_of(last + 2 * ONE_DAY),
        ~and_(AuditEvent.from_state.in_(MEMBER_STATES), AuditEvent.to_state.in_(MEMBER_STATES), notice_runs)).exists()
    # A period begins on a transition's day and ends the day before one, or on the agreement's last day or a year
    # after the notice.
    agreement_last_day = func.coalesce(MembershipCase.agreement_end, InvitationRound.agreement_end)
    notice_ends = and_(MembershipCase.notice_date >= earliest_notice_running_on(first),
                       MembershipCase.notice_date < earliest_notice_running_on(last + ONE_DAY))
    ending = or_(changed, agreement_last_day.between(first, last), notice_ends)
    organisations = set(db.session.scalars(select(MembershipCase.organisation_id).join(MembershipCase.round)
                                           .where(_ever_member(), ending).distinct()))
    organisations |= {merger.successor_id for merger in moves.values()}
    organisations |= {merger.continued_from_id for merger in moves.values() if merger.continued_from_id}
    return _days(_holders(_cases_with_periods(MembershipCase.organisation_id.in_(organisations)), moves))


def _ever_member():
    """SQL: the case may have membership days: none without having been active (in a state the workflow reaches
    from active, checked first as it needs no history)."""
    was_active = select(AuditEvent.id).where(AuditEvent.object_type == MembershipCase.audit_type,
                                             AuditEvent.object_id == MembershipCase.id, AuditEvent.to_state == ACTIVE)
    return and_(MembershipCase.state.in_(SINCE_ACTIVE),
                or_(MembershipCase.state.in_(MEMBER_STATES), was_active.exists()))


def _first_day_and_changes(years: list[int]):
    """(case, its organisation, then for each of the years: True if a membership on its first day, else False if
    it changed state after that day and up to its last day or today, else None) for each case that may have
    membership days, in one statement."""
    today, columns = clock.today(), []
    for year in years:
        first, last = date(year, 1, 1), min(date(year, 12, 31), today)
        changed = select(AuditEvent.id).where(
            AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.object_id == MembershipCase.id,
            AuditEvent.to_state.is_not(None), AuditEvent.at >= clock.start_of(first + ONE_DAY),
            AuditEvent.at < clock.start_of(last + ONE_DAY)).exists()
        # The state changes are looked up only for a case that was no member on the first day.
        member = _case_member_on(MembershipCase, InvitationRound, day=_on_day_literals(first))
        columns.append(sql_case((member, True), (changed, False), else_=None))
    return select(MembershipCase.id, MembershipCase.organisation_id, *columns) \
        .join(MembershipCase.round).where(_ever_member())


def can_edit(user: User, organisation: Organisation) -> bool:
    """The adviser, or the municipality's own contact person, may change its membership details; a party's seats
    only the adviser."""
    return ADVISER in user.roles or (MUNICIPALITY_CONTACT in user.roles and user.organisation_id == organisation.id
                                     and not organisation.is_party)


def admin_contact(organisation: Organisation) -> AdministrativeContact | None:
    # Who changed it last, by name (not their roles and organisation), with it.
    return db.session.scalar(select(AdministrativeContact).where(
        AdministrativeContact.organisation_id == organisation.id)
        .options(joinedload(AdministrativeContact.updated_by).lazyload("*")))


def admin_contacts(organisation_ids: list[int]) -> dict[int, AdministrativeContact]:
    """The administrative contacts of these organisations, by organisation id, in one query."""
    return {contact.organisation_id: contact for contact in db.session.scalars(select(AdministrativeContact).where(
        AdministrativeContact.organisation_id.in_(organisation_ids)))}


def set_admin_contact(organisation: Organisation, actor: User, *, name: str, email: str,
                      title: str | None = None, phone: str | None = None) -> AdministrativeContact:
    """Name or change the municipality's administrative contact person (agreement §10)."""
    contact = admin_contact(organisation)
    before = _contact_facts(contact) if contact else {}
    if contact is None:
        contact = AdministrativeContact(organisation_id=organisation.id)
        db.session.add(contact)
    contact.name, contact.email = name.strip(), email.strip().lower()
    contact.title, contact.phone = (title or "").strip() or None, (phone or "").strip() or None
    contact.updated_at, contact.updated_by_id = clock.now(), actor.id
    db.session.flush()
    after = _contact_facts(contact)
    changed = [field for field in after if after[field] != before.get(field)]
    audit.record(actor, "admin_contact.update", "organisation", organisation.id,
                 data={"contact": contact.id, "changed": changed})
    return contact


def _contact_facts(contact: AdministrativeContact) -> dict:
    """The person's details, which the audit event names only as changed or not."""
    return {"name": contact.name, "title": contact.title, "email": contact.email, "phone": contact.phone}


def end_membership(case: MembershipCase, actor: User | None, data: dict) -> None:
    """The membership of the case ended (notice, merger or expiry): the terms end on its last day, later terms and
    waiting proposals lapse, and no contributions are owed after that year, unless another case keeps the
    municipality a member."""
    from app.services import contributions, representatives  # they import this module

    if member_case(case.organisation) is not None:
        return
    found = member_periods(case)
    # A membership ended the day it began has no last day: it ended before today.
    last_day = found[-1].last if found else clock.today() - ONE_DAY
    reason = f"Medlemskapet ble avsluttet. Siste dag som medlem var {last_day.strftime('%d.%m.%Y')}."
    representatives.end_terms(case.organisation, last_day, actor, reason)
    contributions.stop_after(case.organisation, last_day.year, actor, reason)
