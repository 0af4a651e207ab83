"""News items for the public website: written and edited by the adviser, published and taken down through the
workflow (`workflows/news.py`)."""
from flask_babel import gettext as _
from sqlalchemy import Select, select

from app import clock
from app.extensions import db
from app.models import NewsItem, User
from app.services import ServiceError, audit
from workflows.news import DRAFT, PUBLISHED, WITHDRAWN
from workflows.roles import ADVISER

EDITABLE = (DRAFT, WITHDRAWN)


def _check(actor: User, title: str, body: str) -> tuple[str, str]:
    if not actor.has_role(ADVISER):
        raise ServiceError(_("Bare FoU-rådgiveren kan skrive nyheter."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ServiceError(_("Skriv en tittel."), field="title")
    if not body:
        raise ServiceError(_("Skriv selve nyheten."), field="body")
    return title, body


def create(actor: User, *, title: str, body: str) -> NewsItem:
    """A new draft; the caller commits."""
    title, body = _check(actor, title, body)
    item = NewsItem(title=title, body=body, created_by_id=actor.id, created_at=clock.now(), updated_at=clock.now())
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "news.create", NewsItem.audit_type, item.id)
    return item


def update(item: NewsItem, actor: User, *, title: str, body: str) -> None:
    """Change a draft or a news item taken down (a published one is taken down before it is changed)."""
    title, body = _check(actor, title, body)
    if item.state not in EDITABLE:
        raise ServiceError(_("Avpubliser nyheten før du endrer den."))
    item.title, item.body, item.updated_at = title, body, clock.now()
    audit.record(actor, "news.update", NewsItem.audit_type, item.id)


def stamp_published(item: NewsItem, actor, data: dict) -> None:
    """The date shown with the news item: the day it was (last) published."""
    item.published_on = clock.today()


def published_query() -> Select:
    return select(NewsItem).where(NewsItem.state == PUBLISHED).order_by(NewsItem.published_on.desc(),
                                                                        NewsItem.id.desc())


def published(limit: int | None = None) -> list[NewsItem]:
    return list(db.session.scalars(published_query().limit(limit)))


def published_item(item_id: int) -> NewsItem | None:
    return db.session.scalars(published_query().where(NewsItem.id == item_id)).first()


def all_items() -> list[NewsItem]:
    """Every news item for the adviser, newest first."""
    return list(db.session.scalars(select(NewsItem).order_by(NewsItem.created_at.desc(), NewsItem.id.desc())))
