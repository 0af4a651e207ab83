"""app.forms.html_params, installed for WTForms' widgets, writes what WTForms' own writes."""
import pytest
import wtforms.widgets
from markupsafe import Markup

from app import forms


@pytest.mark.parametrize("attrs", [
    {"id": "a", "name": "b", "class_": "x y", "data_foo_bar": "1", "aria_describedby": "h", "required": True,
     "checked": False, "value": None},
    {"value": "<\"&'>", "title": Markup('a"b<i>')},
    {"value": 3, "maxlength": 200},
    {},
])
def test_the_attributes_are_written_as_wtforms_writes_them(attrs):
    assert wtforms.widgets.html_params is not forms.html_params  # WTForms' own, as imported before the swap
    written = forms.html_params(**attrs)
    assert written == wtforms.widgets.html_params(**attrs) and isinstance(written, Markup)


def test_the_widgets_use_it():
    assert wtforms.widgets.core.html_params is forms.html_params
    assert wtforms.widgets.core.Input.html_params is forms.html_params
