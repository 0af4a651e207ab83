"""The lean widgets for lists of everyone write exactly what WTForms' own widgets write."""
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.validators import DataRequired
from wtforms.widgets import ListWidget, Select

from app.forms import CheckboxList, LongSelect, choices

PEOPLE = choices([(0, "— Velg"), (1, "Åse Ås"), (2, 'Bo "B" <b> & co'), (3, "Cia")])


class PeopleForm(Form):
    chosen = CheckboxList("Valgte", coerce=int, validators=[DataRequired()], choices=PEOPLE)
    themes = CheckboxList("Tema", choices=choices([("a", "A"), ("b", "B")]), render_kw={"class_": "k"})
    one = SelectField("Én", coerce=int, validators=[DataRequired()], choices=PEOPLE, widget=LongSelect())


def test_the_lean_widgets_write_what_wtforms_writes():
    form = PeopleForm(MultiDict([("chosen", "2"), ("chosen", "3"), ("themes", "b"), ("one", "2")]))
    wtforms_list = ListWidget(prefix_label=False)
    for field in (form.chosen, form.themes):
        assert field(aria_describedby="hint") == wtforms_list(field, aria_describedby="hint", **field.render_kw or {})
    assert form.one() == Select()(form.one)
    assert 'checked id="chosen-2"' in form.chosen() and "&lt;b&gt;" in form.chosen()
