"""The annual conference: the public page with its programme and the registration form, the cancel link's page,
and the intranet pages where the project group and the adviser plan it and the adviser follows the registrations."""
from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app import clock, downloads, languages
from app.conference.forms import (NO_ORGANISATION, AttendanceForm, ConferenceForm, RegistrationForm, SessionForm)
from app.extensions import db
from app.forms import ConfirmForm, choices
from app.models import Conference, ConferenceRegistration, ConferenceSession, Organisation
from app.public.routes import public_url
from app.security import allowed_if, public, role_required
from app.services import ServiceError, conference_exports, conferences
from app.services.overview import page_of
from app.views import attempt, attempt_result, confirmation, stored
from workflows.conference import ATTENDED
from workflows.roles import ADVISER

bp = Blueprint("conference", __name__)
PER_PAGE = 50  # registrations on a page of the conference


def _conference(conference_id: int) -> Conference:
    return db.session.get(Conference, conference_id) or abort(404)


def _organisation_choices() -> list:
    """Every organisation that exists today, by its `display_name`: a thousand, read once per content version
    (stored; 2.7 ms a page at 500 units), as the ids and the names (two lists decode in a third of the time of
    pairs)."""
    def read() -> list:
        today = clock.today()
        rows = db.session.execute(select(Organisation.id, Organisation.display_name).where(
            (Organisation.active_from.is_(None)) | (Organisation.active_from <= today),
            (Organisation.active_to.is_(None)) | (Organisation.active_to >= today)).order_by(Organisation.sort_key)).all()
        return [[id_ for id_, _ in rows], [name for _, name in rows]]

    ids, names = stored("organisation_choices", "", read)
    return choices([(NO_ORGANISATION, _("Annen (skriv navnet under)")), *zip(ids, names)])


@bp.route("/konferanse", methods=["GET", "POST"])
@public
def public_page():
    languages.from_address(otherwise=languages.chosen())
    conference = conferences.current(clock.today())
    form = RegistrationForm()
    form.organisation_id.choices = _organisation_choices
    is_open = conference is not None and conferences.open_for_registration(conference, clock.today())
    if is_open and form.validate_on_submit():
        made = attempt_result(lambda: conferences.register(
            conference, name=form.name.data, email=form.email.data,
            organisation_id=form.organisation_id.data or None, organisation_text=form.organisation_text.data,
            dietary_needs=form.dietary_needs.data, remote_addr=request.remote_addr), form)
        if made is not None:
            return redirect(public_url("conference.registered"), 303)
    return render_template("conference/public.html", conference=conference, form=form, is_open=is_open)


@bp.route("/konferanse/pameldt")
@public
def registered():
    languages.from_address(otherwise=languages.chosen())
    return render_template("conference/registered.html")


def _token_page(template: str, **context) -> Response:
    """A page whose address holds a working token."""
    response = make_response(render_template(template, **context))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/konferanse/avmelding/<token>", methods=["GET", "POST"])
@public
def cancel(token: str):
    languages.from_address(otherwise=languages.chosen())
    try:
        registration = conferences.by_token(token)
    except ServiceError as error:
        return render_template("link_refused.html", layout="public/base.html", message=error.message), 404
    languages.from_address(otherwise=registration.language)  # the link in the mail has no ?lang=
    form = ConfirmForm()
    conference = registration.conference
    if form.validate_on_submit() and attempt(lambda: conferences.cancel_by_token(token), form):
        return _token_page("conference/cancelled.html", conference=conference)
    return _token_page("conference/cancel.html", conference=conference, form=form)


# --- the intranet ------------------------------------------------------------------------------------------------

planners = allowed_if(conferences.may_plan)


@bp.route("/konferanser")
@planners
def conference_list():
    found = db.session.scalars(select(Conference).order_by(Conference.held_on.desc())).all()
    return render_template("conference/list.html", conferences=found)


def _plan(form: ConferenceForm) -> conferences.Plan:
    return conferences.Plan(title=form.title.data.strip(), held_on=form.held_on.data, place=form.place.data.strip(),
                            capacity=form.capacity.data, registration_deadline=form.registration_deadline.data,
                            consent_text=form.consent_text.data.strip(),
                            description=(form.description.data or "").strip() or None)


@bp.route("/konferanser/ny", methods=["GET", "POST"])
@planners
def conference_new():
    form = ConferenceForm()
    if form.validate_on_submit():
        made = attempt_result(lambda: conferences.create(_plan(form), current_user), form)
        if made is not None:
            return redirect(url_for("conference.conference_page", conference_id=made.id))
    return render_template("conference/form.html", form=form, conference=None)


@bp.route("/konferanser/<int:conference_id>/rediger", methods=["GET", "POST"])
@planners
def conference_edit(conference_id: int):
    conference = _conference(conference_id)
    form = ConferenceForm(obj=conference)
    if form.validate_on_submit() and attempt(lambda: conferences.change(conference, _plan(form), current_user), form):
        return redirect(url_for("conference.conference_page", conference_id=conference.id))
    return render_template("conference/form.html", form=form, conference=conference)


@bp.route("/konferanser/<int:conference_id>", methods=["GET", "POST"])
@planners
def conference_page(conference_id: int):
    """The plan and the programme (a new session is added here), and the counts; the adviser also sees who."""
    conference = _conference(conference_id)
    form = SessionForm()
    if form.validate_on_submit() and attempt(lambda: conferences.add_session(
            conference, current_user, starts_at=form.starts_at.data, ends_at=form.ends_at.data,
            title=form.title.data, speakers=form.speakers.data), form):
        return redirect(url_for("conference.conference_page", conference_id=conference.id))
    # The facts, counts and programme, the same for every planner: rendered once per content version and stored
    # (views.stored; in-process CPU time against /_bench/rows 1.77x -> 1.58x, 01.12.2026). The registrations, personal
    # data, are read each time.
    shown = stored("conference_page_head", conference.id, lambda: _head(conference))
    registrations = None
    if ADVISER in current_user.roles:
        registrations = page_of(shown["registered"], request.args.get("page", 1, type=int), PER_PAGE)
        registrations.items = conferences.registration_rows(conference, (registrations.page - 1) * PER_PAGE,
                                                            PER_PAGE)
    return render_template("conference/conference.html", conference=conference, form=form,
                           head=Markup(shown["html"]), registrations=registrations)


def _head(conference: Conference) -> dict:
    counts = conferences.counts(conference)
    return {"registered": sum(counts.values()),
            "html": render_template("conference/_head.html", conference=conference, counts=counts)}


@bp.route("/konferanser/<int:conference_id>/program/<int:session_id>/slett", methods=["GET", "POST"])
@planners
def session_remove(conference_id: int, session_id: int):
    conference = _conference(conference_id)
    session = db.session.get(ConferenceSession, session_id)
    if session is None or session.conference_id != conference.id:
        abort(404)
    back = url_for("conference.conference_page", conference_id=conference.id)
    return confirmation("conference/session_remove.html", ConfirmForm(),
                        lambda: conferences.remove_session(session, current_user) or _("Programpunktet er fjernet."),
                        back, session=session, conference=conference, final=False)


@bp.route("/konferanser/pameldinger/<int:registration_id>/meld-av", methods=["GET", "POST"])
@role_required(ADVISER)
def registration_cancel(registration_id: int):
    registration = db.session.get(ConferenceRegistration, registration_id) or abort(404)
    back = url_for("conference.conference_page", conference_id=registration.conference_id)
    refusal = None if registration.cancellable else _("Påmeldingen kan ikke meldes av nå.")
    return confirmation("conference/registration_cancel.html", ConfirmForm(),
                        lambda: conferences.cancel(registration, current_user) or _("Påmeldingen er meldt av."),
                        back, refusal=refusal, registration=registration)


@bp.route("/konferanser/<int:conference_id>/oppmote", methods=["GET", "POST"])
@role_required(ADVISER)
def attendance(conference_id: int):
    conference = _conference(conference_id)
    present = conferences.holding_places(conference)
    form = AttendanceForm()
    form.attended.choices = choices([(r.id, r.name or f"#{r.id}") for r in present])
    if request.method == "GET":
        form.attended.data = [r.id for r in present if r.state == ATTENDED]
    if form.validate_on_submit():
        changed = attempt_result(lambda: conferences.record_attendance(conference, set(form.attended.data),
                                                                       current_user), form)
        if changed is not None:
            flash(_("Oppmøtet er lagret."), "success")
            return redirect(url_for("conference.conference_page", conference_id=conference.id))
    return render_template("conference/attendance.html", conference=conference, form=form,
                           is_open=clock.today() >= conference.held_on)


def _participants(conference: Conference, kind: str, render, mimetype: str, filename: str) -> Response:
    """The participant list holds dietary needs: stored (its copies go with the personal data), never kept by a
    browser."""
    return downloads.made(kind, conference.id, lambda: render(conferences.registrations(conference)), mimetype,
                          filename, browser_keeps=False)


@bp.route("/konferanser/<int:conference_id>/deltakere.csv")
@role_required(ADVISER)
def participants_csv(conference_id: int):
    conference = _conference(conference_id)
    return _participants(conference, conference_exports.CSV_KIND, conference_exports.to_csv, "text/csv",
                         _("deltakere-%(date)s.csv", date=conference.held_on.isoformat()))


@bp.route("/konferanser/<int:conference_id>/deltakere.xlsx")
@role_required(ADVISER)
def participants_xlsx(conference_id: int):
    conference = _conference(conference_id)
    return _participants(conference, conference_exports.XLSX_KIND, conference_exports.to_xlsx,
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         _("deltakere-%(date)s.xlsx", date=conference.held_on.isoformat()))
