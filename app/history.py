"""Audit events as sentences people read (app/sentences.py), with who asked and who approved a step that needs it.

The events name people and things by id. `lines` looks their names up when a page is shown, in three queries however
many events there are: the requests for approval, the things the events are about, and the names of the people
and organisations. An anonymised person is named as such.
"""
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import groupby

from flask import g
from flask_babel import get_locale, gettext
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import Integer, Select, String, bindparam, case, cast, extract, literal, null, select, union_all

from app import clock, formatting
from app.extensions import db
from app.models import (STATEFUL, AnnualReport, AuditEvent, Contribution, CostKey, Evaluation, InvitationRound,
                        JoinRequest, Meeting, MeetingItem, MembershipCase, Merger, Organisation, Representative,
                        Signature, Subgroup, TransitionRequest, User)
from app.models.case import HOST_PARTY
from app.models.mailbox_link import ACCEPTED, ADVISER_DECISION, STEERING_GROUP_DECISION
from app.models.meeting import KIND_LABELS as MEETING_KINDS
from app.models.request import APPROVED, CANCELLED, PENDING, REJECTED
from app.sentences import KINDS, REQUEST_ACTIONS, request_kind
from workflows import WORKFLOWS, WorkflowError
from workflows.i18n import N_
from workflows.roles import ROLE_LABELS

SYSTEM_NAME = N_("Systemet")
ANONYMISED = N_("en anonymisert person")
HOST_NAME = "Bergen kommune"  # a name, as the register writes it
# An event of a kind this version no longer writes (kept in the chain from an older one).
UNKNOWN_KIND = N_("{actor} registrerte en hendelse")
DECIDERS = {ADVISER_DECISION: N_("FoU-rådgiveren"), STEERING_GROUP_DECISION: N_("styringsgruppen")}
SESSION_ENDS = {"idle": N_("etter en tid uten bruk"), "lifetime": N_("fordi den hadde vart så lenge som tillatt")}


@dataclass(frozen=True)
class Subject:
    """What the events of one object type are about, as columns: its organisation, its person and its name."""

    model: type
    organisation: object = None
    person: object = None
    title: object = None
    number: object = None
    join: tuple = ()


SUBJECTS = {
    "membership_case": Subject(MembershipCase, MembershipCase.organisation_id, title=InvitationRound.title,
                               join=(InvitationRound, MembershipCase.round_id == InvitationRound.id)),
    "representative": Subject(Representative, Representative.organisation_id, Representative.user_id,
                              Representative.name),
    "contribution": Subject(Contribution, Contribution.organisation_id, number=Contribution.year),
    "join_request": Subject(JoinRequest, JoinRequest.organisation_id),
    "merger": Subject(Merger, Merger.successor_id),
    "user": Subject(User, User.organisation_id, User.id),
    "organisation": Subject(Organisation, Organisation.id),
    "invitation_round": Subject(InvitationRound, title=InvitationRound.title),
    "subgroup": Subject(Subgroup, title=Subgroup.name),
    # The kind's code and the year: the kind is named in the reader's language (`_meeting_title`).
    "meeting": Subject(Meeting, title=Meeting.kind + " " + cast(extract("year", Meeting.starts_at), String)),
    "meeting_item": Subject(MeetingItem, title=MeetingItem.series + " " + cast(MeetingItem.number, String) + "/"
                            + cast(MeetingItem.year, String)),
    "cost_key": Subject(CostKey, title=cast(CostKey.first_year, String) + "–" + cast(CostKey.last_year, String)),
    "evaluation": Subject(Evaluation, number=Evaluation.year),
    "annual_report": Subject(AnnualReport, number=AnnualReport.year),
    # Not an object of events: the signature an agreement.sign event names.
    "signature": Subject(Signature, person=Signature.user_id, title=Signature.name),
}


@dataclass(frozen=True)
class Found:
    """A subject's row from the lookup."""

    organisation: int | None = None
    person: int | None = None
    title: str | None = None
    number: int | None = None


NOTHING = Found()


@dataclass
class Lookups:
    requests: dict[int, TransitionRequest] = field(default_factory=dict)
    subjects: dict[tuple[str, int], Found] = field(default_factory=dict)
    moves: dict[int, list[tuple[date, int]]] = field(default_factory=dict)  # a case's mergers: (first day, before)
    data: dict[int, dict] = field(default_factory=dict)  # each event's facts, read once
    people: dict[int, str] = field(default_factory=dict)
    organisations: dict[int, str] = field(default_factory=dict)

    def person(self, person_id: int | None, default: str = N_("en person")) -> str:
        """A person's name; an anonymised person (named None by the query) or none as `default`, translated."""
        name = self.people.get(person_id) if person_id is not None else None
        return gettext(ANONYMISED) if person_id in self.people and name is None else name or gettext(default)

    def organisation(self, org_id: int | None) -> str:
        return self.organisations.get(org_id) or _("en organisasjon") if org_id is not None else _("en organisasjon")


@dataclass
class Line:
    """One event as the pages show it."""

    event: AuditEvent
    text: str  # "Marianne Solbakk bekreftet oppsigelsen fra Voss herad."
    approval: str | None  # who asked for the step, or what became of the request
    state: str | None  # the label of the state the step led to
    html: Markup  # the text with its names marked translate="no"

    @property
    def day(self) -> date:
        return clock.day_of(self.event.at)


def lines(events: Iterable[AuditEvent]) -> list[Line]:
    """The events as lines, in the order given, with every name looked up in three queries."""
    events = list(events)
    found = _look_up(events)
    return [_line(event, found) for event in events]


def rows(events: Iterable[AuditEvent]) -> list[dict]:
    """The events' lines as plain data, what a timeline shows (templates/_history.html): a page can store them per
    content version and language (app/views.py `stored`) when every viewer sees the same events."""
    return [{"html": str(line.html), "state": line.state and str(line.state), "to_state": line.event.to_state,
             "approval": line.approval and str(line.approval), "comment": line.event.comment,
             "at": line.event.at.isoformat(), "when": formatting.date_time(line.event.at)} for line in lines(events)]


def by_day(found: list[Line]) -> list[tuple[date, list[Line]]]:
    """The lines grouped by their day (Oslo time), in the order given."""
    return [(day, list(group)) for day, group in groupby(found, key=lambda line: line.day)]


def _kind_of(event: AuditEvent, found: Lookups) -> str:
    """The event's key in app/sentences.py."""
    if event.action not in REQUEST_ACTIONS:
        return event.action
    request = found.requests.get(event.request_id)
    trigger = request.trigger if request else found.data[event.id].get("trigger", "")
    return request_kind(event.action, _workflow_of(event), trigger)


def _line(event: AuditEvent, found: Lookups) -> Line:
    data = found.data[event.id]
    kind = KINDS.get(_kind_of(event, found))
    facts = _Facts(event, data, found)
    sentence = UNKNOWN_KIND
    if kind:
        sentence = kind.variants.get(_variant(event, data, facts), kind.sentence)
    translated = gettext(sentence)
    text = translated.format_map(facts)
    html = Markup(translated.format_map(_Names(facts)))
    first = html.find(">") + 1 if html.startswith("<") else 0  # the first letter, after a name's opening tag
    return Line(event, f"{text[:1].upper()}{text[1:]}.", _approval(event, found),
                state_label(_workflow_of(event), event.to_state) or None,
                Markup(f"{html[:first]}{html[first:first + 1].upper()}{html[first + 1:]}."))


_NAMES = ("actor", "organisation", "person", "subject", "signer", "predecessor", "successor", "predecessors")


class _Names(dict):
    """A sentence's facts for a page, escaped: the names in a span a translation leaves alone. (For str.format_map:
    Markup's own runs string.Formatter in Python, a quarter of a timeline's time.)"""

    def __init__(self, facts: "_Facts"):
        super().__init__()
        self.facts = facts

    def __missing__(self, name: str) -> str:
        value = escape(self.facts[name])
        return f'<span translate="no">{value}</span>' if name in _NAMES else value


def _variant(event: AuditEvent, data: dict, facts: "_Facts") -> str | None:
    if data.get("method") == "upload":
        return "scanned"
    if event.actor_id is not None and event.actor_id == facts.person_id:
        return "own"
    return None


def _approval(event: AuditEvent, found: Lookups) -> str | None:
    """Who asked for an approved or rejected step; what became of a request."""
    request = found.requests.get(event.request_id) if event.request_id else None
    if request is None or event.action == "request.cancel":
        return None
    if event.action == "request.create":  # what became of it (only that outcome translated)
        decider, day = found.person(request.decided_by_id), formatting.short_date(request.decided_at)
        return {PENDING: lambda: _("Venter på godkjenning fra FoU-rådgiveren."),
                APPROVED: lambda: _("Godkjent av %(decider)s %(day)s.", decider=decider, day=day),
                REJECTED: lambda: _("Avvist av %(decider)s %(day)s.", decider=decider, day=day),
                CANCELLED: lambda: _("Trukket %(day)s.", day=day)}[request.status]()
    return _("%(person)s ba om dette %(day)s.", person=found.person(request.requested_by_id),
             day=formatting.short_date(request.requested_at))


class _Facts(dict):
    """The values of a sentence's placeholders, each worked out when the sentence asks for it."""

    def __init__(self, event: AuditEvent, data: dict, found: Lookups):
        super().__init__()
        self.event, self.data, self.found = event, data, found
        self.subject = found.subjects.get((event.object_type, event.object_id), NOTHING)
        self.person_id = _person_id(event, data, self.subject)

    def __missing__(self, name: str) -> str:
        value = PLACEHOLDERS[name](self)
        self[name] = value
        return value

    def organisation_named(self, key: str) -> str:
        return self.found.organisation(self.data.get(key))

    def day(self, key: str) -> str:
        return formatting.short_date(date.fromisoformat(self.data[key])) if self.data.get(key) else "–"


def _organisation(facts: _Facts) -> str:
    """The organisation the event is about; a case's before a merger moved it is its predecessor's then."""
    if facts.event.object_type == "membership_case":
        day = clock.day_of(facts.event.at)
        before = next((org for first_day, org in facts.found.moves.get(facts.event.object_id, []) if day < first_day),
                      None)
        if before is not None:
            return facts.found.organisation(before)
    org_id = facts.subject.organisation or next(
        (facts.data[key] for key in ("organisation", "organisation_id") if facts.data.get(key)), None)
    return facts.found.organisation(org_id)


def _person(facts: _Facts) -> str:
    if facts.person_id is None and facts.subject.title and facts.event.object_type == "representative":
        return facts.subject.title  # a representative without an account, by the name the term keeps
    return facts.found.person(facts.person_id)


def _signer(facts: _Facts) -> str:
    """Who signed, by the name the signature keeps (an archive record, kept when the person is anonymised)."""
    return facts.found.subjects.get(("signature", facts.data.get("signature")), NOTHING).title or facts["actor"]


def _signed_for(facts: _Facts) -> str:
    if facts.data.get("party") == HOST_PARTY:
        return _("med %(organisation)s for %(host)s", organisation=facts["organisation"], host=HOST_NAME)
    return _("for %(organisation)s", organisation=facts["organisation"])


def _year(facts: _Facts) -> str:
    return str(facts.data.get("year") or facts.subject.number or "–")


def _subject(facts: _Facts) -> str:
    return facts.subject.title or facts.data.get("title") or "–"


PLACEHOLDERS: dict[str, Callable[[_Facts], str]] = {
    "actor": lambda facts: facts.found.person(facts.event.actor_id, SYSTEM_NAME),
    "organisation": _organisation,
    "person": _person,
    "subject": _subject,
    "year": _year,
    "to": lambda facts: facts.day("to"),
    "first_day": lambda facts: facts.day("first_day"),
    "joined_on": lambda facts: facts.day("joined_on"),
    "left_on": lambda facts: facts.day("left_on"),
    "predecessor": lambda facts: facts.organisation_named("predecessor"),
    "successor": lambda facts: facts.organisation_named("successor"),
    "predecessors": lambda facts: _and(facts.found.organisation(org) for org in facts.data.get("predecessors", [])),
    "signer": _signer,
    "signed_for": _signed_for,
    "roles": lambda facts: _and(_in_sentence(gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role)
                                for role in facts.data.get("roles", [])),
    "decider": lambda facts: gettext(DECIDERS.get(facts.data.get("by"), DECIDERS[ADVISER_DECISION])),
    "decision": lambda facts: _("godtok") if facts.data.get("decision") == ACCEPTED else _("avslo"),
    "reason": lambda facts: gettext(SESSION_ENDS[facts.data["reason"]]) if facts.data.get("reason") in SESSION_ENDS
    else "",
    "count": lambda facts: str(facts.data.get("messages", 0)),
}


def _in_sentence(label: str) -> str:
    """A label as a word inside a sentence: "Administrator" → "administrator", "FoU-rådgiver" as it is."""
    return label[:1].lower() + label[1:] if label[1:] == label[1:].lower() else label


def _and(names: Iterable[str]) -> str:
    """"A, B og C"."""
    names = list(names)
    return f" {_('og')} ".join(filter(None, [", ".join(names[:-1]), *names[-1:]])) or "–"


def _person_id(event: AuditEvent, data: dict, subject: Found) -> int | None:
    if event.object_type == "user":
        return event.object_id
    return data.get("user") or data.get("user_id") or subject.person


def _data(event: AuditEvent) -> dict:
    return json.loads(event.data) if event.data else {}


def _workflow_of(event: AuditEvent) -> str:
    model = STATEFUL.get(event.object_type)
    return model.workflow.name if model else ""


def state_label(workflow_name: str, state: str | None) -> str:
    """A state's label in the request's language, translated once a request and language: a list shows the same few
    states on every row, and each Flask-Babel gettext costs ~20 µs (with the plainer tag in app/tags.py, ~6 % of
    /avtaler/ and /invitasjoner/<id> at 500 units: 5.8–6.2 → 5.5–5.7 ms and 7.8–9.1 → 7.5–7.9 ms in-process)."""
    if not state:
        return ""
    labels = g.setdefault("state_labels", {})
    key = (str(get_locale()), workflow_name, state)
    if key not in labels:
        try:
            labels[key] = WORKFLOWS[workflow_name].label(state)
        except (KeyError, WorkflowError):
            labels[key] = state
    return labels[key]


# --- the lookups --------------------------------------------------------------------------------------------------

def _look_up(events: list[AuditEvent]) -> Lookups:
    """The three queries, each made even when it finds nothing, so that a page always sends as many."""
    found = Lookups()
    if not events:
        return found
    found.data = {event.id: _data(event) for event in events}
    found.requests = {r.id: r for r in db.session.scalars(
        _requests_query(), {"ids": [e.request_id for e in events if e.request_id]})}
    wanted: dict[str, set[int]] = {"organisation": set()}
    for event in events:
        if event.object_type in SUBJECTS and event.object_id is not None:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
        if event.action == "agreement.sign" and "signature" in found.data[event.id]:
            wanted.setdefault("signature", set()).add(found.data[event.id]["signature"])
    found.subjects, found.moves = _subjects(wanted)
    people, organisations = set(), set()
    for event in events:
        data = found.data[event.id]
        subject = found.subjects.get((event.object_type, event.object_id), NOTHING)
        people |= {event.actor_id, _person_id(event, data, subject)}
        organisations |= {subject.organisation, data.get("organisation"), data.get("organisation_id"),
                          data.get("predecessor"), data.get("successor"), *data.get("predecessors", [])}
    organisations |= {org for moves in found.moves.values() for _, org in moves}
    for request in found.requests.values():
        people |= {request.requested_by_id, request.decided_by_id}
    people |= {found.subjects[key].person for key in found.subjects if key[0] == "signature"}
    names = {"user": {}, "organisation": {}}
    for row in db.session.execute(_names_query(), {"people": [p for p in people if isinstance(p, int)],
                                                   "organisations": [o for o in organisations if isinstance(o, int)]}):
        names[row.kind][row.id] = row.name
    found.people, found.organisations = names["user"], names["organisation"]
    return found


def _subjects(wanted: dict[str, set[int]]) -> tuple[dict[tuple[str, int], Found], dict[int, list[tuple[date, int]]]]:
    """One query: each wanted object's organisation, person, name and number; and for a case a merger moved to the
    successor, from which day and whose it was before."""
    subjects, moves = {}, {}
    for row in db.session.execute(_subjects_query(tuple(sorted(wanted))),
                                  {object_type: list(ids) for object_type, ids in wanted.items()}):
        if row.type == "moved":
            moves.setdefault(row.id, []).append((date.fromisoformat(row.title), row.organisation))
        else:
            title = _meeting_title(row.title) if row.type == "meeting" else row.title
            subjects[(row.type, row.id)] = Found(row.organisation, row.person, title, row.number)
    return subjects, {case_id: sorted(found) for case_id, found in moves.items()}


def _meeting_title(kind_and_year: str) -> str:
    kind, _, year = kind_and_year.partition(" ")
    return f"{MEETING_KINDS.get(kind, kind)} {year}"


# The queries are built once (per set of object types) and take their ids as parameters: building them for each page
# took a quarter of the log page's time.

@cache
def _requests_query() -> Select:
    return select(TransitionRequest).where(TransitionRequest.id.in_(bindparam("ids", expanding=True)))


@cache
def _subjects_query(object_types: tuple[str, ...]):
    selects = []
    if "membership_case" in object_types:
        selects.append(select(literal("moved").label("type"), Merger.continued_case_id.label("id"),
                              Merger.continued_from_id.label("organisation"), cast(null(), Integer).label("person"),
                              cast(Merger.first_day, String).label("title"), cast(null(), Integer).label("number"))
                       .where(Merger.continued_case_id.in_(bindparam("membership_case", expanding=True)),
                              Merger.applied_at.is_not(None), Merger.continued_from_id.is_not(None)))
    for object_type in object_types:
        subject = SUBJECTS[object_type]
        stmt = select(literal(object_type).label("type"), subject.model.id.label("id"),
                      _column(subject.organisation, Integer).label("organisation"),
                      _column(subject.person, Integer).label("person"),
                      _column(subject.title, String).label("title"),
                      _column(subject.number, Integer).label("number"))
        if subject.join:
            stmt = stmt.join(*subject.join)
        selects.append(stmt.where(subject.model.id.in_(bindparam(object_type, expanding=True))))
    return union_all(*selects) if len(selects) > 1 else selects[0]


def _column(column, type_):
    return cast(null(), type_) if column is None else column


@cache
def _names_query():
    """The names of the people (an anonymised one as such) and of the organisations."""
    who = select(literal("user").label("kind"), User.id, case((User.anonymised_at.is_not(None), null()),
                                                              else_=User.name).label("name")) \
        .where(User.id.in_(bindparam("people", expanding=True)))
    which = select(literal("organisation").label("kind"), Organisation.id,
                   case((Organisation.official_name.is_not(None), Organisation.official_name),
                        else_=Organisation.name).label("name")) \
        .where(Organisation.id.in_(bindparam("organisations", expanding=True)))
    return union_all(who, which)


def register(app) -> None:
    app.jinja_env.filters.update(as_lines=lines, as_rows=rows)
    app.jinja_env.globals.update(state_label=state_label)
