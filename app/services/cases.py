"""Membership cases: inviting a municipality, the facts a transition records, history as of a date."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from app import clock
from app.extensions import db
from app.models import (AgreementDocument, AuditEvent, InvitationRound, MembershipCase, Organisation,
                        OrganisationSuccession, Signature, User)
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import Conflict, ServiceError, audit, workflow
from workflows import MEMBERSHIP, reply_open
from workflows.membership import ACCEPTED, ACTIVE, AGREEMENT_PENDING, INVITED, NOTICE_GIVEN, SIGNED

# A municipality with a case in one of these states is a member or has an agreement to sign: its agreement is
# renewed from that case, and it is not invited again (a second case would make it a member twice).
HOLDING_AGREEMENT = (AGREEMENT_PENDING, SIGNED, ACTIVE, NOTICE_GIVEN)
# A case in one of these states is an open invitation (see _open_now): the municipality is not invited again while
# it runs.
OPEN_INVITATION = (INVITED, ACCEPTED)


@dataclass(frozen=True)
class Refusal:
    """Why an organisation may not be invited, and the case that shows it (None for a dissolved one)."""

    reason: str
    case_id: int | None = None


def _case_reason(case: MembershipCase) -> str:
    if case.state == AGREEMENT_PENDING and case.agreement_start is None:
        return "har en avtale til signering"
    return "er medlem" if case.state in HOLDING_AGREEMENT else "har en åpen sak"


def _open_now(case: MembershipCase) -> bool:
    """An invitation is open from when it was sent (a day replayed before that does not see it) until its deadline;
    once accepted, until the agreement is issued."""
    return case.state_since <= clock.now() and (case.state == ACCEPTED
                                                or reply_open(clock.today(), case.reply_deadline))


def refusals(organisations: list[Organisation], day: date) -> dict[int, Refusal]:
    """Organisation id -> why it may not be invited to answer by `day` (the one rule for inviting): it is dissolved
    by then, or it or its successor is a member, has an agreement to sign or has an open invitation."""
    ids = [o.id for o in organisations]
    successors = {id_: [] for id_ in ids}
    for link in db.session.scalars(select(OrganisationSuccession).where(OrganisationSuccession.predecessor_id.in_(ids))
                                   .options(joinedload(OrganisationSuccession.successor))
                                   .order_by(OrganisationSuccession.id)):
        successors[link.predecessor_id].append(link.successor)
    wanted = set(ids) | {s.id for found in successors.values() for s in found}
    blocking = {}
    for case in db.session.scalars(select(MembershipCase).where(
            MembershipCase.organisation_id.in_(wanted),
            MembershipCase.state.in_(HOLDING_AGREEMENT + OPEN_INVITATION))
            .options(joinedload(MembershipCase.organisation), joinedload(MembershipCase.round))
            .order_by(MembershipCase.id)):
        if case.state in HOLDING_AGREEMENT or _open_now(case):
            blocking.setdefault(case.organisation_id, case)
    found = {}
    for organisation in organisations:
        part_of = ", ".join(s.display_name for s in successors[organisation.id])
        if organisation.active_to is not None and organisation.active_to < day:
            past = organisation.active_to < clock.today()
            reason = f"{'oppløst' if past else 'oppløses'} {organisation.active_to:%d.%m.%Y}" + (
                f", {'nå' if past else 'blir'} del av {part_of}" if part_of else "")
            found[organisation.id] = Refusal(reason)
        elif organisation.id in blocking:
            case = blocking[organisation.id]
            found[organisation.id] = Refusal(_case_reason(case), case.id)
        else:
            case = next((blocking[s.id] for s in successors[organisation.id] if s.id in blocking), None)
            if case is not None:
                found[organisation.id] = Refusal(
                    f"går inn i {case.organisation.display_name}, som {_case_reason(case)}", case.id)
    return found


def may_be_invited_sql():
    """SQL: the organisation of the enclosing query is not refused by `refusals` on the day bound as `day` (values:
    `invitable_on`): not dissolved by then, and neither it nor its successor holds an agreement or an open
    invitation."""
    case, round_ = aliased(MembershipCase), aliased(InvitationRound)
    open_now = and_(case.state.in_(OPEN_INVITATION), case.state_since <= bindparam("now"),
                    or_(case.state == ACCEPTED,
                        func.coalesce(case.deadline_override, round_.reply_deadline) >= bindparam("today")))
    blocked = select(case.organisation_id).join(round_, case.round_id == round_.id).where(
        or_(case.state.in_(HOLDING_AGREEMENT), open_now))
    successor_blocked = select(OrganisationSuccession.predecessor_id).where(
        OrganisationSuccession.successor_id.in_(blocked))
    return and_(or_(Organisation.active_to.is_(None), Organisation.active_to >= bindparam("day")),
                Organisation.id.not_in(blocked), Organisation.id.not_in(successor_blocked))


def invitable_on(day: date) -> dict:
    """The values `may_be_invited_sql` runs with to ask about `day` (today's open invitations)."""
    return {"day": day, "today": clock.today(), "now": clock.now()}


def refusal_message(organisations: list[Organisation], found: dict[int, Refusal]) -> str:
    """The organisations that may not be invited, each with its reason."""
    named = [f"{o.name} ({found[o.id].reason})" for o in sorted(organisations, key=lambda o: o.name) if o.id in found]
    return f"Kan ikke inviteres: {', '.join(named)}. En medlemskommunes avtale fornyes fra saken."


def invite(round_: InvitationRound, organisation: Organisation, actor: User | None) -> MembershipCase:
    """Open a case for a municipality in a round, in the workflow's first state."""
    if not organisation.is_municipality or organisation.is_host:
        raise ServiceError(f"{organisation.name} kan ikke inviteres.")
    refused = refusals([organisation], round_.reply_deadline)
    if refused:
        raise ServiceError(refusal_message([organisation], refused))
    exists = db.session.scalar(select(MembershipCase.id).where(
        MembershipCase.round_id == round_.id, MembershipCase.organisation_id == organisation.id))
    if exists:
        raise ServiceError(f"{organisation.name} er allerede invitert i denne runden.")
    case = MembershipCase(round=round_, organisation=organisation, state=MEMBERSHIP.initial,
                          state_since=clock.now())
    db.session.add(case)
    db.session.flush()
    audit.record(actor, "membership.invite", case.audit_type, case.id, to_state=case.state,
                 data={"round": round_.id})
    return case


def agreement_in_force(case: MembershipCase, actor, data: dict) -> None:
    """The agreement takes effect from the last signature (§13: "trer i kraft fra undertegning")."""
    case.agreement_start = max(s.signed_on for s in case.signatures)


def record_notice(case: MembershipCase, actor, data: dict) -> None:
    notice_date = data.get("notice_date")
    case.notice_date = date.fromisoformat(notice_date) if notice_date else clock.today()
    case.notice_by = data.get("notice_by", MUNICIPALITY_PARTY)


def clear_notice(case: MembershipCase, actor, data: dict) -> None:
    case.notice_date = None
    case.notice_by = None


def sign(case: MembershipCase, party: str, user: User, *, name: str, title: str, signed_on: date,
         method: str = "app", document: AgreementDocument | None = None):
    """Record one party's signature on the current agreement; when both have signed, the case is `signed`.

    `user` is the signatory signing in the app, or the adviser registering a signature from a scanned copy.
    """
    if case.state != AGREEMENT_PENDING or case.agreement is None:
        raise ServiceError("Avtalen kan bare signeres mens den venter på signering.")
    if case.signed_by(party):
        raise ServiceError("Denne parten har allerede signert avtalen.")
    signature = Signature(case_id=case.id, agreement_id=case.agreement.id, party=party, user_id=user.id, name=name,
                          title=title, signed_on=signed_on, signed_at=clock.now(), method=method,
                          document_id=document.id if document else None)
    db.session.add(signature)
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict("Denne parten signerte avtalen akkurat nå, i et annet vindu eller av en annen person.")
    db.session.expire(case, ["signatures"])
    db.session.expire(case.agreement, ["signatures"])
    facts = {"party": party, "signature": signature.id, "signed_on": signed_on.isoformat(), "method": method,
             "agreement": case.agreement.id}
    if document:
        facts |= {"document": document.id, "sha256": document.sha256}
    audit.record(user, "agreement.sign", case.audit_type, case.id, data=facts)
    if case.both_signed:
        return workflow.apply(case, MEMBERSHIP.spec("complete_signing"), user,
                              comment="Begge parter har signert.")
    return None


def state_on(case: MembershipCase, day: date) -> str | None:
    """The case's state at the end of `day`, read from its audit events (None before it existed)."""
    return db.session.scalar(
        select(AuditEvent.to_state).where(
            AuditEvent.object_type == case.audit_type, AuditEvent.object_id == case.id,
            AuditEvent.to_state.is_not(None), AuditEvent.at < clock.start_of(day + timedelta(days=1)))
        .order_by(AuditEvent.seq.desc()).limit(1))


def history(case: MembershipCase, until: date | None = None) -> list[AuditEvent]:
    """The case's audit events, oldest first, optionally only up to the end of `until`."""
    values = {"object_type": case.audit_type, "object_id": case.id}
    if until:
        values["before"] = clock.start_of(until + timedelta(days=1))
    return list(db.session.scalars(_history_query(until is not None), values))


def _history_query(bounded: bool) -> Select:
    stmt = select(AuditEvent).where(AuditEvent.object_type == bindparam("object_type"),
                                    AuditEvent.object_id == bindparam("object_id"))
    if bounded:
        stmt = stmt.where(AuditEvent.at < bindparam("before"))
    return stmt.order_by(AuditEvent.seq)


PARTIES = {MUNICIPALITY_PARTY: "Kommunen", HOST_PARTY: "Bergen kommune"}
