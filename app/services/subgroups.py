"""Subgroups: proposals and the user-representation rule (§7), decisions, members after establishment."""
import json
import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app import clock, letters, search
from app.extensions import db
from app.formatting import short_date
from app.models import AuditEvent, Organisation, Subgroup, SubgroupMember, SubgroupTheme, User, UserRepresentative
from app.models.meeting import PROJECT_MEETING
from app.models.subgroup import THEMES
from app.safe_input import MAX_ID
from workflows.roles import ADMIN, ADVISER, PROJECT_MEMBER
from app.services import ServiceError, audit, mail, meeting_items
from workflows import SUBGROUP
from workflows.subgroup import DRAFT, ESTABLISHED, RETURNED, SECONDED, SUBMITTED

MIN_ASSESSMENT_CHARS = 100
MIN_ASSESSMENT_SENTENCES = 2
EDITABLE = (DRAFT, RETURNED)
AWAITING_DECISION = (SUBMITTED, SECONDED)
NO_REPRESENTATION = _l("Legg til minst én brukerrepresentant, eller skriv en vurdering av hvorfor "
                       "brukerrepresentanter ikke er med (avtalen § 7).")
SHORT_ASSESSMENT = _l("Vurderingen er for kort. Skriv minst %(chars)d tegn og minst %(sentences)d hele setninger om "
                      "hvorfor brukerrepresentanter ikke er med.", chars=MIN_ASSESSMENT_CHARS,
                      sentences=MIN_ASSESSMENT_SENTENCES)


@dataclass
class UserRepresentativeEntry:
    """A user representative as typed into the proposal form."""

    name: str
    represents: str
    contact: str


@dataclass
class Proposal:
    """What the proposer writes, as plain data: the form builds it, the service checks and stores it."""

    name: str
    themes: list[str]
    mandate: str
    chair_id: int
    member_ids: list[int]
    duration: str | None = None
    end_date: date | None = None
    representatives: list[UserRepresentativeEntry] = field(default_factory=list)
    assessment: str | None = None


def sentence_count(text: str) -> int:
    """Sentences in a text: runs of words ended by . ! ? (or by the end of the text)."""
    return sum(1 for part in re.split(r"[.!?]+(?=\s|$)", text) if re.search(r"\w\w", part))


def representation_error(representatives: list, assessment: str | None) -> str | None:
    """Why the proposal does not yet consider user representation, or None when it does."""
    if representatives:
        return None
    text = (assessment or "").strip()
    if not text:
        return str(NO_REPRESENTATION)
    if len(text) < MIN_ASSESSMENT_CHARS or sentence_count(text) < MIN_ASSESSMENT_SENTENCES:
        return str(SHORT_ASSESSMENT)
    return None


def people() -> Select:
    """The people who can chair or join a subgroup: active users from the collaboration's organisations.

    Without their roles, which nobody choosing people reads: loading those for hundreds of people takes a query
    per 500.
    """
    return select(User).join(Organisation, User.organisation_id == Organisation.id) \
        .where(User.active.is_(True)).options(lazyload(User.role_rows)).order_by(User.name)


def search_people(query: str, limit: int = 30, excluding=frozenset()) -> list[User]:
    """People found by `query` in their name, e-mail address or organisation, besides those `excluding`."""
    found = search.where(people(), query, User, Organisation)
    if excluding:
        found = found.where(User.id.not_in(excluding))
    return list(db.session.scalars(found.limit(limit)))


def people_by_id(ids) -> dict[int, User]:
    """The people among `ids`; a number no id can have (from an edited form) finds nobody."""
    ids = {i for i in ids if 0 < i <= MAX_ID}
    return {u.id: u for u in db.session.scalars(people().where(User.id.in_(ids)))} if ids else {}


def proposed_people(subgroup: Subgroup) -> tuple[dict[int, User], list[int]]:
    """people_by_id of the subgroup's members and its chair, and which of them are members, in one statement (the
    members' rows and people_by_id were two)."""
    member = User.id.in_(select(SubgroupMember.user_id).where(SubgroupMember.subgroup_id == subgroup.id))
    rows = db.session.execute(people().add_columns(member).where(or_(member, User.id == subgroup.chair_id))).all()
    return {user.id: user for user, _member in rows}, [user.id for user, is_member in rows if is_member]


def _check(proposal: Proposal) -> tuple[User, list[User]]:
    """Refuse an incomplete proposal; return the chair and the members it names."""
    if not proposal.name.strip():
        raise ServiceError(_("Skriv et navn på undergruppen."), field="name")
    if not proposal.themes or set(proposal.themes) - THEMES.keys():
        raise ServiceError(_("Velg minst ett tema fra samarbeidsområdene i avtalen."), field="themes")
    if not proposal.mandate.strip():
        raise ServiceError(_("Skriv mandatet: hva gruppen skal levere."), field="mandate")
    if not (proposal.duration or "").strip() and proposal.end_date is None:
        raise ServiceError(_("Oppgi forventet varighet eller en sluttdato."), field="duration")
    if proposal.end_date is not None and proposal.end_date <= clock.today():
        raise ServiceError(_("Sluttdatoen må være etter i dag."), field="end_date")
    found = people_by_id([proposal.chair_id, *proposal.member_ids])
    if proposal.chair_id not in found:
        raise ServiceError(_("Velg en leder fra listen over personer."), field="chair_id")
    unknown = set(proposal.member_ids) - found.keys()
    if unknown:
        raise ServiceError(_("Ett eller flere av de foreslåtte medlemmene finnes ikke. Søk dem opp på nytt."),
                           field="member_ids")
    error = representation_error(proposal.representatives, proposal.assessment)
    if error:
        raise ServiceError(error, field="assessment")
    members = [found[i] for i in dict.fromkeys([proposal.chair_id, *proposal.member_ids])]
    return found[proposal.chair_id], members


def _fill(subgroup: Subgroup, proposal: Proposal) -> None:
    """Write a checked proposal onto the subgroup: themes, proposed members and representatives."""
    chair, members = _check(proposal)
    subgroup.name, subgroup.mandate = proposal.name.strip(), proposal.mandate.strip()
    subgroup.duration = (proposal.duration or "").strip() or None
    subgroup.end_date = proposal.end_date
    subgroup.chair = chair
    subgroup.representation_assessment = (proposal.assessment or "").strip() or None
    themes = {row.theme: row for row in subgroup.theme_rows}
    subgroup.theme_rows = [themes.get(code) or SubgroupTheme(theme=code) for code in THEMES
                           if code in proposal.themes]
    proposed = {m.user_id: m for m in subgroup.members}
    subgroup.members = [proposed.get(u.id) or SubgroupMember(user=u) for u in members]
    subgroup.representatives = [
        UserRepresentative(name=r.name.strip(), represents=r.represents.strip(), contact=r.contact.strip())
        for r in proposal.representatives]


def _summary(subgroup: Subgroup) -> dict:
    """What the audit log keeps of a proposal's content: people by id (users, rows of represented users)."""
    return {"name": subgroup.name, "themes": subgroup.themes, "chair": subgroup.chair_id,
            "members": [m.user_id for m in subgroup.members],
            "representatives": [r.id for r in subgroup.representatives],
            "assessment": bool(subgroup.representation_assessment)}


def propose(proposal: Proposal, actor: User) -> Subgroup:
    """A project-group member saves a new proposal as a draft. The caller commits."""
    if PROJECT_MEMBER not in actor.roles:
        raise ServiceError(_("Bare medlemmer av prosjektgruppen kan foreslå undergrupper."))
    subgroup = Subgroup(proposer=actor, state=SUBGROUP.initial, state_since=clock.now(), created_at=clock.now())
    _fill(subgroup, proposal)
    db.session.add(subgroup)
    db.session.flush()
    audit.record(actor, "subgroup.create", subgroup.audit_type, subgroup.id, to_state=subgroup.state,
                 data=_summary(subgroup))
    return subgroup


def edit_refusal(subgroup: Subgroup, actor: User) -> str | None:
    """Why `actor` cannot edit the proposal now, or None."""
    if actor.id != subgroup.proposer_id or PROJECT_MEMBER not in actor.roles:
        return _("Bare den som foreslo undergruppen, kan endre forslaget.")
    if subgroup.state not in EDITABLE:
        return _("Forslaget kan bare endres mens det er et utkast eller er sendt tilbake for endringer.")
    return None


def revise(subgroup: Subgroup, proposal: Proposal, actor: User) -> None:
    """The proposer changes a draft or a returned proposal. The caller commits."""
    reason = edit_refusal(subgroup, actor)
    if reason:
        raise ServiceError(reason)
    _fill(subgroup, proposal)
    db.session.flush()
    audit.record(actor, "subgroup.update", subgroup.audit_type, subgroup.id, data=_summary(subgroup))


def record_decision(subgroup: Subgroup, actor, data: dict) -> None:
    """The date of the project group's decision, as the adviser recorded it, and the project-group meeting's
    agenda item it was made under (if that meeting is in the app)."""
    decided_on = data.get("decided_on")
    subgroup.decided_on = date.fromisoformat(decided_on) if decided_on else clock.today()
    item = meeting_items.under(data.get("meeting_item_id"), PROJECT_MEETING)
    subgroup.meeting_item_id = item.id if item else None


def members_join(subgroup: Subgroup, actor, data: dict) -> None:
    """The proposed members join on the day the group is established, and each gets an e-mail."""
    today = clock.today()
    subgroup.established_on = today
    path = page_path(subgroup)
    for member in subgroup.current_members:
        member.joined_on = member.joined_on or today
        mail.queue(member.user.email, _l("Undergruppen «%(name)s» er etablert", name=subgroup.name),
                   "subgroup_established", locale=letters.locale_of_person(member.user),
                   dedupe_key=f"subgroup-{subgroup.id}-established-{member.user_id}", subgroup=subgroup,
                   person=member.user, path=path)


def members_leave(subgroup: Subgroup, actor, data: dict) -> None:
    """Everyone still in the group leaves it on the day it closes."""
    today = clock.today()
    subgroup.closed_on = today
    for member in subgroup.current_members:
        member.left_on = today


def page_path(subgroup: Subgroup) -> str:
    """The subgroup page's path, also outside a request (the demo story queues mail from the command line)."""
    return current_app.url_map.bind("localhost").build("subgroups.subgroup_page", {"subgroup_id": subgroup.id})


def can_manage_members(subgroup: Subgroup, user: User) -> bool:
    """After establishment the adviser or the group's chair keeps the member list."""
    return subgroup.state == ESTABLISHED and (ADVISER in user.roles or user.id == subgroup.chair_id)


def _require_manager(subgroup: Subgroup, actor: User) -> None:
    if subgroup.state != ESTABLISHED:
        raise ServiceError(_("Medlemmer kan bare legges til eller fjernes mens undergruppen er etablert."))
    if not can_manage_members(subgroup, actor):
        raise ServiceError(_("Bare FoU-rådgiveren eller lederen av undergruppen kan endre medlemmene."))


def current_members(subgroup: Subgroup) -> Select:
    """The members now, in the order they joined, with who they are (without their roles)."""
    return select(SubgroupMember).where(SubgroupMember.subgroup_id == subgroup.id, SubgroupMember.left_on.is_(None)) \
        .options(joinedload(SubgroupMember.user).lazyload(User.role_rows)).order_by(SubgroupMember.id)


def current_member(subgroup: Subgroup, member_id: int) -> SubgroupMember | None:
    """The member `member_id` of the subgroup, while a member (one row, not the hundreds of current_members)."""
    return db.session.scalar(current_members(subgroup).where(SubgroupMember.id == member_id))


def current_member_ids(subgroup: Subgroup) -> set[int]:
    return set(db.session.scalars(select(SubgroupMember.user_id).where(SubgroupMember.subgroup_id == subgroup.id,
                                                                       SubgroupMember.left_on.is_(None))))


def add_member(subgroup: Subgroup, user_id: int, joined_on: date, actor: User) -> SubgroupMember:
    """Add a person to an established subgroup from `joined_on`. The caller commits."""
    _require_manager(subgroup, actor)
    person = people_by_id([user_id]).get(user_id)
    if person is None:
        raise ServiceError(_("Fant ikke personen. Søk på nytt."), field="user_id")
    if any(m.user_id == user_id for m in subgroup.current_members):
        raise ServiceError(_("%(name)s er allerede medlem av undergruppen.", name=person.name), field="user_id")
    if joined_on < subgroup.established_on:
        raise ServiceError(_("Datoen kan ikke være før undergruppen ble etablert (%(date)s).",
                             date=short_date(subgroup.established_on)), field="joined_on")
    member = SubgroupMember(subgroup=subgroup, user=person, joined_on=joined_on)
    db.session.add(member)
    db.session.flush()
    audit.record(actor, "subgroup.member_add", subgroup.audit_type, subgroup.id,
                 data={"user_id": person.id, "joined_on": joined_on.isoformat()})
    return member


def remove_member(subgroup: Subgroup, member_id: int, left_on: date, actor: User) -> SubgroupMember:
    """Record that a member left an established subgroup on `left_on`. The caller commits."""
    _require_manager(subgroup, actor)
    member = current_member(subgroup, member_id)
    if member is None:
        raise ServiceError(_("Personen er ikke medlem av undergruppen."))
    if member.user_id == subgroup.chair_id:
        raise ServiceError(_("Lederen kan ikke fjernes fra undergruppen."))
    if left_on < (member.joined_on or subgroup.established_on):
        raise ServiceError(_("Sluttdatoen kan ikke være før personen ble med i gruppen."), field="left_on")
    member.left_on = left_on
    audit.record(actor, "subgroup.member_remove", subgroup.audit_type, subgroup.id,
                 data={"user_id": member.user_id, "left_on": left_on.isoformat()})
    return member


def listing(viewer: User, *, query: str = "", theme: str = "", state: str = "") -> Select:
    """The subgroups `viewer` may see, filtered, newest first, with their chairs (their names)."""
    stmt = select(Subgroup).options(selectinload(Subgroup.chair).options(lazyload(User.role_rows),
                                                                         lazyload(User.organisation))) \
        .order_by(Subgroup.state_since.desc(), Subgroup.id.desc())
    if not sees_every_draft(viewer):
        stmt = stmt.where(or_(Subgroup.state != DRAFT, Subgroup.proposer_id == viewer.id))
    stmt = search.where(stmt, query, Subgroup)
    if theme in THEMES:
        stmt = stmt.where(Subgroup.theme_rows.any(theme=theme))
    if state in SUBGROUP.states:
        stmt = stmt.where(Subgroup.state == state)
    return stmt


def sees_every_draft(viewer: User) -> bool:
    """Bergen's side lists every draft; anyone else only their own."""
    return bool(viewer.roles & {ADVISER, ADMIN})


def proposals_by(user: User) -> list[Subgroup]:
    """The proposals a person has made, newest first."""
    return list(db.session.scalars(select(Subgroup).where(Subgroup.proposer_id == user.id)
                                   .order_by(Subgroup.created_at.desc(), Subgroup.id.desc())))


def awaiting_decision_query() -> Select:
    """Submitted and seconded proposals the adviser may act on, oldest first (with the proposer's name, not the
    themes)."""
    return select(Subgroup).where(Subgroup.state.in_(AWAITING_DECISION)).order_by(Subgroup.state_since, Subgroup.id) \
        .options(lazyload(Subgroup.theme_rows),
                 selectinload(Subgroup.proposer).options(lazyload(User.role_rows), lazyload(User.organisation)))


def awaiting_decision_count_query() -> Select:
    return select(func.count()).select_from(Subgroup).where(Subgroup.state.in_(AWAITING_DECISION))


def ready_for_decision_query() -> Select:
    """Seconded proposals, ready for the adviser to record the project group's decision, oldest first."""
    return select(Subgroup).where(Subgroup.state == SECONDED).order_by(Subgroup.state_since, Subgroup.id)


def ready_for_decision_count_query() -> Select:
    return select(func.count()).select_from(Subgroup).where(Subgroup.state == SECONDED)


def to_second_query(user: User) -> Select:
    """Submitted proposals `user` may second (the workflow's "second": another member's proposal), oldest first."""
    return select(Subgroup).where(Subgroup.awaiting_support, Subgroup.proposer_id != user.id) \
        .order_by(Subgroup.state_since, Subgroup.id)


def history(subgroup: Subgroup) -> list[AuditEvent]:
    return audit.events_for(subgroup.audit_type, subgroup.id)


@dataclass
class History:
    """Events of a subgroup's history, oldest first, how many it has in all, and the people they name as members
    (read in one query, so that writing each line finds its person already loaded)."""

    events: list[AuditEvent]
    total: int
    people: list[User]


def page_history(subgroup: Subgroup, latest: int | None) -> History:
    """The subgroup's history for its page: the last `latest` events, or all (None)."""
    if latest is None:
        events = history(subgroup)
        total = len(events)
    else:
        events, total = audit.latest_events_for(subgroup.audit_type, subgroup.id, latest)
    named = {json.loads(event.data)["user_id"] for event in events
             if event.action in ("subgroup.member_add", "subgroup.member_remove") and event.data}
    people = list(db.session.scalars(select(User).where(User.id.in_(named)).options(lazyload(User.role_rows))))
    return History(events, total, people)


def members_query(subgroup: Subgroup) -> Select:
    """The subgroup's members (proposed, joined and left), in the order they were added, with who they are."""
    return select(SubgroupMember).where(SubgroupMember.subgroup_id == subgroup.id).order_by(SubgroupMember.id) \
        .options(joinedload(SubgroupMember.user).lazyload(User.role_rows))


def last_comment(subgroup: Subgroup, trigger: str) -> str | None:
    """The comment of the latest `trigger` step: the final report of `close`, what to change after a return."""
    return db.session.scalar(select(AuditEvent.comment).where(
        AuditEvent.object_type == subgroup.audit_type, AuditEvent.object_id == subgroup.id,
        AuditEvent.action == f"{SUBGROUP.name}.{trigger}").order_by(AuditEvent.seq.desc()).limit(1))
