"""PDFs made from the app's own HTML (WeasyPrint), each version of a document made once and kept in the database.

Making a PDF costs up to a second of CPU; the HTML it is made from costs milliseconds. So the HTML is rendered on
every request, and its SHA-256 (with the stylesheet) is the fingerprint of what the document shows: the copy kept
under the document's kind and id is served while its fingerprint matches, and is made anew, replacing it, once
anything shown has changed (a signature, a corrected or anonymised name, the print date). Nothing that changes
the data has to tell this module, and every server shares the copies through the database.
"""
import hashlib

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from weasyprint import CSS, HTML

from app import clock
from app.extensions import db
from app.models import RenderedPdf


def pdf(kind: str, object_id: int, html: str, *, css: str = "", base_url: str | None = None) -> bytes:
    """The PDF of `html` (with the stylesheet `css`), document `kind` number `object_id`. The caller commits, so
    that the next request finds the copy."""
    fingerprint = hashlib.sha256(f"{css}\0{html}".encode()).hexdigest()
    kept = db.session.scalar(select(RenderedPdf.content).where(
        RenderedPdf.kind == kind, RenderedPdf.object_id == object_id, RenderedPdf.fingerprint == fingerprint))
    if kept is not None:
        return kept
    content = HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(string=css)] if css else None)
    _keep(kind, object_id, fingerprint, content)
    return content


def _keep(kind: str, object_id: int, fingerprint: str, content: bytes) -> None:
    """Store the copy, replacing the document's earlier one; two servers making it at once both succeed."""
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    version = {"fingerprint": fingerprint, "content": content, "rendered_at": clock.now()}
    db.session.execute(insert(RenderedPdf).values(kind=kind, object_id=object_id, **version)
                       .on_conflict_do_update(index_elements=["kind", "object_id"], set_=version))


def forget_all() -> None:
    """Drop every kept copy; each is made again when next asked for."""
    db.session.execute(delete(RenderedPdf))
