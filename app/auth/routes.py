"""Signing in and out, setting and changing passwords."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from app.extensions import login_manager
from app.security import public
from app.services import ServiceError, users
from app.views import attempt, attempt_keeping_record, commit_alone, refusal_of

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Logg inn for å se denne siden."
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(session_id: str):
    user, visit_due = users.load_session(session_id)
    if visit_due:
        g.session_visit = session_id
    if user is None:
        g.session_ended = True
    return user


@bp.after_app_request
def record_visit(response):
    """The loader writes nothing; the visit it noticed is saved here, apart from the view's transaction."""
    session_id = g.pop("session_visit", None)
    if session_id:
        commit_alone(lambda: users.record_visit(session_id))
    return response


@login_manager.unauthorized_handler
def unauthorized():
    if g.get("session_ended"):
        flash("Du er logget ut. Logg inn på nytt for å fortsette.", "info")
    else:
        flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login."""
    if not target or urlsplit(target).netloc or urlsplit(target).scheme or not target.startswith("/") \
            or target.startswith("//") or "\\" in target:
        return url_for("main.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        signed_in = []

        def sign_in():
            user = users.authenticate(form.email.data, form.password.data, request.remote_addr)
            users.start_session(user)
            signed_in.append(user)

        # Counted (and committed) before the password is checked; a failed check is recorded, a success forgiven.
        refusal = (refusal_of(lambda: users.count_login_attempt(form.email.data, request.remote_addr))
                   or attempt_keeping_record(sign_in))
        if isinstance(refusal, users.LoginLocked):
            form.email.errors.append(refusal.message)
            status, headers = 429, {"Retry-After": str(refusal.retry_after)}
        elif refusal:
            form.password.errors.append(refusal.message)
            status = 401
        else:
            session.clear()
            login_user(signed_in[0])
            flash(f"Velkommen, {signed_in[0].name}.", "success")
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    attempt(lambda: users.end_session(current_user.login_session_id))
    logout_user()
    session.clear()
    flash("Du er logget ut.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/passord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and attempt(
            lambda: users.change_own_password(current_user, form.current_password.data, form.password.data),
            form, "current_password"):
        flash("Passordet er endret.", "success")
        return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/invitasjon/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    try:
        user = users.user_for_invitation(token)
    except ServiceError as error:
        return render_template("auth/invitation_invalid.html", message=error.message), 404
    if current_user.is_authenticated:
        abort(409, "Du er allerede logget inn. Logg ut før du tar i bruk en invitasjonslenke.")
    form = SetPasswordForm()
    if form.validate_on_submit() and attempt(lambda: users.set_password(user, form.password.data), form, "password"):
        flash("Passordet er lagret. Du kan nå logge inn.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/accept_invitation.html", form=form, user=user)
