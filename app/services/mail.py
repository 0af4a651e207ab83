"""E-mail through the outbox: queued with the change, delivered by a worker outside the request (`flask mail
worker`, `mail send-pending`, the tick), retried until sent."""
import smtplib
import threading
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import func, or_, select, update

from app.extensions import db
from app.models import ConferenceRegistration, MailboxLink, OutboxMessage, PendingIdentity, User
from app.services import conference_links, identity_codes, mailbox_tokens, password_links

# Minutes to wait after the 1st, 2nd, ... failed attempt; the last value repeats.
BACKOFF_MINUTES = (1, 5, 15, 60, 240)
CLAIM = timedelta(minutes=5)
SUBJECT_LENGTH = OutboxMessage.__table__.c.subject.type.length


def queue(recipient: str, subject: str, template: str, *, locale: str, dedupe_key: str | None = None,
          password_link_for: User | None = None, mailbox_link: MailboxLink | None = None,
          identity_code_for: PendingIdentity | None = None,
          cancel_link_for: ConferenceRegistration | None = None, **context) -> OutboxMessage | None:
    """Write a message to the outbox in the caller's transaction, written in `locale` (see app/letters.py: the
    subject may be a lazy string, translated here); None if the dedupe key was used before. With
    `password_link_for`, the template's `password_link` is that person's link to set a password, made on delivery;
    with `mailbox_link`, its `link` is that link to an official mailbox, made on delivery; with `identity_code_for`,
    its `code` is a one-time code for that first sign-in, made on delivery; with `cancel_link_for`, its `cancel_link`
    is that conference registration's link to cancel, made on delivery."""
    if dedupe_key and db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    context.setdefault("base_url", current_app.config["BASE_URL"].rstrip("/"))
    if password_link_for is not None:
        context["password_link"] = password_links.PLACEHOLDER
    if mailbox_link is not None:
        context["link"] = mailbox_tokens.PLACEHOLDER
    if identity_code_for is not None:
        context["code"] = identity_codes.PLACEHOLDER
    if cancel_link_for is not None:
        context["cancel_link"] = conference_links.PLACEHOLDER
    # The recipient's language, whatever the sender's screen language; forcing it also spares the locale selector,
    # which reads the session and so fails outside a request (mail queued by the tick).
    with force_locale(locale):
        subject = subject_line(str(subject))
        message = OutboxMessage(
            recipient=recipient, subject=subject, dedupe_key=dedupe_key,
            password_link_user_id=password_link_for.id if password_link_for is not None else None,
            mailbox_link_id=mailbox_link.id if mailbox_link is not None else None,
            identity_code_id=identity_code_for.id if identity_code_for is not None else None,
            cancel_link_registration_id=cancel_link_for.id if cancel_link_for is not None else None,
            body_text=render_template(f"mail/{template}.txt", subject=subject, **context),
            body_html=render_template(f"mail/{template}.html", subject=subject, **context),
        )
    db.session.add(message)
    db.session.flush()
    return message


def subject_line(subject: str) -> str:
    """One line (a mail header holds no line breaks) that fits the column; a long name in it is cut short."""
    line = " ".join(subject.split())
    return line if len(line) <= SUBJECT_LENGTH else line[:SUBJECT_LENGTH - 1] + "…"


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def pending_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))


def send_pending(limit: int = 200, stop: threading.Event | None = None) -> tuple[int, int]:
    """Deliver due messages, up to `limit`, or fewer when `stop` is set meanwhile; return (sent, failed). Safe to
    run from several processes."""
    if not enabled():
        return 0, 0
    now = datetime.now(timezone.utc)
    due = select(OutboxMessage.id).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    ).order_by(OutboxMessage.id).limit(limit)
    sent = failed = 0
    with _Connection(current_app.config) as connection:
        for message_id in db.session.scalars(due).all():
            if stop is not None and stop.is_set():
                break
            if not _claim(message_id, now):
                continue
            message = db.session.get(OutboxMessage, message_id)
            bodies = _bodies(message)
            db.session.commit()  # a new link is saved before the wait for the mail server, not holding the audit lock
            try:
                connection.send(_email(message, *bodies))
            except (OSError, smtplib.SMTPException) as error:
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:1000]
                wait = BACKOFF_MINUTES[min(message.attempts, len(BACKOFF_MINUTES)) - 1]
                message.next_attempt_at = now + timedelta(minutes=wait)
                failed += 1
            else:
                message.attempts += 1
                message.sent_at = datetime.now(timezone.utc)
                message.last_error = None
                sent += 1
            message.claimed_until = None
            db.session.commit()
    return sent, failed


def _claim(message_id: int, now: datetime) -> bool:
    """Mark a message as being sent by this process, unless another process got it first."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_until=now + CLAIM))
    db.session.commit()
    return claimed.rowcount == 1


def _email(message: OutboxMessage, body_text: str, body_html: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(message.created_at.timestamp(), localtime=True)
    email["Message-ID"] = f"<outbox-{message.id}@kunnskapskommunen>"
    email.set_content(body_text)
    email.add_alternative(body_html, subtype="html")
    return email


class _Connection:
    """One SMTP connection for a batch, opened at the first message and again after a failure (the server may
    have closed it, or left it in a state no one knows)."""

    def __init__(self, config):
        self.config, self.smtp = config, None

    def send(self, email: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(email)
        except BaseException:
            self.smtp.close()
            self.smtp = None
            raise

    def _open(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT"])
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()


def _bodies(message: OutboxMessage) -> tuple[str, str]:
    """The text and HTML to send: with a fresh link (or code) where the stored bodies hold its place."""
    text, html = message.body_text, message.body_html
    if message.password_link_user_id is not None:
        text, html = _with_link(text, html, password_links.PLACEHOLDER, password_links.url(
            password_links.mint(db.session.get(User, message.password_link_user_id))))
    if message.mailbox_link_id is not None:
        link = db.session.get(MailboxLink, message.mailbox_link_id)
        text, html = _with_link(text, html, mailbox_tokens.PLACEHOLDER,
                                mailbox_tokens.url(link, mailbox_tokens.mint(link)))
    if message.identity_code_id is not None:
        text, html = _with_link(text, html, identity_codes.PLACEHOLDER,
                                identity_codes.mint(db.session.get(PendingIdentity, message.identity_code_id)))
    if message.cancel_link_registration_id is not None:
        registration = db.session.get(ConferenceRegistration, message.cancel_link_registration_id)
        if registration.cancel_token_hash is not None:  # not used up by a cancellation, nor deleted
            text, html = _with_link(text, html, conference_links.PLACEHOLDER,
                                    conference_links.url(conference_links.mint(registration)))
    return text, html


def _with_link(text: str, html: str, placeholder: str, link: str) -> tuple[str, str]:
    return text.replace(placeholder, link), html.replace(placeholder, str(escape(link)))
