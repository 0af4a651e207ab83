"""Norwegian dates and amounts, and the language choice."""
from datetime import date, datetime

from babel.numbers import format_currency
from flask import current_app, has_request_context, session
from flask_babel import format_date, format_datetime, get_locale


def select_locale() -> str:
    """The language the user picked, bokmål unless they chose English (and outside a request, e.g. the tick)."""
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def short_date(value: date | datetime | None) -> str:
    """01.11.2016"""
    return "" if value is None else format_date(value, "short")


def long_date(value: date | None) -> str:
    """1. november 2016"""
    return "" if value is None else format_date(value, "long")


def date_time(value: datetime | None) -> str:
    """01.11.2016 14:30 in Oslo time."""
    return "" if value is None else f"{format_date(value, 'short')} {format_datetime(value, 'HH:mm')}"


def money(amount: int | None) -> str:
    """kr 40 000 (with a no-break space as thousands separator)."""
    if amount is None:
        return ""
    return format_currency(amount, "NOK", format="¤ #,##0", currency_digits=False, locale=str(get_locale()))


def register(app) -> None:
    app.jinja_env.filters.update(date=short_date, longdate=long_date, datetime=date_time, money=money)
    app.jinja_env.globals.update(get_locale=get_locale)
