"""What the views share: running a service call as one transaction and showing its refusal on the form, and the
confirmation page every destructive or final step goes through."""
import io
import json
from collections.abc import Callable
from typing import TypeVar

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from app.extensions import db, wiring
from app.services import Conflict, ServiceError, stored_documents, workflow
from app.services.overview import page_of
from workflows import TransitionSpec, WorkflowError

T = TypeVar("T")

# Two people saved the same thing at once and the database's unique constraint stopped the second.
DUPLICATE = _l("Noen andre registrerte det samme akkurat nå. Last siden på nytt og se hva som gjelder nå.")


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
    else changed or saved the same thing first, the 409 page."""
    try:
        _run_and_commit(action)
    except ServiceError as error:
        if form is None:
            abort(403, error.message)
        show_error(form, error, default_field)
        return False
    return True


def refusal_of(action: Callable[[], object]) -> ServiceError | None:
    """As `attempt`, handing the refusal back (rolled back) instead of showing it: None when done and committed."""
    try:
        _run_and_commit(action)
    except ServiceError as error:
        return error
    return None


def attempt_or_flash(action: Callable[[], object]) -> bool:
    """As `attempt`, for a page that shows a refusal as a message at the top rather than on a form."""
    try:
        _run_and_commit(action)
    except ServiceError as error:
        flash(error.message, "error")
        return False
    return True


def attempt_result(action: Callable[[], T], form=None, default_field: str | None = None) -> T | None:
    """As `attempt`, for an action that makes something: what it returned, or None when refused."""
    made = []
    return made[0] if attempt(lambda: made.append(action()), form, default_field) else None


def confirmation(template: str, form: FlaskForm, action: Callable[[], str], done: str | Callable[[], str], *,
                 back: str | None = None, refusal: str | None = None, refused_status: int = 409, danger: bool = True,
                 final: bool = True, **context) -> ResponseReturnValue:
    """The one way a destructive or final step is taken: a GET shows `template` (a page extending confirm.html that
    says what will happen) with `form` and a button; its POST, when `form` is valid and nothing refuses, runs
    `action` as one transaction, shows the message it returns and goes to `done` (or to what `done()` says then).

    `back`: where "Avbryt" leads (`done` unless given; needed when `done` is a function). `refusal`: why the step
    cannot be taken now (shown instead of the button; a POST then answers `refused_status`). `danger`: the button
    is styled as destructive. `final`: the page says the step cannot be undone.
    """
    if refusal is None and form.validate_on_submit():
        message = attempt_result(action, form)
        if message is not None:
            flash(message, "success")
            return redirect(done() if callable(done) else done)
    status = refused_status if refusal and request.method == "POST" else 200
    return render_template(template, form=form, refusal=refusal, back=back or done, danger=danger, final=final,
                           **context), status


def step_confirmation(obj, spec: TransitionSpec, form: FlaskForm, done: str, *, title: str,
                      data: Callable[[], dict | None] = lambda: None, refused_with: int | None = None,
                      **context) -> ResponseReturnValue:
    """A workflow step on its confirmation page (confirm_step.html, `title` naming what it is about): the form's
    comment goes with the step, and `data()` as its facts. `refused_with`: the status of a refused POST, when not
    the usual (see refused_status)."""
    if spec.comment_required:
        form.comment.flags.required = True

    def take() -> str:
        workflow.perform(obj, spec.trigger, current_user, comment=form.comment.data, data=data())
        if spec.needs_approval:
            return _("Forespørselen «%(step)s» er sendt til FoU-rådgiveren for godkjenning.", step=_(spec.label))
        return _("Utført: %(step)s. Ny status: %(state)s.", step=_(spec.label), state=obj.workflow.label(obj.state))

    return confirmation("confirm_step.html", form, take, done, refusal=step_refusal(obj, spec),
                        refused_status=refused_with or refused_status(obj, spec), danger=obj.workflow.is_destructive(spec.trigger),
                        final=not spec.needs_approval, obj=obj, spec=spec, title=title, **context)


def kept(action: Callable[[], T]) -> T:
    """Run `action` and commit what it stored on the way: a page that keeps what it made (a PDF) for the next."""
    made = []
    _run_and_commit(lambda: made.append(action()))
    return made[0]


def stored(kind: str, key: object, read: Callable[[], object]):
    """What `read` returns (plain JSON data), read once per content version, day and language and stored
    (app/services/stored_documents.py): for a list whose every row a rule decides, the same for everyone who may
    see it."""
    key, current = str(key), stored_documents.version()
    found = stored_documents.find(kind, key, current)
    if found is None:
        found = kept(lambda: stored_documents.make(kind, key, current, lambda: json.dumps(read()).encode()))
    return json.loads(found)


def stored_page(kind: str, key: object, requested: int, per_page: int, read: Callable[[int], dict]) -> dict:
    """Page `requested` of a list stored as `stored` keeps it, each page as `read(number)` gives it (with the list's
    "total"). The first page's copy gives the number of pages: a number past the end is the last page, as
    db.paginate makes it, and adds no copy."""
    first = stored(kind, f"{key}:1", lambda: read(1))
    number = page_of(first["total"], requested, per_page).page
    return first if number == 1 else stored(kind, f"{key}:{number}", lambda: read(number))


def query_as_read(**read: object) -> str | None:
    """The query string, written out anew, when it holds nothing but these parameters, each once and as the page
    read them (a page number as clamped): a page whose paging links keep the query string may then be stored under
    it, with no more copies than there are pages. None for any other."""
    args = request.args
    if args.keys() <= read.keys() and all(args.getlist(name) == [str(read[name])] for name in args):
        return "&".join(f"{name}={value}" for name, value in args.items())
    return None


def uploaded_file(content: bytes, download_name: str) -> Response:
    """A PDF someone uploaded: always downloaded, never shown or run by the browser as a page of this site (so a
    file that is also HTML stays inert)."""
    response = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True,
                         download_name=download_name)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def attempt_keeping_record(action: Callable[[], object]) -> ServiceError | None:
    """As `attempt`, but what `action` wrote before refusing is committed too (a failed sign-in is counted even
    though the sign-in is refused): the refusal, or None."""
    refusal = None

    def run():
        nonlocal refusal
        try:
            action()
        except Conflict:
            raise
        except ServiceError as error:
            refusal = error

    _run_and_commit(run)
    return refusal


def commit_alone(action: Callable[[], object]) -> None:
    """After the view: run `action` in a transaction of its own and commit only what it writes. Whatever the view
    left uncommitted is dropped first, as the end of the request would drop it."""
    db.session.rollback()
    _run_and_commit(action)


def _run_and_commit(action: Callable[[], object]) -> None:
    """Run `action` and commit; roll back on any refusal (re-raised), and turn a conflict or a unique constraint
    that fired on flush or commit into the 409 page."""
    try:
        action()
        db.session.commit()
    except Conflict as error:
        db.session.rollback()
        abort(409, error.message)
    except ServiceError:
        db.session.rollback()
        raise
    except IntegrityError as error:
        db.session.rollback()
        if not _duplicate(error):
            raise
        current_app.logger.warning("unique constraint fired, shown as a conflict: %s", error.orig)
        abort(409, DUPLICATE)


def _duplicate(error: IntegrityError) -> bool:
    """Whether a unique (or primary key) constraint fired, on SQLite or PostgreSQL; other constraints are bugs."""
    return getattr(error.orig, "sqlstate", None) == "23505" or getattr(error.orig, "sqlite_errorname", None) in (
        "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


def spec_or_404(obj, trigger: str) -> TransitionSpec:
    """The step `trigger` of the object's workflow; 404 when the workflow has no such step."""
    try:
        return obj.workflow.spec(trigger)
    except WorkflowError:
        abort(404)


def step_refusal(obj, spec: TransitionSpec) -> str | None:
    """Why the signed-in user cannot take `spec` on `obj` now (wrong state, role, guard, ...), or None."""
    if spec.trigger not in obj.workflow.triggers_from(obj.state):
        return _("«%(step)s» er ikke mulig når status er «%(state)s».", step=_(spec.label),
                 state=obj.workflow.label(obj.state))
    return workflow.refusal(obj, spec, current_user)


def refused_status(obj, spec: TransitionSpec) -> int:
    """The status of a refused step: 403 when it is not the signed-in user's to take, 409 when it is but the object
    or the day does not allow it now."""
    return 409 if spec.roles & obj.roles_of(current_user) else 403


def own_page(obj, spec: TransitionSpec, **ids) -> Response | None:
    """Where a step with a page of its own (the wiring's action_pages) goes from a generic action page, or None.

    Such a step asks for what the generic page does not (a reply's contact, an agreement's terms, a notice's date),
    so it is taken on its page only: a GET goes there, and a POST changes nothing and goes there with a message.
    `ids`: the object's id under the name the page takes it (case_id, ...).
    """
    endpoint = wiring().action_pages.get((obj.workflow.name, spec.trigger))
    if endpoint is None:
        return None
    if request.method == "POST":
        flash(_("«%(step)s» gjøres på denne siden. Ingenting er endret ennå.", step=_(spec.label)), "error")
    return redirect(url_for(endpoint, **ids), 303)
