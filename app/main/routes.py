"""The home page, health check, language choice and the statements every site must publish."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import clock, languages
from app.extensions import db
from app.security import public
from app.services import worklist
from app.views import stored

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    return render_template("main/home.html", user=current_user, sections=worklist.for_user(current_user, _shared),
                           today=clock.today())


def _shared(key: str, read):
    # Reading the adviser's shared kinds at 500 municipalities (every member's seats, the open evaluations' answers)
    # made the page some ten times the 50-row reference (make bench).
    return stored("worklist", key, read)


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/sprak", methods=["POST"])
@public
def set_language():
    form = FlaskForm()
    lang = request.form.get("lang")
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        languages.choose(lang)
        db.session.commit()
    target = request.referrer or ""
    same_site = target.startswith(request.host_url)
    return redirect(target if same_site else url_for("main.home"))


@bp.route("/personvern")
@public
def privacy():
    return render_template("main/privacy.html")


@bp.route("/tilgjengelighet")
@public
def accessibility():
    return render_template("main/accessibility.html")
