"""What waits for whom: the home page's list of what a person should act on now, kind by kind, and what is due for
one municipality ("Min kommune").

Each kind reads the one rule that decides it (the adviser's inbox in `waiting`, the agreements waiting for a
signature, the seats and terms of `representatives`, the ledger's past-due lines, the open evaluations, the reply
deadline, the notice's last day, the subgroup and cost-key workflows, the meetings' minutes); nothing here decides
it a second time. A kind is counted, and only its first `LIMIT` items are loaded, so the page sends as many
statements for 10 municipalities as for 500.

The adviser's kinds in `SHARED` are the same for every adviser and change only with the data and the day: the caller
may keep them (`for_user`'s `shared`, stored per content version by the home page) as `Section.to_json` gives them.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload

from app import clock
from app.extensions import db
from app.models import (Agreement, Contribution, CostKey, InvitationRound, JoinRequest, MailboxLink, Meeting,
                        MembershipCase, Organisation, Representative, User)
from app.models.case import MUNICIPALITY_PARTY
from app.services import (agreements, evaluations, joins, mailbox_links, members, representatives, subgroups,
                          waiting, workflow)
from workflows import COST_KEY, MEMBERSHIP, SUBGROUP, reply_open
from workflows.dates import earliest_notice_running_on
from workflows.membership import NOTICE_GIVEN
from workflows.roles import ADVISER, MUNICIPALITY_CONTACT, SIGNATORY

LIMIT = 5  # items listed per kind; the rest are behind "se alle"
DEADLINE_NEAR_DAYS = 30  # the adviser sees the municipalities that have not answered this close to their deadline
NOTICE_SOON_DAYS = 60  # a notice's last day of membership this close is shown


@dataclass(frozen=True)
class Item:
    """One thing that waits: where to act on it, for which organisation, since when, and its date."""

    endpoint: str
    values: Mapping = field(default_factory=dict)
    title: str = ""
    organisation: str = ""
    since: date | None = None  # waiting since
    due: date | None = None  # its date: a deadline, a last day, a due date (each kind says which)

    @property
    def named(self) -> bool:
        """Whether the title is a name (a subgroup's or a meeting's), which a translation leaves alone."""
        return self.endpoint in ("subgroups.subgroup_page", "meetings.meeting_page")


@dataclass(frozen=True)
class Section:
    """One kind of thing that waits: how many there are, the first of them, and the page that lists them all."""

    kind: str
    count: int
    items: tuple[Item, ...]
    more: tuple[str, Mapping] | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "count": self.count, "more": self.more, "items": [
            {"endpoint": i.endpoint, "values": dict(i.values), "title": i.title, "organisation": i.organisation,
             "since": _iso(i.since), "due": _iso(i.due)} for i in self.items]}

    @classmethod
    def from_json(cls, data: dict) -> "Section":
        items = tuple(Item(i["endpoint"], i["values"], i["title"], i["organisation"], _from_iso(i["since"]),
                           _from_iso(i["due"])) for i in data["items"])
        return cls(data["kind"], data["count"], items, tuple(data["more"]) if data["more"] else None)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _from_iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def _day(moment: datetime | date | None) -> date | None:
    return clock.day_of(moment) if moment is not None else None


def _first(stmt: Select) -> list:
    return list(db.session.scalars(stmt.limit(LIMIT)))


def _counted(stmt: Select) -> tuple[int, list]:
    """How many rows `stmt` finds, and the first `LIMIT` of them, in one statement."""
    rows = db.session.execute(stmt.add_columns(func.count().over()).limit(LIMIT)).all()
    return (rows[0][1] if rows else 0), [row[0] for row in rows]


# --- what the adviser approves ------------------------------------------------------------------------------------

def approvals(user: User, today: date) -> Section:
    """The adviser's inbox (counted once per request by `waiting`, as the menu's badge), oldest first."""
    counts, found = waiting.counts(), []
    if counts.requests:
        requests = _first(workflow.pending_requests(with_requester=False))
        found += [Item("approvals.detail", {"request_id": r.id}, _(subject.workflow.spec(r.trigger).request_label),
                       _name(getattr(subject, "organisation", None)), _day(r.requested_at))
                  for r, subject in workflow.with_subjects(requests)]
    if counts.representatives:
        found += [Item("approvals.inbox", {"_anchor": "representanter"},
                       _("Representant: %(seat)s", seat=term.seat_label),
                       term.organisation.display_name, _day(term.proposed_at))
                  for term in _first(representatives.proposals_query(details=False))]
    if counts.seconded:
        found += [Item("subgroups.subgroup_page", {"subgroup_id": subgroup.id}, subgroup.name, "",
                       _day(subgroup.state_since)) for subgroup in _first(subgroups.ready_for_decision_query())]
    if counts.contacts:
        links = _first(mailbox_links.awaiting_confirmation_query().options(
            joinedload(MailboxLink.case).joinedload(MembershipCase.organisation)))
        found += [Item("approvals.inbox", {"_anchor": "postmottak"}, _("Ny kontaktperson fra postmottaket"),
                       link.case.organisation.display_name, _day(link.used_at)) for link in links]
    if counts.joins:
        found += [Item("approvals.join_request", {"request_id": asking.id}, _("Ønsker å bli med"),
                       asking.organisation.display_name, _day(asking.created_at))
                  for asking in _first(joins.awaiting_decision_query().options(joinedload(JoinRequest.organisation)))]
    found.sort(key=lambda item: item.since or date.max)
    return Section("approvals", counts.actionable, tuple(found[:LIMIT]), ("approvals.inbox", {}))


def _name(organisation: Organisation | None) -> str:
    return organisation.display_name if organisation is not None else ""


# --- agreements ---------------------------------------------------------------------------------------------------

def _agreements(kind: str, stmt: Select, more: tuple[str, Mapping] | None = None) -> Section:
    count, found = _counted(stmt.join(MembershipCase.organisation).options(
        contains_eager(Agreement.case).contains_eager(MembershipCase.organisation))
        .order_by(Agreement.issued_at, Agreement.id))
    return Section(kind, count, tuple(
        Item("agreements.agreement_page", {"agreement_id": agreement.id},
             _("Samarbeidsavtale %(period)s", period=agreement.period),
             agreement.case.organisation.display_name, _day(agreement.issued_at)) for agreement in found), more)


def to_sign(user: User, today: date) -> Section:
    """The agreements waiting for the signed-in signatory's signature (`agreements.awaiting`)."""
    return _agreements("to_sign", agreements.awaiting(user, agreements.visible_to(user)),
                       ("agreements.agreement_list", {"venter": 1}))


def to_sign_for(organisation: Organisation, today: date) -> Section:
    """The municipality's agreements waiting for its own signature."""
    return _agreements("to_sign_for", agreements.awaiting_party(MUNICIPALITY_PARTY, agreements.current().where(
        MembershipCase.organisation_id == organisation.id)))


def to_activate(user: User, today: date) -> Section:
    """Agreements both parties signed, whose membership the adviser has not activated yet."""
    count, found = _counted(select(MembershipCase).where(MembershipCase.awaiting_activation)
                            .options(joinedload(MembershipCase.organisation))
                            .order_by(MembershipCase.state_since, MembershipCase.id))
    return Section("to_activate", count, tuple(
        Item("cases.case_page", {"case_id": case.id}, "", case.organisation.display_name, _day(case.state_since))
        for case in found), ("cockpit.overview", {"status": "signed"}))


# --- invitations --------------------------------------------------------------------------------------------------

def _answerable(today: date):
    """SQL: invitations that wait for an answer and may still get one today."""
    return MembershipCase.awaiting_reply, reply_open(today, MembershipCase.reply_deadline)


def invitations_near_deadline(user: User, today: date) -> Section:
    """The municipalities that have not answered with their deadline at most `DEADLINE_NEAR_DAYS` away."""
    count, found = _counted(select(MembershipCase).join(MembershipCase.organisation).where(
        *_answerable(today), MembershipCase.reply_deadline <= today + timedelta(days=DEADLINE_NEAR_DAYS))
        .options(contains_eager(MembershipCase.organisation))
        .order_by(MembershipCase.reply_deadline, Organisation.sort_key))
    return Section("invitations_near_deadline", count, tuple(
        Item("cases.case_page", {"case_id": case.id}, "", case.organisation.display_name, None, case.reply_deadline)
        for case in found), ("invitations.round_list", {}))


def invitations_to_answer(organisation: Organisation, today: date) -> Section:
    """The municipality's invitations that wait for its answer, however far the deadline is."""
    found = list(db.session.scalars(select(MembershipCase).where(
        MembershipCase.organisation_id == organisation.id, *_answerable(today))
        .options(joinedload(MembershipCase.round)).order_by(MembershipCase.id)))
    return Section("invitations_to_answer", len(found), tuple(
        Item("municipality.invitation", {"case_id": case.id}, case.round.title, organisation.display_name,
             _day(case.state_since), case.reply_deadline) for case in found[:LIMIT]))


# --- the annual evaluation ----------------------------------------------------------------------------------------

def evaluations_to_answer(organisation: Organisation, today: date) -> Section:
    """The open evaluations the municipality has not answered."""
    found = evaluations.to_answer(organisation)
    return Section("evaluations_to_answer", len(found), tuple(
        Item("evaluations.evaluation_answer", {"year": e.year}, _("Årlig vurdering %(year)s", year=e.year),
             organisation.display_name, _day(e.created_at)) for e in found[:LIMIT]))


def evaluations_unanswered(user: User, today: date) -> Section:
    """The municipalities that have not answered an open evaluation."""
    found = [e for e in evaluations.all_years() if e.is_open]
    count, pairs = evaluations.unanswered(found, LIMIT)
    return Section("evaluations_unanswered", count, tuple(
        Item("evaluations.evaluation", {"year": e.year}, _("Årlig vurdering %(year)s", year=e.year), org.display_name,
             _day(e.created_at)) for e, org in pairs), ("evaluations.evaluation_list", {}))


# --- representatives ----------------------------------------------------------------------------------------------

def _seat_items(organisation: Organisation, seats: list[representatives.Seat]) -> list[Item]:
    return [Item("members.organisation", {"org_id": organisation.id, "_anchor": "representanter"}, seat.label,
                 organisation.display_name, seat.vacant_since, seat.current.ends_on if seat.flagged else None)
            for seat in seats if seat.needs_attention]


def seats_of(organisation: Organisation, today: date) -> Section:
    """The member municipality's seats that are empty, or whose term ends soon with no successor named."""
    found = _seat_items(organisation, representatives.seats(organisation, today)) \
        if members.is_member(organisation) else []
    return Section("seats", len(found), tuple(found[:LIMIT]))


def seats(user: User, today: date) -> Section:
    """Every member municipality's seats that need someone proposed (see `seats_of`)."""
    ending = exists().where(Representative.organisation_id == Organisation.id, representatives.in_office(today),
                            Representative.ends_on <= today + timedelta(days=representatives.TERM_ENDING_DAYS))
    candidates = list(db.session.scalars(
        select(Organisation).where(members.member_now_sql(), or_(
            representatives.seats_filled_on(today) < representatives.TOTAL_SEATS, ending))
        .order_by(Organisation.sort_key), members.on_day(today)))
    seated = representatives.seats_of(candidates, today)
    found = [item for organisation in candidates for item in _seat_items(organisation, seated[organisation.id])]
    return Section("seats", len(found), tuple(found[:LIMIT]), ("members.index", {}))


# --- contributions ------------------------------------------------------------------------------------------------

def _unpaid(organisation: Organisation | None, today: date) -> tuple[int, list[Contribution]]:
    stmt = select(Contribution).join(Contribution.organisation).where(Contribution.past_due(today))
    if organisation is not None:
        stmt = stmt.where(Contribution.organisation_id == organisation.id)
    return _counted(stmt.options(contains_eager(Contribution.organisation))
                    .order_by(Contribution.due_on, Organisation.sort_key, Contribution.id))


def unpaid(user: User, today: date) -> Section:
    """Invoiced contributions unpaid after their due date, every party's."""
    count, found = _unpaid(None, today)
    return Section("unpaid", count, tuple(
        Item("contributions.contribution", {"line_id": line.id}, _("Bidrag %(year)s", year=line.year),
             line.organisation.display_name, None, line.due_on) for line in found),
        ("contributions.contribution_list", {"status": "invoiced"}))


def unpaid_of(organisation: Organisation, today: date) -> Section:
    count, found = _unpaid(organisation, today)
    return Section("unpaid", count, tuple(
        Item("members.organisation", {"org_id": organisation.id, "_anchor": "bidrag"},
             _("Bidrag %(year)s", year=line.year),
             organisation.display_name, None, line.due_on) for line in found))


# --- notices ------------------------------------------------------------------------------------------------------

def _notices(organisation: Organisation | None, today: date) -> list[MembershipCase]:
    """Cases in their notice period whose last day of membership is at most `NOTICE_SOON_DAYS` away."""
    soon = today + timedelta(days=NOTICE_SOON_DAYS)
    # Only the cases whose notice's year runs today and ends by `soon` or whose agreement does are loaded; the last
    # day is `notice_last_day` below.
    agreement_last_day = func.coalesce(MembershipCase.agreement_end, InvitationRound.agreement_end)
    stmt = select(MembershipCase).join(MembershipCase.organisation).join(MembershipCase.round) \
        .where(MembershipCase.state == NOTICE_GIVEN, MembershipCase.notice_date >= earliest_notice_running_on(today),
               or_(MembershipCase.notice_date < earliest_notice_running_on(soon + timedelta(days=1)),
                   agreement_last_day <= soon)) \
        .options(contains_eager(MembershipCase.organisation), contains_eager(MembershipCase.round))
    if organisation is not None:
        stmt = stmt.where(MembershipCase.organisation_id == organisation.id)
    found = [case for case in db.session.scalars(stmt)
             if (last := case.notice_last_day) is not None and today <= last <= soon]
    return sorted(found, key=lambda case: (case.notice_last_day, case.organisation.sort_key))


def notices(user: User, today: date) -> Section:
    found = _notices(None, today)
    return Section("notices", len(found), tuple(
        Item("cases.case_page", {"case_id": case.id}, "", case.organisation.display_name, case.notice_date,
             case.notice_last_day) for case in found[:LIMIT]), ("cockpit.overview", {"status": NOTICE_GIVEN}))


def notices_of(organisation: Organisation, today: date) -> Section:
    found = _notices(organisation, today)
    return Section("membership_ending", len(found), tuple(
        Item("members.organisation", {"org_id": organisation.id}, "", organisation.display_name, case.notice_date,
             case.notice_last_day) for case in found[:LIMIT]))


# --- subgroups, cost-sharing keys and meetings --------------------------------------------------------------------

def subgroups_to_second(user: User, today: date) -> Section:
    """Other members' proposals waiting for a project-group member's support."""
    count, found = _counted(subgroups.to_second_query(user))
    return Section("subgroups_to_second", count, tuple(
        Item("subgroups.subgroup_page", {"subgroup_id": subgroup.id}, subgroup.name, "", _day(subgroup.state_since))
        for subgroup in found), ("subgroups.subgroup_list", {"status": "submitted"}))


def cost_keys_to_decide(user: User, today: date) -> Section:
    """Cost-sharing keys the adviser submitted, waiting for the steering group's decision."""
    count, found = _counted(select(CostKey).where(CostKey.awaiting_decision).order_by(CostKey.state_since, CostKey.id))
    return Section("cost_keys_to_decide", count, tuple(
        Item("cost_keys.key_page", {"key_id": key.id}, key.title, "", _day(key.state_since)) for key in found),
        ("cost_keys.key_list", {}))


def minutes_missing(user: User, today: date) -> Section:
    """Meetings that are over and have no minutes."""
    count, found = _counted(select(Meeting).where(Meeting.ends_at < clock.now(), ~Meeting.has_minutes)
                            .options(lazyload(Meeting.invitees)).order_by(Meeting.ends_at, Meeting.id))
    return Section("minutes_missing", count, tuple(
        Item("meetings.meeting_page", {"meeting_id": meeting.id}, meeting.title, "", _day(meeting.ends_at))
        for meeting in found), ("meetings.meeting_list", {}))


# --- who sees what ------------------------------------------------------------------------------------------------

def _municipality(user: User) -> Organisation | None:
    """The municipality the user acts for (not Bergen, the host, whose signatories act for every agreement)."""
    own = user.organisation
    return own if own is not None and own.is_municipality and not own.is_host else None


def _for_own(read: Callable[[Organisation, date], Section]) -> Callable[[User, date], Section | None]:
    def read_own(user: User, today: date) -> Section | None:
        own = _municipality(user)
        return read(own, today) if own is not None else None
    return read_own


# In the order the home page lists them: (who, what). `who` is a set of roles, any of which shows the kind.
HOME: tuple[tuple[frozenset[str], Callable[[User, date], Section | None]], ...] = (
    (frozenset({ADVISER}), approvals),
    (frozenset({SIGNATORY}), to_sign),
    (MEMBERSHIP.spec("activate").roles, to_activate),
    (frozenset({MUNICIPALITY_CONTACT}), _for_own(invitations_to_answer)),
    (frozenset({ADVISER}), invitations_near_deadline),
    (frozenset({MUNICIPALITY_CONTACT}), _for_own(evaluations_to_answer)),
    (frozenset({ADVISER}), evaluations_unanswered),
    (frozenset({MUNICIPALITY_CONTACT}), _for_own(seats_of)),
    (frozenset({ADVISER}), seats),
    (frozenset({MUNICIPALITY_CONTACT}), _for_own(unpaid_of)),
    (frozenset({ADVISER}), unpaid),
    (frozenset({MUNICIPALITY_CONTACT, SIGNATORY}), _for_own(notices_of)),
    (frozenset({ADVISER}), notices),
    (SUBGROUP.spec("second").roles, subgroups_to_second),
    (COST_KEY.spec("decide").roles, cost_keys_to_decide),
    (frozenset({ADVISER}), minutes_missing),
)

# What is due for one municipality, as "Min kommune" lists it below its membership and the invitations it may
# answer.
MUNICIPALITY = (to_sign_for, evaluations_to_answer, seats_of, unpaid_of, notices_of)


# The adviser's kinds that read no one's own data and not the hour (as `minutes_missing` does): the same for every
# adviser all day until the data changes.
SHARED = frozenset({approvals, to_activate, invitations_near_deadline, evaluations_unanswered, seats, unpaid, notices,
                    cost_keys_to_decide})

Keep = Callable[[str, Callable[[], list]], list]


def _read_now(key: str, read: Callable[[], list]) -> list:
    return read()


def for_user(user: User, shared: Keep = _read_now) -> list[Section]:
    """What waits for `user`, kind by kind (only the kinds with something in them). `shared(key, read)`: the kinds
    of `SHARED` the user sees, as JSON (`read()`, or a copy of what it returned for `key` while the data and the day
    are the same)."""
    today = clock.today()
    mine = [read for roles, read in HOME if roles & user.roles]
    common = [read for read in mine if read in SHARED]
    kept = dict(zip(common, shared(",".join(read.__name__ for read in common),
                                   lambda: [read(user, today).to_json() for read in common]))) if common else {}
    found = []
    for read in mine:
        section = Section.from_json(kept[read]) if read in kept else read(user, today)
        if section is not None and section.count:
            found.append(section)
    return found


def for_organisation(organisation: Organisation) -> list[Section]:
    """What is due for the municipality, kind by kind (only the kinds with something in them)."""
    today = clock.today()
    return [section for read in MUNICIPALITY if (section := read(organisation, today)).count]
