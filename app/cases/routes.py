"""The membership case page: state, history, the next actions and the diagram."""
from flask import Blueprint, Response, abort, get_template_attribute, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app import access, clock, downloads, formatting
from app.cases.forms import ActionForm, AsOfForm
from app.extensions import db
from app.models import Agreement, InvitationRound, MembershipCase, Organisation
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.security import allowed_if
from app.services import agreements, archive, cases, in_force, members, mergers, overview, workflow
from app.views import own_page, query_as_read, spec_or_404, step_confirmation, stored, stored_page
from workflows import MEMBERSHIP

bp = Blueprint("cases", __name__, url_prefix="/saker")
CASES_PER_PAGE = 50


def get_case(case_id: int, *loads) -> MembershipCase:
    """The case, if the signed-in user may see it; 404 otherwise (another municipality's case does not exist for them).

    `loads`: loader options for what the page shows beyond the case, its organisation and its round.
    """
    case = db.session.get(MembershipCase, case_id, options=[joinedload(MembershipCase.organisation),
                                                            joinedload(MembershipCase.round), *loads])
    if case is None or not case.can_view(current_user):
        abort(404)
    return case


@bp.route("/")
@allowed_if(access.sees_memberships)
def case_list():
    stmt = select(MembershipCase).join(Organisation).join(InvitationRound) \
        .options(contains_eager(MembershipCase.organisation), contains_eager(MembershipCase.round)) \
        .order_by(InvitationRound.reply_deadline.desc(), Organisation.name)
    stmt = stmt.where(access.visible(current_user, MembershipCase.organisation_id))
    state = request.args.get("status", "")
    state = state if state in MEMBERSHIP.states else ""
    listed_stmt = stmt.where(MembershipCase.state == state) if state else stmt
    requested = max(request.args.get("page", 1, type=int), 1)
    if access.sees_all(current_user):
        # Every case, the same for all of Bergen's side: a page read once per content version and stored
        # (views.stored; in-process probe ~2.5x -> ~1.6x, 01.12.2026).
        listed = stored_page("case_list_page", state, requested, CASES_PER_PAGE,
                             lambda number: _case_page(listed_stmt, number))
    else:
        listed = _case_page(listed_stmt, requested)
    page = overview.ListPage(listed["rows"], listed["page"], CASES_PER_PAGE, listed["total"])
    return render_template("cases/list.html", page=page, state=state, states=MEMBERSHIP.labels(),
                           anything=bool(page.total) or bool(state) and db.finds(stmt))


def _case_page(stmt, page: int) -> dict:
    """A page of the cases `stmt` finds as plain data (dates written out in this request's language)."""
    found = db.paginate(stmt, page=page, per_page=CASES_PER_PAGE, error_out=False)
    return {"page": found.page, "total": found.total, "rows": [{
        "id": case.id, "organisation": {"name": case.organisation.name}, "round": {"title": case.round.title},
        "state": case.state, "notice_last_day": formatting.short_date(case.notice_last_day),
        "state_since": formatting.short_date(case.state_since)} for case in found.items]}


# The signatures, waiting requests, the agreement in force or being signed, and every agreement with their
# signatures (a couple of each), in two queries; their scanned copies only when the stored content is made.
CASE_PAGE_LOADS = (joinedload(MembershipCase.signatures), joinedload(MembershipCase.waiting_requests),
                   joinedload(MembershipCase.agreement),
                   selectinload(MembershipCase.agreements).joinedload(Agreement.signatures))


@bp.route("/<int:case_id>")
def case_page(case_id: int):
    """What everyone who may see the case sees alike is rendered once per content version and query string and
    stored (views.stored; CPU time against /_bench/rows ~2.6x -> ~1.25x, 01.12.2026); the next steps and the
    signing button, the reader's own, are made each time. The history's form shows the query string as typed:
    with anything in it but a valid day as read, rendered each time."""
    case = get_case(case_id, *CASE_PAGE_LOADS)
    as_of_form = AsOfForm(request.args)
    as_of = as_of_form.as_of.data if request.args.get("as_of") and as_of_form.validate() else None
    waiting, today = case.waiting_requests, clock.today()
    pending = workflow.pending_request(case, waiting=waiting)
    # A closed invitation offers nothing about answering it: those steps go, and one line says why.
    closed = not case.guard_context(today).invitation_open()
    actions = workflow.actions(case, current_user, waiting)
    shown = [action for action in actions if not (closed and "invitation_open" in action.spec.conditions)]

    def content() -> str:
        periods = members.member_periods(case)
        return render_template(
            "cases/_case.html", case=case, today=today, was_member=bool(periods),
            standing=in_force.on(case, today, periods), due=workflow.due(case), pending=pending, as_of=as_of,
            as_of_form=as_of_form, as_of_state=cases.state_on(case, as_of) if as_of else None,
            as_of_holder=mergers.holder_on(case, as_of) if as_of else None, shared=_sections(case, as_of),
            parties=cases.PARTIES, municipality_party=MUNICIPALITY_PARTY, host_party=HOST_PARTY,
            next_steps_slot=_NEXT_STEPS, signing_slot=_SIGNING)

    key = query_as_read(as_of=as_of.isoformat() if as_of else "")
    before, rest = (content() if key is None else stored("case_page", f"{case.id}?{key}", content)).split(_NEXT_STEPS)
    between, signs_here, after = rest.partition(_SIGNING)
    return render_template(
        "cases/case.html", case=case, actions=shown, pending=pending,
        closed_reason=MEMBERSHIP.guard_message(["invitation_open"]) if len(shown) < len(actions) else None,
        may_decide=pending is not None and workflow.approval_refusal(pending, current_user) is None,
        before=Markup(before), between=Markup(between), after=Markup(after),
        signing=signs_here and next(a for a in agreements.for_case(case) if a.superseded_at is None))


# Where the stored content leaves room for the reader's own next steps and signing button.
_NEXT_STEPS, _SIGNING = Markup("<!--next steps-->"), Markup("<!--signing-->")


def _sections(case: MembershipCase, as_of) -> dict[str, Markup]:
    """The documents, the history and the steps: part of what case_page stores."""
    timeline, process = (get_template_attribute(name, macro) for name, macro in
                         (("_history.html", "timeline"), ("_process.html", "process")))
    return {"documents": Markup(render_template("cases/_documents.html", case=case)),
            "timeline": timeline(cases.history(case, until=as_of)),
            "process": process(case.workflow, case.state, url_for("cases.diagram", case_id=case.id))}


@bp.route("/<int:case_id>/diagram.svg")
def diagram(case_id: int):
    case = get_case(case_id)
    return Response(MEMBERSHIP.diagram_svg(highlight=case.state), mimetype="image/svg+xml")


@bp.route("/<int:case_id>/handling/<trigger>", methods=["GET", "POST"])
def action(case_id: int, trigger: str):
    case = get_case(case_id)
    spec = spec_or_404(case, trigger)
    if page := own_page(case, spec, case_id=case.id):
        return page
    return step_confirmation(case, spec, ActionForm(), url_for("cases.case_page", case_id=case.id),
                             title=Markup('<span translate="no">{}</span> – {}').format(
                                 case.organisation.display_name, case.round.title))


# --- the case's documents: read in the app, each as PDF, or the whole case as a ZIP for the archive ---------------

@bp.app_template_global("case_documents")
def case_documents(case):
    """The documents of a case, for the "Dokumenter" list on the case page."""
    return archive.documents(case)


@bp.route("/<int:case_id>/dokumenter/invitasjon")
def invitation_letter(case_id: int):
    return render_template("archive/letter.html", case=get_case(case_id))


@bp.route("/<int:case_id>/dokumenter/<key>.pdf")
def document_pdf(case_id: int, key: str):
    case = get_case(case_id)
    doc = next((d for d in archive.documents(case) if d.key == key), None)
    if doc is None:
        abort(404)
    if doc.uploaded:
        return downloads.kept_file("case_document", f"{case.id}/{key}", doc.render, f"{key}-{case.id}.pdf")
    return downloads.made("case_document", f"{case.id}/{key}", doc.render, "application/pdf",
                          f"{key}-{case.id}.pdf", inline=True)


@bp.route("/<int:case_id>/arkiv.zip")
def archive_export(case_id: int):
    case = get_case(case_id)
    filename = _("sak-%(number)s.zip", number=archive.case_number(case).replace("/", "-"))
    return downloads.made("case_archive", case.id, lambda: archive.export(case), "application/zip", filename)
