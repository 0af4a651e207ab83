"""What the views share: running a service call as one transaction and showing its refusal on the form."""
from collections.abc import Callable

from flask import abort

from app.extensions import db
from app.services import Conflict, ServiceError


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
