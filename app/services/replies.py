"""Answers to an invitation: the reply form's state, answering, late replies, receipts, the reply rows, and the
replies as documents in the case's archive."""
import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from functools import partial

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from app import clock, letters
from app.extensions import db
from app.formatting import short_date
from app.models import InvitationReply, InvitationRound, MembershipCase, User
from app.models.invitation import ANSWER_LABELS, NO, YES
from app.models.request import TransitionRequest
from app.services import ServiceError, archive, audit, invitation_mail, organisations, workflow
from workflows import MEMBERSHIP
from workflows.membership import ACCEPTED, DECLINED, INVITED, NO_REPLY, WITHDRAWN
from workflows.roles import MUNICIPALITY_CONTACT


@dataclass
class ReplyDetails:
    """What a municipality tells us with its answer, besides yes or no."""

    contact_name: str
    contact_title: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    steering_rep: str | None = None
    project_rep_1: str | None = None
    project_rep_2: str | None = None


@dataclass
class ReplyMode:
    """Whether the reply form is open for a case, and what to tell the contact person if not."""

    kind: str  # open | late | late_pending | closed
    message: str = ""
    pending: TransitionRequest | None = None


def reply_mode(case: MembershipCase) -> ReplyMode:
    today = clock.today()
    deadline = short_date(case.reply_deadline)
    if case.state == WITHDRAWN:
        return ReplyMode("closed", _("Invitasjonen er trukket tilbake og kan ikke besvares."))
    if case.state in (INVITED, ACCEPTED, DECLINED) and case.guard_context(today).reply_open():
        return ReplyMode("open")
    if case.state in (INVITED, NO_REPLY) and _newer_invitation(case):
        return ReplyMode("closed", _("Svarfristen gikk ut %(date)s. Kommunen har fått en nyere invitasjon.",
                                            date=deadline))
    if case.state in (INVITED, NO_REPLY):
        pending = workflow.pending_request(case, "accept_late")
        if pending:
            return ReplyMode("late_pending", _("Svarfristen gikk ut %(date)s. Forespørselen om å få svare ja etter "
                                               "fristen venter på FoU-rådgiverens godkjenning.", date=deadline),
                             pending)
        if not case.guard_context(today).invitation_open():
            return ReplyMode("closed", _("Svarfristen gikk ut %(date)s, og invitasjonsrunden er lukket. Vil kommunen "
                                         "være med, kan den be om å bli med eller bli invitert i en ny runde.",
                                         date=deadline))
        return ReplyMode("late", _("Svarfristen gikk ut %(date)s, og svarskjemaet er stengt. Ønsker dere likevel "
                                   "å være med, kan dere be FoU-rådgiveren om å få svare ja etter fristen.",
                                   date=deadline))
    if case.state in (ACCEPTED, DECLINED):
        return ReplyMode("closed", _("Svarfristen gikk ut %(date)s, og svaret kan ikke endres lenger. Ta kontakt "
                                     "med FoU-rådgiveren hvis noe må rettes.", date=deadline))
    return ReplyMode("closed", _("Svaret kan ikke endres etter at samarbeidsavtalen er sendt til signering."))


def _newer_invitation(case: MembershipCase) -> bool:
    return db.session.scalar(select(func.count()).select_from(MembershipCase).join(InvitationRound).where(
        MembershipCase.organisation_id == case.organisation_id,
        InvitationRound.reply_deadline > case.round.reply_deadline)) > 0


def current_answer(case: MembershipCase) -> str | None:
    return {ACCEPTED: YES, DECLINED: NO}.get(case.state)


def reply(case: MembershipCase, user: User, *, answer: str, details: ReplyDetails,
          comment: str | None = None) -> InvitationReply:
    """A contact person answers yes or no, or changes the answer, before the deadline. The caller commits."""
    mode = reply_mode(case)
    if mode.kind != "open":
        raise ServiceError(mode.message)
    if answer not in (YES, NO):
        raise ServiceError(_("Velg om kommunen takker ja eller nei."), field="answer")
    facts = _facts(user, answer, details, comment)
    if answer == current_answer(case):
        # The same answer again, with new details: no transition, but recorded all the same.
        if not case.roles_of(user) & MEMBERSHIP.spec("accept").roles:
            raise ServiceError(_("Bare kommunens kontaktperson eller FoU-rådgiveren kan svare på invitasjonen."))
        row = _store_reply(case, facts, late=False)
        audit.record(user, "invitation.reply_update", case.audit_type, case.id, comment=facts["comment"],
                     data={"reply_id": row.id})  # the reply row holds the details about people
    else:
        workflow.perform(case, "accept" if answer == YES else "decline", user, comment=facts["comment"],
                         data={"reply": facts})
        row = latest_reply(case)
    _send_receipt(case, user, facts, late=False)
    return row


def request_late_reply(case: MembershipCase, user: User, *, details: ReplyDetails,
                       comment: str | None = None) -> TransitionRequest:
    """After the deadline: ask the adviser to accept a yes; the answer is stored when they approve."""
    mode = reply_mode(case)
    if mode.kind != "late":
        raise ServiceError(mode.message or _("Svarfristen har ikke gått ut: bruk det vanlige svarskjemaet."))
    facts = _facts(user, YES, details, comment)
    request = workflow.perform(case, "accept_late", user, comment=facts["comment"], data={"reply": facts})
    _send_receipt(case, user, facts, late=True)
    return request


def _facts(user: User | None, answer: str, details: ReplyDetails, comment: str | None) -> dict:
    if answer == NO:
        details = replace(details, steering_rep=None, project_rep_1=None, project_rep_2=None)
    return {"answer": answer, **asdict(details), "comment": (comment or "").strip() or None,
            "by": user.id if user else None, "at": clock.now().isoformat()}


def mailbox_facts(answer: str, details: ReplyDetails, comment: str | None) -> dict:
    """An answer given through the link sent to the official mailbox: from the municipality, by no account."""
    return _facts(None, answer, details, comment)


def last_late_request(case: MembershipCase) -> TransitionRequest | None:
    """The most recent request to answer yes after the deadline, whatever became of it."""
    return db.session.scalar(select(TransitionRequest).where(
        TransitionRequest.object_type == case.audit_type, TransitionRequest.object_id == case.id,
        TransitionRequest.trigger == "accept_late").order_by(TransitionRequest.id.desc()).limit(1))


def late_request_facts(request: TransitionRequest) -> dict:
    """The reply a pending late request carries."""
    return json.loads(request.data or "{}").get("reply", {})


def _send_receipt(case: MembershipCase, user: User, facts: dict, *, late: bool) -> None:
    """To the contact person who answered; a reply the adviser registered, to the municipality's contact persons."""
    subject = _l("Kvittering: forespørsel om å svare ja etter fristen") if late \
        else _l("Kvittering: svar på invitasjonen fra Kunnskapskommunen")
    recipients = [user] if MUNICIPALITY_CONTACT in case.roles_of(user) else invitation_mail.contacts(
        case.organisation_id)
    for recipient in recipients:
        invitation_mail.send(case, recipient, subject, "reply_receipt", facts=facts,
                             answer_label=ANSWER_LABELS[facts["answer"]], late=late)


def _store_reply(case: MembershipCase, facts: dict, *, late: bool) -> InvitationReply:
    fields = {name: (facts.get(name) or None) for name in ReplyDetails.__dataclass_fields__}
    row = InvitationReply(case_id=case.id, answer=facts["answer"], late=late, comment=facts.get("comment"),
                          answered_by_id=facts.get("by"), answered_at=datetime.fromisoformat(facts["at"]), **fields)
    db.session.add(row)
    db.session.flush()
    return row


def record_reply(case: MembershipCase, actor: User | None, data: dict) -> None:
    """Every answer is kept as a reply row, also one the adviser registers from a letter or an e-mail."""
    facts = dict(data.get("reply") or {})
    facts.setdefault("by", actor.id if actor else None)
    facts.setdefault("at", clock.now().isoformat())
    facts["answer"] = YES if case.state == ACCEPTED else NO
    answered_on = clock.day_of(datetime.fromisoformat(facts["at"]))
    row = _store_reply(case, facts, late=answered_on > case.reply_deadline)
    if actor is not None and row.answered_by_id not in (None, actor.id):
        # Someone else's late answer was just accepted by the adviser: tell the one who asked.
        invitation_mail.send(case, db.session.get(User, row.answered_by_id), _l("Svaret etter fristen er godtatt"),
                             "late_reply_accepted")


def latest_reply(case: MembershipCase) -> InvitationReply | None:
    return db.session.scalar(select(InvitationReply).where(InvitationReply.case_id == case.id)
                             .order_by(InvitationReply.id.desc()).limit(1))


def latest_replies(case_ids: list[int]) -> dict[int, InvitationReply]:
    latest = select(func.max(InvitationReply.id)).where(InvitationReply.case_id.in_(case_ids)) \
        .group_by(InvitationReply.case_id)
    return {r.case_id: r for r in db.session.scalars(select(InvitationReply).where(InvitationReply.id.in_(latest))
                                                     .options(joinedload(InvitationReply.answered_by)
                                                              .lazyload(User.role_rows)))}


def reply_documents(case: MembershipCase) -> list[archive.Document]:
    """Each answer the municipality gave, as a letter from it (outgoing in its archive)."""
    # The list needs three columns of each reply; the whole reply is read only to make its PDF.
    rows = db.session.execute(_replies_query(), {"case_id": case.id})
    return [archive.Document(
        f"svar-{id_}", _("Svar på invitasjonen: %(answer)s", answer=ANSWER_LABELS[answer]), day, "U",
        organisations.official_name(case.organisation, day), archive.HOST, partial(_reply_pdf, case, id_))
        for id_, answer, day in ((id_, answer, clock.day_of(answered_at))
                                 for id_, answer, answered_at in rows)]


def _reply_pdf(case: MembershipCase, reply_id: int) -> bytes:
    # The HTML is made on every fetch (its fingerprint finds the kept PDF): one query for the reply and who gave it.
    reply = db.session.get(InvitationReply, reply_id,
                           options=[joinedload(InvitationReply.answered_by).lazyload(User.role_rows)])
    return archive.pdf("reply", reply_id, "archive/reply_pdf.html", letters.locale_of(case.organisation), case=case,
                       reply=reply, recipient=archive.HOST)


def _replies_query() -> Select:
    return select(InvitationReply.id, InvitationReply.answer, InvitationReply.answered_at) \
        .where(InvitationReply.case_id == bindparam("case_id")).order_by(InvitationReply.id)
