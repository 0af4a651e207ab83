"""Signing in and out, setting and changing passwords."""
import unicodedata
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from app import languages
from app.auth import providers
from app.auth.forms import (ChangePasswordForm, ForgotPasswordForm, LoginForm, PasswordLinkForm, ProviderSignInForm,
                             SetPasswordForm)
from app.auth.identity_routes import PROVIDER_LOGOUT
from app.extensions import login_manager
from app.security import public
from app.services import ServiceError, password_links, users
from app.views import attempt, attempt_keeping_record, commit_alone, refusal_of

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Logg inn for å se denne siden.")
login_manager.localize_callback = str  # the message is lazy; the flash keeps it as text
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
        flash(_("Du er logget ut. Logg inn på nytt for å fortsette."), "info")
    else:
        flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login, and none with whitespace or control characters (a line
    break would end the Location header: werkzeug refuses it with a 500)."""
    if not target or urlsplit(target).netloc or urlsplit(target).scheme or not target.startswith("/") \
            or target.startswith("//") or "\\" in target \
            or any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in target):
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
            languages.keep_on_account(user, session.get("lang"))
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
            flash(_("Velkommen, %(name)s.", name=signed_in[0].name), "success")
            return redirect(safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, providers=providers.configured(),
                           provider_form=ProviderSignInForm()), status, headers


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ends the sign-in here; after a sign-in with a provider that offers it, the browser goes on to sign out there
    too, and comes back to the sign-in page."""
    attempt(lambda: users.end_session(current_user.login_session_id))
    provider_logout = session.get(PROVIDER_LOGOUT)
    logout_user()
    session.clear()
    flash(_("Du er logget ut."), "info")
    provider = next((p for p in providers.configured() if provider_logout and p.name == provider_logout["provider"]),
                    None)
    elsewhere = providers.logout_url(provider, provider_logout["id_token"]) if provider else None
    return redirect(elsewhere or url_for("auth.login"))


@bp.route("/passord/glemt", methods=["GET", "POST"])
@public
def forgot_password():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        refusal = refusal_of(lambda: users.count_mail_request(form.email.data, request.remote_addr))
        if refusal:
            form.email.errors.append(refusal.message)
            return render_template("auth/forgot_password.html", form=form), 429, {
                "Retry-After": str(refusal.retry_after)}
        attempt(lambda: users.forgotten_password(form.email.data))
        flash(_("Hvis adressen hører til en konto med passord, har vi sendt en lenke for å velge nytt passord."),
              "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/passord", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    calendar_revoked = []
    if form.validate_on_submit() and attempt(lambda: calendar_revoked.append(users.change_own_password(
            current_user, form.current_password.data, form.password.data)), form, "current_password"):
        flash(_("Passordet er endret, og du er logget ut alle andre steder. Kalenderlenken din er slått av: lag en ny "
                "under Kalender.") if calendar_revoked[0] else
              _("Passordet er endret, og du er logget ut alle andre steder."),
              "success")
        return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


# The session key that holds an opened link to set a password, so that no address the browser loads holds it.
PASSWORD_LINK = "password_link"


def _link_refused(message: str):
    return render_template("auth/invitation_invalid.html", message=message), 404


def _signed_out_only() -> None:
    if current_user.is_authenticated:
        abort(409, _("Du er allerede logget inn. Logg ut før du tar i bruk en invitasjonslenke."))


@bp.route("/invitasjon/<token>")
@public
def accept_invitation(token: str):
    """The link in the mail opens a page whose button posts the token: a mail scanner that follows links starts
    nothing, and the token leaves the address bar."""
    try:
        user = password_links.user_for(token)
    except ServiceError as error:
        return _link_refused(error.message)
    _signed_out_only()
    response = make_response(render_template("auth/password_link.html", form=PasswordLinkForm(token=token),
                                             user=user))
    response.headers["Referrer-Policy"] = "no-referrer"  # the next request would carry this address along
    return response


@bp.route("/invitasjon", methods=["POST"])
@public
def open_password_link():
    _signed_out_only()
    form = PasswordLinkForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        password_links.user_for(form.token.data)
    except ServiceError as error:
        return _link_refused(error.message)
    session[PASSWORD_LINK] = form.token.data
    return redirect(url_for("auth.choose_password"))


@bp.route("/passord/velg", methods=["GET", "POST"])
@public
def choose_password():
    token = session.get(PASSWORD_LINK)
    if token is None:
        return _link_refused(_("Åpne lenken i e-posten på nytt for å velge passord."))
    try:
        user = password_links.user_for(token)
    except ServiceError as error:
        session.pop(PASSWORD_LINK)
        return _link_refused(error.message)
    _signed_out_only()
    form = SetPasswordForm()
    if form.validate_on_submit() and attempt(lambda: users.set_password(user, form.password.data), form, "password"):
        session.pop(PASSWORD_LINK)
        flash(_("Passordet er lagret. Du kan nå logge inn."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/choose_password.html", form=form, user=user)
