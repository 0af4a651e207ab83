"""Form pieces shared by every area."""
from datetime import date

import wtforms
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import StopValidation
from markupsafe import Markup, escape
from wtforms.widgets import CheckboxInput, Select, html_params
from wtforms.widgets.core import clean_key

REQUIRED = "Feltet må fylles ut."
INVALID_DATE = "Skriv en gyldig dato."
INVALID_NUMBER = "Skriv et helt tall, uten mellomrom eller desimaler."
INVALID_TIME = "Skriv et gyldig klokkeslett, for eksempel 14:30."
# Dates outside these are typing errors; keeping to them also keeps date sums (a year after the notice, a two-year
# term) inside what Python's dates and the database can hold.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as select options."""
    return [SelectChoice(value, label) for value, label in pairs]


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
            raise ValueError(f"Datoen må være mellom {FIRST_DATE:%d.%m.%Y} og {LAST_DATE:%d.%m.%Y}.")


class IntegerField(_TypedInput, wtforms.IntegerField):
    """A whole number (give it a NumberRange too: the database's integers end at 2 147 483 647)."""

    invalid = INVALID_NUMBER


class TimeField(_TypedInput, wtforms.TimeField):
    """A time of day (14:30)."""

    invalid = INVALID_TIME


class CheckboxListWidget:
    """The HTML of WTForms' ListWidget(prefix_label=False) of checkboxes, written in one pass.

    WTForms builds and renders a field per option; a list of every user (hundreds) took most of a second.
    """

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        common = {k: True for k in CheckboxInput.validation_attrs if getattr(field.flags, k, False)}
        common |= {"name": field.name, "type": "checkbox", **(field.render_kw or {})}
        html = [f"<ul {html_params(**kwargs)}>"]
        # A set: SelectMultipleField.iter_choices looks each option up in the chosen list, quadratic for everyone.
        chosen = set(field.data or ())
        for i, choice in enumerate(field._choices_from_input(field.choices) or []):
            option_id = f"{field.id}-{i}"
            attrs = common | {"id": option_id, "value": str(choice.value)}
            if field.coerce(choice.value) in chosen:
                attrs.setdefault("checked", True)
            html.append(f'<li><input {_attributes(attrs)}> <label for="{escape(option_id)}">'
                        f"{escape(choice.label or choice.value)}</label></li>")
        html.append("</ul>")
        return Markup("".join(html))


def _attributes(attrs: dict) -> str:
    """What html_params writes: sorted, True alone, False and None left out."""
    return " ".join(clean_key(k) if v is True else f'{clean_key(k)}="{escape(v)}"' for k, v in sorted(attrs.items())
                    if v is not False and v is not None)


class LongSelect(Select):
    """WTForms' Select for a list of everyone: the same HTML, each option written without html_params."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        options = {"value": str(choice.value), **(choice.render_kw or {}), **kwargs}
        if choice.selected:
            options["selected"] = True
        return Markup(f"<option {_attributes(options)}>{escape(choice.label or choice.value)}</option>")


class CheckboxList(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = CheckboxListWidget()
    option_widget = CheckboxInput()



class ConfirmForm(FlaskForm):
    """An empty form: a POST button protected by CSRF (the button says what it does)."""
