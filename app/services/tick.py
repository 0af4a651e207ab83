"""The clock: applies every time-driven transition that is due, then the daily tasks."""
from datetime import date

from flask import current_app
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import MANYTOONE

from app.extensions import db, wiring
from app.models import STATEFUL
from app.services import Conflict, ServiceError, mail, workflow

CHUNK = 200  # objects per transaction
# The key of the PostgreSQL advisory lock a daily job holds for its transaction: the same on every server.
DAILY_JOBS_LOCK = 22_000_001


def run(today: date) -> list[str]:
    """Apply due transitions in chunks, one transaction each; safe to run from several processes and servers at
    once: each due transition is applied once, and the daily jobs run one at a time."""
    done = []
    for model in STATEFUL.values():
        sources = {s for spec in model.workflow.specs if workflow.is_clock_driven(spec) for s in spec.sources}
        ids = db.session.scalars(select(model.id).where(model.state.in_(sources)).order_by(model.id)).all()
        for start in range(0, len(ids), CHUNK):
            done += _advance_chunk(model, ids[start:start + CHUNK])
    for job in wiring().daily_jobs:
        _one_at_a_time()
        done += job(today)
        db.session.commit()
    sent, failed = mail.send_pending()
    if sent or failed:
        done.append(f"E-post: {sent} sendt, {failed} feilet (prøves igjen senere).")
    refresh_statistics()
    return done


def refresh_statistics() -> None:
    """Tell SQLite's query planner how the tables look (ANALYZE); PostgreSQL's autovacuum does this by itself.

    Without them SQLite sorts every municipality to show the first page of the overview instead of reading the
    name index.
    """
    if db.engine.dialect.name != "sqlite":
        return
    try:  # on a connection of its own, so nothing the caller left in the session is committed with it
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    except OperationalError as error:  # the database was busy: the statistics can wait until tomorrow
        current_app.logger.warning("ANALYZE ble ikke kjørt: %s", error)


def _one_at_a_time() -> None:
    """On PostgreSQL, wait until no other tick runs a daily job, then hold that lock until this transaction ends:
    a job reads what the other's committed (the reminders it queued, the lines it made) and does not do it again.
    SQLite lets one writer in at a time anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(DAILY_JOBS_LOCK)))


def _advance_chunk(model, ids: list[int]) -> list[str]:
    """Advance a chunk in one transaction; if another process got to one of them first, go one by one.

    On PostgreSQL the chunk's rows are locked as they are read (FOR UPDATE, in id order): a second tick waits for
    the first's commit and then reads the states it left, so it finds nothing more due instead of a conflict. Not
    SKIP LOCKED: a row a person is changing at that moment would then miss its transition until the next day."""
    try:
        parents = [selectinload(r) for r in inspect(model).relationships if r.direction is MANYTOONE]
        objects = db.session.scalars(select(model).where(model.id.in_(ids)).options(*parents).order_by(model.id)
                                     .with_for_update(of=model).execution_options(populate_existing=True))
        done = [line for obj in objects for line in _advance(obj)]
        db.session.commit()
        return done
    except (Conflict, ServiceError):
        db.session.rollback()
    done = []
    for object_id in ids:
        try:
            lines = _advance(db.session.get(model, object_id))
            db.session.commit()
            done += lines
        except (Conflict, ServiceError):
            db.session.rollback()  # the other tick applied it
    return done


def _advance(obj) -> list[str]:
    """Apply the due transitions of one object in the caller's transaction."""
    done = []
    while (spec := workflow.due(obj)) is not None:
        before = f"{obj.title}: {obj.workflow.label(obj.state)}"
        workflow.apply(obj, spec, None, comment=f"Automatisk: {spec.label.lower()}.")
        done.append(f"{before} → {obj.workflow.label(obj.state)}")
    return done
