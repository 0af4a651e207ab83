"""The adviser's overview: every municipality's latest case, searchable, filterable, sortable, as CSV too."""
import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app import clock
from app.clock import OSLO
from app.extensions import db
from app.models import InvitationRound, MembershipCase, Organisation
from app.services import contributions, members, representatives
from workflows import MEMBERSHIP
from workflows.membership import ACTIVE, INVITED, NOTICE_GIVEN

# Words people add to a name ("Voss herad", "Alver kommune", "kommunane i Nordhordland") that say nothing
# about which municipality they mean.
FILLER = {"kommune", "kommunen", "kommuner", "kommunene", "kommunar", "kommunane", "herad", "heradet",
          "heradskommune", "i", "og"}
FOLDS = (("æ", "ae"), ("ø", "o"), ("å", "a"), ("aa", "a"), ("oe", "o"))
SORTS = {"name": "Kommune", "state": "Status", "since": "Siden", "next": "Neste dato"}
PER_PAGE = 20
NEXT_DATE_LABELS = {INVITED: "Svarfrist", NOTICE_GIVEN: "Oppsigelsen trer i kraft", ACTIVE: "Avtalen utløper"}


def normalise(text: str) -> str:
    """Lower case, Norwegian letters folded to ASCII, filler words dropped: "Voss herad" → "voss"."""
    text = unicodedata.normalize("NFKD", text.lower())
    for letter, ascii_ in FOLDS:
        text = text.replace(letter, ascii_)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in FILLER)


def matches(organisation: Organisation, query: str) -> bool:
    """Whether a search finds the municipality by its name, its name since 2020 or either number."""
    wanted = normalise(query)
    if not wanted:
        return True
    names = (organisation.name, organisation.successor_name or "")
    numbers = (organisation.number, organisation.successor_number)
    return any(wanted in normalise(name) for name in names) or wanted in numbers


def name_key(name: str) -> str:
    """Sort key in Norwegian alphabetical order (æ, ø, å after z)."""
    return name.lower().translate(str.maketrans({"æ": "{0", "ø": "{1", "å": "{2"}))


@dataclass
class Row:
    case: MembershipCase
    # Filled in by with_membership_facts: seats filled today (members only), and what is owed.
    seats_filled: int | None = None
    outstanding: int | None = None

    @property
    def organisation(self) -> Organisation:
        return self.case.organisation

    @property
    def next_date(self) -> date | None:
        """The date that matters next in this state: reply deadline, notice taking effect, agreement end."""
        return {INVITED: self.case.reply_deadline, NOTICE_GIVEN: self.case.notice_effective,
                ACTIVE: self.case.end_date}.get(self.case.state)

    @property
    def next_label(self) -> str:
        return NEXT_DATE_LABELS.get(self.case.state, "") if self.next_date else ""

    @property
    def seats_label(self) -> str:
        """The seats filled out of three ("2 av 3") for a member municipality; empty for the others."""
        return "" if self.seats_filled is None else f"{self.seats_filled} av {representatives.TOTAL_SEATS}"


def with_membership_facts(found: list[Row]) -> list[Row]:
    """Add the representatives and outstanding contributions to rows, a fixed number of queries for any number."""
    ids = [row.case.organisation_id for row in found]
    member_ids = members.members_among(ids)
    filled = representatives.filled_seats(ids, clock.today())
    owed = contributions.outstanding_by_organisation(ids)
    for row in found:
        organisation_id = row.case.organisation_id
        row.seats_filled = filled.get(organisation_id, 0) if organisation_id in member_ids else None
        row.outstanding = owed.get(organisation_id)
    return found


def latest_cases() -> list[MembershipCase]:
    """Each municipality's case in the most recent round it was invited to."""
    stmt = select(MembershipCase).join(MembershipCase.organisation).join(MembershipCase.round) \
        .options(contains_eager(MembershipCase.organisation), contains_eager(MembershipCase.round)) \
        .order_by(InvitationRound.reply_deadline, MembershipCase.id)
    latest = {case.organisation_id: case for case in db.session.scalars(stmt)}
    return list(latest.values())


def rows(query: str = "", state: str = "", region: str = "", sort: str = "name",
         cases: list[MembershipCase] | None = None) -> list[Row]:
    """The overview's rows after search, filters and sorting (`-since` sorts descending)."""
    found = [Row(c) for c in (latest_cases() if cases is None else cases)
             if matches(c.organisation, query) and (not state or c.state == state)
             and (not region or c.organisation.region == region)]
    descending, key_name = sort.startswith("-"), sort.lstrip("-")
    order = list(MEMBERSHIP.states)
    keys = {
        "name": lambda r: name_key(r.organisation.name),
        "state": lambda r: order.index(r.case.state),
        "since": lambda r: r.case.state_since,
        "next": lambda r: r.next_date,
    }
    key = keys.get(key_name, keys["name"])
    found.sort(key=keys["name"])  # ties stay in alphabetical order: the sort below is stable, also reversed
    dated = sorted((r for r in found if key(r) is not None), key=key, reverse=descending)
    return dated + [r for r in found if key(r) is None]  # rows without a next date come last either way


def state_counts(cases: list[MembershipCase] | None = None) -> list[tuple[str, str, int]]:
    """(state, label, number of municipalities) for every state that has any, in the workflow's order."""
    counts: dict[str, int] = {}
    for case in latest_cases() if cases is None else cases:
        counts[case.state] = counts.get(case.state, 0) + 1
    return [(state, label, counts[state]) for state, label in MEMBERSHIP.states.items() if state in counts]


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
    pages = max(1, math.ceil(len(items) / per_page))
    page = min(max(page, 1), pages)
    return ListPage(items[(page - 1) * per_page:page * per_page], page, per_page, len(items))


CSV_HEADER = ["Kommune", "Kommunenummer 2016", "Kommune fra 2020", "Region", "Status", "Status siden",
              "Neste dato", "Hva skjer da", "Runde", "Representanter", "Utestående bidrag (kr)"]


def to_csv(found: list[Row]) -> bytes:
    """The rows as CSV that Excel in Norwegian opens directly: semicolons, UTF-8 with BOM, dd.mm.åååå."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in with_membership_facts(found):
        org, case = row.organisation, row.case
        writer.writerow([_cell(v) for v in (
            org.name, org.number or "", org.successor_name or "", org.region or "", MEMBERSHIP.label(case.state),
            _day(case.state_since.astimezone(OSLO).date()), _day(row.next_date), row.next_label, case.round.title,
            row.seats_label, "" if row.outstanding is None else str(row.outstanding))])
    return out.getvalue().encode("utf-8-sig")


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
