"""The calendar feed behind a secret link, and the page where a person makes, renews or switches off that link."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user

from app import access, downloads
from app.forms import ConfirmForm
from app.security import public
from app.services import calendar
from app.views import attempt_result

bp = Blueprint("calendar", __name__, url_prefix="/kalender")


@bp.route("/")
def settings():
    token = session.pop("new_calendar_token", None)
    feed_url = current_app.config["BASE_URL"].rstrip("/") + url_for("calendar.feed", token=token) if token else None
    return render_template("calendar/settings.html", current=calendar.active_token(current_user), feed_url=feed_url,
                           form=ConfirmForm(), sees_all=access.sees_all(current_user))


@bp.route("/ny", methods=["POST"])
def create():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = attempt_result(lambda: calendar.create_token(current_user))
    # Shown once on the next page: only the hash is stored.
    session["new_calendar_token"] = token
    flash("Kalenderlenken er laget. Kopier den nå: den vises bare denne ene gangen.", "success")
    return redirect(url_for("calendar.settings"))


@bp.route("/slett", methods=["POST"])
def revoke():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt_result(lambda: calendar.revoke(current_user)):
        flash("Kalenderlenken virker ikke lenger. Kalendere som abonnerer på den, får ingen nye datoer.", "success")
    return redirect(url_for("calendar.settings"))


@bp.route("/<token>.ics")
@public
def feed(token: str):
    user = calendar.user_for_token(token)
    if user is None:
        abort(404)
    # Calendar programs poll the link: the feed is made once per content version, and counted against its owner.
    return downloads.made("calendar", user.id, lambda: calendar.feed(user), "text/calendar",
                          "kunnskapskommunen.ics", inline=True, user=user)
