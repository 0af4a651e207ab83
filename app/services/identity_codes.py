"""The one-time codes that tie a first sign-in with a provider to an existing account: mailed to the account, made
when the mail goes out (never stored but as a keyed hash), short-lived, good once, and ended by too many wrong
tries."""
import hmac
import secrets

from flask import current_app

from app import clock
from app.models import PendingIdentity

# Where the code goes in a queued e-mail: the mail worker puts a fresh code there as it sends the mail.
PLACEHOLDER = "[engangskode]"
DIGITS = 8


def _digest(pending: PendingIdentity, code: str) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(secret, f"identity-code\n{pending.id}\n{code}".encode(), "sha256").hexdigest()


def mint(pending: PendingIdentity) -> str:
    """A new code for the sign-in; the one sent before stops working."""
    code = "".join(secrets.choice("0123456789") for _ in range(DIGITS))
    pending.code_hash = _digest(pending, code)
    pending.code_expires_at = clock.now() + current_app.config["OIDC_LINK_CODE_MAX_AGE"]
    pending.code_attempts = 0
    return code


def check(pending: PendingIdentity, code: str) -> bool:
    """Whether `code` is the live code of this sign-in. A wrong try counts; the last allowed one ends the code, and
    a right one is used up."""
    if pending.code_hash is None or pending.code_expires_at is None or clock.now() > pending.code_expires_at:
        return False
    if hmac.compare_digest(pending.code_hash, _digest(pending, "".join(code.split()))):
        pending.code_hash = pending.code_expires_at = None
        return True
    pending.code_attempts += 1
    if pending.code_attempts >= current_app.config["OIDC_LINK_CODE_ATTEMPTS"]:
        pending.code_hash = pending.code_expires_at = None
    return False
