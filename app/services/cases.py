"""Membership cases: inviting a municipality, the facts a transition records, history as of a date."""
from datetime import date, timedelta

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.extensions import db
from app.models import AgreementDocument, AuditEvent, InvitationRound, MembershipCase, Organisation, Signature, User
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import Conflict, ServiceError, audit, workflow
from workflows import MEMBERSHIP
from workflows.membership import ACTIVE, AGREEMENT_PENDING, NOTICE_GIVEN, SIGNED

# A municipality with a case in one of these states is a member or has an agreement to sign: its agreement is
# renewed from that case, and it is not invited again (a second case would make it a member twice).
HOLDING_AGREEMENT = (AGREEMENT_PENDING, SIGNED, ACTIVE, NOTICE_GIVEN)


def agreement_holders(organisation_ids: list[int] | None = None) -> dict[int, int]:
    """Organisation id -> id of its case holding an agreement (see HOLDING_AGREEMENT), of all or of these."""
    stmt = select(MembershipCase.organisation_id, MembershipCase.id).where(
        MembershipCase.state.in_(HOLDING_AGREEMENT))
    if organisation_ids is not None:
        stmt = stmt.where(MembershipCase.organisation_id.in_(organisation_ids))
    return {organisation_id: case_id for organisation_id, case_id in db.session.execute(stmt)}


def already_members(names: list[str]) -> str:
    """Why these municipalities cannot be invited: they are members already."""
    if len(names) == 1:
        return f"{names[0]} er allerede medlem; forny avtalen fra saken i stedet."
    return f"{', '.join(names[:-1])} og {names[-1]} er allerede medlemmer; forny avtalene fra sakene i stedet."


def invite(round_: InvitationRound, organisation: Organisation, actor: User | None) -> MembershipCase:
    """Open a case for a municipality in a round, in the workflow's first state."""
    if not organisation.is_municipality or organisation.is_host:
        raise ServiceError(f"{organisation.name} kan ikke inviteres.")
    if agreement_holders([organisation.id]):
        raise ServiceError(already_members([organisation.name]))
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
