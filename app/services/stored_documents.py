"""Downloads (PDFs, ZIPs, CSV and Excel files, calendar feeds) made once per content version and kept in the database.

Every transaction that changes a table a document may show (any but the bookkeeping ones below) adds one to
content_version, once, in the same transaction: so nothing that changes the data has to tell this module, and a
stored copy made at the current version, on the same day and in the same language, shows what a new one would.
Each language keeps its own copy (its key names the language), so readers of two languages do not replace each
other's.
The PDFs inside keep their own copies by their HTML's fingerprint (rendered_pdfs), so a change elsewhere costs the
HTML, not WeasyPrint.
"""
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import delete, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

import workflows
from app import clock, languages
from app.extensions import db
from app.models import (AuditHead, ContentVersion, LoginAttempt, LoginSession, RateLimit, RenderedPdf,
                        StoredDocument)

# Written while reading or signing in, never shown in a document (AuditHead moves only with an AuditEvent, which is).
BOOKKEEPING = frozenset(model.__table__ for model in (
    AuditHead, ContentVersion, LoginAttempt, LoginSession, RateLimit, RenderedPdf, StoredDocument))
_BUMPED = "content_version_bumped"  # session.info: this transaction has added its one
_READ = "content_version_read"  # session.info: the counter as this transaction last read or moved it


def version() -> str:
    """What a stored copy must have been made at to be served now: the content version, today, the language and the
    code that makes it."""
    info = db.session.info
    if _READ not in info:  # read once a transaction: a page may hold several stored copies
        info[_READ] = db.session.scalar(select(ContentVersion.seq).where(ContentVersion.id == 1)) or 0
    seq = info[_READ]
    return f"{seq}:{clock.today().isoformat()}:{get_locale()}:{code_fingerprint(current_app.template_folder)}"


@cache
def code_fingerprint(template_folder: str) -> str:
    """The app's code, templates and catalogs, hashed once a process: a release that changes how a copy is made (a
    column, a text, the shape of stored page data) does not serve the copies the one before made, though the data
    has not changed."""
    digest = hashlib.sha256()
    for root in (Path(__file__).resolve().parents[1], Path(workflows.__file__).parent, Path(template_folder)):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def etag(kind: str, key: str, current: str) -> str:
    return hashlib.sha256(f"{kind}\0{key}\0{current}".encode()).hexdigest()[:32]


def find(kind: str, key: str, current: str) -> bytes | None:
    return db.session.scalar(select(StoredDocument.content).where(
        StoredDocument.kind == kind, StoredDocument.key == _in_language(key), StoredDocument.version == current))


def make(kind: str, key: str, current: str, render: Callable[[], bytes]) -> bytes:
    """`render` the document and store it as made at `current` (read before rendering, so that a change committed
    meanwhile makes the copy stale rather than mislabelled), replacing the earlier copy. The caller commits."""
    content = render()
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    values = {"version": current, "content": content, "stored_at": clock.now()}
    db.session.execute(insert(StoredDocument).values(kind=kind, key=_in_language(key), **values)
                       .on_conflict_do_update(index_elements=["kind", "key"], set_=values))
    return content


def forget(kinds: tuple[str, ...], key: str) -> None:
    """Drop the stored copies of documents `kinds` `key`, in every language (their data is gone: no copy may keep
    it)."""
    copies = [_in_language(key, languages.REGIONS.get(language, language))
              for language in current_app.config["LANGUAGES"]]
    db.session.execute(delete(StoredDocument).where(StoredDocument.kind.in_(kinds), StoredDocument.key.in_(copies)))


def forget_all() -> None:
    """Drop every stored copy; each is made again when next asked for."""
    db.session.execute(delete(StoredDocument))


def _in_language(key: str, locale: str | None = None) -> str:
    """What identifies the copy of document `key` in `locale` (this request's if None)."""
    return f"{key}@{locale or get_locale()}"


def _bump(session: Session) -> None:
    if session.info.get(_BUMPED):
        return
    session.info[_BUMPED] = True
    session.info.pop(_READ, None)
    connection = session.connection()
    # A database before migration 0026 (the migration tests fill one with today's services) has neither the counter
    # nor a stored copy to make stale; asked once per writing transaction, as a test may migrate the same database.
    if not inspect(connection).has_table(ContentVersion.__tablename__):
        return
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(insert(ContentVersion).values(id=1, seq=1).on_conflict_do_update(
        index_elements=["id"], set_={"seq": ContentVersion.seq + 1}))


def count_flush(session: Session, _context) -> None:
    """After each flush (app/wiring.py): a change to a table a document may show moves the counter."""
    changed = [*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o))]
    if any(getattr(type(o), "__table__", None) not in BOOKKEEPING for o in changed):
        _bump(session)


def count_statement(state) -> None:
    """Each ORM statement (app/wiring.py): a bulk insert, update or delete moves the counter too."""
    if (state.is_insert or state.is_update or state.is_delete) and state.statement.table not in BOOKKEEPING:
        _bump(state.session)


def forget_count(session: Session, *args) -> None:
    session.info.pop(_BUMPED, None)
    session.info.pop(_READ, None)
