"""Deny by default, role checks, the rate limit on rendered documents, the client's address behind proxies and the
security headers on every response."""
from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, request
from flask_babel import gettext as _
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app import access
from app.auth import providers
from app.services import rate_limits
from app.views import attempt_result
from workflows import roles

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# The browser features the app never uses, refused to every page and anything it might embed.
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=()")


def public(view):
    """Mark a view as reachable without signing in."""
    view.is_public = True
    return view


def allowed_if(rule: Callable):
    """Allow the view only to signed-in users for whom `rule(user)` holds (403 for the others). `may_open` reads the
    same rule, so a page links to the view only for the people it admits."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        inner = getattr(view, "rule", None)
        wrapped.rule = rule if inner is None else (lambda user: inner(user) and rule(user))
        return wrapped

    return decorator


def role_required(*roles: str):
    """Allow the view only to signed-in users holding one of `roles`."""
    return allowed_if(lambda user: user.has_role(*roles))


def may_open(endpoint: str, user=None) -> bool:
    """Whether the signed-in user (or `user`) passes the rule the view at `endpoint` checks before anything else. A
    view that then refuses a particular object (another municipality's case) decides that with a rule in
    app/access.py, which a page asks before it links to the object."""
    rule = getattr(current_app.view_functions[endpoint], "rule", None)
    return rule is None or rule(current_user if user is None else user)


def count_render(user) -> None:
    """Count a fetch of a document rendered on request against `user`'s RENDER_LIMIT per RENDER_WINDOW (once the
    user may have it: a refused fetch costs nothing); over the limit, the 429 page saying when to try again."""
    config = current_app.config
    window = config["RENDER_WINDOW"]
    wait = attempt_result(lambda: rate_limits.hit(
        f"render:{user.id}", rate_limits.Rule(config["RENDER_LIMIT"], window, window, window)))
    if wait:
        abort(429, _("Du har hentet mange dokumenter på kort tid. Prøv igjen om %(wait)s.",
                     wait=rate_limits.wait_text(wait)),
              retry_after=wait)


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over https, not only when configured."""

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or request.is_secure


def register(app) -> None:
    from app.extensions import login_manager

    app.session_interface = SessionInterface()
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        # The address and scheme the nearest `proxies` proxies saw, not what a client wrote into the headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.jinja_env.globals["roles"] = roles  # templates name roles as the code does: roles.ADVISER
    # A link is shown by the rule its view checks: may_open('cases.case_list'), access.sees_request(user, r).
    app.jinja_env.globals.update(may_open=may_open, access=access)

    @app.before_request
    def require_login():
        view = app.view_functions.get(request.endpoint)
        if view is None or getattr(view, "is_public", False) or request.endpoint == "static":
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    @app.after_request
    def set_headers(response):
        # An uploaded file keeps its own (`sandbox`). A form may lead to a configured identity provider: the sign-in button
        # and, after a sign-in there, "Logg ut" redirect to it (form-action covers a form's redirects).
        origins = providers.form_origins() if app.config["OIDC_PROVIDERS"] else ()
        response.headers.setdefault("Content-Security-Policy", CSP.replace(
            "form-action 'self'", " ".join(("form-action 'self'", *origins))))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Referrer-Policy", "same-origin")  # a page may ask for less
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if request.is_secure and app.config["HSTS_SECONDS"]:
            response.headers["Strict-Transport-Security"] = f"max-age={app.config['HSTS_SECONDS']}"
        if request.endpoint != "static":  # a download keeps its `private, no-cache` (app/downloads.py)
            response.headers.setdefault("Cache-Control", "no-store")
        return response
