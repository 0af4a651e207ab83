"""The membership area: one page per member municipality, its representatives and its administrative contact; and
one per other party (Bergen as host among them), with its seats in the steering and project groups."""
from datetime import date
from typing import NamedTuple

from flask import Blueprint, abort, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app import access, clock
from app.extensions import db
from app.forms import choices, names
from app.members.forms import ContactForm, RepresentativeForm, RepresentativeStepForm
from app.models import Organisation, Representative, User
from app.models.representative import GROUPS, STEERING_GROUP
from app.navigation import row_url
from app.safe_input import arg_int
from app.services import contributions, evaluations, in_force, members, representatives, waiting
from app.security import allowed_if, may_open
from app.services.overview import paginate
from app.views import attempt, attempt_result, own_page, spec_or_404, step_confirmation, stored
from workflows.roles import MUNICIPALITY_CONTACT

bp = Blueprint("members", __name__, url_prefix="/medlemskap")
PER_PAGE = 20


def get_organisation(org_id: int) -> Organisation:
    """A municipality or party the signed-in user may see; any other (or another municipality's page) is a 404."""
    organisation = db.session.get(Organisation, org_id)
    if organisation is None or not (organisation.is_municipality or organisation.is_party) \
            or not access.sees(current_user, organisation.id):
        abort(404)
    return organisation


def get_editable(org_id: int) -> Organisation:
    organisation = get_organisation(org_id)
    if not members.can_edit(current_user, organisation):
        abort(403)
    return organisation


def get_representative(rep_id: int) -> Representative:
    term = db.session.get(Representative, rep_id)
    if term is None:
        abort(404)
    get_organisation(term.organisation_id)
    return term


@bp.route("/")
@allowed_if(access.sees_memberships)
def index():
    if not access.sees_all(current_user):
        return redirect(url_for("members.organisation", org_id=current_user.organisation_id))
    listed = stored("members", "", _member_list)
    page = paginate(listed["current"], request.args.get("page", 1, type=int), PER_PAGE)
    page.items = [MemberRow.from_json(row) for row in page.items]
    for row in listed["former"]:
        row["since"] = date.fromisoformat(row["since"])
    return render_template("members/list.html", page=page, former=listed["former"], parties=listed["parties"],
                           proposals=waiting.counts().representatives)


class MemberRow(NamedTuple):
    """A current member's row, stored as a JSON list: at 500 rows, a third of the time of reading them as objects
    (0.3 against 1 ms)."""
    id: int
    name: str
    state: str
    notice_last_day: date | None
    agreement_start: date | None
    end_date: date | None
    filled: int
    flagged: int
    contact: str | None
    outstanding: int

    DAYS = ("notice_last_day", "agreement_start", "end_date")

    @classmethod
    def from_json(cls, values: list) -> "MemberRow":
        row = cls(*values)
        return row._replace(**{name: date.fromisoformat(day) for name in cls.DAYS if (day := getattr(row, name))})


def _member_list() -> dict:
    """The list's rows (the current members by name, the parties, the former members) as JSON: the same for everyone
    who sees the list, so stored per content version (at 500 municipalities reading the membership rule and a
    page's seats, contacts and balances made the page seven times the 50-row reference, make bench)."""
    today = clock.today()
    found = members.current_cases()
    cases = members.with_parents([case_id for case_id, _ in found])
    ids = [case.organisation_id for case in cases]
    seats = representatives.seats_of([case.organisation for case in cases], today)
    contacts, owed = members.admin_contacts(ids), contributions.outstanding_by_organisation(ids)
    current = [MemberRow(
        case.organisation_id, case.organisation.name, case.state,
        *(getattr(case, name) and getattr(case, name).isoformat() for name in MemberRow.DAYS),
        sum(1 for s in seats[case.organisation_id] if s.current),
        sum(1 for s in seats[case.organisation_id] if s.flagged),
        contacts[case.organisation_id].name if case.organisation_id in contacts else None,
        owed.get(case.organisation_id, 0)) for case in cases]
    former = [{"id": m.organisation.id, "name": m.organisation.name, "state": m.latest.state,
               "since": clock.day_of(m.latest.state_since).isoformat()} for m in members.former_memberships(ids)]
    parties = []
    for org, held in representatives.parties(today):
        steering = next(seat.current for seat in held if seat.group == STEERING_GROUP)
        parties.append({"id": org.id, "name": org.name,
                        "steering": steering and {"title": steering.title, "name": steering.name},
                        "project": sum(1 for seat in held if seat.group != STEERING_GROUP and seat.current),
                        "ending": sum(1 for seat in held if seat.flagged)})
    return {"current": current, "former": former, "parties": parties}


@bp.route("/<int:org_id>")
def organisation(org_id: int):
    org = get_organisation(org_id)
    # All the page varies by, apart from each waiting proposal's steps.
    viewer = {"can_edit": members.can_edit(current_user, org), "sees_all": access.sees_all(current_user),
              "opens_lines": may_open("contributions.contribution"),
              "opens_evaluations": may_open("evaluations.evaluation"), "own": current_user.organisation_id == org.id,
              "contact": current_user.has_role(MUNICIPALITY_CONTACT)}
    found = stored("membership_page", f"{org.id}:" + "".join(str(int(flag)) for flag in viewer.values()),
                   lambda: _membership_page(org, viewer))
    return render_template("members/organisation.html", org=org, party=org.is_party,
                           content=with_proposal_steps(found["content"], found["waiting"]))


def _membership_page(org: Organisation, viewer: dict) -> dict:
    """The page's content as every viewer alike in `viewer` sees it, stored per content version (CPU ratio against
    /_bench/rows ~2.8x -> ~1.1-1.2x), with the waiting proposals, whose steps go in their `proposal_steps_slot`."""
    today = clock.today()
    membership, days = members.membership_and_days(org)
    member = membership.current if membership else None
    case = member or (membership.latest if membership else None)  # the membership now, or else the last one
    if case:
        members.load_agreements(case)
    terms = representatives.history(org)
    representatives.load_proposers(terms)
    proposals = [term for term in terms if term.waiting] if member or org.is_party else []
    open_evaluations = evaluations.open_for(org, days)
    responses = evaluations.responses_of(open_evaluations, org)
    return {"waiting": [term.id for term in proposals], "content": render_template(
        "members/_organisation.html", org=org, case=case, member=member, today=today,
        standing=in_force.on(case, today, members.periods_of(membership, case)) if case else None,
        party=org.is_party, seats=representatives.seats_from(terms, today), terms=terms, proposals=proposals,
        contact=members.admin_contact(org), lines=contributions.lines_for(org),
        comments=representatives.decision_comments(terms),
        evaluations=[(e, responses[e.id]) for e in open_evaluations], viewer=viewer,
        days_left=representatives.days_left, steps_slot=proposal_steps_slot)}


def proposal_steps_slot(term_id: int) -> Markup:
    """Where a stored page puts the steps the person reading it may take on a waiting proposal."""
    return Markup(f"<!--steps of proposal {term_id}-->")


def with_proposal_steps(content: str, term_ids: list[int], back: str | None = None) -> Markup:
    """A stored page's `content` with the signed-in user's steps on each of these proposals in its slot (`back`:
    where the step's page returns to). Each step's label and link are made once a page, not once a proposal: the
    inbox's ten proposals' steps ~1.5 -> ~1.2 ms (01.12.2026)."""
    if not term_ids:
        return Markup(content)
    proposal_actions, made = get_template_attribute("members/_macros.html", "proposal_actions"), {}

    def step(action) -> tuple:
        trigger = action.spec.trigger
        if trigger not in made:
            made[trigger] = (_(action.spec.label), row_url("members.action", "rep_id", trigger=trigger, fra=back))
        return action, *made[trigger]

    for term in db.session.scalars(select(Representative).where(Representative.id.in_(term_ids))):
        content = content.replace(proposal_steps_slot(term.id), str(proposal_actions(
            term, [step(action) for action in representatives.actions(term, current_user)])))
    return Markup(content)


def _user_choices(org: Organisation):
    people = db.session.scalars(select(User).where(User.organisation_id == org.id, User.active.is_(True))
                                .order_by(User.name))
    return choices([(0, _("— ingen —"))]) + names((p.id, f"{p.name} ({p.email})") for p in people)


@bp.route("/<int:org_id>/representanter/ny", methods=["GET", "POST"])
def propose(org_id: int):
    org = get_editable(org_id)
    replaces = None
    if request.args.get("erstatter", type=int):
        replaces = db.session.get(Representative, arg_int("erstatter") or 0)
        if replaces is None or replaces.organisation_id != org.id:
            abort(404)
    seat = request.args.get("plass", type=int)
    form = RepresentativeForm()
    form.user_id.choices = _user_choices(org)
    if request.method == "GET":
        form.group.data = replaces.group if replaces else request.args.get("gruppe", "")
        form.starts_on.data = _date_arg("fra") or clock.today()
    if replaces:
        form.group.data = replaces.group  # the seat is the one being handed over
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data) if form.user_id.data else None
        term = attempt_result(lambda: representatives.propose(
            org, current_user, group=form.group.data, name=form.name.data, title=form.title.data,
            email=form.email.data, phone=form.phone.data, user=user, starts_on=form.starts_on.data,
            ends_on=form.ends_on.data, seat=None if replaces else seat, replaces=replaces), form, "group")
        if term is not None:
            if term.waiting:
                flash(_("Forslaget om %(name)s er sendt til FoU-rådgiveren for godkjenning.", name=term.name),
                      "success")
            else:
                flash(_("%(name)s er registrert i %(seat)s.", name=term.name, seat=term.seat_label.lower()), "success")
            return redirect(url_for("members.organisation", org_id=org.id))
    return render_template("members/representative_form.html", org=org, form=form, replaces=replaces,
                           default_years=representatives.TERM_YEARS, party=org.is_party)


def _date_arg(name: str):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/representanter/<int:rep_id>/handling/<trigger>", methods=["GET", "POST"])
def action(rep_id: int, trigger: str):
    """One step of the representative workflow on its confirmation page; back to the approvals inbox when opened
    from there (`?fra=godkjenninger`)."""
    term = get_representative(rep_id)
    if not term.roles_of(current_user):  # neither the adviser nor the proposer: no step is theirs
        abort(403, _("Bare FoU-rådgiveren og den som sendte forslaget, kan behandle det."))
    spec = spec_or_404(term, trigger)
    if page := own_page(term, spec, rep_id=term.id):
        return page
    done = url_for("approvals.inbox", _anchor="representanter") if request.args.get("fra") == "godkjenninger" \
        else url_for("members.organisation", org_id=term.organisation_id)
    return step_confirmation(term, spec, RepresentativeStepForm(), done,
                             title=Markup('<span translate="no">{}</span> – {}, <span translate="no">{}</span>')
                             .format(term.name, term.seat_label, term.organisation.display_name))


@bp.route("/<int:org_id>/kontaktperson", methods=["GET", "POST"])
def contact(org_id: int):
    org = get_editable(org_id)
    existing = members.admin_contact(org)
    form = ContactForm(obj=existing)
    if form.validate_on_submit() and attempt(lambda: members.set_admin_contact(
            org, current_user, name=form.name.data, title=form.title.data, email=form.email.data,
            phone=form.phone.data), form):
        flash(_("Den administrative kontaktpersonen er lagret."), "success")
        return redirect(url_for("members.organisation", org_id=org.id))
    return render_template("members/contact_form.html", org=org, form=form, existing=existing)


@bp.app_template_global()
def group_label(group: str) -> str:
    return GROUPS[group]

