"""Sign-in with an organisation's identity (OpenID Connect): the "Logg inn med …" buttons, the provider's answer, a
first sign-in tied to an account (a mailed code) or waiting for an administrator, and the administrator's decision."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_user

from app import languages
from app.auth import providers
from app.auth.forms import (AccessRequestForm, IdentityCodeForm, IdentityCodeRequestForm, ProviderSignInForm)
from app.extensions import db
from app.forms import ConfirmForm
from app.models import PendingIdentity
from app.security import public, role_required
from app.services import identities, users
from app.views import attempt, attempt_keeping_record, attempt_result, confirmation, refusal_of
from workflows.roles import ADMIN

bp = Blueprint("identity", __name__)

# Session keys: the first sign-in waiting to be tied to an account (its id), and what signing out at the provider
# needs (the provider's name and the ID token it issued).
PENDING = "identity_pending"
PROVIDER_LOGOUT = "provider_logout"


@bp.route("/login/ekstern/<name>", methods=["POST"])
@public
def start(name: str):
    provider = providers.named(name)
    if not ProviderSignInForm().validate_on_submit():
        abort(400)
    try:
        return providers.start(provider)
    except providers.SignInRefused as refusal:
        return _refused(provider, refusal.reason)


@bp.route("/login/ekstern/<name>/svar")
@public
def callback(name: str):
    """The provider sends the browser back here with a code (and state and issuer): the code is redeemed and the ID
    token checked (app.auth.providers); then the account tied to the subject signs in, or the first sign-in waits."""
    provider = providers.named(name)
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    try:
        signed = providers.finish(provider)
    except providers.SignInRefused as refusal:
        return _refused(provider, refusal.reason)
    token = identities.read_token(provider, signed.claims)
    user = identities.account_for(token)
    if user is None:
        pending = attempt_result(lambda: identities.pending(token))
        session[PENDING] = pending.id
        return redirect(url_for("identity.choose"))
    refusal = attempt_keeping_record(lambda: identities.sign_in(user, token))
    if refusal:
        return render_template("auth/provider_refused.html", message=refusal.message), 403
    _signed_in(user, {"provider": provider.name, "id_token": signed.id_token})
    return redirect(url_for("main.home"))


def _refused(provider: providers.Provider, reason: str):
    # The reason is a short code (never the code, state or a token from the request).
    current_app.logger.warning("sign-in with %s refused: %s", provider.name, reason)
    refusal_of(lambda: identities.refused(provider.name, reason))
    return render_template("auth/provider_refused.html",
                           message=_("Innloggingen kunne ikke fullføres. Prøv å logge inn på nytt.")), 400


def _signed_in(user, provider_logout: dict | None = None) -> None:
    """A new browser session for the new sign-in session: nothing from before signing in is carried over but the
    language chosen, which becomes the account's."""
    language = session.get("lang")
    session.clear()
    login_user(user)
    languages.keep_on_account(user, language)
    db.session.commit()
    if provider_logout:
        session[PROVIDER_LOGOUT] = provider_logout
    flash(_("Velkommen, %(name)s.", name=user.name), "success")


def _pending() -> PendingIdentity:
    """This browser's first sign-in waiting to be tied; the sign-in page when it has none (or it was decided)."""
    pending = identities.get_pending(session.get(PENDING))
    if pending is None:
        session.pop(PENDING, None)
        abort(redirect(url_for("auth.login")))
    return pending


def _label(pending: PendingIdentity) -> str:
    return next((provider.label for provider in providers.configured() if provider.name == pending.provider),
                pending.provider)


@bp.route("/login/ny-identitet")
@public
def choose():
    pending = _pending()
    if pending.requested_at is not None:
        return render_template("identity/waiting.html", pending=pending)
    return render_template("identity/choose.html", pending=pending, label=_label(pending),
                           code_form=IdentityCodeRequestForm(), access_form=AccessRequestForm())


@bp.route("/login/ny-identitet/kode", methods=["POST"])
@public
def send_code():
    pending = _pending()
    form = IdentityCodeRequestForm()
    if not form.validate_on_submit():
        return render_template("identity/choose.html", pending=pending, label=_label(pending), code_form=form,
                               access_form=AccessRequestForm()), 400
    refusal = refusal_of(lambda: users.count_mail_request(form.email.data, request.remote_addr))
    if refusal:
        form.email.errors.append(refusal.message)
        return render_template("identity/choose.html", pending=pending, label=_label(pending), code_form=form,
                               access_form=AccessRequestForm()), 429, {"Retry-After": str(refusal.retry_after)}
    attempt(lambda: identities.send_code(pending, form.email.data, _label(pending)))
    flash(_("Hvis adressen hører til en konto her, har vi sendt en engangskode dit."), "info")
    return redirect(url_for("identity.enter_code"))


@bp.route("/login/ny-identitet/bekreft", methods=["GET", "POST"])
@public
def enter_code():
    pending = _pending()
    form = IdentityCodeForm()
    status = 200
    if form.validate_on_submit():
        confirmed = []
        refusal = attempt_keeping_record(lambda: confirmed.append(identities.confirm_code(pending, form.code.data)))
        if refusal is None:
            _signed_in(confirmed[0])
            return redirect(url_for("main.home"))
        form.code.errors.append(refusal.message)
        status = 400
    return render_template("identity/code.html", form=form), status


@bp.route("/login/ny-identitet/tilgang", methods=["POST"])
@public
def request_access():
    pending = _pending()
    form = AccessRequestForm()
    if form.validate_on_submit() and attempt(
            lambda: identities.request_access(pending, form.name.data, form.email.data), form):
        return redirect(url_for("identity.choose"))
    return render_template("identity/choose.html", pending=pending, label=_label(pending),
                           code_form=IdentityCodeRequestForm(), access_form=form), 400


# --- the administrator's side --------------------------------------------------------------------------------------

@bp.route("/admin/tilgang")
@role_required(ADMIN)
def requests():
    waiting = identities.requests_waiting()
    return render_template("identity/requests.html", waiting=waiting, accounts=identities.existing_accounts(waiting))


# What each decision does, and what it says when done.
DECISIONS = {"godkjenn": (identities.approve, _l("Tilgangen er godkjent.")),
             "avvis": (identities.reject, _l("Forespørselen er avvist."))}


@bp.route("/admin/tilgang/<int:pending_id>/<decision>", methods=["GET", "POST"])
@role_required(ADMIN)
def decide(pending_id: int, decision: str):
    if decision not in DECISIONS:
        abort(404)
    pending = db.get_or_404(PendingIdentity, pending_id)
    if pending.requested_at is None:
        abort(404)
    act, done = DECISIONS[decision]

    def take() -> str:
        act(pending, current_user)
        return str(done)

    return confirmation("identity/decide.html", ConfirmForm(), take, url_for("identity.requests"),
                        danger=decision == "avvis", pending=pending, decision=decision,
                        account=identities.existing_account(pending))
