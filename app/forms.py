"""Form pieces shared by every area."""
from datetime import date

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Choice, SelectChoice, SelectMultipleField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, Select
from wtforms.widgets.core import clean_key

from app.formatting import short_date
from app.views import stored

REQUIRED = _l("Feltet må fylles ut.")
INVALID_DATE = _l("Skriv en gyldig dato.")
INVALID_NUMBER = _l("Skriv et helt tall, uten mellomrom eller desimaler.")
INVALID_TIME = _l("Skriv et gyldig klokkeslett, for eksempel 14:30.")
# Dates outside these are typing errors; keeping to them also keeps date sums (a year after the notice, a two-year
# term) inside what Python's dates and the database can hold.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


NAME = {"translate": "no"}


def names(pairs) -> list[SelectChoice]:
    """(value, name) pairs as select options whose labels are names (of people, organisations, regions, meetings),
    which a translation leaves alone."""
    return [SelectChoice(value, label, render_kw=NAME) for value, label in pairs]


class _TypedInput:
    """Something typed that is not a date, number or time at all is told so (`invalid`), not that the field is
    empty."""

    invalid = ""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid) from None

    def pre_validate(self, form):
        if self.process_errors and self.raw_data and self.raw_data[0].strip():
            raise StopValidation()


class DateField(_TypedInput, wtforms.DateField):
    """A date between FIRST_DATE and LAST_DATE."""

    invalid = INVALID_DATE

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not FIRST_DATE <= self.data <= LAST_DATE:
            self.data = None
            raise ValueError(_("Datoen må være mellom %(first)s og %(last)s.", first=short_date(FIRST_DATE),
                               last=short_date(LAST_DATE)))


class IntegerField(_TypedInput, wtforms.IntegerField):
    """A whole number (give it a NumberRange too: the database's integers end at 2 147 483 647)."""

    invalid = INVALID_NUMBER


class TimeField(_TypedInput, wtforms.TimeField):
    """A time of day (14:30)."""

    invalid = INVALID_TIME


def html_params(**kwargs) -> Markup:
    """wtforms.widgets.html_params, the same HTML written with f-strings: WTForms' runs Markup.format (Python's
    string.Formatter) per attribute, 40 µs a call against 5. Installed for every WTForms widget below: a form page
    renders 15-20 fields (A/B at 500 units, 1.12.2026: the cost key's and the subgroup's forms -7 to -15 % CPU)."""
    return Markup(" ".join(
        escape(clean_key(k)) if v is True else f'{escape(clean_key(k))}="{str(escape(v)).replace(chr(34), "&quot;")}"'
        for k, v in sorted(kwargs.items()) if v is not False))


wtforms.widgets.core.html_params = html_params
wtforms.widgets.core.Input.html_params = wtforms.widgets.core.Button.html_params = staticmethod(html_params)


class CheckboxListWidget:
    """The HTML of WTForms' ListWidget(prefix_label=False) of checkboxes, written in one pass.

    WTForms builds and renders a field per option; a list of every user (hundreds) took most of a second. The
    attributes every checkbox shares are written once, around the id and value that differ. A/B at 500
    municipalities (in-process probe, 30.11.2026) with WTForms' own ListWidget and Select: the merger page +38 %.
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        common = {k: True for k in CheckboxInput.validation_attrs if getattr(field.flags, k, False)}
        common |= {"name": field.name, "type": "checkbox", **(field.render_kw or {})}
        plain, checked = _input_around_id_and_value(common), _input_around_id_and_value({"checked": True, **common})
        options = field._choices_from_input(field.choices) or []
        values = escape_each([choice.value for choice in options])
        labels = escape_each([choice.label or choice.value for choice in options])
        # A set: SelectMultipleField.iter_choices looks each option up in the chosen list, quadratic for everyone.
        chosen = set(field.data or ())
        prefix, coerce = escape(field.id), field.coerce
        html = [f"<ul {html_params(**kwargs)}>"]
        for i, (choice, value, label) in enumerate(zip(options, values, labels)):
            before, middle, after = checked if coerce(choice.value) in chosen else plain
            name = ' translate="no"' if choice.render_kw == NAME else ""
            html.append(f'<li>{before}{prefix}-{i}{middle}{value}{after} '
                        f'<label for="{prefix}-{i}"{name}>{label}</label></li>')
        html.append("</ul>")
        return Markup("".join(html))


def escape_each(texts: list) -> list[str]:
    """escape() of each text, as HTML inside a string.

    The texts are escaped as one string joined by NUL and split again: a call per text was a quarter of the user
    form (the select of 1 100 organisations, values and names), 0.44 → 0.12 ms a list (01.12.2026). Texts that hold
    a NUL or escape themselves (__html__) are escaped one by one."""
    joined = "\0".join(map(str, texts))
    if joined.count("\0") != len(texts) - 1 or any(hasattr(text, "__html__") for text in texts):
        return [str(escape(text)) for text in texts]
    return str(escape(joined)).split("\0") if texts else []


_SLOT = "\0"


def _input_around_id_and_value(attrs: dict) -> tuple[str, str, str]:
    """An <input> with `attrs` as the three pieces around its id and value (attributes are written sorted, and "id"
    comes before "value")."""
    before, middle, after = _attributes(attrs | {"id": _SLOT, "value": _SLOT}).split(_SLOT)
    return f"<input {before}", middle, f"{after}>"


def _attributes(attrs: dict) -> str:
    """What html_params writes: sorted, True alone, False and None left out."""
    return " ".join(clean_key(k) if v is True else f'{clean_key(k)}="{escape(v)}"' for k, v in sorted(attrs.items())
                    if v is not False and v is not None)


class LongSelect(Select):
    """WTForms' Select for a list of everyone: the same HTML, written in one pass."""

    def __call__(self, field, **kwargs):
        return self.write(field, field.data, **kwargs)

    def write(self, field, data, **kwargs) -> Markup:
        """The select with the option whose value is `data` chosen (a list in groups: WTForms' own, the field's data
        chosen)."""
        options = field._choices_from_input(field.choices) or []
        if self.multiple or any(choice.optgroup is not None for choice in options):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        for k in self.validation_attrs:
            if k not in kwargs and getattr(field.flags, k, False):
                kwargs[k] = getattr(field.flags, k)
        values = escape_each([choice.value for choice in options])
        labels = escape_each([choice.label or choice.value for choice in options])
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        coerce = field.coerce
        for choice, value, label in zip(options, values, labels):
            selected = coerce(choice.value) == data
            if choice.render_kw == NAME:  # a list of everyone's names: html_params per option was most of the page
                html.append(f'<option {"selected " if selected else ""}translate="no" value="{value}">{label}</option>')
            elif choice.render_kw:
                html.append(self.render_option(Choice(choice.value, choice.label, selected, choice.render_kw)))
            else:
                html.append(f'<option {"selected " if selected else ""}value="{value}">{label}</option>')
        html.append("</select>")
        return Markup("".join(html))


class StoredSelect(LongSelect):
    """A LongSelect of a list that is the same for everyone who sees it (every organisation), its options plain or
    names and their values whole numbers: written with nothing chosen once per content version and language
    (views.stored, kind `kind`, keyed by its attributes), the chosen option marked in the copy. Give the field its
    choices as a function: they are read only to write the copy or to check a submitted form. A/B at 500 units
    (in-process CPU against the 50-row reference, 01.12.2026), the user forms' 1 100 organisations written on each
    page, then stored: editing a user 2.17x -> 1.62x, a new user 1.95x -> 1.37x."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def __call__(self, field, **kwargs):
        html = stored(self.kind, html_params(**kwargs), lambda: str(self.write(field, None, **kwargs)))
        if field.data is not None:
            value = escape(field.data)
            for option in (f'<option value="{value}">', f'<option translate="no" value="{value}">'):
                html = html.replace(option, option.replace("<option ", "<option selected ", 1), 1)
        return Markup(html)


class CheckboxList(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = CheckboxListWidget()
    option_widget = CheckboxInput()



class ConfirmForm(FlaskForm):
    """An empty form: a POST button protected by CSRF (the button says what it does)."""
