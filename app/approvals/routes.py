"""The adviser's approval inbox: every pending request, each approved or rejected on a confirmation page."""

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from app import access
from app.approvals.forms import ApproveForm, JoinDecisionForm, RejectForm
from app.extensions import db
from app.forms import ConfirmForm
from app.models import JoinRequest, MailboxLink, MembershipCase, TransitionRequest
from app.security import role_required
from app.services.overview import ListPage
from app.services import joins, mailbox_links, representatives, subgroups, waiting, workflow
from app.views import confirmation
from workflows.roles import ADVISER

bp = Blueprint("approvals", __name__, url_prefix="/godkjenninger")
# Ten rows a list, each list paged on its own: the inbox shows five lists, and at twenty rows each (a hundred rich
# rows) it cost some eight times the 50-row reference page (in-process probe at 500 municipalities, 01.12.2026).
PER_PAGE = 10
SECTION_PER_PAGE = 10

bp.app_template_global("request_title")(workflow.request_title)


def get_request(request_id: int) -> TransitionRequest:
    """A request the signed-in user may see: the adviser sees all, others only their own."""
    found = db.session.get(TransitionRequest, request_id)
    if found is None or not access.sees_request(current_user, found):
        abort(404)
    return found


@bp.route("/")
@role_required(ADVISER)
def inbox():
    counts = waiting.counts()
    page = _counted(workflow.pending_requests(), "page", PER_PAGE, counts.requests)
    proposals = _section(representatives.proposals_query(), "forslag", counts.representatives)
    return render_template("approvals/inbox.html", page=page, items=workflow.with_subjects(page.items),
                           subgroups=_section(subgroups.awaiting_decision_query(), "undergrupper", counts.subgroups),
                           proposals=proposals,
                           proposal_rows=[(p, representatives.actions(p, current_user)) for p in proposals.items],
                           contacts=_section(mailbox_links.awaiting_confirmation_query().options(
                               joinedload(MailboxLink.case).joinedload(MembershipCase.organisation),
                               joinedload(MailboxLink.case).joinedload(MembershipCase.round),
                               joinedload(MailboxLink.reply)), "postmottak", counts.contacts),
                           joins=_section(joins.awaiting_decision_query().options(
                               joinedload(JoinRequest.organisation)), "innmelding", counts.joins))


def _section(query: Select, param: str, total: int) -> ListPage:
    """One page of a list below the requests, paged by its own query-string parameter."""
    return _counted(query, param, SECTION_PER_PAGE, total)


def _counted(query: Select, param: str, per_page: int, total: int) -> ListPage:
    """The page of `query` that query-string parameter `param` asks for (the last for a number past the end), with
    the `total` the inbox counted already in one query for all its lists (no query when it is 0)."""
    listed = ListPage([], 1, per_page, total)
    listed.page = min(max(request.args.get(param, 1, type=int), 1), listed.pages)
    if total:
        listed.items = list(db.session.scalars(query.limit(per_page).offset((listed.page - 1) * per_page)))
    return listed


@bp.route("/innmelding/<int:request_id>", methods=["GET", "POST"])
@role_required(ADVISER)
def join_request(request_id: int):
    """Decide a municipality's confirmed request to join, or record the steering group's decision."""
    found = db.get_or_404(JoinRequest, request_id)
    form = JoinDecisionForm()
    accept = form.decision.data == "accept"

    def decide() -> str:
        joins.decide(found, current_user, accept=accept, decided_by=form.decided_by.data,
                     decided_on=form.decided_on.data, comment=form.comment.data)
        if accept:
            return _("%(organisation)s er tatt opp: saken fortsetter som «Takket ja».",
                     organisation=found.organisation.display_name)
        return _("Forespørselen fra %(organisation)s er avslått.", organisation=found.organisation.display_name)

    refusal = _("Forespørselen er allerede avgjort.") if found.decision else \
        None if found.link.used_at else _("Forespørselen er ikke bekreftet fra kommunens postmottak ennå.")
    return confirmation("approvals/join_request.html", form, decide,
                        lambda: url_for("cases.case_page", case_id=found.case_id) if accept
                        else url_for("approvals.inbox", _anchor="innmelding"),
                        back=url_for("approvals.inbox", _anchor="innmelding"), refusal=refusal, danger=False,
                        found=found)


def get_mailbox_answer(link_id: int) -> MailboxLink:
    """An answer from an official mailbox; one without an answer is not there to decide."""
    link = db.session.get(MailboxLink, link_id)
    if link is None or link.reply_id is None:
        abort(404)
    return link


def _mailbox_refusal(link: MailboxLink) -> str | None:
    return _("Svaret er allerede behandlet.") if link.decided_at else None


@bp.route("/postmottak/<int:link_id>", methods=["GET", "POST"])
@role_required(ADVISER)
def mailbox_contact(link_id: int):
    """Make the person who answered from the official mailbox the municipality's contact person."""
    link = get_mailbox_answer(link_id)

    def make_contact() -> str:
        mailbox_links.confirm_contact(link, current_user)
        return _("%(name)s er kontaktperson for %(organisation)s og får en e-post for å velge passord.",
                 name=link.contact.name, organisation=link.case.organisation.display_name)

    return confirmation("approvals/mailbox_contact.html", ConfirmForm(), make_contact,
                        url_for("approvals.inbox", _anchor="postmottak"), refusal=_mailbox_refusal(link),
                        danger=False, final=False, link=link)


@bp.route("/postmottak/<int:link_id>/ikke-kontaktperson", methods=["GET", "POST"])
@role_required(ADVISER)
def mailbox_decline(link_id: int):
    """The person who answered from the official mailbox does not become contact person; the answer stands."""
    link = get_mailbox_answer(link_id)

    def decline() -> str:
        mailbox_links.decline_contact(link, current_user)
        return _("Svaret står, men %(name)s blir ikke kontaktperson.", name=link.reply.contact_name)

    return confirmation("approvals/mailbox_decline.html", ConfirmForm(), decline,
                        url_for("approvals.inbox", _anchor="postmottak"), refusal=_mailbox_refusal(link), link=link)


@bp.route("/<int:request_id>")
def detail(request_id: int):
    found = get_request(request_id)
    subject = workflow.subject_of(found)
    return render_template("approvals/detail.html", item=found, subject=subject,
                           spec=subject.workflow.spec(found.trigger),
                           refusal=workflow.approval_refusal(found, current_user))


def _inbox_page() -> str:
    """The page of the inbox the decision was opened from."""
    return url_for("approvals.inbox", page=request.args.get("page", type=int))


def _decision_page(request_id: int, template: str, form, decide, message, *, danger: bool) -> ResponseReturnValue:
    """Approve or reject a request on its confirmation page, then back to the page of the inbox it was opened from
    (`?page=`)."""
    found = get_request(request_id)
    subject = workflow.subject_of(found)

    def done() -> str:
        decide(found, current_user, form.comment.data)
        return message(subject)

    return confirmation(template, form, done, _inbox_page(),
                        refusal=workflow.approval_refusal(found, current_user),
                        refused_status=403 if found.waiting else 409, danger=danger,
                        item=found, subject=subject, spec=subject.workflow.spec(found.trigger))


@bp.route("/<int:request_id>/godkjenn", methods=["GET", "POST"])
@role_required(ADVISER)
def approve(request_id: int):
    return _decision_page(request_id, "approvals/approve.html", ApproveForm(), workflow.approve,
                          lambda subject: _("Godkjent. Ny status: %(state)s.",
                                            state=subject.workflow.label(subject.state)),
                          danger=False)


@bp.route("/<int:request_id>/avvis", methods=["GET", "POST"])
@role_required(ADVISER)
def reject(request_id: int):
    return _decision_page(request_id, "approvals/reject.html", RejectForm(), workflow.reject,
                          lambda subject: _("Forespørselen er avvist."), danger=True)


@bp.route("/<int:request_id>/trekk", methods=["GET", "POST"])
def cancel(request_id: int):
    """The requester withdraws their own request before it is decided."""
    found = get_request(request_id)
    subject = workflow.subject_of(found)
    refusal = None if found.waiting and found.requested_by_id == current_user.id else \
        _("Bare den som sendte forespørselen, kan trekke den, og bare mens den venter.")

    def withdraw() -> str:
        workflow.cancel(found, current_user)
        return _("Forespørselen er trukket.")

    return confirmation("approvals/cancel.html", ConfirmForm(), withdraw,
                        url_for("approvals.detail", request_id=found.id), refusal=refusal, refused_status=403,
                        item=found, subject=subject, spec=subject.workflow.spec(found.trigger))
