"""The outbox: every e-mail is a row written with the change that caused it."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Mail that must not go out twice (a reminder per case per day) carries a unique key.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Whose link that sets a password the bodies' placeholder stands for (made as the mail goes out).
    password_link_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Which mailbox link (app.models.mailbox_link) the bodies' placeholder stands for (made as the mail goes out).
    mailbox_link_id: Mapped[int | None] = mapped_column(ForeignKey("mailbox_link.id"))
    # Which first sign-in (app.models.identity) the code in the bodies is for (made as the mail goes out).
    identity_code_id: Mapped[int | None] = mapped_column(ForeignKey("pending_identity.id", ondelete="SET NULL"))
    # Which conference registration's cancel link the bodies' placeholder stands for (made as the mail goes out).
    cancel_link_registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference_registration.id", name="fk_outbox_message_cancel_link_registration"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        return "failed" if self.last_error else "pending"
