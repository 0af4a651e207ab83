"""Membership cases: inviting a municipality, the facts a transition records, history as of a date."""
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app import clock
from app.extensions import db
from app.formatting import short_date
from app.models import (AgreementDocument, AuditEvent, InvitationRound, MembershipCase, Organisation,
                        OrganisationSuccession, Signature, User)
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import Conflict, ServiceError, audit, workflow
from workflows import MEMBERSHIP
from workflows.membership import ACCEPTED, ACTIVE, AGREEMENT_PENDING, INVITED, NOTICE_GIVEN, SIGNED

# A municipality with a case in one of these states is a member or has an agreement to sign: its agreement is
# renewed from that case, and it is not invited again (a second case would make it a member twice).
HOLDING_AGREEMENT = (AGREEMENT_PENDING, SIGNED, ACTIVE, NOTICE_GIVEN)
# A case in one of these states is an open invitation (see _blocking): the municipality is not invited again while
# it runs.
OPEN_INVITATION = (INVITED, ACCEPTED)


class Refusal(NamedTuple):
    """Why an organisation may not be invited, and the case that shows it (None for a dissolved one)."""

    reason: str
    case_id: int | None = None


def _case_reason(state: str, agreement_start: date | None) -> str:
    if state == AGREEMENT_PENDING and agreement_start is None:
        return _("har en avtale til signering")
    return _("er medlem") if state in HOLDING_AGREEMENT else _("har en åpen sak")


def _blocking(now: datetime, today: date):
    """SQL: the case keeps its municipality from being invited again: it holds an agreement, or it is an open
    invitation. An invitation is open from when it was sent (a day replayed before that does not see it) until its
    deadline, the deadline day itself included (reply_open); once accepted, until the agreement is issued."""
    deadline = func.coalesce(MembershipCase.deadline_override, InvitationRound.reply_deadline)
    return or_(MembershipCase.state.in_(HOLDING_AGREEMENT),
               and_(MembershipCase.state.in_(OPEN_INVITATION), MembershipCase.state_since <= now,
                    or_(MembershipCase.state == ACCEPTED, deadline >= today)))


def refusals(organisations: list[Organisation], day: date, *, every: bool = False) -> dict[int, Refusal]:
    """Organisation id -> why it may not be invited to answer by `day` (the one rule for inviting): it is dissolved
    by then, or it or its successor is a member, has an agreement to sign or has an open invitation.

    `organisations`: anything with their `id` and `active_to`. `every`: they are every municipality (the round
    form's thousand), so the successions and cases are read without naming them."""
    ids = [o.id for o in organisations]
    links = select(OrganisationSuccession.predecessor_id, Organisation.id, Organisation.official_name,
                   Organisation.name).join(Organisation, OrganisationSuccession.successor_id == Organisation.id)
    successors = defaultdict(list)  # id -> [(successor id, its name)]
    for predecessor_id, successor_id, official_name, name in db.session.execute(
            (links if every else links.where(OrganisationSuccession.predecessor_id.in_(ids)))
            .order_by(OrganisationSuccession.id)):
        successors[predecessor_id].append((successor_id, official_name or name))
    today = clock.today()
    held = select(MembershipCase.id, MembershipCase.organisation_id, MembershipCase.state,
                  MembershipCase.agreement_start).join(MembershipCase.round).where(_blocking(clock.now(), today))
    if not every:
        wanted = set(ids) | {successor_id for found in successors.values() for successor_id, _ in found}
        held = held.where(MembershipCase.organisation_id.in_(wanted))
    blocking = {}  # organisation id -> its first blocking case: (case id, reason)
    reasons = {}  # (state, agreement issued) -> the reason, translated once and not for each of hundreds of cases
    for case_id, organisation_id, state, agreement_start in db.session.execute(held.order_by(MembershipCase.id)):
        if organisation_id not in blocking:
            kind = (state, agreement_start is None)
            if kind not in reasons:
                reasons[kind] = _case_reason(state, agreement_start)
            blocking[organisation_id] = (case_id, reasons[kind])
    found = {}
    for organisation_id, active_to in ((o.id, o.active_to) for o in organisations):
        if active_to is not None and active_to < day:
            part_of = ", ".join(name for _, name in successors[organisation_id])
            past = active_to < today
            day_text = short_date(active_to)
            if part_of:
                reason = _("oppløst %(date)s, nå del av %(names)s", date=day_text, names=part_of) if past else \
                    _("oppløses %(date)s, blir del av %(names)s", date=day_text, names=part_of)
            else:
                reason = _("oppløst %(date)s", date=day_text) if past else _("oppløses %(date)s", date=day_text)
            found[organisation_id] = Refusal(reason)
        elif organisation_id in blocking:
            case_id, reason = blocking[organisation_id]
            found[organisation_id] = Refusal(reason, case_id)
        elif organisation_id in successors:
            through = next(((name, *blocking[s]) for s, name in successors[organisation_id] if s in blocking), None)
            if through:
                successor, case_id, reason = through
                found[organisation_id] = Refusal(_("går inn i %(successor)s, som %(reason)s", successor=successor,
                                                           reason=reason), case_id)
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
    return _("Kan ikke inviteres: %(names)s. En medlemskommunes avtale fornyes fra saken.", names=", ".join(named))


def invite(round_: InvitationRound, organisation: Organisation, actor: User | None) -> MembershipCase:
    """Open a case for a municipality in a round, in the workflow's first state."""
    if not organisation.is_municipality or organisation.is_host:
        raise ServiceError(_("%(name)s kan ikke inviteres.", name=organisation.name))
    refused = refusals([organisation], round_.reply_deadline)
    if refused:
        raise ServiceError(refusal_message([organisation], refused))
    exists = db.session.scalar(select(MembershipCase.id).where(
        MembershipCase.round_id == round_.id, MembershipCase.organisation_id == organisation.id))
    if exists:
        raise ServiceError(_("%(name)s er allerede invitert i denne runden.", name=organisation.name))
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
        raise ServiceError(_("Avtalen kan bare signeres mens den venter på signering."))
    if case.signed_by(party):
        raise ServiceError(_("Denne parten har allerede signert avtalen."))
    signature = Signature(case_id=case.id, agreement_id=case.agreement.id, party=party, user_id=user.id, name=name,
                          title=title, signed_on=signed_on, signed_at=clock.now(), method=method,
                          document_id=document.id if document else None, language=case.agreement.language,
                          text_sha256=case.agreement.template_hash)
    db.session.add(signature)
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(_("Denne parten signerte avtalen akkurat nå, i et annet vindu eller av en annen person."))
    db.session.expire(case, ["signatures"])
    db.session.expire(case.agreement, ["signatures"])
    facts = {"party": party, "signature": signature.id, "signed_on": signed_on.isoformat(), "method": method,
             "agreement": case.agreement.id, "language": signature.language, "text_sha256": signature.text_sha256}
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


PARTIES = {MUNICIPALITY_PARTY: _l("Kommunen"), HOST_PARTY: "Bergen kommune"}
