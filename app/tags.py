"""A workflow state as a tag: its label, in the colour of its family (invited, member, ending, ended)."""
from markupsafe import Markup, escape

from app.history import state_label
from workflows import WORKFLOWS


def state_tag(workflow_name: str, state: str) -> Markup:
    """`<span class="tag tag-member">Aktiv</span>`: the one way a page shows a state."""
    family = WORKFLOWS[workflow_name].family(state)
    return Markup(f'<span class="tag tag-{escape(family)}">{escape(state_label(workflow_name, state))}</span>')


def register(app) -> None:
    app.jinja_env.globals.update(state_tag=state_tag)
