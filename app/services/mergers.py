"""The merger rule, in one place: organisations become one successor from a day, and their memberships follow.

Recording a merger links the predecessors to the successor in the register (their last day is the day before).
On the first day (at once when recorded on or after it, else by the daily tick) the membership the adviser chose
continues as the successor's: the case and what belongs to the predecessor move to the successor, and the agreement
gets a new version naming the successor, which continues the signed original (no new signatures). Every other
membership of the predecessors ends through the workflow's `end_by_merger` on the predecessor's last day.
A membership renewing its agreement (the new one being signed) is in force too; it can only continue, and its new
agreement then names the successor, keeps the signatures given and waits for the others.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, or_, select

from app import clock, letters
from app.extensions import db
from app.formatting import short_date
from app.models import (AdministrativeContact, Agreement, AuditEvent, Contribution, EvaluationResponse, MeetingItem,
                        Merger, MembershipCase, Organisation, OrganisationSuccession, Representative,
                        RepresentativeSeat, TransitionRequest, User, UserRole)
from app.models.meeting import STEERING_MEETING
from app.models.request import PENDING
from app.services import ServiceError, agreements, audit, mail, meeting_items, organisations, workflow
from workflows.periods import MEMBER_STATES, RENEWING
from workflows.roles import MUNICIPALITY_CONTACT

ONE_DAY = timedelta(days=1)


@dataclass
class Plan:
    """What a merger does, checked: the member cases of the predecessors, the one that continues, and the ids of
    what moves to the successor with it (by kind)."""

    successor: Organisation
    predecessors: list[Organisation]
    first_day: date
    member_cases: list[MembershipCase]
    continued: MembershipCase | None
    moves: dict[str, list[int]] = field(default_factory=dict)

    @property
    def ended(self) -> list[MembershipCase]:
        return [case for case in self.member_cases if case is not self.continued]

    @property
    def last_day(self) -> date:
        return self.first_day - ONE_DAY

    @property
    def continues_renewal(self) -> bool:
        """The continued membership is renewing: its new agreement still waits for signatures."""
        return self.continued is not None and self.continued.state in RENEWING


def in_force():
    """SQL: the case is a membership in force: active, in notice, or renewing an agreement it was a member on."""
    renewed_from = select(AuditEvent.from_state).where(
        AuditEvent.object_type == MembershipCase.audit_type, AuditEvent.object_id == MembershipCase.id,
        AuditEvent.to_state.in_(RENEWING), AuditEvent.from_state.not_in(RENEWING)) \
        .order_by(AuditEvent.seq.desc()).limit(1).scalar_subquery()
    return or_(MembershipCase.state.in_(MEMBER_STATES),
               and_(MembershipCase.state.in_(RENEWING), renewed_from.in_(MEMBER_STATES)))


def member_cases(predecessors: list[Organisation]) -> list[MembershipCase]:
    """The predecessors' memberships in force, by organisation."""
    if not predecessors:
        return []
    return list(db.session.scalars(select(MembershipCase).where(
        MembershipCase.organisation_id.in_([org.id for org in predecessors]), in_force())
        .order_by(MembershipCase.organisation_id, MembershipCase.id)))


def plan(predecessors: list[Organisation], successor: Organisation, first_day: date | None,
         continued_case_id: int | None) -> Plan:
    """What `record` would do, or its refusal."""
    if first_day is None:
        raise ServiceError(_("Skriv datoen sammenslåingen gjelder fra."), field="first_day")
    if not predecessors:
        raise ServiceError(_("Velg minst én organisasjon som slås sammen."), field="predecessor_ids")
    if successor in predecessors:
        raise ServiceError(_("%(name)s kan ikke være både før og etter sammenslåingen.",
                             name=successor.display_name),
                           field="successor_id")
    for org in predecessors:
        if org.successor_links:
            raise ServiceError(_("%(name)s er allerede slått sammen med %(successor)s.", name=org.display_name,
                                 successor=org.successor_links[0].successor.display_name), field="predecessor_ids")
        if org.active_to and org.active_to < first_day - ONE_DAY:
            raise ServiceError(_("%(name)s fantes bare til og med %(date)s.", name=org.display_name,
                                 date=short_date(org.active_to)),
                               field="predecessor_ids")
        if org.active_from and org.active_from >= first_day:
            raise ServiceError(_("%(name)s ble opprettet %(date)s, etter sammenslåingen.", name=org.display_name,
                                 date=short_date(org.active_from)), field="predecessor_ids")
    if successor.active_to and successor.active_to < first_day:
        raise ServiceError(_("%(name)s fantes bare til og med %(date)s.", name=successor.display_name,
                             date=short_date(successor.active_to)),
                           field="successor_id")
    found = member_cases(predecessors)
    continued = next((case for case in found if case.id == continued_case_id), None)
    if continued_case_id is not None and continued is None:
        raise ServiceError(_("Avtalen som skal videreføres, må være et medlemskap en av kommunene har nå."),
                           field="continued_case_id")
    if continued is not None and member_cases([successor]):
        raise ServiceError(_("%(name)s er allerede medlem, så ingen avtale kan videreføres.",
                             name=successor.display_name),
                           field="continued_case_id")
    result = Plan(successor, list(predecessors), first_day, found, continued)
    for case in result.ended:
        if case.state in RENEWING:
            raise ServiceError(_("%(name)s fornyer avtalen (den nye avtalen er til signering), og en fornyelse kan "
                                 "ikke avsluttes ved sammenslåing. Velg den som avtalen %(successor)s viderefører.",
                                 name=case.organisation.display_name, successor=successor.display_name),
                               field="continued_case_id")
    if continued is not None:
        result.moves = _moves(continued, successor, first_day)
    return result


def _ids(stmt) -> list[int]:
    return list(db.session.scalars(stmt.order_by("id")))


def _moves(case: MembershipCase, successor: Organisation, first_day: date) -> dict[str, list[int]]:
    """What moves with the continued membership from its organisation to the successor, as ids by kind."""
    org_id = case.organisation_id
    taken_evaluations = select(EvaluationResponse.evaluation_id).where(
        EvaluationResponse.organisation_id == successor.id)
    has_contact = db.session.scalar(select(AdministrativeContact.id).where(
        AdministrativeContact.organisation_id == successor.id)) is not None
    return {
        "case": [case.id],
        "users": _ids(select(User.id).where(User.organisation_id == org_id)),
        "representatives": _ids(select(Representative.id).where(Representative.organisation_id == org_id,
                                                                Representative.ends_on >= first_day)),
        "admin_contact": [] if has_contact else _ids(select(AdministrativeContact.id).where(
            AdministrativeContact.organisation_id == org_id)),
        "requests": _ids(select(TransitionRequest.id).where(
            TransitionRequest.object_type == MembershipCase.audit_type, TransitionRequest.object_id == case.id,
            TransitionRequest.status == PENDING)),
        "contributions": _ids(select(Contribution.id).where(
            Contribution.organisation_id == org_id, Contribution.year >= first_day.year,
            Contribution.cancelled_at.is_(None), Contribution.invoiced_on.is_(None))),
        "evaluations": _ids(select(EvaluationResponse.id).where(
            EvaluationResponse.organisation_id == org_id,
            EvaluationResponse.evaluation_id.not_in(taken_evaluations))),
    }


def record(actor: User | None, predecessors: list[Organisation], successor: Organisation, first_day: date | None,
           continued_case_id: int | None = None, meeting_item: MeetingItem | None = None) -> Merger:
    """Record the merger (the facts of `plan`), with the steering group's agenda item it was decided under (if that
    meeting is in the app); applied at once when its first day has come."""
    checked = plan(predecessors, successor, first_day, continued_case_id)
    merger = Merger(successor_id=successor.id, first_day=first_day, recorded_at=clock.now(),
                    meeting_item_id=meeting_item.id if meeting_item else None,
                    continued_case_id=checked.continued.id if checked.continued else None,
                    continued_from_id=checked.continued.organisation_id if checked.continued else None,
                    recorded_by_id=actor.id if actor else None)
    db.session.add(merger)
    for org in predecessors:
        db.session.add(OrganisationSuccession(predecessor_id=org.id, successor_id=successor.id, first_day=first_day))
        org.active_to = checked.last_day
    db.session.flush()
    db.session.expire(successor, ["predecessor_links"])
    for org in predecessors:
        db.session.expire(org, ["successor_links"])
    organisations.refresh(successor)
    audit.record(actor, "merger.record", merger.audit_type, merger.id, data={
        "successor": successor.id, "predecessors": [org.id for org in predecessors],
        "first_day": first_day.isoformat(), "continued_case": merger.continued_case_id,
        "meeting_item": merger.meeting_item_id})
    if first_day <= clock.today():
        apply(merger, actor)
    return merger


def apply(merger: Merger, actor: User | None) -> Plan:
    """The memberships follow the merger: one continues as the successor's, the others end on the last day."""
    successor = merger.successor
    found = member_cases(merger.predecessors)
    # The chosen case continues only if it is still a membership on the day.
    continued = next((case for case in found if case.id == merger.continued_case_id), None)
    checked = Plan(successor, merger.predecessors, merger.first_day, found, continued)
    reason = (f"Sammenslåing: {', '.join(org.name for org in checked.predecessors)} ble {successor.display_name} "
              f"fra {merger.first_day:%d.%m.%Y}.")
    # A renewal begun after a merger recorded ahead stays the predecessor's case for the adviser to settle.
    ended = [case for case in checked.ended if case.state in MEMBER_STATES]
    for case in ended:
        _end(case, checked.last_day, actor, reason)
    if checked.continued is not None:
        checked.moves = _moves(checked.continued, successor, merger.first_day)
        _continue(checked, actor)
    merger.applied_at = clock.now()
    audit.record(actor, "merger.apply", merger.audit_type, merger.id, data={
        "successor": successor.id, "first_day": merger.first_day.isoformat(),
        "continued_case": checked.continued.id if checked.continued else None,
        "ended_cases": [case.id for case in ended], "moved": checked.moves})
    return checked


def _end(case: MembershipCase, last_day: date, actor: User | None, reason: str) -> None:
    """End the membership on the predecessor's last day, whatever day this runs."""
    if case.end_date is None or case.end_date > last_day:
        case.agreement_end = last_day
    if actor is not None:
        workflow.perform(case, "end_by_merger", actor, comment=reason, data={"last_day": last_day.isoformat()})
    else:
        workflow.apply(case, case.workflow.spec("end_by_merger"), None, comment=reason,
                       data={"last_day": last_day.isoformat()})
    # Ended from the merger's first day, though recorded later: lists say "Avsluttet siden 01.01.2020".
    case.state_since = min(case.state_since, clock.start_of(last_day + timedelta(days=1)))


def _continue(checked: Plan, actor: User | None) -> None:
    case, successor, moves = checked.continued, checked.successor, checked.moves
    predecessor_id = case.organisation_id
    predecessor_name = organisations.official_name(case.organisation, checked.last_day)
    for model, kind in ((User, "users"), (Representative, "representatives"),
                        (AdministrativeContact, "admin_contact"), (Contribution, "contributions"),
                        (EvaluationResponse, "evaluations")):
        for row in db.session.scalars(select(model).where(model.id.in_(moves[kind]))) if moves[kind] else ():
            row.organisation_id = successor.id
    taken = set(db.session.execute(select(RepresentativeSeat.group, RepresentativeSeat.seat).where(
        RepresentativeSeat.organisation_id == successor.id)).all())
    for seat in db.session.scalars(select(RepresentativeSeat).where(
            RepresentativeSeat.organisation_id == predecessor_id)):
        if (seat.group, seat.seat) not in taken:
            seat.organisation_id = successor.id
    case.organisation_id = successor.id
    original = case.agreement
    version = None
    if original is not None:
        original.superseded_at = clock.now()
        version = Agreement(
            case_id=case.id, template_id=original.template_id, language=original.language,
            template_hash=original.template_hash,
            host_name=original.host_name, host_unit=original.host_unit,
            municipality_name=organisations.official_name(successor, checked.first_day),
            contribution=original.contribution, contribution_from=original.contribution_from,
            contribution_to=original.contribution_to, end_date=original.end_date, issued_at=clock.now(),
            issued_by_id=actor.id if actor else None, continues_id=original.id)
        db.session.add(version)
    db.session.flush()
    db.session.expire(case, ["organisation", "agreement", "agreements"])
    audit.record(actor, "merger.continue", case.audit_type, case.id, data={
        "predecessor": predecessor_id, "successor": successor.id, "first_day": checked.first_day.isoformat(),
        "agreement": version.id if version else None, "continues": original.id if original else None})
    _tell_successor(case, successor, version, predecessor_name, checked.first_day)


def _tell_successor(case: MembershipCase, successor: Organisation, agreement: Agreement | None,
                    predecessor_name: str, first_day: date) -> None:
    """The successor's contact persons (or, with none, its official mailbox) hear that the agreement continues."""
    contacts = db.session.scalars(select(User).where(
        User.organisation_id == successor.id, User.active.is_(True),
        User.role_rows.any(UserRole.role == MUNICIPALITY_CONTACT)).order_by(User.id)).all()
    recipients = [user.email for user in contacts] or ([successor.mailbox] if successor.mailbox else [])
    subject = _l("Samarbeidsavtalen videreføres av %(name)s", name=successor.display_name)
    for recipient in recipients:
        mail.queue(recipient, subject, "merger_continued", locale=letters.locale_of(successor),
                   dedupe_key=f"merger:{case.id}:{recipient}",
                   successor=successor, agreement=agreement,
                   predecessor_name=predecessor_name, first_day=first_day,
                   path=agreements._path("cases.case_page", case_id=case.id))


def apply_due(today: date) -> list[str]:
    """Daily: apply the mergers recorded ahead whose first day has come."""
    done = []
    for merger in db.session.scalars(select(Merger).where(Merger.applied_at.is_(None), Merger.first_day <= today)
                                     .order_by(Merger.id)):
        apply(merger, None)
        done.append(f"Sammenslåingen til {merger.successor.display_name} fra {merger.first_day:%d.%m.%Y} er "
                    "gjennomført.")
    return done


def holder_on(case: MembershipCase, day: date) -> Organisation:
    """Whose membership the case was on `day`: the predecessor before a merger that moved it, else its own."""
    moved = db.session.scalar(select(Merger).where(Merger.continued_case_id == case.id,
                                                   Merger.applied_at.is_not(None), Merger.first_day > day)
                              .order_by(Merger.first_day).limit(1))
    return moved.continued_from if moved and moved.continued_from else case.organisation


# --- from the register's form ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Request:
    """The merger as the form asks for it: a successor by id, or (0) a new one made from `official_name` and its
    numbers; the continued case by id, or 0 for none."""

    predecessor_ids: tuple[int, ...]
    first_day: date | None
    successor_id: int
    continued_case_id: int
    official_name: str | None = None
    number: str | None = None
    org_number: str | None = None
    meeting_item_id: int = 0  # the steering group's agenda item it was decided under, or 0


def _predecessors(asked: Request) -> list[Organisation]:
    found = [db.session.get(Organisation, org_id) for org_id in asked.predecessor_ids]
    if not found or None in found:
        raise ServiceError(_("Velg minst én organisasjon som slås sammen."), field="predecessor_ids")
    return found


def _new_successor(asked: Request, predecessors: list[Organisation]) -> dict:
    if not (asked.official_name or "").strip():
        raise ServiceError(_("Skriv det offisielle navnet på den nye organisasjonen, eller velg en som finnes."),
                           field="official_name")
    first = predecessors[0]
    return {"kind": first.kind, "official_name": asked.official_name, "number": asked.number,
            "org_number": asked.org_number, "written_standard": first.written_standard, "region": first.region,
            "active_from": asked.first_day}


def preview(asked: Request) -> Plan:
    """What `record_request` would do (a new successor checked but not yet made), or its refusal."""
    predecessors = _predecessors(asked)
    if asked.successor_id:
        successor = db.session.get(Organisation, asked.successor_id)
    else:
        new = organisations.check_new(**_new_successor(asked, predecessors))
        successor = Organisation(kind=new.kind, name=new.name, official_name=new.official_name,
                                 active_from=new.active_from)
    if successor is None:
        raise ServiceError(_("Velg etterfølgeren fra listen."), field="successor_id")
    return plan(predecessors, successor, asked.first_day, asked.continued_case_id or None)


def record_request(actor: User, asked: Request) -> Merger:
    """Record the merger the form asks for, making the successor in the register first when it is new."""
    checked = preview(asked)
    item = meeting_items.under(asked.meeting_item_id, STEERING_MEETING)
    successor = checked.successor if asked.successor_id else \
        organisations.register(actor, **_new_successor(asked, checked.predecessors))
    return record(actor, checked.predecessors, successor, asked.first_day, asked.continued_case_id or None, item)


def into(org: Organisation) -> list[Merger]:
    """The mergers `org` is the successor of, newest first."""
    return list(db.session.scalars(select(Merger).where(Merger.successor_id == org.id)
                                   .order_by(Merger.first_day.desc(), Merger.id.desc())))
