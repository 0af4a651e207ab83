"""The one clock the app reads: real time, or a pinned day for demos and tests."""
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app

OSLO = ZoneInfo("Europe/Oslo")


def today() -> date:
    """Today's date in Oslo, or the configured TODAY."""
    pinned = current_app.config.get("TODAY")
    if pinned:
        return pinned if isinstance(pinned, date) else date.fromisoformat(pinned)
    return datetime.now(OSLO).date()


def now() -> datetime:
    """The current moment in UTC; on a pinned day, the real time of day on that day."""
    real = datetime.now(timezone.utc)
    pinned = current_app.config.get("TODAY")
    if not pinned:
        return real
    day = today()
    local = datetime.combine(day, real.astimezone(OSLO).time().replace(tzinfo=None), tzinfo=OSLO)
    return local.astimezone(timezone.utc)


def day_of(moment: date | datetime) -> date:
    """The day in Oslo a moment falls on (a naive moment is UTC); a date as it is."""
    if not isinstance(moment, datetime):
        return moment
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(OSLO).date()


def start_of(day: date) -> datetime:
    """Midnight in Oslo at the start of `day`, as UTC."""
    return datetime.combine(day, time.min, tzinfo=OSLO).astimezone(timezone.utc)


@contextmanager
def pinned(day: date):
    """Run a block as if today were `day` (demo data with a real history)."""
    config = current_app.config
    before = config.get("TODAY")
    config["TODAY"] = day
    try:
        yield
    finally:
        config["TODAY"] = before
