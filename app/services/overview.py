"""The adviser's overview: every municipality's latest case, searchable, filterable, sortable, as CSV too.

Search, filters and counts run in the database; only the page's cases are loaded as objects.
"""
import csv
import io
import math
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import case as sql_case
from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from app import clock, search
from app.extensions import db
from app.models import InvitationRound, MembershipCase, Organisation, OrganisationSuccession
from app.services import contributions, members, representatives
from app.spreadsheets import safe_cell
from workflows import MEMBERSHIP, next_date, notice_last_day
from workflows.membership import NextDate

SORTS = {"name": _l("Kommune"), "state": _l("Status"), "since": _l("Siden"), "next": _l("Neste dato")}
PER_PAGE = 20


@dataclass
class Row:
    case: MembershipCase
    # Filled in by with_membership_facts: seats filled today (members only), what is owed, who took over.
    seats_filled: int | None = None
    outstanding: int | None = None
    successors: str = ""
    predecessors: str = ""  # the names in lists of those it took over from: "Lindås, Meland, Radøy"

    @property
    def organisation(self) -> Organisation:
        return self.case.organisation

    @cached_property
    def upcoming(self) -> NextDate | None:
        """The case's next date, worked out once for the row (the page asks three times)."""
        return self.case.next_date

    @property
    def next_date(self) -> date | None:
        return self.upcoming.day if self.upcoming else None

    @property
    def next_label(self) -> str:
        return _(self.upcoming.label) if self.upcoming else ""

    @property
    def seats_label(self) -> str:
        """The seats filled out of three ("2 av 3") for a member municipality; empty for the others."""
        return "" if self.seats_filled is None else _("%(filled)s av %(total)s", filled=self.seats_filled,
                                                       total=representatives.TOTAL_SEATS)


def with_membership_facts(found: list[Row]) -> list[Row]:
    """Add the representatives, outstanding contributions and successors to rows, in two queries for any number of
    rows."""
    ids = [row.case.organisation_id for row in found]
    facts = {organisation_id: (member, seats, owed) for organisation_id, member, seats, owed in db.session.execute(
        _facts_query(), {"ids": ids, "today": clock.today(), **members.on_day(clock.today())})}
    successors = {}
    for organisation_id, name, first_day in db.session.execute(_successors_query(), {"ids": ids}):
        successors.setdefault(organisation_id, []).append(_("%(name)s fra %(date)s", name=name, date=_day(first_day)))
    predecessors = {}
    for organisation_id, name in db.session.execute(_predecessors_query(), {"ids": ids}):
        predecessors.setdefault(organisation_id, []).append(name)
    for row in found:
        row.predecessors = ", ".join(predecessors.get(row.case.organisation_id, []))
        member, seats, row.outstanding = facts[row.case.organisation_id]
        row.seats_filled = seats if member else None
        row.successors = ", ".join(successors.get(row.case.organisation_id, []))
    return found


def _successors_query() -> Select:
    return select(OrganisationSuccession.predecessor_id, Organisation.official_name, OrganisationSuccession.first_day) \
        .join(Organisation, Organisation.id == OrganisationSuccession.successor_id) \
        .where(OrganisationSuccession.predecessor_id.in_(bindparam("ids", expanding=True))) \
        .order_by(OrganisationSuccession.first_day, Organisation.sort_key)


def _predecessors_query() -> Select:
    return select(OrganisationSuccession.successor_id, Organisation.name) \
        .join(Organisation, Organisation.id == OrganisationSuccession.predecessor_id) \
        .where(OrganisationSuccession.successor_id.in_(bindparam("ids", expanding=True))) \
        .order_by(OrganisationSuccession.first_day, Organisation.sort_key)


# The four statements marked @cache below are built once, with their values bound when they run: building one of
# this size costs SQLAlchemy more time than running it. make bench 30.11.2026: the overview 188 req/s built per
# call, 366 built once (+95 %). The smaller ones cost under 1 % of the page each, and are built per call.

@cache
def _facts_query() -> Select:
    return select(Organisation.id, members.member_on_sql(), representatives.seats_filled_on(bindparam("today")),
                  contributions.outstanding()).where(Organisation.id.in_(bindparam("ids", expanding=True)))


@cache
def _is_latest():
    """Whether the case is its municipality's case in the most recent round it was invited to (the later case if
    two share a date). For a statement that joins the case's round; built once, as it never changes."""
    later, later_round = aliased(MembershipCase), aliased(InvitationRound)
    return ~select(later.id).join(later_round, later.round_id == later_round.id).where(
        later.organisation_id == MembershipCase.organisation_id,
        or_(later_round.reply_deadline > InvitationRound.reply_deadline,
            and_(later_round.reply_deadline == InvitationRound.reply_deadline, later.id > MembershipCase.id))).exists()


@cache
def _found(searched: bool, by_state: bool, by_region: bool) -> Select:
    """The latest cases passing the search and the filters in use (values: see `_values`)."""
    stmt = select(MembershipCase).join(MembershipCase.organisation).join(MembershipCase.round).where(_is_latest())
    if searched:
        stmt = stmt.where(search.condition(bindparam("wanted"), Organisation))
    if by_state:
        stmt = stmt.where(MembershipCase.state == bindparam("state"))
    if by_region:
        stmt = stmt.where(Organisation.region == bindparam("region"))
    return stmt


def _values(query: str, state: str, region: str) -> tuple[tuple[bool, bool, bool], dict]:
    """Which of the search and filters are in use, and the values they are run with."""
    wanted = search.fold(query)
    return (bool(wanted), bool(state), bool(region)), {"wanted": wanted, "state": state, "region": region}


@cache
def _page_query(used: tuple[bool, bool, bool], sort: str) -> Select:
    return _with_parents(_ordered(_found(*used), sort).limit(bindparam("limit")).offset(bindparam("offset")))


def _count_query(used: tuple[bool, bool, bool]) -> Select:
    return _found(*used).with_only_columns(func.count())


def _total(used: tuple[bool, bool, bool], values: dict, counts: list[tuple[str, str, int]]) -> int:
    """How many cases the search and filters find; without a search or region, read off the state counts."""
    searched, by_state, by_region = used
    if searched or by_region:
        return db.session.scalar(_count_query(used), values)
    by_state_counts = {code: n for code, _, n in counts}
    return by_state_counts.get(values["state"], 0) if by_state else sum(by_state_counts.values())


# What sorting by the next date needs of every case found: plain values, not objects.
_NEXT_DATE_COLUMNS = (MembershipCase.id, MembershipCase.state, MembershipCase.deadline_override,
                      InvitationRound.reply_deadline, MembershipCase.agreement_end, InvitationRound.agreement_end,
                      MembershipCase.notice_date)


def _next_date(state, deadline_override, round_deadline, agreement_end, round_end, notice_date) -> date | None:
    """MembershipCase.next_date from plain values, for sorting without loading the cases."""
    end = agreement_end or round_end
    upcoming = next_date(state, deadline_override or round_deadline, end,
                         notice_last_day(notice_date, end) if notice_date else None)
    return upcoming.day if upcoming else None


def _ordered(stmt, sort: str):
    """The statement sorted in the database, ties by name (every sort but the next date, which is computed)."""
    descending, key = sort.startswith("-"), sort.lstrip("-")
    column = {
        "state": sql_case({state: n for n, state in enumerate(MEMBERSHIP.states)}, value=MembershipCase.state),
        "since": MembershipCase.state_since,
    }.get(key, Organisation.sort_key)
    return stmt.order_by(column.desc() if descending else column, Organisation.sort_key)


def _by_next_date(stmt: Select, values: dict, descending: bool) -> list[int]:
    """The ids of the cases found by their next date, ties by name, those without one last either way."""
    found = db.session.execute(stmt.with_only_columns(*_NEXT_DATE_COLUMNS).order_by(Organisation.sort_key),
                               values).all()
    dated = [(_next_date(*r[1:]), r.id) for r in found]
    # sorted() is stable, also reversed, so ties stay in alphabetical order.
    ordered = sorted(((day, id_) for day, id_ in dated if day), key=lambda pair: pair[0], reverse=descending)
    return [id_ for _, id_ in ordered] + [id_ for day, id_ in dated if day is None]


def _with_parents(stmt: Select) -> Select:
    """The cases with their organisation and round from the same query."""
    return stmt.options(contains_eager(MembershipCase.organisation), contains_eager(MembershipCase.round))


def _rows_by_id(ids: list[int]) -> list["Row"]:
    """The cases with these ids as rows, in the order of the ids."""
    stmt = _with_parents(_found(False, False, False).where(MembershipCase.id.in_(ids)))
    by_id = {case.id: Row(case) for case in db.session.scalars(stmt)}
    return [by_id[id_] for id_ in ids]


def rows(query: str = "", state: str = "", region: str = "", sort: str = "name") -> list[Row]:
    """All the overview's rows after search, filters and sorting (`-since` sorts descending)."""
    used, values = _values(query, state, region)
    if sort.lstrip("-") == "next":
        return _rows_by_id(_by_next_date(_found(*used), values, sort.startswith("-")))
    return [Row(case) for case in db.session.scalars(_with_parents(_ordered(_found(*used), sort)), values)]


def page_of_rows(page: int, counts: list[tuple[str, str, int]], query: str = "", state: str = "", region: str = "",
                 sort: str = "name") -> "ListPage":
    """One page of the overview's rows, with the seats and contributions of the municipalities on it.

    `counts` are the state counts shown on the same page (they give the number found when nothing is searched).
    """
    used, values = _values(query, state, region)
    if sort.lstrip("-") == "next":
        listed = paginate(_by_next_date(_found(*used), values, sort.startswith("-")), page)
        listed.items = _rows_by_id(listed.items)
    else:
        listed = ListPage([], page, PER_PAGE, _total(used, values, counts))
        listed.page = min(max(page, 1), listed.pages)
        listed.items = [Row(case) for case in db.session.scalars(
            _page_query(used, sort), {**values, "limit": PER_PAGE, "offset": (listed.page - 1) * PER_PAGE})]
    with_membership_facts(listed.items)
    return listed


def state_counts() -> list[tuple[str, str, int]]:
    """(state, label, number of municipalities) for every state that has any, in the workflow's order."""
    counts = dict(db.session.execute(_counts_query()).all())
    return [(state, MEMBERSHIP.label(state), counts[state]) for state in MEMBERSHIP.states if state in counts]


def _counts_query() -> Select:
    return select(MembershipCase.state, func.count()).join(MembershipCase.round).where(_is_latest()) \
        .group_by(MembershipCase.state)


@dataclass
class ListPage:
    """One page of an in-memory list, with the attributes the pagination macro reads."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate(items: list, page: int, per_page: int = PER_PAGE) -> ListPage:
    found = page_of(len(items), page, per_page)
    found.items = items[(found.page - 1) * per_page:found.page * per_page]
    return found


def page_of(total: int, page: int, per_page: int = PER_PAGE) -> ListPage:
    """Page `page` of a list of `total` rows (the last for a number past the end), its items not read yet."""
    return ListPage([], min(max(page, 1), max(1, math.ceil(total / per_page))), per_page, total)


CSV_HEADER = [_l("Kommune"), _l("Kommunenummer"), _l("Tidligere"), _l("Etterfølger"), _l("Region"), _l("Status"),
              _l("Status siden"), _l("Neste dato"), _l("Hva skjer da"), _l("Runde"), _l("Representanter"),
              _l("Utestående bidrag (kr)")]


def to_csv(found: list[Row]) -> bytes:
    """The rows as CSV that Excel in Norwegian opens directly: semicolons, UTF-8 with BOM, dd.mm.åååå."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(title) for title in CSV_HEADER])
    for row in with_membership_facts(found):
        org, case = row.organisation, row.case
        writer.writerow([safe_cell(v) for v in (
            org.name, org.number or "", row.predecessors, row.successors, org.region or "",
            MEMBERSHIP.label(case.state), _day(clock.day_of(case.state_since)), _day(row.next_date),
            row.next_label, case.round.title, row.seats_label, "" if row.outstanding is None else str(row.outstanding))])
    return out.getvalue().encode("utf-8-sig")


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""

