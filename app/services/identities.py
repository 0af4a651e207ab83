"""Accounts that sign in with an organisation's identity provider: a provider's subject tied to an account, the first
sign-ins not tied yet, and an administrator's decision on a request for access.

Neither Ansattporten (no e-mail claim) nor Entra ID (an unverified one) proves an e-mail address, so a first sign-in
is tied to an existing account only when that account's owner types the code mailed to the account, or when an
administrator approves. The organisation comes from the token where the provider names it, through the register;
roles only through a mapping the operator configured. The audit log names people and requests by id only."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import delete, func, select

from app import clock, letters
from app.extensions import db
from app.models import ExternalIdentity, Organisation, PendingIdentity, User
from app.services import ServiceError, audit, identity_codes, mail, organisations, users
from workflows.roles import USER_ROLES

ANSATTPORTEN = "ansattporten"
ENTRA = "entra"
# Ansattporten names an organisation as "0192:<organisation number>" (ISO 6523, the Norwegian register).
NORWEGIAN_REGISTER = "0192:"


class CodeRefused(ServiceError):
    """A wrong or expired code: the count of wrong tries is kept all the same."""


@dataclass(frozen=True)
class Token:
    """What this app takes from a validated ID token: the provider's name and subject, and the organisation and
    roles the provider's settings read from it. Nothing else (no national identity number) is kept."""

    provider: str
    subject: str
    organisation: Organisation | None
    roles: frozenset[str]


def read_token(provider, claims: dict) -> Token:
    """The facts of a validated ID token, by the provider's settings (app.auth.providers.Provider)."""
    return Token(provider.name, claims["sub"], _organisation(provider, claims), _roles(provider, claims))


def _organisation(provider, claims: dict) -> Organisation | None:
    """The organisation the person acts for: Ansattporten's authorization_details (the one organisation chosen),
    or the Entra ID tenant the settings map to an organisation number; then the register."""
    numbers: set[str] = set()
    if provider.organisation == ANSATTPORTEN:
        for detail in claims.get("authorization_details") or ():
            if not isinstance(detail, dict):
                continue
            parties = [party.get("ID") for party in detail.get("reportees") or () if isinstance(party, dict)]
            parties += [(party.get("orgno") or {}).get("ID") for party in detail.get("authorized_parties") or ()
                        if isinstance(party, dict) and isinstance(party.get("orgno"), dict)]
            numbers |= {party.removeprefix(NORWEGIAN_REGISTER) for party in parties
                        if isinstance(party, str) and party.startswith(NORWEGIAN_REGISTER)}
    elif provider.organisation == ENTRA:
        number = dict(provider.tenants).get(claims.get("tid"))
        numbers = {number} if number else set()
    if len(numbers) != 1:
        return None
    return organisations.by_number(numbers.pop())


def _roles(provider, claims: dict) -> frozenset[str]:
    if not provider.roles_claim:
        return frozenset()
    given = claims.get(provider.roles_claim) or []
    given = [given] if isinstance(given, str) else given
    mapping = dict(provider.roles_map)
    return frozenset(mapping[value] for value in given if isinstance(value, str) and mapping.get(value) in USER_ROLES)


def _identity(token: Token) -> ExternalIdentity | None:
    return db.session.scalar(select(ExternalIdentity).where(ExternalIdentity.provider == token.provider,
                                                            ExternalIdentity.subject == token.subject))


def account_for(token: Token) -> User | None:
    identity = _identity(token)
    return identity.user if identity is not None else None


def sign_in(user: User, token: Token) -> None:
    """An account tied to this subject signs in: a new sign-in session, as with a password."""
    if not user.active:
        raise ServiceError(_("Kontoen er deaktivert. Kontakt administratoren."))
    _identity(token).last_used_at = clock.now()
    users.start_session(user)
    audit.record(user, "user.sign_in_provider", "user", user.id, data={"provider": token.provider})


def refused(provider_name: str, reason: str) -> None:
    """A provider's answer that was not a sign-in (wrong state, a token that failed a check, ...)."""
    audit.record(None, "user.sign_in_provider_refused", "provider", None,
                 data={"provider": provider_name, "reason": reason})


def pending(token: Token) -> PendingIdentity:
    """The first sign-in of a subject tied to no account: kept until it is tied or the administrator decides."""
    found = db.session.scalar(select(PendingIdentity).where(PendingIdentity.provider == token.provider,
                                                            PendingIdentity.subject == token.subject))
    if found is None:
        found = PendingIdentity(provider=token.provider, subject=token.subject, created_at=clock.now())
        db.session.add(found)
    if found.requested_at is None:
        found.organisation, found.roles = token.organisation, " ".join(sorted(token.roles))
    db.session.flush()
    audit.record(None, "identity.pending", "pending_identity", found.id,
                 data={"provider": token.provider,
                       "organisation_id": token.organisation.id if token.organisation else None})
    return found


def get_pending(pending_id: int | None) -> PendingIdentity | None:
    return db.session.get(PendingIdentity, pending_id) if pending_id else None


def send_code(pending: PendingIdentity, email: str, provider_label: str) -> None:
    """Mail a code to the active account with this address, if there is one (the page says the same either way)."""
    user = users.find_by_email(email)
    if user is None or not user.active:
        pending.user, pending.code_hash, pending.code_expires_at = None, None, None
        audit.record(None, "identity.code_unknown_account", "pending_identity", pending.id)
        return
    pending.user, pending.code_hash, pending.code_expires_at = user, None, None
    mail.queue(user.email, _l("Engangskode for innlogging i Kunnskapskommunen"), "identity_code",
               locale=letters.locale_of_person(user), user=user,
               identity_code_for=pending, provider_label=provider_label,
               minutes=int(current_app.config["OIDC_LINK_CODE_MAX_AGE"].total_seconds() // 60))
    audit.record(None, "identity.code_sent", "pending_identity", pending.id, data={"user_id": user.id})


def confirm_code(pending: PendingIdentity, code: str) -> User:
    """The owner of the account typed the mailed code: the subject is tied to the account, which signs in."""
    user = pending.user
    if user is None or not identity_codes.check(pending, code):
        audit.record(None, "identity.code_wrong", "pending_identity", pending.id)
        raise CodeRefused(_("Koden er feil eller utløpt. Be om en ny kode om den ikke virker."), field="code")
    _tie(pending, user, actor=user)
    audit.record(user, "identity.code_confirmed", "pending_identity", pending.id, data={"user_id": user.id})
    users.start_session(user)
    return user


def request_access(pending: PendingIdentity, name: str, email: str) -> None:
    """The person asks for access: the administrators decide (approve ties the subject to the account with this
    address, or makes one)."""
    if pending.requested_at is not None:
        raise ServiceError(_("Forespørselen er allerede sendt og venter på administratoren."))
    pending.requested_at = clock.now()
    pending.requested_name, pending.requested_email = name.strip(), users.normalise_email(email)
    audit.record(None, "identity.access_requested", "pending_identity", pending.id,
                 data={"provider": pending.provider,
                       "organisation_id": pending.organisation.id if pending.organisation else None})


def requests_waiting() -> list[PendingIdentity]:
    return list(db.session.scalars(select(PendingIdentity).where(PendingIdentity.requested_at.is_not(None))
                                   .order_by(PendingIdentity.requested_at, PendingIdentity.id)))


def waiting_count(_user: User | None = None) -> int:
    return db.session.scalar(select(func.count()).select_from(PendingIdentity)
                             .where(PendingIdentity.requested_at.is_not(None)))


def existing_account(pending: PendingIdentity) -> User | None:
    """The account a request would be tied to: the one with the address the person gave."""
    return users.find_by_email(pending.requested_email) if pending.requested_email else None


def existing_accounts(waiting: list[PendingIdentity]) -> dict[int, User]:
    """`existing_account` of each request, read in one query."""
    by_email = {user.email: user for user in db.session.scalars(
        select(User).where(User.email.in_({pending.requested_email for pending in waiting})))}
    return {pending.id: by_email[pending.requested_email] for pending in waiting
            if pending.requested_email in by_email}


def approve(pending: PendingIdentity, actor: User) -> User:
    """An administrator approves a request: tied to the account with the address given, or to a new account with
    the organisation (and mapped roles) the token gave."""
    if pending.requested_at is None:
        raise ServiceError(_("Forespørselen er allerede behandlet."))
    user = existing_account(pending)
    if user is None:
        user = users.create_user(pending.requested_email, pending.requested_name, pending.roles.split(),
                                 organisation=pending.organisation, actor=actor)
    _tie(pending, user, actor=actor)
    audit.record(actor, "identity.approved", "pending_identity", pending.id, data={"user_id": user.id})
    mail.queue(user.email, _l("Du har fått tilgang til intranettet for Kunnskapskommunen"), "identity_approved",
               locale=letters.locale_of_person(user), user=user)
    return user


def reject(pending: PendingIdentity, actor: User) -> None:
    if pending.requested_at is None:
        raise ServiceError(_("Forespørselen er allerede behandlet."))
    audit.record(actor, "identity.rejected", "pending_identity", pending.id)
    db.session.delete(pending)


def _tie(pending: PendingIdentity, user: User, actor: User) -> None:
    db.session.add(ExternalIdentity(provider=pending.provider, subject=pending.subject, user=user,
                                    created_at=clock.now()))
    audit.record(actor, "user.identity_tied", "user", user.id, data={"provider": pending.provider})
    db.session.delete(pending)


def prune(_today) -> list[str]:
    """Daily: first sign-ins older than a day that asked for nothing are forgotten."""
    removed = db.session.execute(delete(PendingIdentity).where(
        PendingIdentity.requested_at.is_(None),
        PendingIdentity.created_at <= clock.now() - current_app.config["OIDC_PENDING_MAX_AGE"])).rowcount
    return [f"Påbegynte innlogginger med ekstern identitet: {removed} utløpte fjernet."] if removed else []
