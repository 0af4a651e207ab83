"""Subgroups: the list, the proposal form, the subgroup page, its workflow steps and its members."""
from flask import (Blueprint, Response, abort, flash, get_template_attribute, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload, lazyload

from app import clock, history
from app.extensions import db
from app.forms import names
from app.models import Subgroup
from app.models.subgroup import THEMES
from app.security import role_required
from app.tags import state_tag
from app.services import subgroups, workflow
from app.subgroups.forms import (
    MAX_REPRESENTATIVES, ActionForm, AddMemberForm, MemberSearchForm, ProposalForm, RemoveMemberForm, person_label,
    saved_people,
)
from app.views import (attempt, attempt_result, confirmation, own_page, spec_or_404, step_confirmation, stored,
                       stored_page)
from workflows import SUBGROUP
from workflows.subgroup import CLOSED, DRAFT, RETURNED
from workflows.roles import PROJECT_MEMBER

bp = Blueprint("subgroups", __name__, url_prefix="/undergrupper")
PER_PAGE = 25
MEMBERS_PER_PAGE = 20
HISTORY_SHOWN = 20  # the latest events; the page links to them all
# Steps whose comment the form insists on, and what the comment means there.
COMMENT_LABELS = {
    "approve": _l("Vedtak og kommentar (f.eks. saksnummer og hva prosjektgruppen la vekt på)"),
    "reject": _l("Begrunnelse for avslaget"),
    "return_for_changes": _l("Hva må endres?"),
    "close": _l("Sluttrapport: hva gruppen har levert"),
}
DECISIONS = ("approve", "reject")


def get_subgroup(subgroup_id: int, *loads) -> Subgroup:
    """The subgroup, if the signed-in user may see it; someone else's draft does not exist for them.

    `loads`: loader options for what the page shows of it.
    """
    subgroup = db.session.get(Subgroup, subgroup_id, options=loads)
    if subgroup is None or not subgroup.can_view(current_user):
        abort(404)
    return subgroup


@bp.route("/")
def subgroup_list():
    query, theme, state = (request.args.get(k, "").strip() for k in ("q", "tema", "status"))
    mine = subgroups.proposals_by(current_user)

    def read(number: int) -> dict:
        stmt = subgroups.listing(current_user, query=query, theme=theme, state=state)
        page = db.paginate(stmt, page=number, per_page=PER_PAGE, error_out=False)
        return {"total": page.total,
                "anything": bool(page.total) or bool(query or theme or state) and db.finds(
                    subgroups.listing(current_user)),
                "html": render_template("subgroups/_list_page.html", page=page,
                                        theme_names={code: str(label) for code, label in THEMES.items()},
                                        tags={state: state_tag("subgroup", state) for state in SUBGROUP.states})}

    # Who lists the same subgroups: Bergen's side every draft, someone without a draft of their own none. Their
    # pages are stored per content version (CPU time against /_bench/rows ~2.5x -> ~1.5x, 01.12.2026); a search,
    # another argument the paging links keep, or a list with the viewer's own drafts is read each time.
    alike = "every" if subgroups.sees_every_draft(current_user) else (
        "none" if all(proposal.state != DRAFT for proposal in mine) else None)
    requested = request.args.get("page", 1, type=int)
    if alike and request.args.keys() <= {"page", "tema", "status"} and theme in {"", *THEMES} \
            and state in {"", *SUBGROUP.states}:
        listed = stored_page("subgroup_list_page", f"{alike}:{theme}:{state}", requested, PER_PAGE, read)
    else:
        listed = read(requested)
    return render_template("subgroups/list.html", query=query, theme=theme, state=state, themes=THEMES,
                           states=SUBGROUP.labels(), listed=Markup(listed["html"]), mine=mine,
                           anything=listed["anything"])


@bp.route("/ny", methods=["GET", "POST"])
@role_required(PROJECT_MEMBER)
def new():
    form = ProposalForm()
    return _proposal_form(form, None)


@bp.route("/<int:subgroup_id>/endre", methods=["GET", "POST"])
@role_required(PROJECT_MEMBER)
def edit(subgroup_id: int):
    subgroup = get_subgroup(subgroup_id, joinedload(Subgroup.theme_rows))  # in the same statement
    reason = subgroups.edit_refusal(subgroup, current_user)
    if reason:
        abort(403, reason)
    form = ProposalForm()
    if request.method == "GET":
        # The people and representatives as plain data read once per content version, not as users and rows each
        # time: CPU time against /_bench/rows ~1.76x -> ~1.53x (01.12.2026).
        form.fill_from(subgroup, stored("subgroup_proposal_people", subgroup.id, lambda: saved_people(subgroup)))
    return _proposal_form(form, subgroup)


def _proposal_form(form: ProposalForm, subgroup: Subgroup | None):
    """Redraw after a search, or save (and maybe submit) the proposal; one flow for new and edit."""
    if form.is_submitted() and form.add_representative.data and len(form.representatives) < MAX_REPRESENTATIVES:
        form.representatives.append_entry()
    if not form.redraw_only and form.validate_on_submit():
        def save():
            nonlocal subgroup
            if subgroup is None:
                subgroup = subgroups.propose(form.to_proposal(), current_user)
            else:
                subgroups.revise(subgroup, form.to_proposal(), current_user)
            if form.submit.data:
                workflow.perform(subgroup, "submit", current_user)

        if attempt(save, form):
            flash(_("Forslaget er sendt inn til prosjektgruppen.") if form.submit.data
                  else _("Utkastet er lagret. Det er bare synlig for deg og FoU-rådgiveren til du sender det inn."),
                  "success")
            return redirect(url_for("subgroups.subgroup_page", subgroup_id=subgroup.id))
    return render_template("subgroups/form.html", form=form, subgroup=subgroup, notes=_notes(subgroup),
                           max_representatives=MAX_REPRESENTATIVES)


def _notes(subgroup: Subgroup | None) -> dict[str, str | None]:
    """What the last step said, where the page should repeat it: what to change, or the final report."""
    if subgroup is None:
        return {}
    return {"returned": subgroups.last_comment(subgroup, "return_for_changes") if subgroup.state == RETURNED else None,
            "final_report": subgroups.last_comment(subgroup, "close") if subgroup.state == CLOSED else None}


@bp.route("/<int:subgroup_id>")
def subgroup_page(subgroup_id: int):
    # The themes, chair, proposer and members are in the stored parts; who may see the draft is checked first.
    subgroup = get_subgroup(subgroup_id, lazyload(Subgroup.theme_rows))
    latest = None if request.args.get("historikk") == "alle" else HISTORY_SHOWN
    return render_template(
        "subgroups/subgroup.html", subgroup=subgroup, actions=workflow.actions(subgroup, current_user),
        shared=_shared_parts(subgroup, latest), can_edit=subgroups.edit_refusal(subgroup, current_user) is None,
        can_manage=subgroups.can_manage_members(subgroup, current_user))


def _shared_parts(subgroup: Subgroup, latest: int | None) -> dict[str, Markup]:
    """The facts, a page of the members, the representatives, the history and the steps: the same for everyone who
    may open the subgroup, rendered once per content version and stored (CPU time against /_bench/rows ~2.9x ->
    ~1.2x, 01.12.2026). With query arguments other than these the paging links keep, rendered each time."""
    head, facts, sections = (get_template_attribute("subgroups/_page.html", name)
                             for name in ("head", "facts", "sections"))

    def read(number: int) -> dict:
        members = db.paginate(subgroups.members_query(subgroup), page=number, per_page=MEMBERS_PER_PAGE,
                              error_out=False)
        found, notes = subgroups.page_history(subgroup, latest), _notes(subgroup)
        return {"total": members.total, "head": str(head(subgroup, notes)), "facts": str(facts(subgroup, notes)),
                "sections": str(sections(subgroup, members, history.rows(found.events), found.total))}

    requested = request.args.get("page", 1, type=int)
    if request.args.keys() <= {"page", "historikk"} and request.args.get("historikk", "alle") == "alle":
        found = stored_page("subgroup_page", f"{subgroup.id}:{latest}", requested, MEMBERS_PER_PAGE, read)
    else:
        found = read(requested)
    return {name: Markup(found[name]) for name in ("head", "facts", "sections")}


@bp.route("/<int:subgroup_id>/diagram.svg")
def diagram(subgroup_id: int):
    subgroup = get_subgroup(subgroup_id)
    return Response(SUBGROUP.diagram_svg(highlight=subgroup.state), mimetype="image/svg+xml")


@bp.route("/<int:subgroup_id>/handling/<trigger>", methods=["GET", "POST"])
def action(subgroup_id: int, trigger: str):
    subgroup = get_subgroup(subgroup_id)
    spec = spec_or_404(subgroup, trigger)
    if page := own_page(subgroup, spec, subgroup_id=subgroup.id):
        return page
    decision = trigger in DECISIONS
    form = ActionForm(decision=decision, comment_needed=trigger in COMMENT_LABELS)
    form.comment.label.text = COMMENT_LABELS.get(trigger, _("Kommentar"))
    if decision and request.method == "GET":
        form.decided_on.data = clock.today()
    return step_confirmation(subgroup, spec, form, url_for("subgroups.subgroup_page", subgroup_id=subgroup.id),
                             title=Markup('<span translate="no">{}</span>').format(subgroup.name),
                             data=lambda: {"decided_on": form.decided_on.data.isoformat(),
                                           "meeting_item_id": form.meeting_item_id.data or None} if decision else None)


@bp.route("/<int:subgroup_id>/medlemmer", methods=["GET", "POST"])
def members(subgroup_id: int):
    subgroup = get_subgroup(subgroup_id, lazyload(Subgroup.theme_rows))
    if not subgroups.can_manage_members(subgroup, current_user):
        abort(403, _("Bare FoU-rådgiveren eller lederen kan endre medlemmene, og bare mens undergruppen er etablert."))
    search = MemberSearchForm(request.args)
    query = (search.q.data or "").strip()
    form = AddMemberForm()
    if request.method == "POST":
        # Any person may be added, not only the ones this search happened to show (add_member refuses members).
        found = subgroups.people_by_id([form.user_id.data or 0]).values()
    else:
        # Found by a search: a list of everyone (over a thousand at 500 municipalities) was most of the page.
        found = subgroups.search_people(query, excluding=subgroups.current_member_ids(subgroup)) if query else []
    form.user_id.choices = names([(user.id, person_label(user)) for user in found])
    if request.method == "GET" and form.joined_on.data is None:
        form.joined_on.data = clock.today()
    if form.validate_on_submit():
        member = attempt_result(
            lambda: subgroups.add_member(subgroup, form.user_id.data, form.joined_on.data, current_user), form,
            "user_id")
        if member:
            flash(_("%(name)s er lagt til i undergruppen.", name=member.user.name), "success")
            return redirect(url_for("subgroups.members", subgroup_id=subgroup.id))

    def read(number: int) -> dict:
        page = db.paginate(subgroups.current_members(subgroup), page=number, per_page=PER_PAGE, error_out=False)
        return {"total": page.total, "html": render_template("subgroups/_members_page.html", subgroup=subgroup,
                                                             page=page)}

    # The same for the adviser and the chair: stored per content version (CPU time against /_bench/rows ~1.8x ->
    # ~1.2x, 01.12.2026); with a search, which the paging links keep, read each time.
    requested = request.args.get("page", 1, type=int)
    listed = stored_page("subgroup_members_page", subgroup.id, requested, PER_PAGE, read) \
        if request.args.keys() <= {"page"} else read(requested)
    return render_template("subgroups/members.html", subgroup=subgroup, form=form, search=search, query=query,
                           listed=Markup(listed["html"]))


@bp.route("/<int:subgroup_id>/medlemmer/<int:member_id>/fjern", methods=["GET", "POST"])
def remove_member(subgroup_id: int, member_id: int):
    subgroup = get_subgroup(subgroup_id)
    if not subgroups.can_manage_members(subgroup, current_user):
        abort(403, _("Bare FoU-rådgiveren eller lederen kan endre medlemmene, og bare mens undergruppen er etablert."))
    member = subgroups.current_member(subgroup, member_id)
    if member is None:
        abort(404)
    form = RemoveMemberForm()
    if request.method == "GET":
        form.left_on.data = clock.today()

    def remove() -> str:
        subgroups.remove_member(subgroup, member.id, form.left_on.data, current_user)
        return _("%(name)s er fjernet fra undergruppen.", name=member.user.name)

    return confirmation("subgroups/remove_member.html", form, remove,
                        url_for("subgroups.members", subgroup_id=subgroup.id), final=False, subgroup=subgroup,
                        member=member)
