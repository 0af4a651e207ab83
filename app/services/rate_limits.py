"""Rate limits: counters of hits per key (a sign-in attempt from an address, a document render by a user) kept in
the database, the one state every worker and node shares, each hit counted by one atomic statement."""
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import ngettext
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app import clock
from app.extensions import db
from app.models import RateLimit
from app.services import ServiceError

# Counters whose window began longer ago than this, with no wait running, are removed by the daily tick; windows
# are shorter than a day.
KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Rule:
    """`allowed` hits per `window` go through without waiting. From then on each hit makes the key wait before the
    next is counted: `first_wait`, doubling per further hit up to `max_wait`. Once the window is over and no wait
    runs, the next hit starts the count again."""

    allowed: int
    window: timedelta
    first_wait: timedelta
    max_wait: timedelta


class RateLimited(ServiceError):
    """Too many hits on a key: it takes the next one in `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def hit(key: str, rule: Rule) -> int:
    """Count a hit on `key`: 0 when counted, otherwise the seconds until the key takes a hit (this one is not
    counted). Concurrent hits, from any process, are each counted once: exactly `allowed` pass at once."""
    now = clock.now().timestamp()
    column = RateLimit.__table__.c
    over = column.window_start <= now - rule.window.total_seconds()
    hits = case((over, 1), else_=column.hits + 1)
    wait = _wait(hits, case((over, 0.0), else_=column.wait), rule)
    first_wait = rule.first_wait.total_seconds() if rule.allowed <= 1 else 0.0
    # Without a wait the next hit may come at any moment, also one its request read from the clock a little earlier
    # than this one (it waited for this statement's lock): the epoch, not now.
    insert = (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    statement = insert(RateLimit).values(key=key, hits=1, window_start=now, wait=first_wait,
                                         next_at=now + first_wait if first_wait else 0.0)
    statement = statement.on_conflict_do_update(
        index_elements=[column.key], where=column.next_at <= now,
        set_={"hits": hits, "window_start": case((over, now), else_=column.window_start), "wait": wait,
              "next_at": case((wait > 0, now + wait), else_=0.0)})
    if db.session.execute(statement.returning(column.hits)).first() is not None:
        return 0
    next_at = db.session.scalar(select(RateLimit.next_at).where(RateLimit.key == key))
    return max(1, math.ceil(next_at - now))


def first_wait(counters: Iterable[tuple[str, Rule]]) -> int:
    """Count a hit on each key in turn, stopping at the first that has to wait: its wait, or 0 when all counted."""
    for key, rule in counters:
        wait = hit(key, rule)
        if wait:
            return wait
    return 0


def _wait(hits, previous, rule: Rule):
    """The wait after the hit that makes the count `hits`, the previous hit having made the key wait `previous`."""
    first, most = rule.first_wait.total_seconds(), rule.max_wait.total_seconds()
    return case((hits < rule.allowed, 0.0), (previous * 2 >= most, most), (previous * 2 <= first, first),
                else_=previous * 2)


def forgive(key: str) -> None:
    """Take back one counted hit (it turned out not to be one that should count); a running wait stays."""
    db.session.execute(update(RateLimit).where(RateLimit.key == key).values(hits=RateLimit.hits - 1))


def clear(key: str) -> None:
    """Forget the key's count and any wait."""
    db.session.execute(delete(RateLimit).where(RateLimit.key == key))


def prune(_today: date) -> list[str]:
    """Daily: remove the counters that no longer hold anything back."""
    now = clock.now().timestamp()
    removed = db.session.execute(delete(RateLimit).where(
        RateLimit.window_start <= now - KEPT.total_seconds(), RateLimit.next_at <= now)).rowcount
    return [f"Tellere for innlogging og dokumenter: {removed} utløpte fjernet."] if removed else []


def wait_text(seconds: int) -> str:
    """A wait as a message says it: "1 sekund", "40 sekunder", "15 minutter"."""
    if seconds < 120:
        return ngettext("%(num)d sekund", "%(num)d sekunder", seconds)
    return ngettext("%(num)d minutt", "%(num)d minutter", math.ceil(seconds / 60))
