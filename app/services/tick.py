"""The clock: applies every time-driven transition that is due, then the daily tasks."""
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import STATEFUL
from app.services import Conflict, ServiceError, mail, workflow
from workflows import SYSTEM

# Daily jobs other areas add (reminders and the like): fn(today) -> lines describing what was done.
TASKS: list[Callable[[date], list[str]]] = []


def run(today: date) -> list[str]:
    """Apply due transitions one object at a time, committing each; safe to run in parallel."""
    done = []
    for model in STATEFUL.values():
        sources = {s for spec in model.workflow.specs if SYSTEM in spec.roles for s in spec.sources}
        ids = db.session.scalars(select(model.id).where(model.state.in_(sources)).order_by(model.id)).all()
        for object_id in ids:
            done += _advance(db.session.get(model, object_id))
    for task in TASKS:
        done += task(today)
        db.session.commit()
    sent, failed = mail.send_pending()
    if sent or failed:
        done.append(f"E-post: {sent} sendt, {failed} feilet (prøves igjen senere).")
    return done


def _advance(obj) -> list[str]:
    """Apply the due transitions of one object, each in its own transaction."""
    done = []
    while (spec := workflow.due(obj)) is not None:
        before = obj.workflow.label(obj.state)
        try:
            workflow.apply(obj, spec, None, comment=f"Automatisk: {spec.label.lower()}.")
            db.session.commit()
        except (Conflict, ServiceError):
            db.session.rollback()  # another tick got there first
            break
        done.append(f"{obj.title}: {before} → {obj.workflow.label(obj.state)}")
    return done
