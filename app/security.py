"""Deny by default, role checks and the security headers on every response."""
from functools import wraps

from flask import abort, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from workflows import roles

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def public(view):
    """Mark a view as reachable without signing in."""
    view.is_public = True
    return view


def role_required(*roles: str):
    """Allow the view only to signed-in users holding one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.roles = roles
        return wrapped

    return decorator


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over https, not only when configured."""

    def get_cookie_secure(self, app) -> bool:
        return super().get_cookie_secure(app) or request.is_secure


def register(app) -> None:
    from app.extensions import login_manager

    app.session_interface = SessionInterface()
    app.jinja_env.globals["roles"] = roles  # templates name roles as the code does: roles.ADVISER

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
        response.headers.setdefault("Content-Security-Policy", CSP)  # an uploaded file keeps its `sandbox`
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
