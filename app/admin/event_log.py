"""The log page's events: newest first by date, narrowed by organisation, person and kind (the filters combine).

An event is about an organisation or a person through the object it names (app/history.py: SUBJECTS): a case, a
representative's term or a contribution belongs to an organisation; a person did it, or it is about them.
"""
from sqlalchemy import ColumnElement, Select, and_, or_, select

from app import search
from app.history import SUBJECTS
from app.models import STATEFUL, AuditEvent, Organisation, TransitionRequest, User
from app.sentences import TOPICS, kinds_in

# The object types events are written about (a signature is only named in an event's data).
OBJECT_SUBJECTS = {object_type: subject for object_type, subject in SUBJECTS.items() if object_type != "signature"}
OBJECT_TYPE_OF_WORKFLOW = {model.workflow.name: object_type for object_type, model in STATEFUL.items()}


def events(organisation: str = "", person: str = "", kind: str = "") -> Select:
    """The events matching what was typed and chosen; a filter left empty does not narrow."""
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.seq.desc())
    if wanted := search.fold(organisation):
        stmt = stmt.where(_about("organisation", select(Organisation.id).where(
            search.condition(wanted, Organisation))))
    if wanted := search.fold(person):
        people = select(User.id).where(search.condition(wanted, User))
        stmt = stmt.where(or_(AuditEvent.actor_id.in_(people), _about("person", people)))
    if kind:
        stmt = stmt.where(_of_kinds(kinds_in(kind) if kind in TOPICS else [kind]))
    return stmt


def _about(column: str, ids: Select) -> ColumnElement[bool]:
    """Events whose object has its organisation (or person) among `ids`."""
    return or_(*(and_(AuditEvent.object_type == object_type,
                      AuditEvent.object_id.in_(select(subject.model.id).where(getattr(subject, column).in_(ids))))
                 for object_type, subject in OBJECT_SUBJECTS.items() if getattr(subject, column) is not None))


def _of_kinds(keys: list[str]) -> ColumnElement[bool]:
    """Events of these kinds; an approval request's by the step it asks for."""
    plain = [key for key in keys if ":" not in key]
    asked = []
    for key in keys:
        if ":" in key:
            action, _, step = key.partition(":")
            workflow_name, _, trigger = step.partition(".")
            asked.append(and_(AuditEvent.action == action, AuditEvent.request_id.in_(
                select(TransitionRequest.id).where(
                    TransitionRequest.object_type == OBJECT_TYPE_OF_WORKFLOW[workflow_name],
                    TransitionRequest.trigger == trigger))))
    return or_(AuditEvent.action.in_(plain), *asked)
