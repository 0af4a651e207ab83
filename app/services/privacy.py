"""Personal data (GDPR): everything stored about a person, and anonymising someone who has left."""
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import and_, delete, or_, select

from app import clock
from app.extensions import db
from app.models import (AuditEvent, CalendarToken, LoginAttempt, LoginSession, Meeting, MeetingInvitee,
                        OutboxMessage, Representative, Signature, TransitionRequest, User)
from app.services import ServiceError, audit, rendered_pdfs, users

REMOVED = "(Innholdet er fjernet fordi personen er anonymisert.)"
SIGNATURES_KEPT = ("Underskrifter på samarbeidsavtaler beholdes også om personen anonymiseres: de dokumenterer "
                   "kommunenes avtaler og skal arkiveres.")
SIGNATURE_METHODS = {"app": "signert i intranettet", "upload": "registrert fra skannet, signert avtale"}


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


def _requests(user: User) -> list[dict]:
    rows = db.session.scalars(select(TransitionRequest).where(or_(
        TransitionRequest.requested_by_id == user.id, TransitionRequest.decided_by_id == user.id))
        .order_by(TransitionRequest.id))
    return [_row(r, "object_type", "object_id", "trigger", "status", "comment", "requested_at", "decided_at",
                 "decision_comment") for r in rows]


def _signatures(user: User) -> dict:
    """The signatures the person made in the app, or registered from a scanned copy (the adviser)."""
    rows = db.session.scalars(select(Signature).where(Signature.user_id == user.id).order_by(Signature.id))
    return {"note": SIGNATURES_KEPT, "items": [
        {**_row(s, "case_id", "agreement_id", "party", "name", "title", "signed_on", "signed_at", "method"),
         "municipality": s.case.organisation.display_name, "how": SIGNATURE_METHODS.get(s.method, s.method)}
        for s in rows]}


def _representative_rows(user: User) -> list[Representative]:
    """The person's terms as a representative: linked to their user, or under their e-mail address."""
    return list(db.session.scalars(select(Representative).where(or_(
        Representative.user_id == user.id, Representative.email == user.email)).order_by(Representative.id)))


def _representatives(user: User) -> list[dict]:
    return [{**_row(r, "id", "name", "title", "email", "phone", "starts_on", "ends_on", "state", "proposed_at"),
             "municipality": r.organisation.display_name, "seat": r.seat_label,
             "linked_by": "bruker" if r.user_id == user.id else "e-post"}
            for r in _representative_rows(user)]


def _calendar_links(user: User) -> list[dict]:
    rows = db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id)
                              .order_by(CalendarToken.id))
    return [_row(t, "created_at", "revoked_at") for t in rows]


# Section name -> what is stored about the person there; other areas add theirs (representatives, ...).
SECTIONS: dict[str, Callable[[User], object]] = {
    "person": _person,
    "login_attempts": _login_attempts,
    "sessions": _sessions,
    "audit_events": _audit_events,
    "outbox_mail": _mail,
    "meetings": _meetings,
    "transition_requests": _requests,
    "signatures": _signatures,
    "calendar_links": _calendar_links,
    "representatives": _representatives,
}


def export(user: User, actor: User) -> dict:
    """Everything stored about `user`, as plain JSON-ready data; the export itself is logged."""
    data = {"exported_at": _value(clock.now()), **{name: section(user) for name, section in SECTIONS.items()}}
    audit.record(actor, "user.export", "user", user.id)
    return data


def anonymise(user: User, actor: User) -> None:
    """Remove a person who has left: no name, address, phone, roles or sign-in; the audit chain stays intact.

    Audit events refer to people by id only, so they keep verifying; their history now shows the placeholder
    name. Their terms as a representative keep seat and dates under the placeholder name. Signatures on agreements
    are kept: they document the municipalities' agreements.
    """
    if user.anonymised_at is not None:
        raise ServiceError("Personen er allerede anonymisert.")
    if user.id == actor.id:
        raise ServiceError("Du kan ikke anonymisere deg selv.")
    old_email = user.email
    terms = _representative_rows(user)
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == old_email))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == old_email,
                                                   OutboxMessage.sent_at.is_(None)))
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == old_email)):
        message.recipient = f"anonymisert-{user.id}@invalid"
        message.body_text = message.body_html = REMOVED
    for token in db.session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                                 CalendarToken.revoked_at.is_(None))):
        token.revoked_at = clock.now()
    user.name = f"Anonymisert bruker #{user.id}"
    user.email = f"anonymisert-{user.id}@invalid"
    for term in terms:
        term.name, term.email, term.title, term.phone = user.name, user.email, None, None
    user.title = user.phone = user.password_hash = user.invite_nonce = None
    user.set_roles([])
    user.active = False
    user.anonymised_at = clock.now()
    users.end_all_sessions(user)
    # A kept PDF may show the person (a reply letter, a notice); it is made again from the anonymised data.
    rendered_pdfs.forget_all()
    audit.record(actor, "user.anonymise", "user", user.id, data={"representatives": [t.id for t in terms]})
