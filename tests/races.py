"""A race lost at the database: a row someone else saved after the service looked and before it wrote its own."""
from contextlib import contextmanager

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session


@contextmanager
def twin_saved_first(model):
    """While open, the first new `model` row a session flushes finds a twin of itself (the same values, its own id)
    already written in the same transaction, behind the service's back: the database's unique constraint fires as
    it would for a concurrent request that committed first. The twin goes with the rollback."""
    fired = []

    def before_flush(session, _context, _instances):
        new = next((obj for obj in session.new if isinstance(obj, model)), None)
        if new is None or fired:
            return
        fired.append(new)
        values = {attr.columns[0].name: getattr(new, attr.key) for attr in inspect(model).column_attrs
                  if not attr.columns[0].primary_key and getattr(new, attr.key) is not None}
        session.connection().execute(insert(model.__table__).values(values))

    event.listen(Session, "before_flush", before_flush)
    try:
        yield fired
    finally:
        event.remove(Session, "before_flush", before_flush)
