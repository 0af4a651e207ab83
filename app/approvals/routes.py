"""The adviser's approval inbox: every pending request, each approved or rejected on a confirmation page."""

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from app import access, formatting
from app.approvals.forms import ApproveForm, JoinDecisionForm, RejectForm
from app.extensions import db
from app.forms import ConfirmForm
from app.models import JoinRequest, MailboxLink, MembershipCase, TransitionRequest
from app.security import role_required
from app.services.overview import ListPage
from app.services import joins, mailbox_links, overview, representatives, subgroups, waiting, workflow
from app.members.routes import proposal_steps_slot, with_proposal_steps
from app.views import confirmation, query_as_read, stored
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
    """The five lists are the same for every adviser: the page is rendered once per content version and pages asked
    for, and stored (views.stored; in-process probe 4.9x -> 2.7x with the rows stored, -> ~1.4x with the page,
    01.12.2026); an adviser who sent a request on it gets a copy of their own, and the steps on each proposal are
    theirs. The paging links keep the query string: with anything in it but the pages as they are, rendered each
    time."""
    counts = waiting.counts()
    listed = [_counted(param, per_page, total) for param, per_page, total in zip(
        _LISTS, (PER_PAGE,) + (SECTION_PER_PAGE,) * 4,
        (counts.requests, counts.subgroups, counts.representatives, counts.contacts, counts.joins))]
    key = query_as_read(**{param: found.page for param, found in zip(_LISTS, listed)})
    if key is not None:
        found = stored("approval_inbox_page", key, lambda: _inbox_content(listed, None))
        if current_user.id in found["senders"]:
            found = stored("approval_inbox_page", f"{key}:{current_user.id}",
                           lambda: _inbox_content(listed, current_user.id))
    else:
        found = _inbox_content(listed, current_user.id)
    return render_template("approvals/inbox.html",
                           content=with_proposal_steps(found["content"], found["proposals"], back="godkjenninger"))


# The query-string parameter of each list's page, in the order of the page.
_LISTS = ("page", "undergrupper", "forslag", "postmottak", "innmelding")


def _inbox_content(listed: list[ListPage], you: int | None) -> dict:
    """The inbox's content on these pages as the adviser `you` sees it (None: one who sent none of the requests),
    with who sent the requests and the proposals listed."""
    page, subgroups_page, proposals, contacts, joins_page = listed
    for found, items in zip(listed, _inbox_rows(*listed)):
        found.items = items
    return {"senders": sorted({r["requested_by_id"] for r in page.items}),
            "proposals": [p["id"] for p in proposals.items],
            "content": render_template("approvals/_inbox.html", page=page, subgroups=subgroups_page,
                                       proposals=proposals, contacts=contacts, joins=joins_page, you=you,
                                       steps_slot=proposal_steps_slot)}


def _counted(param: str, per_page: int, total: int) -> ListPage:
    """The page that query-string parameter `param` asks for of a list of `total` rows (the inbox counts all its
    lists in one query), its items not read yet."""
    return overview.page_of(total, request.args.get(param, 1, type=int), per_page)


def _read(query: Select, listed: ListPage) -> list:
    """The rows of `query` on the page `listed` (no query when the list is empty)."""
    if not listed.total:
        return []
    return list(db.session.scalars(query.limit(listed.per_page).offset((listed.page - 1) * listed.per_page)))


def _inbox_rows(page: ListPage, subgroups_page: ListPage, proposals: ListPage, contacts: ListPage,
                joins_page: ListPage) -> list[list[dict]]:
    """What the inbox's five lists show on these pages, as plain data (dates written out in this request's
    language: a stored copy is per language and day)."""
    requests = []
    for r, subject in workflow.with_subjects(_read(workflow.pending_requests(), page)):
        spec = subject.workflow.spec(r.trigger)
        requests.append({"id": r.id, "title": workflow.request_title(r, subject), "label": spec.label,
                         "description": spec.description, "comment": r.comment,
                         "requested_by": r.requested_by.name, "requested_by_id": r.requested_by_id,
                         "requested_iso": r.requested_at.isoformat(), "requested": formatting.date_time(r.requested_at),
                         "age": formatting.age(r.requested_at)})
    awaiting = [{"id": s.id, "name": s.name, "proposer": s.proposer.name, "state": s.state,
                 "awaiting_support": bool(s.awaiting_support), "since": formatting.short_date(s.state_since)}
                for s in _read(subgroups.awaiting_decision_query(), subgroups_page)]
    proposed = [{"id": p.id, "organisation_id": p.organisation_id, "organisation": p.organisation.name,
                 "seat_label": p.seat_label, "replaces": p.replaces.name if p.replaces else None, "name": p.name,
                 "title": p.title, "email": p.email, "phone": p.phone, "starts": formatting.short_date(p.starts_on),
                 "ends": formatting.short_date(p.ends_on), "proposed_by": p.proposed_by.name,
                 "proposed": formatting.date_time(p.proposed_at)}
                for p in _read(representatives.proposals_query(), proposals)]
    answers = [{"id": link.id, "case_id": link.case_id, "organisation": link.case.organisation.name,
                "round": link.case.round.title, "answer_label": link.reply.answer_label,
                "answered": formatting.date_time(link.reply.answered_at), "contact_name": link.reply.contact_name,
                "contact_title": link.reply.contact_title, "contact_email": link.reply.contact_email}
               for link in _read(mailbox_links.awaiting_confirmation_query().options(
                   joinedload(MailboxLink.case).joinedload(MembershipCase.organisation),
                   joinedload(MailboxLink.case).joinedload(MembershipCase.round),
                   joinedload(MailboxLink.reply)), contacts)]
    asking = [{"id": j.id, "display_name": j.organisation.display_name, "organisation": j.organisation.name,
               "name": j.name, "title": j.title, "email": j.email, "created": formatting.date_time(j.created_at)}
              for j in _read(joins.awaiting_decision_query().options(joinedload(JoinRequest.organisation)),
                             joins_page)]
    return [requests, awaiting, proposed, answers, asking]


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
