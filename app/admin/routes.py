"""Administration: users and their roles, the outbox and the audit log."""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app import history, search
from app.admin import event_log
from app.admin.forms import LogFilterForm, NewUserForm, UserForm
from app.forms import ConfirmForm, choices, names
from app.extensions import db
from app.models import Organisation, OutboxMessage, User
from app.models.organisation import MUNICIPALITY
from app.security import role_required
from app.services import mail, password_links, privacy, users
from app.services.overview import ListPage
from app.views import attempt_or_flash, attempt_result, confirmation, stored, stored_page
from workflows.roles import ADMIN, ADVISER

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 25


def _organisation_choices():
    """Every organisation, municipalities first, read once per content version (over a thousand rows were a fifth
    of the user form, 01.12.2026) as the ids and the names (as the conference form's, which has its own kind: only
    the organisations that exist today). The select written from them is stored too (StoredSelect): a form reads
    them only when it is submitted."""
    ids, labels = stored("user_form_organisations", "", _organisation_names)
    return choices([(0, _("— ingen —"))]) + names(zip(ids, labels))


def _organisation_names() -> list[list]:
    rows = db.session.execute(select(Organisation.id, Organisation.display_name)
                              .order_by(Organisation.kind != MUNICIPALITY, Organisation.sort_key)).all()
    return [[org_id for org_id, _ in rows], [name for _, name in rows]]


def _get_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/brukere")
@role_required(ADMIN)
def user_list():
    query = request.args.get("q", "").strip()
    stmt = search.where(select(User).outerjoin(Organisation, User.organisation_id == Organisation.id)
                        .options(contains_eager(User.organisation)).order_by(User.name), query, User, Organisation)
    requested = max(request.args.get("page", 1, type=int), 1)
    if query:
        listed = _user_page(stmt, requested)
    else:
        # Everyone, the same for every administrator: a page read once per content version and stored (in-process
        # CPU time against the reference 1.8x -> 1.15x, 01.12.2026).
        listed = stored_page("user_list_page", "", requested, PER_PAGE, lambda number: _user_page(stmt, number))
    page = ListPage(listed["rows"], listed["page"], PER_PAGE, listed["total"])
    return render_template("admin/users.html", page=page, query=query)


def _user_page(stmt, number: int) -> dict:
    """A page of the people `stmt` finds as plain data (their roles named in this request's language)."""
    found = db.paginate(stmt, page=number, per_page=PER_PAGE, error_out=False)
    return {"page": found.page, "total": found.total, "rows": [{
        "id": user.id, "name": user.name, "email": user.email,
        "organisation": user.organisation.name if user.organisation else "", "roles": user.role_labels,
        "account": "deactivated" if not user.active else "invited" if not user.password_hash else "active"}
        for user in found.items]}


@bp.route("/brukere/ny", methods=["GET", "POST"])
@role_required(ADMIN)
def user_new():
    form = NewUserForm()
    form.organisation_id.choices = _organisation_choices
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None

        def create():
            made = users.create_user(form.email.data, form.name.data, form.roles.data, organisation=organisation,
                                     title=form.title.data, phone=form.phone.data, active=form.active.data,
                                     actor=current_user)
            users.send_password_link(made, current_user)
            return made

        user = attempt_result(create, form, default_field="email")
        if user:
            flash(_("%(name)s er opprettet, og en invitasjon er lagt i utboksen til %(email)s.", name=user.name,
                    email=user.email), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/brukere/<int:user_id>", methods=["GET", "POST"])
@role_required(ADMIN)
def user_edit(user_id: int):
    user = _get_user(user_id)
    form = UserForm(obj=user)
    form.organisation_id.choices = _organisation_choices
    if request.method == "GET":
        form.organisation_id.data = user.organisation_id or 0
        form.roles.data = sorted(user.roles)
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None
        if attempt_or_flash(lambda: users.update_user(
                user, name=form.name.data, title=form.title.data, phone=form.phone.data, roles=form.roles.data,
                organisation=organisation, active=form.active.data, actor=current_user)):
            flash(_("Endringene er lagret."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/brukere/<int:user_id>/invitasjon", methods=["GET", "POST"])
@role_required(ADMIN)
def user_invite(user_id: int):
    """Send a new link to choose a password; the earlier ones stop working."""
    user = _get_user(user_id)

    def send() -> str:
        users.send_password_link(user, current_user)
        return _("En ny invitasjonslenke er lagt i utboksen til %(email)s. Tidligere lenker virker ikke lenger.",
                 email=user.email)

    return confirmation("admin/user_invite.html", ConfirmForm(), send, url_for("admin.user_edit", user_id=user.id),
                        refusal=None if user.active else
                        _("Brukeren er deaktivert. Aktiver brukeren før du sender en ny invitasjonslenke."),
                        danger=False, final=False, user=user,
                        link_lifetime=password_links.lifetime_in_words(user, str(get_locale())))


@bp.route("/e-post")
@role_required(ADMIN, ADVISER)
def outbox():
    status = request.args.get("status", "")
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status == "pending":
        stmt = stmt.where(OutboxMessage.sent_at.is_(None))
    elif status == "sent":
        stmt = stmt.where(OutboxMessage.sent_at.is_not(None))
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("admin/outbox.html", page=page, status=status, mail_enabled=mail.enabled())


@bp.route("/e-post/<int:message_id>")
@role_required(ADMIN, ADVISER)
def outbox_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message, body=message.body_text)


@bp.route("/logg")
@role_required(ADMIN, ADVISER)
def audit_log():
    form = LogFilterForm(request.args)
    form.validate()
    wanted = {name: form[name].data or "" for name in ("organisation", "person", "kind") if not form[name].errors}
    filtered, requested = any(wanted.values()), request.args.get("page", 1, type=int)
    if request.args.keys() <= {"page"}:
        # The whole log, the same for everyone who may see it: a page rendered once per content version and stored
        # (views.stored; CPU time against /_bench/rows ~2.1x -> ~1.1x, 01.12.2026).
        listed = stored_page("audit_log_page", "", requested, PER_PAGE,
                             lambda number: _log_page(wanted, number, filtered))
    else:
        listed = _log_page(wanted, requested, filtered)
    return render_template("admin/audit_log.html", form=form, filtered=filtered, listed=Markup(listed["html"]))


def _log_page(wanted: dict, number: int, filtered: bool) -> dict:
    """A page of the log by day, rendered, and how many events the log has."""
    page = db.paginate(event_log.events(**wanted), page=number, per_page=PER_PAGE, error_out=False)
    return {"total": page.total, "html": render_template("admin/_audit_log_days.html", page=page, filtered=filtered,
                                                         days=history.by_day(history.lines(page.items)))}


# --- one person's data: export everything (GDPR art. 15/20), anonymise someone who has left ---------------------

@bp.route("/brukere/<int:user_id>/personopplysninger")
@role_required(ADMIN)
def person_data(user_id: int):
    user = db.get_or_404(User, user_id)
    return render_template("admin/person_data.html", user=user, form=ConfirmForm())


@bp.route("/brukere/<int:user_id>/personopplysninger/eksport", methods=["POST"])
@role_required(ADMIN)
def person_export(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    data = attempt_result(lambda: privacy.export(user, current_user))
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="%s"' % _("personopplysninger-bruker-%(id)s.json", id=user.id)})


@bp.route("/brukere/<int:user_id>/anonymiser", methods=["GET", "POST"])
@role_required(ADMIN)
def anonymise(user_id: int):
    user = db.get_or_404(User, user_id)

    def anonymise_user() -> str:
        privacy.anonymise(user, current_user)
        return _("Personen er anonymisert og heter nå «%(name)s».", name=user.name)

    return confirmation("admin/anonymise.html", ConfirmForm(), anonymise_user,
                        url_for("admin.person_data", user_id=user.id), user=user)
