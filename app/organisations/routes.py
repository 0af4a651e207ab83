"""The organisation register (adviser and administrator): every organisation with its names and numbers over time,
and the forms that add one, record a change of name or number from a date, and change its details."""
import json
import re
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app import clock, history, search
from app.extensions import db
from app.forms import choices, names
from app.models import AuditEvent, InvitationRound, MembershipCase, Organisation, OrganisationSuccession, User
from app.models.meeting import STEERING_MEETING
from app.models.organisation import KIND_LABELS, WRITTEN_STANDARDS
from app.organisations.forms import ChangeForm, DetailsForm, MergerForm, NewOrganisationForm
from app.safe_input import MAX_ID
from app.security import role_required
from app.services import ServiceError, meeting_items, mergers, organisations
from app.views import attempt, attempt_result, show_error, stored
from workflows.roles import ADMIN, ADVISER

bp = Blueprint("organisations", __name__, url_prefix="/organisasjoner")
PER_PAGE = 25
# Joined in one statement, not one each: an organisation has a row or two of each.
WITH_HISTORY = (joinedload(Organisation.names), joinedload(Organisation.numbers),
                joinedload(Organisation.successor_links).joinedload(OrganisationSuccession.successor),
                joinedload(Organisation.predecessor_links).joinedload(OrganisationSuccession.predecessor))


def get_organisation(org_id: int, options=WITH_HISTORY) -> Organisation:
    """The organisation, with its names, numbers and successions unless `options` says otherwise."""
    found = db.session.get(Organisation, org_id, options=options)
    if found is None:
        abort(404)
    return found


@bp.route("/")
@role_required(ADVISER, ADMIN)
def organisation_list():
    query = request.args.get("q", "").strip()
    page = db.paginate(organisations.search_stmt(query), per_page=PER_PAGE, error_out=False)
    return render_template("organisations/list.html", page=page, query=query, today=clock.today())


@bp.route("/ny", methods=["GET", "POST"])
@role_required(ADVISER, ADMIN)
def organisation_new():
    form = NewOrganisationForm()
    if request.form.get("action") in ("preview", "save") and form.validate_on_submit():
        facts = {name: form[name].data for name in (
            "official_name", "name", "kind", "number", "org_number", "written_standard", "mailbox", "region",
            "active_from")}
        if request.form.get("action") == "save":
            org = attempt_result(lambda: organisations.register(current_user, **facts), form)
            if org:
                flash(_("%(organisation)s er lagt til i registeret.", organisation=org.display_name), "success")
                return redirect(url_for("organisations.organisation_page", org_id=org.id))
        else:
            try:
                return render_template("organisations/new_confirm.html", form=form, kinds=KIND_LABELS,
                                       standards=WRITTEN_STANDARDS, new=organisations.check_new(**facts))
            except ServiceError as error:
                show_error(form, error)
    return render_template("organisations/new.html", form=form)


@bp.route("/<int:org_id>")
@role_required(ADVISER, ADMIN)
def organisation_page(org_id: int):
    org = get_organisation(org_id)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == Organisation.audit_type, AuditEvent.object_id == org.id,
        AuditEvent.action.like("organisation.%"))
        .order_by(AuditEvent.at.desc(), AuditEvent.seq.desc())).all()
    return render_template("organisations/organisation.html", org=org, history=organisations.history(org),
                           today=organisations.on(org, clock.today()),
                           events=[(line, _details(line.event)) for line in history.lines(events)],
                           mergers=mergers.into(org))


DETAIL_LABELS = {"kind": _l("Type"), "written_standard": _l("Målform"), "mailbox": _l("Postmottak"),
                 "region": _l("Region"),
                 "active_from": _l("Første dag"), "active_to": _l("Siste dag")}


def _details(event: AuditEvent) -> str:
    """What a register event recorded, in a few words: "fra 01.01.2020: Voss herad, 4621"."""
    facts = json.loads(event.data or "{}")
    if event.action == "organisation.update":
        return ", ".join(f"{DETAIL_LABELS.get(field, field)}: {_shown(before)} → {_shown(after)}"
                         for field, (before, after) in facts.items())
    values = ", ".join(facts[key] for key in ("official_name", "municipality_number", "organisation_number",
                                              "number", "org_number") if facts.get(key))
    if "valid_from" not in facts:
        return values
    return _("fra %(date)s: %(values)s", date=_shown(facts["valid_from"]), values=values)


def _shown(value: str | None) -> str:
    """A value of a register event as the page shows it: a date as dd.mm.åååå, a code by its label."""
    if not value:
        return "–"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{date.fromisoformat(value):%d.%m.%Y}"
    return KIND_LABELS.get(value) or WRITTEN_STANDARDS.get(value) or value


@bp.route("/<int:org_id>/endring", methods=["GET", "POST"])
@role_required(ADVISER, ADMIN)
def change(org_id: int):
    org = get_organisation(org_id)
    form = ChangeForm()
    if request.form.get("action") in ("preview", "save") and form.validate_on_submit():
        facts = {name: form[name].data for name in ("official_name", "name", "number", "org_number")}
        if request.form.get("action") == "save":
            recorded = attempt_result(lambda: organisations.record_change(
                org, current_user, form.valid_from.data, **facts), form)
            if recorded:
                flash(_("Endringen fra %(date)s er registrert for %(organisation)s.",
                        date=recorded.valid_from.strftime("%d.%m.%Y"),
                        organisation=org.display_name),
                      "success")
                return redirect(url_for("organisations.organisation_page", org_id=org.id))
        else:
            try:
                return render_template("organisations/change_confirm.html", org=org, form=form,
                                       change=organisations.check_change(org, form.valid_from.data, **facts))
            except ServiceError as error:
                show_error(form, error, "valid_from")
    return render_template("organisations/change.html", org=org, form=form, today=organisations.on(org, clock.today()))


@bp.route("/<int:org_id>/opplysninger", methods=["GET", "POST"])
@role_required(ADVISER, ADMIN)
def details(org_id: int):
    org = get_organisation(org_id, options=())  # the form shows none of its history
    form = DetailsForm(obj=org)
    if request.method == "GET":
        form.region.data = org.region or ""
    if form.validate_on_submit():
        changed = {}
        if attempt(lambda: changed.update(organisations.update_details(org, current_user, **{
                name: form[name].data for name in organisations.DETAILS})), form):
            flash(_("Endringene er lagret.") if changed else _("Ingenting å lagre: opplysningene er som før."),
                  "success" if changed else "info")
            return redirect(url_for("organisations.organisation_page", org_id=org.id))
    return render_template("organisations/details.html", org=org, form=form)


# What moves with the continued membership, as the confirmation page names each kind.
MOVE_LABELS = {"case": _l("Saken med historikken"), "users": _l("Brukerkontoer (også kontaktpersoner)"),
               "representatives": _l("Representanter"), "admin_contact": _l("Administrativ kontaktperson"),
               "requests": _l("Forespørsler som venter"), "contributions": _l("Bidrag fra sammenslåingsåret"),
               "evaluations": _l("Evalueringssvar")}


MERGER_SHOWN = 50  # organisations and memberships each list offers besides those chosen; the search finds others


def _merger_choices(form: MergerForm) -> None:
    """The choices of the merger form: in each list those chosen, the memberships in force of the organisations
    chosen to merge, and the first MERGER_SHOWN matching the search; the steering group's agenda items."""
    def ids(values) -> list[int]:
        return [value for value in values if isinstance(value, int) and 0 < value <= MAX_ID]

    predecessors, successor = ids(form.predecessor_ids.data or ()), ids([form.successor_id.data])
    continued, query = ids([form.continued_case_id.data]), form.q.data or ""

    def read() -> dict:
        open_orgs = select(Organisation.id, Organisation.display_name) \
            .where(~Organisation.successor_links.any()).order_by(Organisation.sort_key, Organisation.id)
        chosen = dict(db.session.execute(open_orgs.where(Organisation.id.in_(predecessors + successor)))
                      .all()) if predecessors + successor else {}
        shown = [(org_id, name) for org_id, name in db.session.execute(search.where(open_orgs, query, Organisation)
                                                                       .where(Organisation.id.not_in(list(chosen)))
                                                                       .limit(MERGER_SHOWN))]
        in_force = select(MembershipCase.id, Organisation.display_name, InvitationRound.title) \
            .join(MembershipCase.organisation).join(MembershipCase.round).where(mergers.in_force()) \
            .order_by(Organisation.sort_key, MembershipCase.id)
        mine = list(db.session.execute(in_force.where(or_(MembershipCase.id.in_(continued),
                                                          MembershipCase.organisation_id.in_(predecessors))))) \
            if continued or predecessors else []
        found = search.where(in_force, query, Organisation) \
            .where(MembershipCase.id.not_in([row[0] for row in mine])).limit(MERGER_SHOWN)
        return {"items": meeting_items.choices(STEERING_MEETING),
                "predecessors": [(i, chosen[i]) for i in dict.fromkeys(predecessors) if i in chosen] + shown,
                "successors": [(i, chosen[i]) for i in successor if i in chosen] + shown,
                "memberships": [(case_id, f"{name} – {title}")
                                for case_id, name, title in mine + list(db.session.execute(found))]}

    # With nothing searched or chosen (every GET), the same for every adviser: read once per content version
    # (4 statements; CPU time against /_bench/rows 1.88x -> 1.47x, 01.12.2026).
    lists = read() if query or predecessors or successor or continued else stored("merger_choices", "", read)
    form.meeting_item_id.choices = choices([(0, _l("Saken er ikke registrert her"))]) + names(lists["items"])
    form.predecessor_ids.choices = names(lists["predecessors"])
    form.successor_id.choices = choices([(0, _l("Ny organisasjon (fyll inn under)"))]) + names(lists["successors"])
    form.continued_case_id.choices = choices([(0, _l("Ingen: alle medlemskapene avsluttes"))]) + names(
        lists["memberships"])


def _asked(form: MergerForm) -> mergers.Request:
    return mergers.Request(tuple(form.predecessor_ids.data or ()), form.first_day.data, form.successor_id.data or 0,
                           form.continued_case_id.data or 0, form.official_name.data, form.number.data,
                           form.org_number.data, form.meeting_item_id.data or 0)


@bp.route("/sammenslaing", methods=["GET", "POST"])
@role_required(ADVISER)
def merger():
    form = MergerForm()
    _merger_choices(form)
    if request.form.get("action") in ("preview", "save") and form.validate_on_submit():
        if request.form.get("action") == "save":
            made = attempt_result(lambda: mergers.record_request(current_user, _asked(form)), form)
            if made:
                names = dict(organisation=made.successor.display_name, date=f"{made.first_day:%d.%m.%Y}")
                flash(_("Sammenslåingen til %(organisation)s fra %(date)s er gjennomført.", **names)
                      if made.applied_at else
                      _("Sammenslåingen til %(organisation)s fra %(date)s er registrert og gjennomføres den dagen.",
                        **names), "success")
                return redirect(url_for("organisations.organisation_page", org_id=made.successor_id))
        else:
            try:
                checked = mergers.preview(_asked(form))
                people = db.session.scalars(select(User).where(User.id.in_(checked.moves.get("users", [])))
                                            .order_by(User.name, User.id))
                return render_template("organisations/merger_confirm.html", form=form, plan=checked,
                                       labels=MOVE_LABELS, people=list(people))
            except ServiceError as error:
                show_error(form, error, "predecessor_ids")
    return render_template("organisations/merger.html", form=form, shown=MERGER_SHOWN)
