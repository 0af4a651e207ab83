"""What the views share: running a service call as one transaction and showing its refusal on the form."""
from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.services import Conflict, ServiceError, workflow
from workflows import TransitionSpec, WorkflowError

T = TypeVar("T")


def add_error(form, field: str | None, message: str) -> None:
    """Show `message` on the form's field `field`, or above the form when it has no such field."""
    target = getattr(form, field, None) if field else None
    if target is None:
        form.form_errors.append(message)
    else:
        target.errors = [*target.errors, message]  # a tuple until the form has been validated


def show_error(form, error: ServiceError, default_field: str | None = None) -> None:
    """Put a service's message on the field it names (or `default_field`), otherwise above the form."""
    add_error(form, error.field or default_field, error.message)


def attempt(action: Callable[[], object], form=None, default_field: str | None = None) -> bool:
    """Run `action` and commit. A refusal rolls back and is shown on `form` (without a form: 403); when someone
    else changed the same thing first, the 409 page."""
    try:
        action()
    except Conflict as error:
        db.session.rollback()
        abort(409, error.message)
    except ServiceError as error:
        db.session.rollback()
        if form is None:
            abort(403, error.message)
        show_error(form, error, default_field)
        return False
    db.session.commit()
    return True


def attempt_result(action: Callable[[], T], form=None, default_field: str | None = None) -> T | None:
    """As `attempt`, for an action that makes something: what it returned, or None when refused."""
    made = []
    return made[0] if attempt(lambda: made.append(action()), form, default_field) else None


def spec_or_404(obj, trigger: str) -> TransitionSpec:
    """The step `trigger` of the object's workflow; 404 when the workflow has no such step."""
    try:
        return obj.workflow.spec(trigger)
    except WorkflowError:
        abort(404)


def step_refusal(obj, spec: TransitionSpec) -> str | None:
    """Why the signed-in user cannot take `spec` on `obj` now (wrong state, role, guard, ...), or None."""
    if spec.trigger not in obj.workflow.triggers_from(obj.state):
        return f"«{spec.label}» er ikke mulig når status er «{obj.workflow.label(obj.state)}»."
    return workflow.refusal(obj, spec, current_user)
