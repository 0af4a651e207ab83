"""The adviser's approval inbox: every pending request, approve or reject with a comment."""
from dataclasses import dataclass
from functools import cache

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select

from app.approvals.forms import DecisionForm
from app.extensions import db
from app.forms import ConfirmForm
from app.models import TransitionRequest
from app.navigation import COUNTERS
from app.security import role_required
from app.services import representatives, subgroups, workflow
from app.views import attempt

bp = Blueprint("approvals", __name__, url_prefix="/godkjenninger")
PER_PAGE = 20


@dataclass(frozen=True)
class Waiting:
    requests: int
    subgroups: int  # submitted or seconded: listed in the inbox
    seconded: int  # of those, ready for the adviser to record the decision
    representatives: int

    @property
    def actionable(self) -> int:
        """What the adviser can act on now: the number on the menu's badge."""
        return self.requests + self.seconded + self.representatives


def waiting() -> Waiting:
    """What waits in the inbox, counted in one query and kept for the rest of the request (menu and inbox)."""
    if "waiting" not in g:
        g.waiting = Waiting(*db.session.execute(_waiting_query()).one())
    return g.waiting


@cache
def _waiting_query() -> Select:
    """Built once: the badge is on every page the adviser opens, and building costs more than running it."""
    counts = (workflow.pending_count_query(), subgroups.awaiting_decision_count_query(),
              subgroups.ready_for_decision_count_query(), representatives.pending_count_query())
    return select(*(count.scalar_subquery() for count in counts))


COUNTERS["pending_requests"] = lambda: waiting().actionable


def get_request(request_id: int) -> TransitionRequest:
    """A request the signed-in user may see: the adviser sees all, others only their own."""
    found = db.session.get(TransitionRequest, request_id)
    if found is None or not (current_user.has_role("adviser") or found.requested_by_id == current_user.id):
        abort(404)
    return found


@bp.route("/")
@role_required("adviser")
def inbox():
    counts = waiting()
    page = db.paginate(workflow.pending_requests(), per_page=PER_PAGE, error_out=False, total=counts.requests)
    return render_template("approvals/inbox.html", page=page, items=workflow.with_subjects(page.items),
                           form=DecisionForm(),
                           subgroups=subgroups.awaiting_decision() if counts.subgroups else [],
                           proposals=representatives.pending() if counts.representatives else [])


@bp.route("/<int:request_id>", methods=["GET", "POST"])
def detail(request_id: int):
    found = get_request(request_id)
    subject = workflow.subject_of(found)
    form = DecisionForm()
    if form.validate_on_submit():
        if not current_user.has_role("adviser"):
            abort(403)
        decide = workflow.reject if form.reject.data else workflow.approve
        if attempt(lambda: decide(found, current_user, form.comment.data), form):
            flash("Forespørselen er avvist." if form.reject.data else
                  f"Godkjent. Ny status: {subject.workflow.label(subject.state)}.", "success")
            return redirect(url_for("approvals.inbox", page=request.form.get("page", type=int)))
    spec = subject.workflow.spec(found.trigger)
    return render_template("approvals/detail.html", item=found, subject=subject, spec=spec, form=form,
                           refusal=workflow.approval_refusal(found, current_user), cancel_form=ConfirmForm())


@bp.route("/<int:request_id>/trekk", methods=["POST"])
def cancel(request_id: int):
    found = get_request(request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(lambda: workflow.cancel(found, current_user))
    flash("Forespørselen er trukket.", "success")
    return redirect(url_for("approvals.detail", request_id=found.id))
