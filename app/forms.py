"""Form pieces shared by every area."""
from datetime import date

import wtforms
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, SubmitField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

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


class CheckboxList(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ConfirmForm(FlaskForm):
    """An empty form: a POST button protected by CSRF."""

    submit = SubmitField("Bekreft")
