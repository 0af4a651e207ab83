"""The annual evaluation (agreement §8): the adviser's questions per year, one answer per member municipality."""
from collections import defaultdict
from itertools import islice

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.extensions import db
from app.models import Evaluation, EvaluationAnswer, EvaluationQuestion, EvaluationResponse, Organisation, User
from workflows.roles import MUNICIPALITY_CONTACT
from app.services import Conflict, ServiceError, audit, members

MAX_QUESTIONS = 10


def for_year(year: int) -> Evaluation | None:
    return db.session.scalar(select(Evaluation).where(Evaluation.year == year))


def all_years() -> list[Evaluation]:
    return list(db.session.scalars(select(Evaluation).order_by(Evaluation.year.desc())))


def create(year: int, questions: list[str], actor: User) -> Evaluation:
    """The adviser sets the year's questions; the form opens for the member municipalities. The caller commits."""
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise ServiceError(_("Skriv minst ett spørsmål."), field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise ServiceError(_("Skjemaet skal være kort: høyst %(num)d spørsmål.", num=MAX_QUESTIONS),
                           field="questions")
    if year > clock.today().year:
        raise ServiceError(_("Året kan ikke være fram i tid."), field="year")
    if for_year(year):
        raise ServiceError(_("Det finnes allerede en vurdering for %(year)s.", year=year), field="year")
    evaluation = Evaluation(year=year, created_at=clock.now(), created_by_id=actor.id,
                            questions=[EvaluationQuestion(position=n, text=q) for n, q in enumerate(questions, 1)])
    db.session.add(evaluation)
    db.session.flush()
    audit.record(actor, "evaluation.create", evaluation.audit_type, evaluation.id,
                 data={"year": year, "questions": questions})
    return evaluation


def close(evaluation: Evaluation, actor: User) -> None:
    """No more answers or changes for this year."""
    if not evaluation.is_open:
        raise Conflict(_("Vurderingen er allerede avsluttet."))
    evaluation.closed_at = clock.now()
    audit.record(actor, "evaluation.close", evaluation.audit_type, evaluation.id, data={"year": evaluation.year})


def response_of(evaluation: Evaluation, organisation: Organisation) -> EvaluationResponse | None:
    return responses_of([evaluation], organisation)[evaluation.id]


def responses_of(found: list[Evaluation], organisation: Organisation) -> dict[int, EvaluationResponse | None]:
    """The municipality's response to each of the evaluations (None: not answered), by evaluation id, in one query."""
    responses = {e.id: None for e in found}
    responses.update((response.evaluation_id, response) for response in db.session.scalars(
        select(EvaluationResponse).where(EvaluationResponse.evaluation_id.in_(list(responses)),
                                         EvaluationResponse.organisation_id == organisation.id)))
    return responses


def expected(evaluation: Evaluation) -> set[int]:
    """The ids of the municipalities asked to answer: members for at least part of the year."""
    return members.answering_ids([evaluation.year])[evaluation.year]


def is_asked(evaluation: Evaluation, organisation: Organisation) -> bool:
    """Whether the municipality is one of those `expected` to answer (read from its own memberships alone)."""
    return bool(members.answering([evaluation.year], organisation)[evaluation.year])


def _responders(found: list[Evaluation]) -> dict[int, list[int]]:
    """Per evaluation id, the ids of the municipalities that answered, in the order they first did."""
    result = defaultdict(list)
    for evaluation_id, organisation_id in db.session.execute(
            select(EvaluationResponse.evaluation_id, EvaluationResponse.organisation_id)
            .where(EvaluationResponse.evaluation_id.in_([e.id for e in found])).order_by(EvaluationResponse.id)):
        result[evaluation_id].append(organisation_id)
    return result


def listed(evaluation: Evaluation) -> tuple[list[int], int]:
    """The ids of the municipalities `status` lists, in its order (those asked by name, then others that answered),
    and how many of them answered, without loading the answers."""
    responded = _responders([evaluation])[evaluation.id]
    asked = expected(evaluation)
    by_name = db.session.scalars(select(Organisation.id).where(Organisation.id.in_(asked))
                                 .order_by(Organisation.name, Organisation.id))
    return list(by_name) + [org_id for org_id in responded if org_id not in asked], len(responded)


def status(evaluation: Evaluation, organisation_ids: list[int] | None = None
           ) -> list[tuple[Organisation, EvaluationResponse | None]]:
    """Each municipality asked, with its answer or None; answers from others are listed too. With
    `organisation_ids` (some of those `listed`), just those."""
    if organisation_ids is None:
        organisation_ids = listed(evaluation)[0]
    found = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(organisation_ids)))}
    responses = {r.organisation_id: r for r in db.session.scalars(
        select(EvaluationResponse).where(EvaluationResponse.evaluation_id == evaluation.id,
                                         EvaluationResponse.organisation_id.in_(organisation_ids))
        # The submitter's name alone: not their roles and organisation.
        .options(joinedload(EvaluationResponse.submitted_by).lazyload("*"), selectinload(EvaluationResponse.answers)))}
    return [(found[org_id], responses.get(org_id)) for org_id in organisation_ids]


def tallies(found: list[Evaluation]) -> dict[int, tuple[int, int]]:
    """Per evaluation id: how many answered, and how many municipalities its `status` lists."""
    asked, responded = members.answering_ids([e.year for e in found]), _responders(found)
    return {e.id: (len(responded[e.id]), len(asked[e.year] | set(responded[e.id]))) for e in found}


def answer(evaluation: Evaluation, organisation: Organisation, actor: User, texts: dict[int, str]
           ) -> EvaluationResponse:
    """Save (or change) the municipality's answers while the year is open. The caller commits."""
    if not (MUNICIPALITY_CONTACT in actor.roles and actor.organisation_id == organisation.id):
        raise ServiceError(_("Bare kommunens kontaktperson kan svare for kommunen."))
    if not evaluation.is_open:
        raise ServiceError(_("Vurderingen for %(year)s er avsluttet og kan ikke endres.", year=evaluation.year))
    if not is_asked(evaluation, organisation):
        raise ServiceError(_("%(name)s var ikke medlemskommune i %(year)s.", name=organisation.name,
                             year=evaluation.year))
    missing = [q for q in evaluation.questions if not (texts.get(q.id) or "").strip()]
    if missing:
        raise ServiceError(_("Svar på alle spørsmålene."), field=f"q{missing[0].id}")
    response = response_of(evaluation, organisation)
    first = response is None
    if first:
        response = EvaluationResponse(evaluation_id=evaluation.id, organisation_id=organisation.id,
                                      submitted_by_id=actor.id, submitted_at=clock.now())
        db.session.add(response)
    response.updated_at = clock.now()
    by_question = {a.question_id: a for a in response.answers}
    for question in evaluation.questions:
        text = texts[question.id].strip()
        if question.id in by_question:
            by_question[question.id].text = text
        else:
            response.answers.append(EvaluationAnswer(question_id=question.id, text=text))
    db.session.flush()
    audit.record(actor, "evaluation.answer" if first else "evaluation.update_answer", evaluation.audit_type,
                 evaluation.id, data={"organisation": organisation.id, "year": evaluation.year})
    return response


def open_for(organisation: Organisation, days: list | None = None) -> list[Evaluation]:
    """Open evaluations the municipality is asked to answer, newest first (`days`: its `members.membership_days`
    where already read)."""
    found = [e for e in all_years() if e.is_open]
    asked = members.answering([e.year for e in found], organisation, days)
    return [e for e in found if asked[e.year]]


def to_answer(organisation: Organisation) -> list[Evaluation]:
    """Open evaluations the municipality is asked to answer and has not answered yet, newest first."""
    found = open_for(organisation)
    responded = _responders(found)
    return [e for e in found if organisation.id not in responded[e.id]]


def unanswered(found: list[Evaluation], limit: int) -> tuple[int, list[tuple[Evaluation, Organisation]]]:
    """How many (evaluation, municipality asked (see `expected`) that has not answered) pairs there are, and the
    first `limit` of them: the evaluations in the order of `found`, each one's municipalities by name. Only those
    are loaded."""
    asked, responded = members.answering_ids([e.year for e in found]), _responders(found)
    missing = {e.id: asked[e.year] - set(responded[e.id]) for e in found}
    by_name = db.session.scalars(select(Organisation.id).where(Organisation.id.in_(set().union(*missing.values())))
                                 .order_by(Organisation.name, Organisation.id)).all()
    first = list(islice(((e, org_id) for e in found for org_id in by_name if org_id in missing[e.id]), limit))
    loaded = {org.id: org for org in db.session.scalars(select(Organisation).where(
        Organisation.id.in_({org_id for _, org_id in first})))}
    return sum(map(len, missing.values())), [(e, loaded[org_id]) for e, org_id in first]
