"""The adviser's invitation rounds: create and send, follow the answers, remind, extend deadlines."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from app import clock, formatting
from app.extensions import db
from app.forms import ConfirmForm
from app.invitations.forms import DeadlineForm, InviteForm, RoundForm
from app.invitations.picker import Picker, load as load_picker
from app.models import InvitationRound, MembershipCase, Organisation, User
from workflows.roles import ADVISER
from app.security import role_required
from app.services import invitation_mail, overview, reminders, rounds
from app.views import add_error, attempt, attempt_result, confirmation, query_as_read, stored
from workflows import MEMBERSHIP, reply_open

bp = Blueprint("invitations", __name__, url_prefix="/invitasjoner")
PER_PAGE = 20
RECIPIENTS_PER_PAGE = 50


def get_round(round_id: int) -> InvitationRound:
    return db.get_or_404(InvitationRound, round_id)


def _terms(form: RoundForm) -> dict:
    return {name: getattr(form, name).data for name in (
        "title", "letter_text", "reply_deadline", "contribution", "contribution_from", "contribution_to",
        "agreement_end", "meeting")}


def _round_valid(form: RoundForm, picker: Picker) -> bool:
    """Validate the form and the rules of a round, showing every problem at once."""
    valid = form.validate()
    problems = rounds.check_round(
        reply_deadline=form.reply_deadline.data, contribution_from=form.contribution_from.data,
        contribution_to=form.contribution_to.data, agreement_end=form.agreement_end.data,
        organisations=picker.chosen)
    for field, message in problems.items():
        if not getattr(form, field).errors:
            add_error(form, field, message)
    return valid and not problems


def _refill_letter(form: RoundForm) -> None:
    """Write the standard letter again with the amount, period, deadline and meeting now in the form."""
    values = (form.contribution.data, form.contribution_from.data, form.contribution_to.data,
              form.reply_deadline.data)
    if any(v is None for v in values):
        add_error(form, "letter_text", _("Fyll ut beløp, periode og svarfrist før brevteksten fylles inn på nytt."))
    else:
        form.letter_text.data = rounds.letter(*values, form.meeting.data)


def _letter_warnings(form: RoundForm) -> list[str]:
    """Facts the letter does not mention, so the adviser can check before sending."""
    text, warnings = form.letter_text.data or "", []
    amount = rounds.nb_money(form.contribution.data)
    if amount not in text and amount.replace("\xa0", " ") not in text:
        warnings.append(_("Brevteksten nevner ikke beløpet %(amount)s.", amount=amount))
    deadline = f"{form.reply_deadline.data:%d.%m.%Y}"
    if deadline not in text:
        warnings.append(_("Brevteksten nevner ikke svarfristen %(date)s.", date=deadline))
    return warnings


def _municipalities(n: int) -> str:
    return ngettext("%(num)d kommune", "%(num)d kommuner", n)


def _contacts_of(organisations: list[Organisation]) -> dict[int, list[User]]:
    return invitation_mail.contacts_by_organisation([o.id for o in organisations])


@bp.route("/")
@role_required(ADVISER)
def round_list():
    today = clock.today()
    return render_template("invitations/list.html", rows=rounds.rounds(today), today=today)


@bp.route("/ny", methods=["GET", "POST"])
@role_required(ADVISER)
def round_new():
    form = RoundForm(data=rounds.round_defaults(clock.today()) if request.method == "GET" else None)
    action = request.form.get("action", "")
    picker = load_picker(form, action)
    if action == "refill":
        _refill_letter(form)
    elif action in ("preview", "send") and _round_valid(form, picker):
        if action == "preview":
            return render_template("invitations/round_confirm.html", form=form, chosen=picker.chosen,
                                   contacts=_contacts_of(picker.chosen), warnings=_letter_warnings(form))
        round_ = attempt_result(lambda: rounds.create_round(current_user, picker.chosen, **_terms(form)), form)
        if round_:
            flash(_("«%(title)s» er opprettet, og %(municipalities)s er invitert.", title=round_.title,
                    municipalities=_municipalities(len(round_.cases))), "success")
            return redirect(url_for("invitations.round_page", round_id=round_.id))
    return render_template("invitations/round_form.html", form=form, picker=picker)


@bp.route("/<int:round_id>")
@role_required(ADVISER)
def round_page(round_id: int):
    """The page is the same for every adviser: rendered once per content version, round, status and page, and
    stored (views.stored; in-process probe 4.4x -> ~3.2x with the rows stored, -> ~1.5x with the page, 01.12.2026).
    The paging links keep the query string: with anything in it but a status some case is in and the page as it
    is, rendered each time."""
    round_ = get_round(round_id)
    today = clock.today()
    state = request.args.get("status", "")
    counts, progress = rounds.state_counts(round_), rounds.progress(round_, today)
    page = overview.page_of(progress.total if not state else sum(n for code, _, n in counts if code == state),
                            request.args.get("page", 1, type=int), PER_PAGE)

    def content() -> str:
        page.items = [_row_data(row) for row in rounds.rows(rounds.overview(round_, today, state)[
            (page.page - 1) * PER_PAGE:page.page * PER_PAGE], today)] if page.total else []
        return render_template(
            "invitations/_round.html", round=round_, today=today, state=state,
            triggers_from=MEMBERSHIP.triggers_from, closed=rounds.closed(round_, today), page=page, counts=counts,
            progress=progress, deadline_passed=not reply_open(today, round_.reply_deadline),
            no_contact=rounds.without_contact(round_))

    key = query_as_read(status=state, page=page.page) if page.total or not state else None
    return render_template("invitations/round.html", round=round_, content=Markup(
        content() if key is None else stored("round_page", f"{round_.id}?{key}", content)))


def _row_data(row: rounds.Row) -> dict:
    """What the round page shows of a row, as plain data (dates written out in the copy's language)."""
    case, reply = row.case, row.reply
    return {"case": {"id": case.id, "state": case.state, "organisation": {"name": case.organisation.name},
                     "deadline": formatting.short_date(case.reply_deadline),
                     "deadline_override": bool(case.deadline_override)},
            "reply": reply and {"answer": reply.answer, "late": reply.late,
                                "answered_by": reply.answered_by and {"name": reply.answered_by.name},
                                "contact_name": reply.contact_name,
                                "answered": formatting.date_time(reply.answered_at),
                                "steering_rep": reply.steering_rep, "project_reps": reply.project_reps,
                                "comment": reply.comment},
            "contacts": [{"name": user.name} for user in row.contacts], "days_left": row.days_left,
            "to_mailbox": row.to_mailbox, "invitation_open": row.invitation_open, "unanswered": row.unanswered}


@bp.route("/<int:round_id>/inviter", methods=["GET", "POST"])
@role_required(ADVISER)
def invite_more(round_id: int):
    round_ = get_round(round_id)
    form = InviteForm()
    action = request.form.get("action", "")
    picker = load_picker(form, action, round_)
    if action in ("preview", "send") and form.validate():
        if action == "preview":
            problem = rounds.check_invite_more(round_, picker.chosen)
            if not problem:
                return render_template("invitations/invite_confirm.html", round=round_, form=form,
                                       chosen=picker.chosen, contacts=_contacts_of(picker.chosen))
            add_error(form, "organisations", problem)
        else:
            opened = attempt_result(lambda: rounds.invite_more(round_, picker.chosen, current_user), form)
            if opened is not None:
                flash(_("%(municipalities)s til er invitert.", municipalities=_municipalities(len(opened))), "success")
                return redirect(url_for("invitations.round_page", round_id=round_.id))
    return render_template("invitations/invite_form.html", round=round_, form=form, picker=picker)


def _closed(round_: InvitationRound, action: str, message: str):
    """What a closed round's reminder or new-deadline page shows instead of its form: why not (409 to a POST; the
    service refuses too)."""
    return render_template("invitations/closed.html", round=round_, action=action, message=message), \
        409 if request.method == "POST" else 200


@bp.route("/<int:round_id>/paminnelse", methods=["GET", "POST"])
@role_required(ADVISER)
def remind(round_id: int):
    round_ = get_round(round_id)
    today = clock.today()
    if rounds.closed(round_, today):
        return _closed(round_, "remind", rounds.closed_message(round_))
    # Who is reminded, the same for every adviser: read once per content version (an e-mail sent is a change) and
    # day, and stored (views.stored; CPU time against /_bench/rows ~3.2x -> ~1.7x, 01.12.2026).
    summary = stored("reminder_summary", round_.id, lambda: _reminder_summary(round_, today))
    to_send = summary["to_send"]
    page = overview.page_of(summary["waiting"], request.args.get("page", 1, type=int), RECIPIENTS_PER_PAGE)
    page.items = stored("reminder_rows", f"{round_.id}:{page.page}", lambda: _reminder_rows(round_, today, page))

    def send() -> str:
        sent = reminders.remind(round_, current_user, today)
        return ngettext("Påminnelsen går ut i løpet av et minutt (%(num)d e-post).",
                        "Påminnelsen går ut i løpet av et minutt (%(num)d e-poster).", sent)

    refusal = None if to_send else \
        _("Ingen nye påminnelser: alle som ikke har svart, har allerede fått påminnelse i dag.") if page.total else \
        _("Ingen påminnelser: alle har svart, eller svarfristen har gått ut.")
    return confirmation("invitations/remind.html", ConfirmForm(), send,
                        url_for("invitations.round_page", round_id=round_.id), refusal=refusal, danger=False,
                        round=round_, to_send=to_send, page=page)


def _reminder_summary(round_: InvitationRound, today) -> dict:
    """How many municipalities are waiting for an answer and how many reminders would go out."""
    plan = reminders.recipients(round_, today)
    return {"waiting": len(plan), "to_send": sum(len(people) for _, people, _ in plan)}


def _reminder_rows(round_: InvitationRound, today, page: overview.ListPage) -> list[dict]:
    """A page of the reminder's recipients as plain data (the deadline written out in this request's language)."""
    found = overview.paginate(reminders.recipients(round_, today), page.page, page.per_page).items
    return [{"organisation": {"name": case.organisation.name},
             "reply_deadline": formatting.short_date(case.reply_deadline),
             "people": [{"name": u.name, "email": u.email} for u in people],
             "reminded": [{"name": u.name} for u in reminded]}
            for case, people, reminded in reminders.reminder_plan(found)]


@bp.route("/<int:round_id>/frist", methods=["GET", "POST"])
@role_required(ADVISER)
def extend_round(round_id: int):
    round_ = get_round(round_id)
    if rounds.closed(round_, clock.today()):
        return _closed(round_, "extend", rounds.closed_message(round_))
    form = DeadlineForm()
    passed = not reply_open(clock.today(), round_.reply_deadline)
    if form.validate_on_submit():
        if attempt(lambda: rounds.extend_round_deadline(round_, form.deadline.data, form.reason.data,
                                                        current_user), form):
            deadline = f"{form.deadline.data:%d.%m.%Y}"
            flash(_("Svarfristen er forlenget til %(date)s for kommunene som ikke har svart.", date=deadline)
                  if passed else _("Svarfristen er forlenget til %(date)s.", date=deadline), "success")
            return redirect(url_for("invitations.round_page", round_id=round_.id))
    return render_template("invitations/deadline.html", form=form, round=round_, case=None,
                           current=round_.reply_deadline, unanswered=rounds.unanswered(round_) if passed else None)


@bp.route("/sak/<int:case_id>/frist", methods=["GET", "POST"])
@role_required(ADVISER)
def extend_case(case_id: int):
    case = db.get_or_404(MembershipCase, case_id)
    if not case.guard_context(clock.today()).invitation_open():
        return _closed(case.round, "extend", MEMBERSHIP.guard_message(["invitation_open"]))
    form = DeadlineForm()
    if form.validate_on_submit():
        if attempt(lambda: rounds.extend_case_deadline(case, form.deadline.data, form.reason.data,
                                                       current_user), form):
            flash(_("Svarfristen for %(organisation)s er forlenget til %(date)s.", organisation=case.organisation.name,
                    date=case.reply_deadline.strftime("%d.%m.%Y")),
                  "success")
            return redirect(url_for("invitations.round_page", round_id=case.round_id))
    return render_template("invitations/deadline.html", form=form, round=case.round, case=case,
                           current=case.reply_deadline, unanswered=None)
