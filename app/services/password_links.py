"""Links that set a password: made when their e-mail goes out (never stored), good once, and for 7 days on a new
account but 1 hour on one that already has a password (the link then works as a reset)."""
import secrets
from datetime import datetime, timedelta, timezone

from babel.units import format_unit
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import db
from app.models import User
from app.services import ServiceError, audit

# Where the link goes in a queued e-mail: the worker puts a fresh link there as it sends the mail, so no outbox
# row, outbox page or personal-data export holds one (and a retry sends a new link).
PLACEHOLDER = "[lenke for å velge passord]"
ENDPOINT = "auth.accept_invitation"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invite")


def order(user: User, actor: User | None) -> None:
    """A link is on its way (the caller queues the mail): every link sent before stops working now."""
    user.invite_nonce = None
    audit.record(actor, "user.invite", "user", user.id)


def mint(user: User) -> str:
    """A new token for the user's link; the one made before stops working."""
    user.invite_nonce = secrets.token_urlsafe(24)
    audit.record(None, "user.password_link", "user", user.id)
    return _serializer().dumps({"u": user.id, "n": user.invite_nonce})


def url(token: str) -> str:
    """The full link (built without a request: the mail worker makes it)."""
    return current_app.config["BASE_URL"].rstrip("/") + current_app.url_map.bind("").build(ENDPOINT, {"token": token})


def lifetime(user: User) -> timedelta:
    config = current_app.config
    return config["PASSWORD_RESET_MAX_AGE"] if user.password_hash else config["INVITE_TOKEN_MAX_AGE"]


def lifetime_in_words(user: User, locale: str = "nb") -> str:
    """How long the user's link works, as the mail (in bokmål) and the user's page say it: "7 døgn", "1 time"."""
    minutes = int(lifetime(user).total_seconds() // 60)
    size, unit = next((size, unit) for size, unit in ((24 * 60, "duration-day"), (60, "duration-hour"),
                                                     (1, "duration-minute")) if minutes % size == 0)
    return format_unit(minutes // size, unit, length="long", locale=locale)


def user_for(token: str) -> User:
    """The person a link belongs to, while it is valid."""
    try:
        payload, signed_at = _serializer().loads(token, return_timestamp=True)
    except BadSignature:
        raise ServiceError(_("Lenken er ugyldig."))
    user = db.session.get(User, payload.get("u"))
    if user is None or not user.active or user.invite_nonce is None or user.invite_nonce != payload.get("n"):
        raise ServiceError(_("Lenken er allerede brukt eller erstattet av en nyere invitasjon."))
    if datetime.now(timezone.utc) - signed_at > lifetime(user):
        raise ServiceError(_("Lenken er utløpt. Be administratoren om en ny invitasjon."))
    return user
