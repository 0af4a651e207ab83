"""People, passwords, invitation links and sign-in sessions."""
import hmac
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app import clock, letters
from app.extensions import db, wiring
from app.models import LoginAttempt, LoginSession, Organisation, User
from workflows.roles import ADMIN, ADVISER, MUNICIPALITY_CONTACT, ROLE_LABELS, USER_ROLES
from app.services import ServiceError, audit, calendar, mail, password_links, rate_limits

MIN_PASSWORD_LENGTH = 10
# A session's last visit is written at most this often, not on every request.
VISIT_EVERY = timedelta(minutes=1)


class LoginLocked(rate_limits.RateLimited):
    """Too many failed sign-in attempts on this account from this address, or from this address."""


class MailThrottled(rate_limits.RateLimited):
    """Too many codes or links asked to be mailed from one client address, or to one address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too weak, with a message for the form."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(_("Passordet må ha minst %(num)d tegn.", num=MIN_PASSWORD_LENGTH), field="password")


def create_user(email: str, name: str, roles, *, organisation: Organisation | None = None,
                title: str | None = None, phone: str | None = None, password: str | None = None,
                active: bool = True, actor: User | None = None) -> User:
    """Create a person with roles; without a password they set one through an invitation link."""
    email = normalise_email(email)
    unknown = set(roles) - set(USER_ROLES)
    if unknown:
        raise ServiceError(_("Ukjent rolle: %(roles)s.", roles=", ".join(sorted(unknown))), field="roles")
    if find_by_email(email):
        raise ServiceError(_("Det finnes allerede en bruker med e-postadressen %(email)s.", email=email), field="email")
    user = User(email=email, name=name.strip(), title=title or None, phone=phone or None, organisation=organisation,
                active=active)
    user.set_roles(roles)
    if password is not None:
        check_password_rules(password)
        user.password_hash = _hash(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, data=_audited(user))
    _after_contact_change(user, None, actor)
    _tell_admins_of_power(user, set(), actor)
    return user


def send_password_link(user: User, actor: User | None) -> None:
    """The mail with a link to set a password: a first invitation, or a reset for someone who has a password."""
    password_links.order(user, actor)
    reset = user.password_hash is not None
    subject = _l("Nytt passord til intranettet for Kunnskapskommunen") if reset else \
        _l("Invitasjon til intranettet for Kunnskapskommunen")
    mail.queue(user.email, subject, "invitation", locale=letters.locale_of_person(user), password_link_for=user,
               user=user, reset=reset,
               valid_for=password_links.lifetime_in_words(user))


def update_user(user: User, *, name: str, title: str | None, phone: str | None, roles,
                organisation: Organisation | None, active: bool, actor: User) -> None:
    """Change a person's details, roles and whether they may sign in."""
    before, personal_before = _audited(user), [getattr(user, f) for f in PERSONAL_FIELDS]
    contact_before, power_before = _contact_of(user), _power_of(user)
    if user.id == actor.id and (not active or ADMIN not in set(roles)):
        raise ServiceError(_("Du kan ikke fjerne din egen administratortilgang eller deaktivere deg selv."))
    user.name, user.title, user.phone = name.strip(), title or None, phone or None
    user.organisation = organisation
    user.set_roles(roles)
    user.active = active
    if not active:
        end_all_sessions(user)
        calendar.revoke(user, actor)
    changed = [f for f, old in zip(PERSONAL_FIELDS, personal_before) if getattr(user, f) != old]
    audit.record(actor, "user.update", "user", user.id,
                 data={"before": before, "after": _audited(user), "changed": changed})
    _after_contact_change(user, contact_before, actor)
    _tell_admins_of_power(user, power_before, actor)


PERSONAL_FIELDS = ("name", "title", "phone")


def _audited(user: User) -> dict:
    """What the audit log keeps of an account: where the person belongs and what they may do. Not their name or
    phone: anonymising a person cannot rewrite the hash-chained log."""
    return {"organisation_id": user.organisation.id if user.organisation else None, "roles": sorted(user.roles),
            "active": user.active}


def _contact_of(user: User) -> int | None:
    """The organisation an active user is the contact person for, if any."""
    if not user.active or MUNICIPALITY_CONTACT not in user.roles or user.organisation is None:
        return None
    return user.organisation.id


def _after_contact_change(user: User, contact_before: int | None, actor: User | None) -> None:
    contact_now = _contact_of(user)
    if contact_now is not None and contact_now != contact_before:
        for step in wiring().new_contact:
            step(user, actor)


# The roles that see and change every municipality's data: who gains one is logged on its own and told to the
# administrators.
POWERFUL_ROLES = frozenset({ADMIN, ADVISER})


def _power_of(user: User) -> set[str]:
    """The powerful roles an account can act with: none while it is deactivated."""
    return set(user.roles & POWERFUL_ROLES) if user.active else set()


def _tell_admins_of_power(user: User, before: set[str], actor: User | None) -> None:
    """A person gained a powerful role (given it, created with it, or reactivated with it): an audit event of its
    own (ids and role names only) and a mail to every other active administrator, queued in the same transaction."""
    gained = sorted(_power_of(user) - before)
    if not gained:
        return
    audit.record(actor, "user.role_grant", "user", user.id, data={"roles": gained})
    names = [_(ROLE_LABELS[role]) for role in gained]
    labels = _("%(first)s og %(last)s", first=", ".join(names[:-1]), last=names[-1]) if len(names) > 1 else names[0]
    path = current_app.url_map.bind("").build("admin.user_edit", {"user_id": user.id})
    admins = db.session.scalars(select(User).where(User.active.is_(True), User.role_rows.any(role=ADMIN),
                                                   User.id != user.id).order_by(User.id))
    for admin in admins:
        mail.queue(admin.email, _l("%(name)s har fått rollen %(roles)s", name=user.name, roles=labels),
                   "role_granted", locale=letters.locale_of_person(admin), admin=admin, user=user,
                   actor=actor, labels=labels, path=path)


def set_password(user: User, password: str, actor: User | None = None, *, keep_session: str | None = None) -> bool:
    """Store a new password hash. Whoever held the account before loses it: any open link that sets a password
    stops working, every sign-in session but `keep_session` ends, and so does the calendar link (returns whether
    there was one)."""
    check_password_rules(password)
    user.password_hash = _hash(password)
    user.invite_nonce = None
    end_all_sessions(user, keep=keep_session)
    calendar_revoked = calendar.revoke(user, actor or user)
    audit.record(actor or user, "user.password", "user", user.id)
    return calendar_revoked


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def change_own_password(user: User, current: str, new: str) -> bool:
    """As `set_password`, for the signed-in user, whose session stays."""
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise ServiceError(_("Nåværende passord er feil."), field="current_password")
    return set_password(user, new, keep_session=user.login_session_id)


def count_login_attempt(email: str, remote_addr: str | None) -> None:
    """Count a sign-in attempt before its password is checked, on the account from this address and on the address;
    raise LoginLocked when either has to wait. Commit this before checking the password: so every attempt, however
    many arrive at once, is counted, and a wait stops any attempt more than the allowance."""
    wait = rate_limits.first_wait(_login_limits(email, remote_addr))
    if wait:
        current_app.logger.warning("login refused, too many failures for %s from %s (next in %s s)",
                                   normalise_email(email), remote_addr, wait)
        raise LoginLocked(_("For mange mislykkede innloggingsforsøk. Prøv igjen om %(wait)s.",
                            wait=rate_limits.wait_text(wait)),
                          wait)


def _login_limits(email: str, remote_addr: str | None) -> list[tuple[str, rate_limits.Rule]]:
    """The counters a sign-in attempt counts on: the account from this address, then the address on any account.
    Keyed by a keyed hash, so the table holds no e-mail or client address."""
    config = current_app.config

    def rule(allowed: int) -> rate_limits.Rule:
        return rate_limits.Rule(allowed, config["LOGIN_WINDOW"], config["LOGIN_FIRST_WAIT"], config["LOGIN_MAX_WAIT"])

    return [(f"login-account:{_keyed(normalise_email(email), remote_addr)}", rule(config["LOGIN_ACCOUNT_ATTEMPTS"])),
            (f"login-address:{_keyed(remote_addr)}", rule(config["LOGIN_ADDRESS_ATTEMPTS"]))]


def count_mail_request(email: str, remote_addr: str | None) -> None:
    """Count a request to mail a code or a link to `email`, on the asking address and on the address mailed (whether
    an account has it or not, so a wait tells nothing); raise MailThrottled when either has to wait. The caller
    commits this before anything else, as for sign-ins."""
    config = current_app.config
    rule = rate_limits.Rule(config["MAIL_REQUESTS"], config["MAIL_REQUEST_WINDOW"], config["LOGIN_FIRST_WAIT"],
                            config["MAIL_REQUEST_MAX_WAIT"])
    wait = rate_limits.first_wait([(f"mail-address:{_keyed(remote_addr)}", rule),
                                   (f"mail-account:{_keyed(normalise_email(email))}", rule)])
    if wait:
        raise MailThrottled(_("Du har bedt om for mange e-poster. Prøv igjen om %(wait)s.",
                              wait=rate_limits.wait_text(wait)), wait)


def _keyed(*parts: str | None) -> str:
    """A keyed hash of the parts: the rate-limit table holds no e-mail or client address."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(secret, "\n".join(part or "" for part in parts).encode(), "sha256").hexdigest()


def forgotten_password(email: str) -> None:
    """"Glemt passord?": a link that sets a new password, valid an hour, mailed to the active account with this
    address if it has a password (the page says the same whatever the address)."""
    user = find_by_email(email)
    if user is None or not user.active or user.password_hash is None:
        audit.record(None, "user.password_forgotten_unknown", "user", None)
        return
    audit.record(user, "user.password_forgotten", "user", user.id)
    send_password_link(user, user)


def authenticate(email: str, password: str, remote_addr: str | None = None) -> User:
    """Check the credentials of an attempt `count_login_attempt` counted as failed; a success takes that back."""
    email = normalise_email(email)
    user = find_by_email(email)
    ok = check_password_hash(user.password_hash if user and user.password_hash else _dummy_hash(), password)
    ok = ok and user is not None and user.active and user.password_hash is not None
    db.session.add(LoginAttempt(email=email, at=clock.now(), success=ok, remote_addr=remote_addr))
    if not ok:
        current_app.logger.warning("failed login for %s from %s", email, remote_addr)
        raise ServiceError(_("Feil e-postadresse eller passord."))
    account, address = (key for key, _rule in _login_limits(email, remote_addr))
    rate_limits.clear(account)
    rate_limits.forgive(address)
    return user


@lru_cache(maxsize=4)
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash("not-a-real-password", method=method)


def _dummy_hash() -> str:
    """Compared against when the e-mail is unknown, so a wrong address costs as long as a wrong password."""
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


def start_session(user: User) -> LoginSession:
    """Open a new server-side sign-in session for the user."""
    session = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, created_at=clock.now(),
                           last_seen=clock.now())
    db.session.add(session)
    user.login_session_id = session.id
    return session


def load_session(session_id: str) -> tuple[User | None, bool]:
    """The user of a live session (None when it ended, sat idle too long or is older than its lifetime), and
    whether the visit should be recorded with `record_visit`: when the session ran out, or was last seen over a
    minute ago. Writes nothing. The session, its user, the user's organisation and roles come in one statement:
    every signed-in request reads them."""
    session = db.session.get(LoginSession, session_id,
                             options=[joinedload(LoginSession.user).joinedload(User.role_rows)])
    if session is None or session.ended_at is not None or not session.user.active:
        return None, False
    now = clock.now()
    if _run_out(session, now):
        return None, True
    session.user.login_session_id = session.id
    return session.user, now - session.last_seen > VISIT_EVERY


def _run_out(session: LoginSession, now: datetime) -> str | None:
    """Why the session has ended by itself: "lifetime" (signed in too long ago) or "idle"; None while it lasts."""
    config = current_app.config
    if now - session.created_at > config["SESSION_ABSOLUTE_TIMEOUT"]:
        return "lifetime"
    if now - session.last_seen > config["SESSION_IDLE_TIMEOUT"]:
        return "idle"
    return None


def record_visit(session_id: str) -> None:
    """The session was used now; one that has run out ends instead, logged once (by whichever request gets there
    first)."""
    session = db.session.get(LoginSession, session_id)
    now = clock.now()
    if session is None or session.ended_at is not None:
        return
    reason = _run_out(session, now)
    if reason is None:
        session.last_seen = now
        return
    ended = db.session.execute(update(LoginSession).where(
        LoginSession.id == session_id, LoginSession.ended_at.is_(None)).values(ended_at=now))
    if ended.rowcount == 1:
        audit.record(None, "user.session_end", "user", session.user_id, data={"reason": reason})


def end_session(session_id: str | None) -> None:
    session = db.session.get(LoginSession, session_id) if session_id else None
    if session is not None and session.ended_at is None:
        session.ended_at = clock.now()


def end_all_sessions(user: User, keep: str | None = None) -> None:
    """End the user's sign-in sessions, all but `keep`."""
    live = select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    for session in db.session.scalars(live if keep is None else live.where(LoginSession.id != keep)):
        session.ended_at = clock.now()
