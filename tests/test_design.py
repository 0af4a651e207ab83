"""Designsystemet in the app: its CSS served from the app, state tags coloured by family, danger buttons for steps
that end something, visible labels, the required marker in the label and only on required fields, the error
summary linking to each field, and wide tables in named scroll regions."""
import json
import re
from datetime import date
from pathlib import Path

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, StringField
from wtforms.validators import DataRequired, InputRequired

from app.extensions import db
from app.forms import CheckboxList, choices
from app.tags import state_tag
from app.services import workflow
from tests import factories
from workflows import WORKFLOWS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def test_designsystemet_css_is_pinned_and_served_from_the_app(client):
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/@digdir/designsystemet-css"]["version"] == "1.22.0"
    html = client.get("/login").get_data(as_text=True)
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert links == ["/static/vendor/designsystemet/theme.css", "/static/vendor/designsystemet/components.css",
                     "/static/css/app.css"]
    served = {}
    for link in links:
        with client.get(link) as response:
            assert response.status_code == 200, link
            served[link] = response.get_data(as_text=True)
    assert "--ds-color-accent-base-default:" in served[links[0]]
    assert ".ds-error-summary" in served[links[1]]
    assert "var(--ds-color-" in served[links[2]]


@pytest.mark.parametrize("workflow_name, state, family", [
    ("membership", "invited", "invited"), ("membership", "agreement_pending", "invited"),
    ("membership", "active", "member"), ("membership", "notice_given", "ending"),
    ("membership", "terminated", "ended"), ("membership", "declined", "ended"),
    ("subgroup", "established", "member"), ("subgroup", "rejected", "ended"), ("cost_key", "decided", "member"),
])
def test_a_state_tag_has_the_colour_of_its_family(app, workflow_name, state, family):
    label = WORKFLOWS[workflow_name].label(state)
    assert str(state_tag(workflow_name, state)) == f'<span class="tag tag-{family}">{label}</span>'


def test_every_family_has_its_own_colour_in_the_stylesheet():
    css = (ROOT / "app/static/css/app.css").read_text()
    rules = {family: re.search(rf"\.tag-{family} {{([^}}]*)}}", css).group(1) for family in
             ("invited", "member", "ending", "ended")}
    backgrounds = {re.search(r"background: ([^;]+);", rule).group(1) for rule in rules.values()}
    assert len(backgrounds) == 4


def test_no_template_draws_a_state_tag_of_its_own():
    """A state is shown as a tag only through state_tag, so its colour comes from the one family table."""
    own = [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for path in TEMPLATES.rglob("*.html")
           for m in re.finditer(r'<span class="tag[^"]*">\s*\{\{\s*state_label\(', path.read_text())]
    assert own == []


def test_the_case_list_shows_each_state_in_its_familys_colour(client, login, orgs, adviser):
    round_ = factories.invitation_round()
    factories.invited(round_, orgs["Fedje"], adviser)
    factories.active_case(orgs["Gulen"], by=adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get("/saker/").get_data(as_text=True)
    assert '<span class="tag tag-invited">Invitert</span>' in html
    assert '<span class="tag tag-member">Aktiv</span>' in html


def test_steps_that_end_something_are_danger_buttons(client, login, orgs, adviser):
    case = factories.invited(factories.invitation_round(), orgs["Fedje"], adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get(f"/saker/{case.id}").get_data(as_text=True)
    withdraw = re.search(r'<a class="([^"]+)" href="[^"]*/handling/withdraw">', html).group(1)
    accept = re.search(r'<a class="([^"]+)" href="[^"]*/handling/accept">', html).group(1)
    assert "danger" in withdraw.split() and "danger" not in accept.split()
    confirm = client.get(f"/saker/{case.id}/handling/withdraw").get_data(as_text=True)
    assert re.search(r'<button type="submit" class="button danger">\s*Trekk tilbake', confirm)


def test_rejecting_from_the_inbox_is_a_danger_action_whose_page_labels_the_reason(client, login, orgs, adviser):
    case = factories.invited(factories.historic_round(created=date(2026, 10, 1), deadline=date(2026, 11, 1)),
                             orgs["Fedje"], adviser)
    contact = factories.user("municipality_contact", organisation=orgs["Fedje"])
    request = workflow.perform(case, "accept_late", contact, comment="Vi vil være med.")
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get("/godkjenninger/").get_data(as_text=True)
    assert re.search(rf'<a class="button small secondary danger" href="/godkjenninger/{request.id}/avvis', html)
    page = client.get(f"/godkjenninger/{request.id}/avvis").get_data(as_text=True)
    assert re.search(r'<label for="comment"[^>]*>', page)
    assert re.search(r'<button type="submit" class="button danger">', page)


def test_no_field_is_labelled_by_a_placeholder_or_a_hidden_label():
    """Every field has a visible label; a placeholder disappears as soon as someone types."""
    hidden = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
              if re.search(r'placeholder=|<label[^>]*class="visually-hidden"', path.read_text())]
    assert hidden == []


class _Row(Form):
    name = StringField("Navn på representanten", validators=[DataRequired("Skriv navnet.")])


class _Form(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Et svært langt ledetekstord som fyller linjen", validators=[DataRequired("Skriv tittelen.")])
    note = StringField("Merknad")
    themes = CheckboxList("Tema", choices=choices([("a", "A"), ("b", "B")]),
                          validators=[InputRequired("Velg minst ett tema.")])
    rows = FieldList(FormField(_Row), "Representant", min_entries=1)


FORM_PAGE = """{% from "_forms.html" import error_summary, field %}
{{ error_summary(form) }}{{ field(form.title) }}{{ field(form.note) }}{{ field(form.themes) }}
{% for row in form.rows %}{{ field(row.form.name) }}{% endfor %}"""


def test_the_required_marker_follows_the_label_of_a_required_field_only(app):
    with app.test_request_context():
        html = render_template_string(FORM_PAGE, form=_Form(data={}))
    marker = '<span class="required" aria-hidden="true">&nbsp;*</span>'
    assert f'<div class="field-label"><label for="title">Et svært langt ledetekstord som fyller linjen</label>{marker}</div>' in html
    assert '<div class="field-label"><label for="note">Merknad</label></div>' in html
    assert f"<legend>Tema{marker}</legend>" in html
    assert html.count(marker) == 3


def test_an_optional_filter_has_no_required_marker(client, login, orgs, adviser):
    case = factories.invited(factories.invitation_round(), orgs["Fedje"], adviser)
    db.session.commit()
    login("adviser", organisation="Bergen")
    html = client.get(f"/saker/{case.id}").get_data(as_text=True)
    assert '<div class="field-label"><label for="as_of">Vis status per dato</label></div>' in html


def test_the_error_summary_links_to_each_field_with_an_error(app):
    from werkzeug.datastructures import MultiDict

    with app.test_request_context(method="POST"):
        form = _Form(formdata=MultiDict({"rows-0-name": ""}))
        assert not form.validate()
        html = render_template_string(FORM_PAGE, form=form)
    summary = re.search(r'<div class="error-summary[^>]*>(.*?)</div>', html, re.S).group(1)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets == ["title", "themes-0", "rows-0-name"]
    for target in targets:
        assert re.search(rf'<input [^>]*id="{target}"', html), target
    assert "Representant 1, navn på representanten: Skriv navnet." in summary
    assert 'tabindex="-1" autofocus' in html
    form.form_errors.append("Forslaget er allerede sendt inn.")
    with app.test_request_context():
        assert "<li>Forslaget er allerede sendt inn.</li>" in render_template_string(FORM_PAGE, form=form)


def test_every_scroll_area_is_a_named_region_the_keyboard_reaches():
    wrappers = [f"{path.relative_to(TEMPLATES)}" for path in TEMPLATES.rglob("*.html")
                for line in path.read_text().splitlines() if 'class="table-wrap' in line
                and path.name != "_forms.html"]
    assert wrappers == []
    macro = (TEMPLATES / "_forms.html").read_text()
    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="{{ label }}">' in macro

