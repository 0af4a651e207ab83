"""The cost-sharing key (fordelingsnøkkel, agreement §11): the list, the draft form, the key page with what it
changes, the steps to the steering group's decision, and the export for the finance department."""
from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app import clock, downloads, history
from app.formatting import money
from app.contributions.key_forms import DecisionForm, StepForm, key_form
from app.extensions import db
from app.forms import choices, names
from app.models import CostKey, Meeting
from app.models.meeting import STEERING_MEETING
from app.security import role_required
from app.services import cost_keys, meeting_items, workflow
from app.services.overview import ListPage
from app.views import (attempt, attempt_result, own_page, refused_status, spec_or_404, step_confirmation,
                       step_refusal, stored)
from workflows import COST_KEY
from workflows.key_shares import AMOUNT, PERCENT
from workflows.roles import ADMIN, ADVISER, STEERING_MEMBER

bp = Blueprint("cost_keys", __name__, url_prefix="/okonomi/fordelingsnokkel")
VIEWERS = (ADVISER, ADMIN, STEERING_MEMBER)
PER_PAGE = 20
COMMENT_LABELS = {"return_for_changes": _l("Hva må endres?")}


def get_key(key_id: int) -> CostKey:
    return db.get_or_404(CostKey, key_id)


@bp.route("")
@role_required(*VIEWERS)
def key_list():
    return render_template("cost_keys/list.html", keys=cost_keys.listing(), in_force=cost_keys.in_force(
        clock.today().year))


@bp.route("/ny", methods=["GET", "POST"])
@role_required(ADVISER)
def new():
    first = clock.today().year + 1
    shown = _form_data(None)
    form = key_form(shown["parties"])
    if request.method == "GET":
        if shown["draft"] is not None:
            _fill(form, shown["draft"])
        form.first_year.data, form.last_year.data = first, first + 2
    return _draft_form(form, None, None)


@bp.route("/<int:key_id>/endre", methods=["GET", "POST"])
@role_required(ADVISER)
def edit(key_id: int):
    key = get_key(key_id)
    reason = cost_keys.edit_refusal(key, current_user)
    if reason:
        abort(403, reason)
    shown = _form_data(key)
    form = key_form(shown["parties"])
    if request.method == "GET":
        _fill(form, shown["draft"])
    return _draft_form(form, key, shown["returned"])


def _form_data(key: CostKey | None) -> dict:
    """What the draft form shows every adviser alike, read once per content version and stored (4 statements and
    two lists of rows): the larger parties (id, name), the draft it starts from (the key's own; for a new key, the
    key in force's, if any) and what the steering group asked to change."""
    def read() -> dict:
        start = cost_keys.in_force(clock.today().year) if key is None else key
        draft = None if start is None else asdict(cost_keys.draft_of(start))
        if draft is not None:
            draft["values"] = list(draft["values"].items())  # JSON keys are strings
        return {"parties": [(party.id, party.name) for party in cost_keys.larger_parties()], "draft": draft,
                "returned": cost_keys.last_return(key) if key else None}

    shown = stored("cost_key_form", key.id if key else "new", read)
    if shown["draft"] is not None:
        shown["draft"] = cost_keys.KeyDraft(**{**shown["draft"], "values": dict(shown["draft"]["values"])})
    return shown


def _fill(form, draft: cost_keys.KeyDraft) -> None:
    form.first_year.data, form.last_year.data, form.budget.data = draft.first_year, draft.last_year, draft.budget
    form.method.data, form.remainder_to_id.data, form.note.data = draft.method, draft.remainder_to_id, draft.note
    for party_id, field in form.share_fields():
        value = draft.values.get(party_id)
        if value is not None:
            field.data = _shown(value, draft.method)


def _shown(value: int, method: str) -> str:
    """A share as the form shows it: 3550 hundredths as '35,5'; kroner as typed."""
    if method == AMOUNT:
        return str(value)
    whole, part = divmod(value, 100)
    return str(whole) if not part else f"{whole},{part:02d}".rstrip("0")


def _draft_form(form, key: CostKey | None, returned: str | None):
    if form.validate_on_submit() and (values := form.values()) is not None:
        draft = cost_keys.KeyDraft(form.first_year.data, form.last_year.data, form.budget.data, form.method.data,
                                   form.remainder_to_id.data, values, form.note.data or "")

        def save():
            if key is None:
                return cost_keys.create(draft, current_user)
            cost_keys.revise(key, draft, current_user)
            return key

        saved = attempt_result(save, form)
        if saved is not None:
            flash(_("Utkastet er lagret. Kontroller andelene før du sender det til styringsgruppen."), "success")
            return redirect(url_for("cost_keys.key_page", key_id=saved.id))
    return render_template("cost_keys/form.html", form=form, key=key, percent=PERCENT, returned=returned)


@bp.route("/<int:key_id>")
@role_required(*VIEWERS)
def key_page(key_id: int):
    key = get_key(key_id)
    # The shares, what the key changes and its history are the same for every viewer: with every list on its first
    # page, rendered once per content version and stored (CPU time against /_bench/rows 2.09x -> 1.31x,
    # 01.12.2026); another page of a list is rendered each time, from the stored data below.
    shown = stored("cost_key_lists", key.id, lambda: _lists(key)) if not request.args else _lists(key)
    return render_template(
        "cost_keys/key.html", key=key, actions=workflow.actions(key, current_user), lists=Markup(shown["html"]),
        returned=shown["returned"], can_edit=cost_keys.edit_refusal(key, current_user) is None)


def _lists(key: CostKey) -> dict:
    """The key's shares, what it changes and its history (HTML, with the lists' pages the address asks for), and
    what the steering group asked to change."""
    figures = cost_keys.year_figures(key)
    shares = {year: _listed(f"andeler-{year}", figures[year].shares) for year in key.years}

    def read() -> dict:
        return {"shares": [[(party, share.basis_label, money(share.amount)) for share, party in cost_keys.shares(
                    key, year, (listed.page - 1) * PER_PAGE, PER_PAGE)] for year, listed in shares.items()],
                "history": history.rows(cost_keys.history(key)), "returned": cost_keys.last_return(key)}

    # The shares' pages asked for, the timeline and what the steering group asked to change: the same for every
    # viewer (4 statements, and a label and an amount a row): stored.
    shown = stored("cost_key_page", f"{key.id}:{','.join(str(listed.page) for listed in shares.values())}", read)
    for listed, rows in zip(shares.values(), shown["shares"]):
        listed.items = rows
    differences = None
    if not key.decided:
        current = cost_keys.in_force_by_year(key.years, besides=key)
        # The same for every viewer, and every share of two keys to compare (2 ms at 500 units): stored.
        compared = stored("cost_key_difference_columns", key.id, lambda: [
            _columns(cost_keys.differences(key, current[year], year)) for year in key.years])
        differences = [(year, current[year], _page(
            f"endring-{year}", len(columns[0]), lambda offset, columns=columns: [
                cost_keys.Difference(*row) for row in zip(*(column[offset:offset + PER_PAGE] for column in columns))]))
            for year, columns in zip(key.years, compared)]
    return {"returned": shown["returned"], "html": render_template(
        "cost_keys/_key_lists.html", key=key, history=shown["history"], shares=shares, differences=differences,
        totals={year: figures[year].total for year in key.years})}


def _columns(differences: list[cost_keys.Difference]) -> list[list]:
    """The differences as three columns, party, before and after: lists of plain values decode from the stored copy
    in a third of the time of rows."""
    return [[d.party for d in differences], [d.before for d in differences], [d.after for d in differences]]


def _listed(param: str, total: int) -> ListPage:
    """Which page of a list of `total` rows query-string parameter `param` asks for, its rows not yet read."""
    listed = ListPage([], 1, PER_PAGE, total)
    listed.page = min(max(request.args.get(param, 1, type=int), 1), listed.pages)
    return listed


def _page(param: str, total: int, read) -> ListPage:
    """The page of a list of `total` rows that query-string parameter `param` asks for: `read(offset)`."""
    listed = _listed(param, total)
    listed.items = read((listed.page - 1) * PER_PAGE)
    return listed


@bp.route("/<int:key_id>/handling/<trigger>", methods=["GET", "POST"])
@role_required(*VIEWERS)
def action(key_id: int, trigger: str):
    key = get_key(key_id)
    spec = spec_or_404(key, trigger)
    if page := own_page(key, spec, key_id=key.id):
        return page
    form = StepForm()
    form.comment.label.text = COMMENT_LABELS.get(trigger, _("Kommentar"))
    return step_confirmation(key, spec, form, url_for("cost_keys.key_page", key_id=key.id), title=key.title,
                             refused_with=_refused_status(key, spec))


@bp.route("/<int:key_id>/vedtak", methods=["GET", "POST"])
@role_required(*VIEWERS)
def decide(key_id: int):
    key = get_key(key_id)
    spec = COST_KEY.spec("decide")
    form = DecisionForm()
    # The steering group's meetings and their items are the same for every key and viewer (the meetings load their
    # invitees): read once per content version and stored.
    listed = stored("cost_key_decision_choices", "", lambda: {
        "meetings": [(m.id, m.title) for m in db.session.scalars(select(Meeting).where(
            Meeting.kind == STEERING_MEETING).order_by(Meeting.starts_at.desc()))],
        "items": meeting_items.choices(STEERING_MEETING)})
    form.meeting_id.choices = choices([(0, _("Møtet er ikke registrert her"))]) + names(listed["meetings"])
    form.meeting_item_id.choices = choices([(0, _("Saken er ikke registrert her"))]) + names(listed["items"])
    if request.method == "GET":
        form.decided_on.data = clock.today()
    reason = step_refusal(key, spec)
    if form.validate_on_submit() and reason is None:
        data = {"decided_on": form.decided_on.data.isoformat(), "meeting_id": form.meeting_id.data or None,
                "meeting_item_id": form.meeting_item_id.data or None, "agenda_item": form.agenda_item.data}
        if attempt(lambda: workflow.perform(key, "decide", current_user, comment=form.comment.data, data=data),
                   form, "comment"):
            flash(_("Vedtaket er registrert. %(key)s er nå vedtatt og kan ikke endres.", key=key.title), "success")
            return redirect(url_for("cost_keys.key_page", key_id=key.id))
    status = _refused_status(key, spec) if request.method == "POST" and reason else 200
    return render_template("cost_keys/decide.html", key=key, spec=spec, form=form, reason=reason), status


def _refused_status(key: CostKey, spec) -> int:
    """403 when the step is not the signed-in user's to take (their role, or they drafted the key); 409 when it is
    theirs but the key's state does not allow it now."""
    if "not_drafter" in spec.conditions and current_user.id == key.drafted_by_id:
        return 403
    return refused_status(key, spec)


def _decided(key_id: int) -> CostKey:
    key = get_key(key_id)
    if not key.decided:
        abort(404)
    return key


@bp.route("/<int:key_id>.csv")
@role_required(*VIEWERS)
def export_csv(key_id: int):
    key = _decided(key_id)
    return downloads.made("cost_key_csv", key.id, lambda: cost_keys.to_csv(key), "text/csv",
                          _("fordelingsnokkel-%(first)s-%(last)s.csv", first=key.first_year, last=key.last_year))


@bp.route("/<int:key_id>.xlsx")
@role_required(*VIEWERS)
def export_xlsx(key_id: int):
    key = _decided(key_id)
    return downloads.made("cost_key_xlsx", key.id, lambda: cost_keys.to_xlsx(key),
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          _("fordelingsnokkel-%(first)s-%(last)s.xlsx", first=key.first_year, last=key.last_year))
