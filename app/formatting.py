"""Dates and amounts in the language of the page, organisations' names on a date, file names."""
import unicodedata
from datetime import date, datetime, timezone
from functools import lru_cache

from babel import dates
from babel.numbers import format_currency
from flask_babel import get_locale, get_translations, gettext, ngettext
from jinja2 import pass_context
from markupsafe import Markup

from app import clock
from app.services import organisations


def slug(text: str) -> str:
    """A text as part of a file name: "Lindås kommune" → "lindas-kommune" (ASCII letters, digits and dashes)."""
    ascii_text = unicodedata.normalize("NFKD", text.lower().replace("æ", "ae").replace("ø", "o"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


# Babel formats the dates; the language is looked up once per call and the time zone is the collaboration's (Oslo).
# Going through Flask-Babel's wrappers looks both up several times per date, and a list page shows dozens of dates.
# Times of day are 14:30 in both languages (en_GB uses the 24-hour clock too).
# A/B at 500 municipalities (in-process probe, 30.11.2026), the same HTML either way: with Flask-Babel's format_date
# and no cache the timeline costs +12 %, the case list and agreement list +10 %, the overview +9 %.

def _oslo(value: date | datetime) -> date | datetime:
    """A moment in Oslo time (naive ones are UTC); a date as it is."""
    if not isinstance(value, datetime):
        return value
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(clock.OSLO)


@lru_cache(maxsize=4096)
def _day(day: date, length: str, locale: str) -> str:
    """A day as Babel writes it; the same few days recur all over a page (and the pages). Without the cache
    (A/B as above): agreement list +10 %, timeline +8 %, outbox and case list +8 %, approval inbox +6 %."""
    return dates.format_date(day, length, locale=locale)


def _language() -> str:
    """The locale of this request (bokmål outside one)."""
    return str(get_locale() or "nb")


def short_date(value: date | datetime | None) -> str:
    """01.11.2016"""
    return "" if value is None else _day(clock.day_of(value), "short", _language())


def long_date(value: date | None) -> str:
    """1. november 2016"""
    return "" if value is None else _day(clock.day_of(value), "long", _language())


def date_time(value: datetime | None) -> str:
    """01.11.2016 14:30 in Oslo time."""
    if value is None:
        return ""
    local = _oslo(value)
    return f"{_day(local.date(), 'short', _language())} {local:%H:%M}"


def clock_time(value: datetime | None) -> str:
    """14:30 in Oslo time."""
    return "" if value is None else f"{_oslo(value):%H:%M}"


def age(value: datetime | None) -> str:
    """How long ago in whole days, as people say it: "i dag", "1 dag", "3 dager"."""
    if value is None:
        return ""
    days = (clock.today() - clock.day_of(value)).days
    return gettext("i dag") if days <= 0 else ngettext("%(num)d dag", "%(num)d dager", days)


def money(amount: int | None) -> str:
    """kr 40 000 (with a no-break space as thousands separator)."""
    return "" if amount is None else _money(amount, _language())


@lru_cache(maxsize=4096)
def _money(amount: int, locale: str) -> str:
    """An amount as Babel writes it; a cost key's page shows thousands, mostly the same few. Without the cache
    (A/B as above): contribution list +21 %, cost key page +20 %."""
    return format_currency(amount, "NOK", format="¤ #,##0", currency_digits=False, locale=locale)


def bound_gettext() -> dict:
    """The templates' `_()` bound to the translations of this render.

    Flask-Babel's looks the language up again for each string, and a page has hundreds. This behaves as Jinja's
    newstyle gettext: escaped, and always treated as a format string. A/B at 500 municipalities (30.11.2026), the same
    HTML with Flask-Babel's: its gettext costs the approval inbox +18 %, an empty page in the layout +8 %, the case
    page and the audit log +5 %. The page's own `_` is this function too, not Jinja's alias that looks `gettext` up
    in the context on every call; a text without variables and without "%" is not formatted. A `_()` in a row loop
    cost 8.9 µs that way and costs 3.5 µs this way (01.12.2026); macros imported without context keep Jinja's.
    """
    translations = get_translations()

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables if variables or "%" in text else text

    return {"gettext": gettext, "_": gettext}


def register(app) -> None:
    app.context_processor(bound_gettext)
    app.jinja_env.filters.update(date=short_date, longdate=long_date, datetime=date_time, money=money,
                                time=clock_time, age=age, official_name=organisations.official_name)
    # Macros imported without context see the environment's gettext only: their `_` is it, not Jinja's alias that
    # looks it up by name on every call (3.5 µs of its 8.9, 01.12.2026).
    app.jinja_env.globals.update(get_locale=get_locale, _=app.jinja_env.globals["gettext"])
