"""The adviser's approval inbox: every pending request, approve or reject with a comment."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.approvals.forms import DecisionForm
from app.extensions import db
from app.forms import ConfirmForm
from app.models import TransitionRequest
from app.security import role_required
from app.services import representatives, subgroups, waiting, workflow
from app.views import attempt
from workflows.roles import ADVISER

bp = Blueprint("approvals", __name__, url_prefix="/godkjenninger")
PER_PAGE = 20




def get_request(request_id: int) -> TransitionRequest:
    """A request the signed-in user may see: the adviser sees all, others only their own."""
    found = db.session.get(TransitionRequest, request_id)
    if found is None or not (current_user.has_role(ADVISER) or found.requested_by_id == current_user.id):
        abort(404)
    return found


@bp.route("/")
@role_required(ADVISER)
def inbox():
    counts = waiting.counts()
    page = db.paginate(workflow.pending_requests(), per_page=PER_PAGE, error_out=False, total=counts.requests)
    return render_template("approvals/inbox.html", page=page, items=workflow.with_subjects(page.items),
                           form=DecisionForm(),
                           subgroups=subgroups.awaiting_decision() if counts.subgroups else [],
                           proposals=[(p, representatives.actions(p, current_user)) for p in
                                      representatives.proposals()] if counts.representatives else [])


@bp.route("/<int:request_id>", methods=["GET", "POST"])
def detail(request_id: int):
    found = get_request(request_id)
    subject = workflow.subject_of(found)
    form = DecisionForm()
    if form.validate_on_submit():
        if not current_user.has_role(ADVISER):
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
