"""Links to an organisation's official mailbox (postmottak). An invitation to a municipality with no contact person
goes there with a link to answer it: the link opens a page (a mail scanner opening it changes nothing), the answer
is a POST, and the link works once, until the reply deadline. Only the SHA-256 of the token is stored; the mail
worker makes the token as it sends the mail, so no outbox row holds one (and a retry sends a new link)."""
from dataclasses import replace

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from app import clock, letters
from app.extensions import db
from app.models import MailboxLink, MembershipCase, User
from app.models.invitation import ANSWER_LABELS, NO, YES
from app.models.mailbox_link import REPLY
from app.services import ServiceError, audit, mail, replies, users, workflow
from app.services.mailbox_tokens import digest
from workflows import MEMBERSHIP
from workflows.roles import MUNICIPALITY_CONTACT

INVALID = _l("Lenken er ugyldig. Bruk lenken i den siste e-posten dere fikk, eller ta kontakt med FoU-rådgiveren.")


def sent_to_mailbox(case_ids: list[int]) -> set[int]:
    """The cases whose invitation went to the organisation's official mailbox."""
    return set(db.session.scalars(select(MailboxLink.case_id).where(
        MailboxLink.purpose == REPLY, MailboxLink.case_id.in_(case_ids))))


def send_invitation(case: MembershipCase, subject) -> bool:
    """Queue the invitation to the official mailbox with a link to answer it; False without a mailbox, or if sent."""
    mailbox = case.organisation.mailbox
    if not mailbox:
        return False
    link = db.session.scalar(select(MailboxLink).where(MailboxLink.purpose == REPLY, MailboxLink.case_id == case.id))
    if link is None:
        link = MailboxLink(purpose=REPLY, case_id=case.id, created_at=clock.now())
        db.session.add(link)
        db.session.flush()
    message = mail.queue(mailbox, subject, "mailbox_invitation", locale=letters.locale_of(case.organisation),
                         dedupe_key=f"invitation:{case.id}:mailbox",
                         mailbox_link=link, case=case, round=case.round)
    if message is None:
        return False
    audit.record(None, "invitation.mailbox", case.audit_type, case.id, data={"link": link.id})
    return True


def reply_link(token: str) -> MailboxLink:
    """The link to answer an invitation, while it works: not used, and the reply deadline not passed."""
    link = db.session.scalar(select(MailboxLink).where(MailboxLink.purpose == REPLY,
                                                       MailboxLink.token_hash == digest(token or "")))
    if link is None:
        raise ServiceError(str(INVALID))
    if link.used_at is not None:
        raise ServiceError(_("Invitasjonen er allerede besvart med denne lenken. Ta kontakt med FoU-rådgiveren hvis "
                             "svaret må endres."))
    mode = replies.reply_mode(link.case)
    if mode.kind != "open":
        raise ServiceError(mode.message)
    return link


def answer(token: str, *, answer: str, details: replies.ReplyDetails, comment: str | None = None) -> MailboxLink:
    """Whoever reads the mailbox answers for the municipality: recorded as the municipality's answer (no account
    gave it), with who answered, who gets a receipt; the adviser is then asked to make that person the contact
    person."""
    link = reply_link(token)
    if answer not in (YES, NO):
        raise ServiceError(_("Velg om kommunen takker ja eller nei."), field="answer")
    if not (details.contact_name and details.contact_title and details.contact_email):
        raise ServiceError(_("Skriv navn, stilling og e-postadresse til den som svarer."), field="contact_name")
    case = link.case
    trigger = "accept" if answer == YES else "decline"
    if case.state not in MEMBERSHIP.spec(trigger).sources:
        raise ServiceError(_("Kommunen har allerede svart «%(answer)s».", answer=ANSWER_LABELS[answer]),
                           field="answer")
    used = db.session.execute(update(MailboxLink).where(MailboxLink.id == link.id, MailboxLink.used_at.is_(None))
                              .values(used_at=clock.now()).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise ServiceError(_("Invitasjonen er allerede besvart med denne lenken."))
    db.session.expire(link, ["used_at"])
    details = replace(details, contact_email=users.normalise_email(details.contact_email))
    facts = replies.mailbox_facts(answer, details, comment)
    workflow.apply(case, MEMBERSHIP.spec(trigger), None, comment=facts["comment"], data={"reply": facts})
    link.reply = replies.latest_reply(case)
    mail.queue(details.contact_email, _l("Kvittering: svar på invitasjonen fra Kunnskapskommunen"),
               "mailbox_reply_receipt", locale=letters.locale_of(case.organisation),
               dedupe_key=f"mailbox_receipt:{link.id}", case=case, round=case.round,
               facts=facts, answer_label=ANSWER_LABELS[answer])
    return link


def _awaiting():
    return MailboxLink.reply_id.is_not(None), MailboxLink.decided_at.is_(None)


def awaiting_confirmation_query() -> Select:
    """Answers from a mailbox whose sender the adviser has not yet confirmed (or not) as contact person."""
    return select(MailboxLink).where(*_awaiting()).order_by(MailboxLink.used_at, MailboxLink.id)


def awaiting_count_query():
    return select(func.count()).select_from(MailboxLink).where(*_awaiting())


def _decided(link: MailboxLink, actor: User) -> None:
    if link.reply_id is None or link.decided_at is not None:
        raise ServiceError(_("Svaret er allerede behandlet."))
    link.decided_at, link.decided_by_id = clock.now(), actor.id


def confirm_contact(link: MailboxLink, actor: User) -> User:
    """The person who answered becomes the municipality's contact person: an account, and a link to set a password
    (the new-contact steps of the wiring run as for any new contact person)."""
    _decided(link, actor)
    reply = link.reply
    user = users.create_user(reply.contact_email, reply.contact_name, [MUNICIPALITY_CONTACT],
                             organisation=link.case.organisation, title=reply.contact_title, actor=actor)
    users.send_password_link(user, actor)
    link.contact = user
    audit.record(actor, "invitation.mailbox_contact", link.case.audit_type, link.case_id,
                 data={"link": link.id, "user": user.id})
    return user


def decline_contact(link: MailboxLink, actor: User) -> None:
    """The person who answered does not become contact person (the answer stands)."""
    _decided(link, actor)
    audit.record(actor, "invitation.mailbox_contact_declined", link.case.audit_type, link.case_id,
                 data={"link": link.id})
