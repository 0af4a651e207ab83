"""The annual evaluation: the adviser sets the questions and follows up; each municipality answers once a year."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from app import clock
from app.forms import ConfirmForm
from app.evaluations.forms import NewEvaluationForm, answer_form
from app.security import role_required
from app.services import evaluations
from app.services.overview import paginate
from app.views import attempt, attempt_result, confirmation, stored
from workflows.roles import ADVISER, MUNICIPALITY_CONTACT

bp = Blueprint("evaluations", __name__, url_prefix="/medlemskap/vurdering")

PER_PAGE = 20
QUESTIONS_EXAMPLE = _l("Hvordan har kommunen hatt nytte av samarbeidet i år?\n"
                       "Hva bør prosjektgruppen prioritere neste år?\n"
                       "Har kommunen deltatt i koordineringsmøtet og fagkonferansen? Hvorfor/hvorfor ikke?")


def get_evaluation(year: int):
    evaluation = evaluations.for_year(year)
    if evaluation is None:
        abort(404)
    return evaluation


# Who is asked to answer (`members.answering_ids`) is the same for every adviser; at 500 municipalities reading it
# made these pages 5-8 times the 50-row reference (make bench), so it is stored per content version.
def _listed(evaluation):
    return stored("evaluation_listed", evaluation.year, lambda: evaluations.listed(evaluation))


@bp.route("", methods=["GET", "POST"])
@role_required(ADVISER)
def evaluation_list():
    form = NewEvaluationForm()
    if request.method == "GET":
        form.year.data = clock.today().year
        form.questions.data = str(QUESTIONS_EXAMPLE)
    if form.validate_on_submit():
        evaluation = attempt_result(
            lambda: evaluations.create(form.year.data, form.questions.data.splitlines(), current_user), form, "year")
        if evaluation:
            flash(_("Vurderingen for %(year)s er opprettet, og medlemskommunene kan svare.", year=evaluation.year),
                  "success")
            return redirect(url_for("evaluations.evaluation", year=evaluation.year))
    found = evaluations.all_years()
    tallies = dict(stored("evaluation_tallies", "", lambda: list(evaluations.tallies(found).items())))
    rows = [(e, *tallies[e.id]) for e in found]
    return render_template("evaluations/evaluations.html", rows=rows, form=form)


@bp.route("/<int:year>")
@role_required(ADVISER)
def evaluation(year: int):
    found = get_evaluation(year)
    organisation_ids, answered = _listed(found)
    page = paginate(organisation_ids, request.args.get("page", 1, type=int), PER_PAGE)
    rows = stored("evaluation_status", f"{year}:{page.page}", lambda: _status_rows(found, page.items))
    for row in rows:
        row["on"] = row["on"] and date.fromisoformat(row["on"])
    return render_template("evaluations/evaluation.html", evaluation=found, page=page, answered=answered,
                           rows=rows)


def _status_rows(evaluation, organisation_ids: list[int]) -> list[dict]:
    """The page's municipalities with who answered, when, and the answers in the order of the questions, as JSON:
    the same for every adviser (each answer read as an object was a third of the page)."""
    return [{"id": org.id, "name": org.name, "answered": response is not None,
             "by": response.submitted_by.name if response else None,
             "on": clock.day_of(response.updated_at).isoformat() if response else None,
             "answers": [response.answer_to(q) for q in evaluation.questions] if response else []}
            for org, response in evaluations.status(evaluation, organisation_ids)]


@bp.route("/<int:year>/avslutt", methods=["GET", "POST"])
@role_required(ADVISER)
def evaluation_close(year: int):
    found = get_evaluation(year)
    organisations, answered = _listed(found)

    def close() -> str:
        evaluations.close(found, current_user)
        return _("Vurderingen for %(year)s er avsluttet. Svarene kan ikke lenger endres.", year=year)

    return confirmation("evaluations/close.html", ConfirmForm(), close, url_for("evaluations.evaluation", year=year),
                        refusal=None if found.is_open else _("Vurderingen er allerede avsluttet."),
                        evaluation=found, asked=len(organisations), answered=answered)


@bp.route("/<int:year>/svar", methods=["GET", "POST"])
def evaluation_answer(year: int):
    """The signed-in person's own municipality answers (the contact person) or reads its answer (others)."""
    found = get_evaluation(year)
    org = current_user.organisation
    response = evaluations.response_of(found, org) if org else None
    # Who is asked, as stored: one that has not answered is listed only if asked (reading its memberships was a
    # third of the page).
    if org is None or (response is None and org.id not in _listed(found)[0]):
        abort(404)
    may_answer = found.is_open and current_user.has_role(MUNICIPALITY_CONTACT)
    if request.method == "POST" and not may_answer:
        abort(403)
    form = answer_form(found, response)
    if form.validate_on_submit():
        texts = {q.id: getattr(form, f"q{q.id}").data for q in found.questions}
        if attempt(lambda: evaluations.answer(found, org, current_user, texts), form):
            flash(_("Svaret på vurderingen for %(year)s er lagret. Du kan endre det til vurderingen avsluttes.",
                    year=year),
                  "success")
            return redirect(url_for("members.organisation", org_id=org.id))
    return render_template("evaluations/evaluation_answer.html", evaluation=found, org=org, response=response,
                           form=form, may_answer=may_answer)
