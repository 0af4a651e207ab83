"""The adviser's approval inbox: every pending request, approve or reject with a comment."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from app.approvals.forms import DecisionForm, JoinDecisionForm
from app.extensions import MAX_PAGE, db
from app.forms import ConfirmForm
from app.models import JoinRequest, MailboxLink, TransitionRequest
from app.security import role_required
from app.services.overview import ListPage
from app.services import joins, mailbox_links, representatives, subgroups, waiting, workflow
from app.views import attempt, attempt_or_flash
from workflows.roles import ADVISER

bp = Blueprint("approvals", __name__, url_prefix="/godkjenninger")
PER_PAGE = 20
SECTION_PER_PAGE = 20




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
    proposals = _section(representatives.proposals_query(), "forslag", counts.representatives)
    return render_template("approvals/inbox.html", page=page, items=workflow.with_subjects(page.items),
                           form=DecisionForm(),
                           subgroups=_section(subgroups.awaiting_decision_query(), "undergrupper", counts.subgroups),
                           proposals=proposals,
                           proposal_rows=[(p, representatives.actions(p, current_user)) for p in proposals.items],
                           contacts=_section(mailbox_links.awaiting_confirmation_query(), "postmottak",
                                             counts.contacts),
                           contact_form=ConfirmForm(),
                           joins=_section(joins.awaiting_decision_query(), "innmelding", counts.joins))


def _section(query: Select, param: str, total: int) -> Pagination | ListPage:
    """One page of a list below the requests, paged by its own query-string parameter (no query when empty)."""
    if not total:
        return ListPage([], 1, SECTION_PER_PAGE, 0)
    return db.paginate(query, page=min(request.args.get(param, 1, type=int), MAX_PAGE), per_page=SECTION_PER_PAGE,
                       error_out=False, total=total)


@bp.route("/innmelding/<int:request_id>", methods=["GET", "POST"])
@role_required(ADVISER)
def join_request(request_id: int):
    """Decide a municipality's confirmed request to join, or record the steering group's decision."""
    found = db.get_or_404(JoinRequest, request_id)
    form = JoinDecisionForm()
    if form.validate_on_submit():
        accept = form.decision.data == "accept"
        if attempt(lambda: joins.decide(found, current_user, accept=accept, decided_by=form.decided_by.data,
                                        decided_on=form.decided_on.data, comment=form.comment.data), form):
            if accept:
                flash(f"{found.organisation.display_name} er tatt opp: saken fortsetter som «Takket ja».", "success")
                return redirect(url_for("cases.case_page", case_id=found.case_id))
            flash(f"Forespørselen fra {found.organisation.display_name} er avslått.", "success")
            return redirect(url_for("approvals.inbox", _anchor="innmelding"))
    return render_template("approvals/join_request.html", found=found, form=form)


@bp.route("/postmottak/<int:link_id>", methods=["POST"])
@role_required(ADVISER)
def mailbox_contact(link_id: int):
    """Make the person who answered from the official mailbox the municipality's contact person, or not."""
    link = db.get_or_404(MailboxLink, link_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if request.form.get("decision") == "confirm":
        if attempt_or_flash(lambda: mailbox_links.confirm_contact(link, current_user)):
            flash(f"{link.contact.name} er kontaktperson for {link.case.organisation.display_name} og får en e-post "
                  "for å velge passord.", "success")
    elif attempt_or_flash(lambda: mailbox_links.decline_contact(link, current_user)):
        flash("Svaret står, men personen blir ikke kontaktperson.", "success")
    return redirect(url_for("approvals.inbox", _anchor="postmottak"))


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
