"""People who use the intranet, their roles and their sign-in sessions."""
from datetime import datetime

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app import search
from app.extensions import db
from app.models.organisation import Organisation
from app.models.types import UTCDateTime, utcnow
from workflows.roles import ROLE_LABELS, USER_ROLES


class UserRole(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(30))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    invite_nonce: Mapped[str | None] = mapped_column(String(64))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept in step with name and e-mail address by `_keep_search_key`, so that lists of people search in the
    # database (anonymising a person rewrites both, and with them the key).
    search_key: Mapped[str] = mapped_column(Text, default="")
    # The interface language the person chose ("nb", "nn" or "en"); None until they choose one.
    language: Mapped[str | None] = mapped_column(String(2))

    # Joined: every page shows the signed-in user's organisation in the header.
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    # Set by the user loader: the sign-in session this request belongs to.
    login_session_id = None

    @validates("name", "email")
    def _keep_search_key(self, field: str, value: str) -> str:
        texts = {"name": self.name, "email": self.email, field: value}
        self.search_key = search.key(texts["name"], texts["email"])
        return value

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def set_roles(self, roles) -> None:
        """Replace the user's roles."""
        wanted = set(roles)
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        self.role_rows += [UserRole(role=r) for r in sorted(wanted - self.roles)]

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # Flask-Login keeps this in the cookie: the server-side session id, never the user id,
        # so that logging out or timing out makes an old cookie worthless.
        return self.login_session_id or ""

    @property
    def role_labels(self) -> list[str]:
        held = self.roles
        return [gettext(ROLE_LABELS[r]) for r in USER_ROLES if r in held]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class LoginSession(db.Model):
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(default=False)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
