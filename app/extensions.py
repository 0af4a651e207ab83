"""The bare extension objects, bound to the app in create_app."""
from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, select as sa_select
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Beyond this a page number from the URL is only an attempt to overflow the database's OFFSET.
MAX_PAGE = 100_000


class Database(SQLAlchemy):
    def paginate(self, select, *, page: int | None = None, **kwargs):
        """Flask-SQLAlchemy's paginate, with the page number (from the URL when not given) capped at MAX_PAGE and the
        last page for a number past the end."""
        if page is None and has_request_context():
            page = request.args.get("page", 1, type=int)
        page = None if page is None else min(page, MAX_PAGE)
        found = super().paginate(select, page=page, **kwargs)
        if not found.items and found.page > found.pages > 0:  # past the end (or emptied meanwhile): the last page
            return self.paginate(select, page=found.pages, **kwargs)
        return found

    def finds(self, select) -> bool:
        """Whether `select` finds a row at all."""
        return self.session.scalar(sa_select(select.order_by(None).exists()))


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def wiring():
    """What runs when (the table in app/wiring.py), as installed on the running app."""
    return current_app.extensions["wiring"]
