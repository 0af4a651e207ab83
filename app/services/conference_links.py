"""The cancel link of a conference registration: its token is made when a mail carrying it goes out, stored as its
SHA-256 only, and used up by the cancellation."""
import hashlib
import secrets

from flask import current_app

from app.models import ConferenceRegistration

# Where the link goes in a queued e-mail: the mail worker puts a fresh link there as it sends the mail, so no outbox
# row holds one (and the link in an older mail stops working).
PLACEHOLDER = "[lenke for å melde deg av]"
ENDPOINT = "conference.cancel"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mint(registration: ConferenceRegistration) -> str:
    token = secrets.token_urlsafe(32)
    registration.cancel_token_hash = digest(token)
    return token


def url(token: str) -> str:
    """The full link (built without a request: the mail worker makes it)."""
    path = current_app.url_map.bind("").build(ENDPOINT, {"token": token})
    return current_app.config["BASE_URL"].rstrip("/") + path
