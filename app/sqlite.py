"""SQLite settings for a file shared by several threads and processes."""
import os

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure(engine: Engine) -> None:
    """A new database file readable by the owner only; WAL journal, a busy timeout instead of instant 'database is
    locked', and enforced foreign keys."""
    if engine.url.database not in (None, "", ":memory:"):
        create_private(engine.url.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, far fewer fsyncs
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def create_private(path) -> None:
    """Create an empty database file at `path` readable and writable by the owner only, unless one is there (or its
    folder is missing, which SQLite reports when it opens it). SQLite gives its -wal and -shm files the same mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except (FileExistsError, FileNotFoundError):
        pass
