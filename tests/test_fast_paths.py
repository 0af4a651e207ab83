"""The hand-made fast paths kept for speed (their measured gain is in a comment beside each) write exactly what the
plain library calls write, in every language."""
from datetime import date, datetime, timezone

import flask_babel
import pytest
from flask import render_template_string
from flask_babel import lazy_gettext, refresh
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from app import formatting
from app.admin.forms import LogFilterForm
from app.forms import LongSelect, escape_each

LANGUAGES = ("nb", "nn", "en")
TEMPLATE = ("{{ _('Logg ut') }}|{{ _('Du har hentet mange dokumenter på kort tid. Prøv igjen om %(wait)s.', "
            "wait='<b>2 min</b>') }}|{{ _('Feltet må fylles ut.') }}|{{ _('100 %% sikkert') }}|"
            "{{ _('Ikke i katalogen <i>') }}")


@pytest.fixture(params=LANGUAGES)
def language(request, app):
    with app.test_request_context("/", headers={"Accept-Language": request.param}):
        refresh()
        yield request.param


def test_the_templates_gettext_writes_what_flask_babels_writes(app, language):
    bound = render_template_string(TEMPLATE)  # with the context processor's gettext
    plain = app.jinja_env.from_string(TEMPLATE).render()  # Flask-Babel's, as installed on the environment
    assert bound == plain
    assert "&lt;b&gt;2 min" in bound and "|100 % sikkert|" in bound
    if language == "en":
        assert "Log out" in bound


@pytest.mark.parametrize("day", [date(2016, 11, 1), date(2026, 12, 31),
                                 datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc), datetime(2026, 10, 24, 22, 15)])
def test_dates_are_written_as_flask_babel_writes_them(language, day):
    plain_day = flask_babel.format_date(day, "short")
    assert formatting.short_date(day) == plain_day
    assert formatting.long_date(day) == flask_babel.format_date(day, "long")
    if isinstance(day, datetime):
        assert formatting.date_time(day) == f"{plain_day} {flask_babel.format_time(day, 'HH:mm')}"


@pytest.mark.parametrize("amount", [0, 7, 40000, 1234567, -2500])
def test_amounts_are_written_as_flask_babel_writes_them(language, amount):
    assert formatting.money(amount) == flask_babel.format_currency(amount, "NOK", format="¤ #,##0",
                                                                   currency_digits=False)


def test_the_logs_kind_list_kept_per_language_and_choice_is_what_wtforms_writes(app):
    for language in (*LANGUAGES, "nb"):
        for chosen in ("", "membership", "x<y"):
            with app.test_request_context("/", headers={"Accept-Language": language}):
                refresh()
                field = LogFilterForm(MultiDict({"kind": chosen}), meta={"csrf": False}).kind
                assert field() == LongSelect()(field)
                assert ('value="">All</option>' in field()) == (language == "en")


@pytest.mark.parametrize("texts", [
    [], [""], ["Bø", "Å & Ø <kommune>", 'sitat "her" og \'der\''], [1, 22, 333],
    [Markup("<b>allerede HTML</b>"), "<i>"], [lazy_gettext("Logg ut"), "x"], ["med\0NUL", "<"],
])
def test_escaping_a_list_in_one_piece_is_escaping_each(app, texts):
    with app.test_request_context("/"):
        assert escape_each(texts) == [str(escape(text)) for text in texts]
