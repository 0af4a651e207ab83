"""The counters behind rate limits (app/services/rate_limits.py): sign-in attempts, document renders."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class RateLimit(db.Model):
    """One counter. Its moments are seconds since the epoch, not datetimes, so that the one statement counting a hit
    does its arithmetic alike on SQLite and PostgreSQL."""

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int]
    window_start: Mapped[float]
    wait: Mapped[float]  # seconds the last hit made the key wait (0 while hits are within the allowance)
    next_at: Mapped[float]  # no hit is counted before this moment
