"""News items for the public website (agreement §7, §9: a common website about the collaboration)."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User
from workflows import NEWS
from workflows.roles import ADVISER


class NewsItem(db.Model):
    """A news item: its state changes only through the workflow service; only a published one is public."""

    workflow = NEWS
    audit_type = "news"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # plain text, escaped when shown
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(30), default=NEWS.initial, index=True)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    def roles_of(self, user: User) -> set[str]:
        return user.roles & {ADVISER}

    def guard_context(self, today: date, actor: User | None = None) -> "NewsGuards":
        return NewsGuards()


class NewsGuards:
    """The news workflow has no guard conditions."""
