"""The lean widgets for lists of everyone write exactly what WTForms' own widgets write; the stored one, whatever is
chosen."""
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice, SelectField
from wtforms.validators import DataRequired
from wtforms.widgets import ListWidget, Select

from app.extensions import db
from app.forms import CheckboxList, LongSelect, StoredSelect, choices, names

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


class ChooserForm(Form):
    stored = SelectField("Hvem", coerce=int, widget=StoredSelect("test_chooser"))
    written = SelectField("Hvem", coerce=int, widget=Select())


def test_a_stored_select_writes_what_wtforms_writes_whatever_is_chosen_reading_its_choices_once(app, orgs):
    """Its choices read once per content version (a function), the chosen option marked in the stored copy."""
    everyone, read = choices([(0, "— ingen —")]) + NAMES, []

    def form(**values) -> ChooserForm:
        found = ChooserForm(**values)
        found.stored.choices, found.written.choices = lambda: read.append(1) or everyone, everyone
        return found

    def same(found: ChooserForm, **attributes) -> bool:
        return found.stored(**attributes) == str(found.written(**attributes)).replace('"written"', '"stored"')

    with app.test_request_context("/"):
        for chosen in (None, 0, 2, 3, 9):
            assert same(form(data={"stored": chosen, "written": chosen}))
            assert same(form(data={"stored": chosen, "written": chosen}), aria_describedby="hint")
        assert same(form(formdata=MultiDict({"stored": "2", "written": "2"})))
        assert 'selected translate="no" value="2"' in form(data={"stored": 2}).stored()
        assert len(read) == 2  # one copy a set of attributes
        orgs["Voss"].official_name = "Voss herad (ny)"  # any change is a new content version
        db.session.commit()
        assert same(form(data={"stored": 3, "written": 3})) and len(read) == 3
