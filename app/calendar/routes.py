"""The calendar feed behind a secret link, and the page where a person makes, renews or switches off that link."""
from flask import Blueprint, abort, current_app, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import access, downloads
from app.forms import ConfirmForm
from app.security import public
from app.services import calendar
from app.views import confirmation

bp = Blueprint("calendar", __name__, url_prefix="/kalender")


@bp.route("/")
def settings():
    token = session.pop("new_calendar_token", None)
    feed_url = current_app.config["BASE_URL"].rstrip("/") + url_for("calendar.feed", token=token) if token else None
    return render_template("calendar/settings.html", current=calendar.active_token(current_user), feed_url=feed_url,
                           sees_all=access.sees_all(current_user))


@bp.route("/ny", methods=["GET", "POST"])
def create():
    """Make a link, or a new one in place of the old (which then stops working: confirmed as destructive)."""
    current = calendar.active_token(current_user)

    def make() -> str:
        # Shown once on the next page: only the hash is stored.
        session["new_calendar_token"] = calendar.create_token(current_user)
        return _("Kalenderlenken er laget. Kopier den nå: den vises bare denne ene gangen.")

    return confirmation("calendar/create.html", ConfirmForm(), make, url_for("calendar.settings"),
                        danger=current is not None, final=current is not None, current=current)


@bp.route("/slett", methods=["GET", "POST"])
def revoke():
    def switch_off() -> str:
        calendar.revoke(current_user)
        return _("Kalenderlenken virker ikke lenger. Kalendere som abonnerer på den, får ingen nye datoer.")

    return confirmation("calendar/revoke.html", ConfirmForm(), switch_off, url_for("calendar.settings"),
                        refusal=None if calendar.active_token(current_user) else _("Du har ingen aktiv kalenderlenke."))


@bp.route("/<token>.ics")
@public
def feed(token: str):
    user = calendar.user_for_token(token)
    if user is None:
        abort(404)
    # Calendar programs poll the link: the feed is made once per content version, and counted against its owner.
    return downloads.made("calendar", user.id, lambda: calendar.feed(user), "text/calendar",
                          "kunnskapskommunen.ics", inline=True, user=user)
