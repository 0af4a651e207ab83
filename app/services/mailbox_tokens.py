"""The tokens of links to an official mailbox (app.models.mailbox_link): made when their mail goes out, stored as
their SHA-256 only."""
import hashlib
import secrets

from flask import current_app

from app import clock
from app.models import MailboxLink
from app.models.mailbox_link import JOIN, REPLY

# Where the link goes in a queued e-mail: the mail worker puts a fresh link there as it sends the mail.
PLACEHOLDER = "[lenke for å svare]"
ENDPOINTS = {REPLY: "mailbox.reply", JOIN: "mailbox.confirm_join"}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mint(link: MailboxLink) -> str:
    """A new token for the link; the one sent before stops working."""
    token = secrets.token_urlsafe(32)
    link.token_hash, link.minted_at = digest(token), clock.now()
    return token


def url(link: MailboxLink, token: str) -> str:
    """The full link (built without a request: the mail worker makes it)."""
    path = current_app.url_map.bind("").build(ENDPOINTS[link.purpose], {"token": token})
    return current_app.config["BASE_URL"].rstrip("/") + path
