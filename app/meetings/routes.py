"""Meetings of every body: the adviser plans them and writes their minutes, invitees see them; the agenda items are
in item_routes."""
from datetime import date, datetime, time, timezone

from flask import Blueprint, abort, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from sqlalchemy import select
from markupsafe import Markup
from sqlalchemy.orm import lazyload

from app import access, clock, downloads, history
from app.extensions import db
from app.forms import ConfirmForm, names
from app.forms import choices
from app.formatting import short_date
from app.meetings.forms import MeetingForm, MinutesForm, MinutesStepForm
from app.models import Meeting, User
from app.models.meeting import ATTENDANCE_LABELS, KIND_LABELS
from app.safe_input import MAX_ID
from app.security import role_required
from app.services import (annual_reports, meeting_items, meetings, minutes as minutes_service, overview,
                          stored_documents, workflow)
from app.views import attempt, attempt_result, confirmation, kept, spec_or_404, step_confirmation, stored
from workflows.roles import ADVISER

bp = Blueprint("meetings", __name__, url_prefix="/moter")
PER_PAGE = 20
STEP_COMMENTS = {"approve": _l("Vedtak"), "return_for_correction": _l("Hva må rettes?")}


def get_meeting(meeting_id: int, invitees=meetings.WITH_INVITEES) -> Meeting:
    """The meeting, if the signed-in user is invited (or is the adviser or admin); 404 otherwise.

    `invitees`: how its invitees are loaded."""
    meeting = db.session.get(Meeting, meeting_id, options=[invitees])
    if meeting is None or not meeting.can_view(current_user):
        abort(404)
    return meeting


def _moment(day: date, at: time) -> datetime:
    """A date and a time of day in Oslo, as UTC."""
    return datetime.combine(day, at, tzinfo=clock.OSLO).astimezone(timezone.utc)


def _invitees(form: MeetingForm, kind: str, meeting: Meeting | None) -> set[int] | None:
    """Who is invited as the form stands, with the form made to show it: one box for the group the kind invites (a
    coordination meeting's is about a thousand people), then a box each for those chosen besides the group or left
    out of it and for the first others matching the search. A box decides for the people the form listed; the
    group's box for the rest of the group. On a GET (which saves nothing): None, and what the form offers is the
    same for every adviser, stored per content version (CPU time against /_bench/rows ~2.3x -> ~1.6x, 01.12.2026)."""
    if request.method == "GET":
        offer = stored("meeting_form_offer", meeting.id if meeting else f"new:{kind}",
                       lambda: _offer(form, kind, meeting)[0])
        invited = None
    else:
        offer, invited = _offer(form, kind, meeting)
    form.group.data, form.invitees.choices = offer["group"], names(offer["choices"])
    form.invitees.data, form.listed.data, form.group.label.text = offer["ticked"], offer["listed"], offer["label"]
    return invited


def _offer(form: MeetingForm, kind: str, meeting: Meeting | None) -> tuple[dict, set[int]]:
    """What the form offers as it stands (on a GET: the meeting's invitees, or the kind's default ones), and who is
    invited."""
    group = set(stored("meeting_group", kind, lambda: meetings.default_invitee_ids(kind)))  # 1 ms read at 500 units
    if request.method == "GET":
        invited, listed = set(_invitees_by_name(meeting)) if meeting else set(group), set()
        checked = len(group & invited) * 2 > len(group)  # most of the group: the box, and the exceptions
    else:
        listed = {int(i) for i in (form.listed.data or "").split(",") if i.isdigit() and 0 < int(i) <= MAX_ID}
        ticked = {i for i in form.invitees.data or () if isinstance(i, int) and 0 < i <= MAX_ID}
        checked = form.group.data
        invited = ((group if checked else set()) - listed) | ticked
    exceptions = invited ^ (group if checked else set())
    choices = meetings.candidates(exceptions | listed, form.q.data or "")
    shown = [user_id for user_id, _name in choices]
    return {"group": checked, "choices": choices,
            "ticked": [i for i in shown if i in invited], "listed": ",".join(map(str, shown)),
            "label": f"{meetings.GROUP_LABELS[kind]} ({len(group)})" if group else ""}, invited


@bp.route("/")
def meeting_list():
    now = clock.now()
    visible = meetings.visible(current_user)
    upcoming = list(db.session.scalars(visible.where(Meeting.starts_at >= now).order_by(None)
                                       .order_by(Meeting.starts_at)))
    page = db.paginate(visible.where(Meeting.starts_at < now), per_page=20, error_out=False)
    year = clock.today().year
    held, planned = meetings.project_meetings(year)
    return render_template("meetings/list.html", upcoming=upcoming, page=page, kinds=KIND_LABELS, year=year,
                           held=held, planned=planned, expected=meetings.EXPECTED_PROJECT_MEETINGS)


@bp.route("/ny/<kind>", methods=["GET", "POST"])
@role_required(ADVISER)
def meeting_new(kind: str):
    if kind not in KIND_LABELS:
        abort(404)
    form = MeetingForm()
    invited = _invitees(form, kind, None)
    meeting = request.form.get("action") != "filter" and form.validate_on_submit() and attempt_result(
        lambda: meetings.create(kind, **_meeting_fields(form, invited), actor=current_user), form, "date")
    if meeting:
        flash(ngettext("%(meeting)s er lagret, og innkallingen går ut på e-post til %(num)d person i løpet av et "
                       "minutt.",
                       "%(meeting)s er lagret, og innkallingen går ut på e-post til %(num)d personer i løpet av et "
                       "minutt.", len(meeting.invitees), meeting=meeting.title),
              "success")
        return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=None, kind_label=KIND_LABELS[kind],
                           shown=meetings.CANDIDATES_SHOWN)


def _meeting_fields(form: MeetingForm, invited: set[int]) -> dict:
    # Only people the form could offer: the active ones (a typed-in id of someone else is left out).
    invitees = list(db.session.scalars(select(User).where(User.id.in_(invited), User.active).order_by(User.name)))
    return {"starts_at": _moment(form.date.data, form.start_time.data),
            "ends_at": _moment(form.date.data, form.end_time.data),
            "place": form.place.data, "invitees": invitees}


@bp.route("/<int:meeting_id>")
def meeting_page(meeting_id: int):
    meeting = get_meeting(meeting_id, lazyload(Meeting.invitees))
    return _page(meeting, MinutesForm(minutes=meeting.minutes))


def _invitees_by_name(meeting: Meeting) -> list[int]:
    """meetings.invitees_by_name, stored: the same for everyone who may open the meeting, and a coordination
    meeting's thousand read and sorted cost 1 ms."""
    return stored("meeting_invitees", meeting.id, lambda: meetings.invitees_by_name(meeting))


def _page(meeting: Meeting, minutes_form: MinutesForm):
    """The meeting's page: its agenda, its invitees a page at a time by name, its minutes (for whom they are open)
    and its history."""
    invitee_ids = _invitees_by_name(meeting)
    invitees = overview.paginate(invitee_ids, request.args.get("page", 1, type=int), PER_PAGE)
    shared = stored("meeting_page", f"{meeting.id}:{invitees.page}", lambda: _shared_facts(meeting, invitees.items))
    return render_template("meetings/meeting.html", meeting=meeting, minutes_form=minutes_form, form=ConfirmForm(),
                           invitees=invitees, past=meeting.has_begun, items=shared["items"],
                           invitee_rows={name: Markup(html) for name, html in shared["invitee_rows"].items()},
                           reports=shared["reports"],
                           reads_minutes=access.sees_minutes(current_user, meeting.state, invitee_ids),
                           actions=workflow.actions(meeting, current_user, []),
                           approval=shared["approval"], history=shared["history"])


def _shared_facts(meeting: Meeting, user_ids: list[int]) -> dict:
    """The agenda, a page of the invitees (rendered), the minutes' approval, the reports filed and the history: the
    same for everyone who may open the meeting, read once per content version (views.stored; 11 -> 6 statements,
    CPU time against /_bench/rows ~2.7x -> ~1.7x, 01.12.2026). What the viewer may do, and whether the meeting has
    begun, is decided on the page."""
    approval = minutes_service.approval_item(meeting)
    invitees = [{"name": invitee.user.name,
                 "organisation": invitee.user.organisation.name if invitee.user.organisation else None,
                 "user_id": invitee.user_id, "attendance": invitee.attendance,
                 "attendance_label": invitee.attendance_label}
                for invitee in meetings.invitees_of(meeting, user_ids)]
    fieldsets, items = (get_template_attribute("meetings/_invitees.html", name) for name in ("fieldsets", "items"))
    labels = {value: str(label) for value, label in ATTENDANCE_LABELS.items()}
    return {
        "items": [{"id": item.id, "reference": item.reference, "heading": item.heading,
                   "approves_minutes_of_id": item.approves_minutes_of_id, "documents": len(item.documents),
                   "decision": item.decision} for item in meeting_items.agenda(meeting)],
        # As the attendance form, and as the list before and after the meeting begins.
        "invitee_rows": {"form": str(fieldsets(invitees, labels)), "past": str(items(invitees, True)),
                         "coming": str(items(invitees, False))},
        "approval": approval and {"id": approval.id, "reference": approval.reference,
                                  "decided": bool(approval.decision), "meeting": approval.meeting.title.lower(),
                                  "day": short_date(approval.meeting.starts_at)},
        "reports": [{"year": report.year, "made": short_date(report.generated_at)}
                    for report in annual_reports.filed_with(meeting)],
        "history": history.rows(meetings.page_history(meeting))}


@bp.route("/<int:meeting_id>/endre", methods=["GET", "POST"])
@role_required(ADVISER)
def meeting_edit(meeting_id: int):
    meeting = get_meeting(meeting_id, meetings.WITHOUT_INVITEES)
    start, end = meeting.starts_at.astimezone(clock.OSLO), meeting.ends_at.astimezone(clock.OSLO)
    form = MeetingForm(date=start.date(), start_time=start.time(), end_time=end.time(), place=meeting.place)
    invited = _invitees(form, meeting.kind, meeting)
    if request.form.get("action") != "filter" and form.validate_on_submit() and attempt(
            lambda: meetings.update(meeting, **_meeting_fields(form, invited), actor=current_user), form, "date"):
        flash(_("Endringene er lagret. Nye inviterte får innkalling på e-post, og alle får beskjed hvis tid eller "
                "sted ble endret, i løpet av et minutt."), "success")
        return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, meeting=meeting, kind_label=meeting.kind_label,
                           shown=meetings.CANDIDATES_SHOWN)


@bp.route("/<int:meeting_id>/referat", methods=["POST"])
@role_required(ADVISER)
def minutes(meeting_id: int):
    meeting = get_meeting(meeting_id)
    form = MinutesForm()
    if form.validate_on_submit():
        upload = form.minutes_file.data
        if attempt(lambda: meetings.record_minutes(meeting, text=form.minutes.data,
                                                   pdf=upload.read() if upload else None, actor=current_user),
                   form, "minutes"):
            flash(_("Referatet er lagret."), "success")
            return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id))
    return _page(meeting, form)


@bp.route("/<int:meeting_id>/referat/<trigger>", methods=["GET", "POST"])
@role_required(ADVISER)
def minutes_step(meeting_id: int, trigger: str):
    meeting = get_meeting(meeting_id, meetings.WITHOUT_INVITEES)
    spec = spec_or_404(meeting, trigger)
    form = MinutesStepForm(choose_meeting=trigger == "submit")
    if trigger == "submit":
        form.meeting_id.choices = choices((m.id, f"{m.title}, {short_date(m.starts_at)}")
                                          for m in minutes_service.next_meetings(meeting))
    form.comment.label.text = STEP_COMMENTS.get(trigger, _("Kommentar"))
    if trigger == "approve" and request.method == "GET":
        form.comment.data = str(minutes_service.APPROVED_TEXT)
    return step_confirmation(meeting, spec, form, url_for("meetings.meeting_page", meeting_id=meeting.id),
                             title=meeting.title,
                             data=lambda: {"meeting_id": form.meeting_id.data} if trigger == "submit" else None)


@bp.route("/<int:meeting_id>/referat.pdf")
def minutes_pdf(meeting_id: int):
    meeting = get_meeting(meeting_id, meetings.WITHOUT_INVITEES)
    content = meetings.minutes_pdf(meeting) if meeting.can_read_minutes(current_user) else None
    if content is None:
        abort(404)
    return downloads.kept_file("minutes", meeting_id, lambda: content, _("referat-%(id)s.pdf", id=meeting_id))


@bp.route("/<int:meeting_id>/oppmote", methods=["POST"])
@role_required(ADVISER)
def attendance(meeting_id: int):
    meeting = get_meeting(meeting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(lambda: meetings.record_attendance(
        meeting, {i.user_id: request.form[f"attendance-{i.user_id}"] for i in meeting.invitees
                  if f"attendance-{i.user_id}" in request.form}, current_user))
    flash(_("Oppmøtet er registrert."), "success")
    return redirect(url_for("meetings.meeting_page", meeting_id=meeting.id, page=request.args.get("page", type=int)))


@bp.route("/arsrapporter")
@role_required(ADVISER)
def annual_report_list():
    return render_template("meetings/annual_reports.html", years=annual_reports.years())


@bp.route("/arsrapporter/<int:year>", methods=["GET", "POST"])
@role_required(ADVISER)
def annual_report_generate(year: int):
    meeting = annual_reports.steering_meeting(year) if 1 <= year <= clock.today().year else None
    if meeting is None:
        abort(404)
    filed = annual_reports.for_year(year)

    def generate() -> str:
        annual_reports.generate(year, current_user)
        return _("Årsrapporten for %(year)s er lagd og lagt ved %(meeting)s.", year=year,
                 meeting=meeting.title.lower())

    return confirmation("meetings/annual_report_confirm.html", ConfirmForm(), generate,
                        url_for("meetings.meeting_page", meeting_id=meeting.id),
                        back=url_for("meetings.annual_report_list"), danger=filed is not None, final=filed is not None,
                        year=year, meeting=meeting, report=_summary(year), filed=filed)


def _summary(year: int) -> annual_reports.Summary:
    """The year's figures the page shows, counted once per content version and kept with the downloads: counting
    them at 500 municipalities and ten years (some 25 ms of SQL and periods) made the page about four times the
    cost of the overview, below the bench's floor."""
    current = stored_documents.version()
    found = stored_documents.find("annual_report_summary", str(year), current)
    if found is None:
        found = kept(lambda: stored_documents.make("annual_report_summary", str(year), current,
                                                   lambda: annual_reports.summary_json(year)))
    return annual_reports.from_json(found)


@bp.route("/arsrapporter/<int:year>.pdf")
def annual_report_pdf(year: int):
    filed = annual_reports.for_year(year) if 1 <= year <= 9999 else None
    if filed is None:
        abort(404)
    get_meeting(filed.meeting_id, meetings.WITHOUT_INVITEES)
    return downloads.kept_file("annual_report", year, lambda: filed.content, filed.filename)
