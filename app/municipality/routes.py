"""«Min kommune»: a contact person reads their municipality's invitation and answers it (the reply form also lets
the adviser register a reply that came by letter or e-mail)."""
from dataclasses import asdict
from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import clock, history
from app.extensions import db
from app.models import MembershipCase
from app.models.invitation import ANSWER_LABELS, YES
from app.municipality.forms import LateReplyForm, ReplyForm
from app.security import role_required
from app.services import cases, in_force, members, replies, rounds, worklist
from app.views import attempt, stored
from workflows import MEMBERSHIP
from workflows.roles import ADVISER, MUNICIPALITY_CONTACT

bp = Blueprint("municipality", __name__, url_prefix="/min-kommune")
DETAILS = tuple(replies.ReplyDetails.__dataclass_fields__)


def get_case(case_id: int, roles: frozenset[str] = frozenset({MUNICIPALITY_CONTACT})) -> MembershipCase:
    """A case the signed-in user holds one of `roles` on (a contact person: their own municipality's); any other
    case does not exist for them."""
    case = db.session.get(MembershipCase, case_id)
    if case is None or not case.roles_of(current_user) & roles:
        abort(404)
    return case


def _for_municipality(case: MembershipCase) -> bool:
    """Whether the signed-in user answers as the municipality's contact person, not as the adviser registering it."""
    return MUNICIPALITY_CONTACT in case.roles_of(current_user)


def _back(case: MembershipCase) -> str:
    """The page the reply form returns to: the contact person's invitation, or the adviser's case page."""
    if _for_municipality(case):
        return url_for("municipality.invitation", case_id=case.id)
    return url_for("cases.case_page", case_id=case.id)


@bp.route("/")
@role_required(MUNICIPALITY_CONTACT)
def home():
    """The membership first (its state, the agreement in force, the next date), then what is due for the
    municipality, the invitations it may still answer, and the earlier ones as history. The same for each of the
    municipality's contact persons: rendered once per content version and stored (CPU time against /_bench/rows
    ~1.7x -> ~1.1x, 01.12.2026)."""
    organisation = current_user.organisation
    return render_template("municipality/home.html", content=Markup(stored(
        "municipality_home", organisation.id if organisation else "", lambda: _home(organisation))))


def _home(organisation) -> str:
    today = clock.today()
    cases = rounds.cases_of(organisation.id) if organisation else []
    membership = members.membership_of(cases)
    member = membership.current if membership else None
    case = member or next(iter(cases), None)
    invited = [c for c in cases if c.awaiting_reply or c.reply_may_change and c.guard_context(today).reply_open()]
    return render_template(
        "municipality/_home.html", organisation=organisation, member=member, case=case,
        standing=in_force.on(case, today, members.periods_of(membership, case)) if case else None,
        due=worklist.for_organisation(organisation) if organisation else [], invited=invited,
        earlier=[c for c in cases if c not in invited], today=today)


@bp.route("/invitasjon/<int:case_id>")
@role_required(MUNICIPALITY_CONTACT)
def invitation(case_id: int):
    case = get_case(case_id)
    # The case's history, the same for the municipality's contact persons and the adviser: read once per content
    # version (10 -> 8 statements, CPU time against /_bench/rows ~1.7x -> ~1.5x, 01.12.2026).
    return render_template("municipality/invitation.html", case=case, today=clock.today(),
                           mode=replies.reply_mode(case), reply=replies.latest_reply(case),
                           last_late=replies.last_late_request(case),
                           history=stored("invitation_history", case.id, lambda: history.rows(cases.history(case))))


def _details(form: ReplyForm) -> replies.ReplyDetails:
    return replies.ReplyDetails(**{name: (getattr(form, name).data or "").strip() or None for name in DETAILS})


def _prefill(form: ReplyForm, case: MembershipCase) -> None:
    """The previous answer if there is one with details, else the signed-in person as contact."""
    previous = replies.latest_reply(case)
    if previous is not None and previous.contact_name:
        for name in DETAILS:
            getattr(form, name).data = getattr(previous, name)
    elif _for_municipality(case):
        user = current_user
        form.contact_name.data, form.contact_title.data = user.name, user.title
        form.contact_email.data, form.contact_phone.data = user.email, user.phone
    if "answer" in form:
        form.answer.data = replies.current_answer(case)


def _answer(case: MembershipCase, form: ReplyForm, late: bool):
    """Preview, send or redraw the reply form; the confirmation step posts the same fields back."""
    action = request.form.get("action", "")
    if request.method == "GET":
        _prefill(form, case)
    elif action in ("preview", "send") and form.validate():
        answer = YES if late else form.answer.data
        details = _details(form)
        if action == "preview":
            facts = {**asdict(details), "answer": answer, "comment": form.comment.data}
            return render_template("municipality/reply_confirm.html", case=case, form=form, late=late, facts=facts,
                                   answer_label=ANSWER_LABELS[answer])
        send = replies.request_late_reply if late else partial(replies.reply, answer=answer)
        if attempt(lambda: send(case, current_user, details=details, comment=form.comment.data), form):
            if _for_municipality(case):
                return redirect(url_for("municipality.receipt", case_id=case.id))
            flash(_("Svaret fra %(organisation)s er registrert. Kommunens kontaktpersoner får kvitteringen på "
                    "e-post.",
                    organisation=case.organisation.display_name), "success")
            return redirect(_back(case))
    return render_template("municipality/reply_form.html", case=case, form=form, late=late, today=clock.today(),
                           back=_back(case), registering=not _for_municipality(case))


@bp.route("/invitasjon/<int:case_id>/svar", methods=["GET", "POST"])
@role_required(MUNICIPALITY_CONTACT, ADVISER)
def reply(case_id: int):
    case = get_case(case_id, MEMBERSHIP.spec("accept").roles)
    mode = replies.reply_mode(case)
    if mode.kind != "open":
        flash(mode.message, "error")
        return redirect(_back(case))
    return _answer(case, ReplyForm(), late=False)


@bp.route("/invitasjon/<int:case_id>/sent-svar", methods=["GET", "POST"])
@role_required(MUNICIPALITY_CONTACT)
def late_reply(case_id: int):
    case = get_case(case_id)
    mode = replies.reply_mode(case)
    if mode.kind != "late":
        flash(mode.message or _("Svarfristen har ikke gått ut: bruk det vanlige svarskjemaet."), "error")
        return redirect(url_for("municipality.invitation", case_id=case.id))
    return _answer(case, LateReplyForm(), late=True)


@bp.route("/invitasjon/<int:case_id>/kvittering")
@role_required(MUNICIPALITY_CONTACT)
def receipt(case_id: int):
    case = get_case(case_id)
    mode = replies.reply_mode(case)
    if mode.kind == "late_pending":
        facts, answered_at = replies.late_request_facts(mode.pending), mode.pending.requested_at
    else:
        reply_ = replies.latest_reply(case)
        if reply_ is None:
            abort(404)
        facts = {name: getattr(reply_, name) for name in (*DETAILS, "answer", "comment")}
        answered_at = reply_.answered_at
    return render_template("municipality/receipt.html", case=case, facts=facts, answered_at=answered_at,
                           answer_label=ANSWER_LABELS[facts["answer"]], late=mode.kind == "late_pending")
