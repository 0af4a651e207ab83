"""Personal data (GDPR): everything stored about a person, and anonymising someone who has left."""
import json
import re
from collections.abc import Callable
from datetime import date, datetime

from flask_babel import gettext as _, lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import and_, delete, false, func, or_, select
from sqlalchemy.orm import contains_eager

from app import clock
from app.extensions import db
from app.models import (AdministrativeContact, AgreementDocument, AuditEvent, CalendarToken, ConferenceRegistration,
                        InvitationReply, LoginAttempt, LoginSession, Meeting, MeetingInvitee, MembershipCase,
                        Organisation, OutboxMessage, Representative, Signature, Subgroup, SubgroupMember,
                        TransitionRequest, User, UserRepresentative)
from app.services import ServiceError, audit, conferences, rendered_pdfs, stored_documents, users

REMOVED = "(Innholdet er fjernet fordi personen er anonymisert.)"
ARCHIVE_KEPT = _l("Disse arkivdokumentene navngir personen og beholdes også om personen anonymiseres: "
                  "underskrifter på samarbeidsavtaler, de signerte avtalene og skannede kopier av dem, og "
                  "møtereferater. De dokumenterer kommunenes avtaler og vedtak og skal arkiveres etter arkivlova; "
                  "personvernforordningen art. 17 nr. 3 bokstav b og d gjør unntak fra retten til sletting for dem. "
                  "Se personvernerklæringen.")
SIGNATURE_METHODS = {"app": _l("signert i intranettet"), "upload": _l("registrert fra skannet, signert avtale")}
# What an answer to an invitation says about people (see replies.ReplyDetails).
REPLY_CONTACT = ("contact_name", "contact_title", "contact_email", "contact_phone")
REPLY_REPRESENTATIVES = ("steering_rep", "project_rep_1", "project_rep_2")
REPLY_FIELDS = REPLY_CONTACT + REPLY_REPRESENTATIVES


def _value(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _row(obj, *columns: str) -> dict:
    return {column: _value(getattr(obj, column)) for column in columns}


def _person(user: User) -> dict:
    return {**_row(user, "id", "email", "name", "title", "phone", "active", "created_at", "anonymised_at"),
            "organisation": user.organisation.display_name if user.organisation else None,
            "roles": sorted(user.roles), "has_password": user.password_hash is not None}


def _login_attempts(user: User) -> list[dict]:
    rows = db.session.scalars(select(LoginAttempt).where(LoginAttempt.email == user.email).order_by(LoginAttempt.at))
    return [_row(r, "at", "success", "remote_addr") for r in rows]


def _sessions(user: User) -> list[dict]:
    rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)
                              .order_by(LoginSession.created_at))
    return [_row(r, "created_at", "last_seen", "ended_at") for r in rows]


def _audit_events(user: User) -> list[dict]:
    rows = db.session.scalars(select(AuditEvent).where(or_(
        AuditEvent.actor_id == user.id, and_(AuditEvent.object_type == "user", AuditEvent.object_id == user.id)))
        .order_by(AuditEvent.seq))
    return [{**_row(e, "seq", "at", "action", "object_type", "object_id", "from_state", "to_state", "comment",
                    "data"), "made_by_person": e.actor_id == user.id} for e in rows]


def _mail(user: User) -> list[dict]:
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                              .order_by(OutboxMessage.id))
    return [_row(m, "created_at", "sent_at", "subject", "body_text") for m in rows]


def _meetings(user: User) -> list[dict]:
    rows = db.session.execute(select(Meeting, MeetingInvitee.attendance).join(MeetingInvitee)
                              .where(MeetingInvitee.user_id == user.id).order_by(Meeting.starts_at))
    return [{"title": m.title, "starts_at": _value(m.starts_at), "place": m.place, "attendance": attendance}
            for m, attendance in rows]


def _conference_registrations(user: User) -> list[dict]:
    rows = db.session.scalars(select(ConferenceRegistration).where(
        func.lower(ConferenceRegistration.email) == user.email.lower()).order_by(ConferenceRegistration.id))
    return [{"conference": r.conference.title, "held_on": _value(r.conference.held_on),
             **_row(r, "name", "email", "organisation_text", "dietary_needs", "language", "state", "created_at"),
             "organisation": r.organisation.display_name if r.organisation else None} for r in rows]


def _signatures(user: User) -> list[Signature]:
    """The signatures the person made in the app or registered from a scanned copy (the adviser), and those made
    under their name for their organisation (a scanned copy the adviser registered)."""
    rows = db.session.scalars(select(Signature).join(MembershipCase).where(or_(
        Signature.user_id == user.id, _own_organisation(MembershipCase.organisation_id, user))).order_by(Signature.id))
    return [s for s in rows if s.user_id == user.id or _same(s.name, user.name)]


def _archive_records(user: User) -> dict:
    """What names the person in the archive and is kept when they are anonymised (see ARCHIVE_KEPT)."""
    signatures = _signatures(user)
    agreements = {s.agreement_id for s in signatures if s.agreement_id is not None}
    documents = db.session.scalars(select(AgreementDocument).where(or_(
        AgreementDocument.agreement_id.in_(agreements), AgreementDocument.uploaded_by_id == user.id))
        .order_by(AgreementDocument.id))
    minutes = db.session.scalars(select(Meeting).join(MeetingInvitee).where(
        MeetingInvitee.user_id == user.id, Meeting.has_minutes)
        .order_by(Meeting.starts_at))
    return {
        "note": str(ARCHIVE_KEPT),
        "signatures": [{**_row(s, "case_id", "agreement_id", "party", "name", "title", "signed_on", "signed_at",
                                "method"),
                        "municipality": s.case.organisation.display_name,
                        "how": str(SIGNATURE_METHODS.get(s.method, s.method))} for s in signatures],
        "signed_agreements": sorted(agreements),
        "scanned_copies": [_row(d, "agreement_id", "party", "filename", "uploaded_at") for d in documents],
        "meeting_minutes": [{"title": m.title, "starts_at": _value(m.starts_at), "pdf": m.minutes_file is not None}
                            for m in minutes],
    }


def _representative_rows(user: User) -> list[Representative]:
    """The person's terms as a representative: linked to their user, or under their e-mail address."""
    return list(db.session.scalars(select(Representative).where(or_(
        Representative.user_id == user.id, Representative.email == user.email)).order_by(Representative.id)))


def _representatives(user: User) -> list[dict]:
    return [{**_row(r, "id", "name", "title", "email", "phone", "starts_on", "ends_on", "state", "proposed_at"),
             "municipality": r.organisation.display_name, "seat": r.seat_label,
             "linked_by": _("bruker") if r.user_id == user.id else _("e-post")}
            for r in _representative_rows(user)]


def _calendar_links(user: User) -> list[dict]:
    rows = db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id)
                              .order_by(CalendarToken.id))
    return [_row(t, "created_at", "revoked_at") for t in rows]


def _same(text: str | None, wanted: str) -> bool:
    return bool(text) and text.strip().casefold() == wanted.strip().casefold()


def _reply_fields_naming(facts: dict, user: User, own: bool) -> list[str]:
    """The fields of a reply that are about the person: the contact, when the reply gives their e-mail address, or
    their name in a reply from them or their organisation (`own`); there also a proposed representative by name."""
    fields = []
    if _same(facts.get("contact_email"), user.email) or (own and _same(facts.get("contact_name"), user.name)):
        fields += REPLY_CONTACT
    if own:
        fields += [field for field in REPLY_REPRESENTATIVES if _same(facts.get(field), user.name)]
    return fields


def _own_organisation(column, user: User):
    return column == user.organisation_id if user.organisation_id is not None else false()


def _reply_rows(user: User) -> list[tuple[InvitationReply, list[str]]]:
    """Answers to invitations the person gave or is named in, with the fields naming them."""
    rows = db.session.scalars(select(InvitationReply).join(MembershipCase).options(contains_eager(
        InvitationReply.case)).where(or_(
            InvitationReply.answered_by_id == user.id, _own_organisation(MembershipCase.organisation_id, user),
            func.lower(InvitationReply.contact_email) == user.email.lower())).order_by(InvitationReply.id))
    found = []
    for row in rows:
        own = row.answered_by_id == user.id or row.case.organisation_id == user.organisation_id
        fields = _reply_fields_naming({f: getattr(row, f) for f in REPLY_FIELDS}, user, own)
        if fields or row.answered_by_id == user.id:
            found.append((row, fields))
    return found


def _replies(user: User) -> list[dict]:
    return [{**_row(r, "answer", "late", "answered_at", "comment", *REPLY_FIELDS),
             "municipality": r.case.organisation.display_name, "answered_by_person": r.answered_by_id == user.id,
             "fields_naming_person": fields} for r, fields in _reply_rows(user)]


def _request_rows(user: User) -> list[tuple[TransitionRequest, list[str]]]:
    """Requests the person made or decided, and those whose reply (a late answer waiting, or decided) names them."""
    rows = db.session.execute(select(TransitionRequest, MembershipCase.organisation_id).outerjoin(
        MembershipCase, and_(TransitionRequest.object_type == MembershipCase.audit_type,
                             TransitionRequest.object_id == MembershipCase.id)).where(or_(
            TransitionRequest.requested_by_id == user.id, TransitionRequest.decided_by_id == user.id,
            TransitionRequest.data.is_not(None))).order_by(TransitionRequest.id))
    found = []
    for request, organisation_id in rows:
        reply = json.loads(request.data).get("reply") if request.data else None
        own = request.requested_by_id == user.id or (
            organisation_id is not None and organisation_id == user.organisation_id)
        fields = _reply_fields_naming(reply, user, own) if reply else []
        if fields or user.id in (request.requested_by_id, request.decided_by_id):
            found.append((request, fields))
    return found


def _requests(user: User) -> list[dict]:
    return [{**_row(r, "object_type", "object_id", "trigger", "status", "comment", "requested_at", "decided_at",
                    "decision_comment"), "data": json.loads(r.data) if r.data else None,
             "made_by_person": r.requested_by_id == user.id, "decided_by_person": r.decided_by_id == user.id}
            for r, _ in _request_rows(user)]


def _admin_contact_rows(user: User) -> list[AdministrativeContact]:
    """The municipalities' administrative contacts with the person's e-mail address, or their name in their own."""
    rows = db.session.scalars(select(AdministrativeContact).where(or_(
        func.lower(AdministrativeContact.email) == user.email.lower(),
        _own_organisation(AdministrativeContact.organisation_id, user))).order_by(AdministrativeContact.id))
    return [c for c in rows if _same(c.email, user.email) or _same(c.name, user.name)]


def _admin_contacts(user: User) -> list[dict]:
    return [{**_row(c, "name", "title", "email", "phone", "updated_at"),
             "municipality": db.session.get(Organisation, c.organisation_id).display_name}
            for c in _admin_contact_rows(user)]


def _subgroup_representative_rows(user: User) -> list[UserRepresentative]:
    """Where a subgroup names the person as a user representative, by their e-mail address as its contact."""
    return list(db.session.scalars(select(UserRepresentative).where(
        UserRepresentative.contact.icontains(user.email, autoescape=True)).order_by(UserRepresentative.id)))


def _subgroups(user: User) -> dict:
    joined = {m.subgroup_id: m for m in db.session.scalars(select(SubgroupMember).where(
        SubgroupMember.user_id == user.id))}
    groups = db.session.scalars(select(Subgroup).where(or_(
        Subgroup.proposer_id == user.id, Subgroup.chair_id == user.id, Subgroup.id.in_(list(joined))))
        .order_by(Subgroup.id))
    return {
        "roles": [{"subgroup": g.name, "proposed": g.proposer_id == user.id, "chair": g.chair_id == user.id,
                   "joined_on": _value(joined[g.id].joined_on) if g.id in joined else None,
                   "left_on": _value(joined[g.id].left_on) if g.id in joined else None} for g in groups],
        "user_representative": [{"subgroup": db.session.get(Subgroup, r.subgroup_id).name,
                                 **_row(r, "name", "represents", "contact")}
                                for r in _subgroup_representative_rows(user)],
    }


# Section name -> what is stored about the person there.
SECTIONS: dict[str, Callable[[User], object]] = {
    "person": _person,
    "login_attempts": _login_attempts,
    "sessions": _sessions,
    "audit_events": _audit_events,
    "outbox_mail": _mail,
    "meetings": _meetings,
    "conference_registrations": _conference_registrations,
    "invitation_replies": _replies,
    "transition_requests": _requests,
    "administrative_contacts": _admin_contacts,
    "subgroups": _subgroups,
    "calendar_links": _calendar_links,
    "representatives": _representatives,
    "archive_records": _archive_records,
}


def export(user: User, actor: User) -> dict:
    """Everything stored about `user`, as plain JSON-ready data; the export itself is logged."""
    data = {"exported_at": _value(clock.now()), **{name: section(user) for name, section in SECTIONS.items()}}
    audit.record(actor, "user.export", "user", user.id)
    return data


def anonymise(user: User, actor: User) -> None:
    """Remove a person who has left: their name and e-mail address are gone from everything but the archive
    records kept on purpose (ARCHIVE_KEPT); no phone, roles or sign-in; the audit chain stays intact.

    Audit events refer to people by id only, so they keep verifying; their history now shows the placeholder
    name. Their terms as a representative keep seat and dates under the placeholder name, as do the answers to
    invitations and the requests that named them; an administrative contact who was the person is removed (the
    municipality names a new one). Mail keeps its subject and the body sent to others, with the placeholder for
    the person's name and address.
    """
    if user.anonymised_at is not None:
        raise ServiceError(_("Personen er allerede anonymisert."))
    if user.id == actor.id:
        raise ServiceError(_("Du kan ikke anonymisere deg selv."))
    old_name, old_email = user.name, user.email
    terms, replies, requests = _representative_rows(user), _reply_rows(user), _request_rows(user)
    contacts, represented = _admin_contact_rows(user), _subgroup_representative_rows(user)
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == old_email))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == old_email,
                                                   OutboxMessage.sent_at.is_(None)))
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == old_email)):
        message.body_text = message.body_html = REMOVED
    for token in db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                                 CalendarToken.revoked_at.is_(None))):
        token.revoked_at = clock.now()
    user.name = f"Anonymisert bruker #{user.id}"
    user.email = f"anonymisert-{user.id}@invalid"
    for term in terms:
        term.name, term.email, term.title, term.phone = user.name, user.email, None, None
    for reply, fields in replies:
        for field, value in _placeholders(fields, user).items():
            setattr(reply, field, value)
    for request, fields in requests:
        if fields:
            data = json.loads(request.data)
            data["reply"] |= _placeholders(fields, user)
            request.data = json.dumps(data, default=str)
    for contact in contacts:
        db.session.delete(contact)
    registrations = conferences.forget_person(old_email)
    for represented_user in represented:
        represented_user.name, represented_user.contact = user.name, user.email
    _replace_in_mail(old_name, old_email, user)
    user.title = user.phone = user.password_hash = user.invite_nonce = None
    user.set_roles([])
    user.active = False
    user.anonymised_at = clock.now()
    users.end_all_sessions(user)
    # A kept document may show the person (a reply letter, a notice, a ZIP): made again from the anonymised data.
    rendered_pdfs.forget_all()
    stored_documents.forget_all()
    audit.record(actor, "user.anonymise", "user", user.id, data={
        "representatives": [t.id for t in terms], "invitation_replies": [r.id for r, f in replies if f],
        "transition_requests": [r.id for r, f in requests if f], "administrative_contacts": [c.id for c in contacts],
        "subgroup_representatives": [r.id for r in represented], "conference_registrations": registrations})


def _placeholders(fields: list[str], user: User) -> dict:
    """The anonymised person in a reply's fields: the placeholder name and address, no title or phone."""
    values = {"contact_email": user.email, "contact_title": None, "contact_phone": None}
    return {field: values.get(field, user.name) for field in fields}


def _replace_in_mail(old_name: str, old_email: str, user: User) -> None:
    """Every message that mentions the person (to them, or about them to others) gets the placeholder instead."""
    forms = {old_email: user.email, old_name: user.name, str(escape(old_email)): user.email,
             str(escape(old_name)): str(escape(user.name))}
    # Whole words (a genitive s allowed): a short name inside another word stays.
    patterns = [(re.compile(rf"(?<!\w){re.escape(form)}(?=s?(?!\w))", re.IGNORECASE), new)
                for form, new in sorted(forms.items(), key=lambda item: -len(item[0]))]
    columns = ("recipient", "subject", "body_text", "body_html", "dedupe_key", "last_error")
    mentions = or_(*(getattr(OutboxMessage, column).icontains(form, autoescape=True)
                     for column in columns for form in forms))
    for message in db.session.scalars(select(OutboxMessage).where(mentions)):
        for column in columns:
            text = getattr(message, column)
            for pattern, new in patterns:
                text = text and pattern.sub(lambda _: new, text)
            setattr(message, column, text)
