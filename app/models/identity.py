"""Sign-in with an organisation's identity provider (OpenID Connect): which provider subject is which account, and
the first sign-ins not yet tied to one."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class ExternalIdentity(db.Model):
    """An account signs in with this provider's subject (`sub`; never a national identity number)."""

    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PendingIdentity(db.Model):
    """A provider subject that signed in and is tied to no account yet: its owner confirms an account with a code
    mailed to that account (`user`, `code_hash`), or asks for access, which waits for an administrator
    (`requested_at`, with the name and address the person gave)."""

    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    # What the token said: the organisation it acts for, and roles from a configured mapping ("adviser admin").
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    roles: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    code_hash: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_attempts: Mapped[int] = mapped_column(default=0)
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    requested_name: Mapped[str | None] = mapped_column(String(120))
    requested_email: Mapped[str | None] = mapped_column(String(254))

    organisation: Mapped[Organisation | None] = relationship()
    user: Mapped[User | None] = relationship()
