"""The adviser's invitation rounds: create and send, follow the answers, remind, extend deadlines."""
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.forms import ConfirmForm, choices
from app.invitations.forms import DeadlineForm, InviteForm, RoundForm
from app.models import InvitationRound, MembershipCase, Organisation, User
from app.models.organisation import MUNICIPALITY, REGIONS
from workflows.roles import ADVISER, MUNICIPALITY_CONTACT
from app.security import role_required
from app.services import cases, invitation_mail, overview, reminders, rounds
from app.views import add_error, attempt, attempt_result
from workflows import MEMBERSHIP, reply_open
from workflows.membership import INVITED

bp = Blueprint("invitations", __name__, url_prefix="/invitasjoner")
PER_PAGE = 20


def get_round(round_id: int) -> InvitationRound:
    return db.get_or_404(InvitationRound, round_id)


@dataclass
class Picker:
    """The municipalities to choose from, grouped by region, and what is chosen and shown."""

    groups: list[tuple[str, list[Organisation]]]
    region: str
    selected: list[int]
    invited: set[int]
    refused: dict[int, cases.Refusal]  # organisation id -> why it is not offered
    status: dict[int, str]
    with_contact: set[int]

    @property
    def chosen(self) -> list[Organisation]:
        by_id = {o.id: o for _, group in self.groups for o in group}
        return [by_id[i] for i in self.selected if i in by_id]


def _picker(form, action: str, round_: InvitationRound | None = None) -> Picker:
    """Fill the form's choices and apply the select-all/clear buttons (which also work without JavaScript); the
    organisations not to be invited by the round's deadline are shown with the reason."""
    order = {region: n for n, region in enumerate(REGIONS)}
    municipalities = sorted(
        db.session.scalars(select(Organisation).where(Organisation.kind == MUNICIPALITY,
                                                      Organisation.is_host.is_(False))),
        key=lambda o: (order.get(o.region, len(order)), o.region or "", o.name))
    regions = list(dict.fromkeys(o.region or "Uten region" for o in municipalities))
    form.organisations.choices = choices([(o.id, o.name) for o in municipalities])
    form.region.choices = choices([("", "Alle regioner")] + [(r, r) for r in regions])
    region = form.region.data if form.region.data in regions else ""
    invited = {case.organisation_id for case in round_.cases} if round_ else set()
    day = round_.reply_deadline if round_ else form.reply_deadline.data or clock.today()
    refused = cases.refusals(municipalities, day)
    selected = list(form.organisations.data or [])
    if action == "select_all":
        shown = [o.id for o in municipalities if (o.region or "Uten region") == region or not region]
        selected += [i for i in shown if i not in selected and i not in invited and i not in refused]
    elif action == "clear":
        selected = []
    form.organisations.data = selected
    status = {}
    for case in db.session.scalars(select(MembershipCase).order_by(MembershipCase.id)):
        status[case.organisation_id] = f"{MEMBERSHIP.label(case.state)} ({case.round.title})"
    with_contact = set(db.session.scalars(select(User.organisation_id).where(
        User.active.is_(True), User.role_rows.any(role=MUNICIPALITY_CONTACT))))
    groups = [(r, [o for o in municipalities if (o.region or "Uten region") == r]) for r in regions]
    return Picker(groups, region, selected, invited, refused, status, with_contact)


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
        add_error(form, "letter_text", "Fyll ut beløp, periode og svarfrist før brevteksten fylles inn på nytt.")
    else:
        form.letter_text.data = rounds.letter(*values, form.meeting.data)


def _letter_warnings(form: RoundForm) -> list[str]:
    """Facts the letter does not mention, so the adviser can check before sending."""
    text, warnings = form.letter_text.data or "", []
    amount = rounds.nb_money(form.contribution.data)
    if amount not in text and amount.replace("\xa0", " ") not in text:
        warnings.append(f"Brevteksten nevner ikke beløpet {amount}.")
    if f"{form.reply_deadline.data:%d.%m.%Y}" not in text:
        warnings.append(f"Brevteksten nevner ikke svarfristen {form.reply_deadline.data:%d.%m.%Y}.")
    return warnings


def _contacts_of(organisations: list[Organisation]) -> dict[int, list[User]]:
    return invitation_mail.contacts_by_organisation([o.id for o in organisations])


@bp.route("/")
@role_required(ADVISER)
def round_list():
    return render_template("invitations/list.html", rows=rounds.rounds(), today=clock.today())


@bp.route("/ny", methods=["GET", "POST"])
@role_required(ADVISER)
def round_new():
    form = RoundForm(data=rounds.round_defaults(clock.today()) if request.method == "GET" else None)
    action = request.form.get("action", "")
    picker = _picker(form, action)
    if action == "refill":
        _refill_letter(form)
    elif action in ("preview", "send") and _round_valid(form, picker):
        if action == "preview":
            return render_template("invitations/round_confirm.html", form=form, chosen=picker.chosen,
                                   contacts=_contacts_of(picker.chosen), warnings=_letter_warnings(form))
        round_ = attempt_result(lambda: rounds.create_round(current_user, picker.chosen, **_terms(form)), form)
        if round_:
            flash(f"«{round_.title}» er opprettet, og {len(round_.cases)} kommuner er invitert.", "success")
            return redirect(url_for("invitations.round_page", round_id=round_.id))
    return render_template("invitations/round_form.html", form=form, picker=picker)


@bp.route("/<int:round_id>")
@role_required(ADVISER)
def round_page(round_id: int):
    round_ = get_round(round_id)
    today = clock.today()
    state = request.args.get("status", "")
    page = overview.paginate(rounds.overview(round_, today, state), request.args.get("page", 1, type=int), PER_PAGE)
    page.items = rounds.rows(page.items, today)
    return render_template(
        "invitations/round.html", round=round_, today=today, state=state, triggers_from=MEMBERSHIP.triggers_from,
        page=page, counts=rounds.state_counts(round_), progress=rounds.progress(round_, today),
        deadline_passed=not reply_open(today, round_.reply_deadline), no_contact=rounds.without_contact(round_))


@bp.route("/<int:round_id>/inviter", methods=["GET", "POST"])
@role_required(ADVISER)
def invite_more(round_id: int):
    round_ = get_round(round_id)
    form = InviteForm()
    action = request.form.get("action", "")
    picker = _picker(form, action, round_)
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
                flash(f"{len(opened)} kommuner til er invitert.", "success")
                return redirect(url_for("invitations.round_page", round_id=round_.id))
    return render_template("invitations/invite_form.html", round=round_, form=form, picker=picker)


@bp.route("/<int:round_id>/paminnelse", methods=["GET", "POST"])
@role_required(ADVISER)
def remind(round_id: int):
    round_ = get_round(round_id)
    today = clock.today()
    form = ConfirmForm()
    plan = reminders.reminder_plan(round_, today)
    if form.validate_on_submit():
        sent = attempt_result(lambda: reminders.remind(round_, current_user, today))
        if sent:
            flash(f"Påminnelsen går ut i løpet av et minutt ({sent} {'e-post' if sent == 1 else 'e-poster'}).",
                  "success")
        elif plan:
            flash("Ingen nye påminnelser: alle som ikke har svart, har allerede fått påminnelse i dag.", "warning")
        else:
            flash("Ingen påminnelser: alle har svart, eller svarfristen har gått ut.", "warning")
        return redirect(url_for("invitations.round_page", round_id=round_.id))
    return render_template("invitations/remind.html", round=round_, form=form, plan=plan)


@bp.route("/<int:round_id>/frist", methods=["GET", "POST"])
@role_required(ADVISER)
def extend_round(round_id: int):
    round_ = get_round(round_id)
    form = DeadlineForm()
    passed = not reply_open(clock.today(), round_.reply_deadline)
    if form.validate_on_submit():
        if attempt(lambda: rounds.extend_round_deadline(round_, form.deadline.data, form.reason.data,
                                                        current_user), form):
            flash(f"Svarfristen er forlenget til {form.deadline.data:%d.%m.%Y}"
                  f"{' for kommunene som ikke har svart' if passed else ''}.", "success")
            return redirect(url_for("invitations.round_page", round_id=round_.id))
    return render_template("invitations/deadline.html", form=form, round=round_, case=None,
                           current=round_.reply_deadline, unanswered=rounds.unanswered(round_) if passed else None)


@bp.route("/sak/<int:case_id>/frist", methods=["GET", "POST"])
@role_required(ADVISER)
def extend_case(case_id: int):
    case = db.get_or_404(MembershipCase, case_id)
    form = DeadlineForm()
    if form.validate_on_submit():
        if attempt(lambda: rounds.extend_case_deadline(case, form.deadline.data, form.reason.data,
                                                       current_user), form):
            flash(f"Svarfristen for {case.organisation.name} er forlenget til {case.reply_deadline:%d.%m.%Y}.",
                  "success")
            return redirect(url_for("invitations.round_page", round_id=case.round_id))
    return render_template("invitations/deadline.html", form=form, round=case.round, case=case,
                           current=case.reply_deadline, unanswered=None)
