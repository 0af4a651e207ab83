"""The admin's page about one person's data: export everything (GDPR art. 15/20) and anonymise someone who has left."""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.extensions import db
from app.forms import ConfirmForm
from app.models import User
from app.security import role_required
from app.services import privacy
from app.views import attempt, attempt_result

bp = Blueprint("privacy", __name__, url_prefix="/admin/brukere")


@bp.route("/<int:user_id>/personopplysninger")
@role_required("admin")
def person(user_id: int):
    user = db.get_or_404(User, user_id)
    return render_template("privacy/person.html", user=user, form=ConfirmForm())


@bp.route("/<int:user_id>/personopplysninger/eksport", methods=["POST"])
@role_required("admin")
def export(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    data = attempt_result(lambda: privacy.export(user, current_user))
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="personopplysninger-bruker-{user.id}.json"'})


@bp.route("/<int:user_id>/anonymiser", methods=["GET", "POST"])
@role_required("admin")
def anonymise(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(lambda: privacy.anonymise(user, current_user), form):
        flash(f"Personen er anonymisert og heter nå «{user.name}».", "success")
        return redirect(url_for("privacy.person", user_id=user.id))
    return render_template("privacy/anonymise.html", user=user, form=form)
