"""The lean widgets for lists of everyone write exactly what WTForms' own widgets write."""
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice, SelectField
from wtforms.validators import DataRequired
from wtforms.widgets import ListWidget, Select

from app.forms import CheckboxList, LongSelect, choices, names

PEOPLE = choices([(0, "— Velg"), (1, "Åse Ås"), (2, 'Bo "B" <b> & co'), (3, "Cia"), (4, Markup("<i>Di</i>"))])
MARKED = [SelectChoice("a", "A", {"data_x": "<1>"}), SelectChoice("b", "B", {"disabled": True}), SelectChoice("c", "C"),
          SelectChoice("d", "D\0 & d")]
NAMES = names([(1, "Åse Ås"), (2, 'Bo "B" <b> & co'), (3, "Cia")])


class PeopleForm(Form):
    chosen = CheckboxList("Valgte", coerce=int, validators=[DataRequired()], choices=PEOPLE)
    themes = CheckboxList("Tema", choices=choices([("a", "A"), ("b", "B")]), render_kw={"class_": "k"})
    one = SelectField("Én", coerce=int, validators=[DataRequired()], choices=PEOPLE, widget=LongSelect())
    # Attributes that sort before, between and after the id and value every checkbox has.
    marked = CheckboxList("Merket", choices=MARKED, render_kw={"aria_label": "m", "data_y": "&", "wrap": "x"})
    marked_one = SelectField("Merket én", choices=MARKED, widget=LongSelect())
    named = SelectField("Navn", coerce=int, choices=NAMES, widget=LongSelect())
    grouped = SelectField("Gruppert", choices=[SelectChoice("v", "<V>", optgroup="Vest"),
                                               SelectChoice("ø", "Ø", optgroup="Øst")], widget=LongSelect())


def test_the_lean_widgets_write_what_wtforms_writes():
    form = PeopleForm(MultiDict([("chosen", "2"), ("chosen", "3"), ("themes", "b"), ("one", "2"), ("marked", "a"),
                                 ("marked", "c"), ("marked_one", "b"), ("grouped", "ø"),
                                 ("named", "2")]))
    wtforms_list = ListWidget(prefix_label=False)
    for field in (form.chosen, form.themes, form.marked):
        assert field(aria_describedby="hint") == wtforms_list(field, aria_describedby="hint", **field.render_kw or {})
    for field in (form.one, form.marked_one, form.named, form.grouped):
        assert field() == Select()(field)
    assert 'checked id="chosen-2"' in form.chosen() and "&lt;b&gt;" in form.chosen() and "<i>Di</i>" in form.one()
    assert 'selected translate="no" value="2"' in form.named()
