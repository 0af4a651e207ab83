"""Invitation rounds: the letter, the invitations and reminders by e-mail, deadlines, and the replies."""
import json
from collections import Counter
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache, partial

from babel.numbers import format_currency
from flask import current_app
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, lazyload

from app import clock
from app.extensions import db
from app.models import InvitationReply, InvitationRound, MembershipCase, Organisation, OutboxMessage, User
from app.models.invitation import ANSWER_LABELS, NO, YES
from app.models.case import DEFAULT_CONTRIBUTION
from app.models.request import TransitionRequest
from workflows.roles import MUNICIPALITY_CONTACT
from app.services import ServiceError, archive, audit, mail, cases, workflow
from workflows import MEMBERSHIP
from workflows.membership import ACCEPTED, DECLINED, INVITED, NO_REPLY, WITHDRAWN

ROUND_TYPE = "invitation_round"
# Where a contact person reads and answers an invitation (the personal link in every e-mail).
INVITATION_ENDPOINT = "municipality.invitation"

LETTER = """Bergen kommune, Byrådsavdeling for helse og omsorg, inviterer kommunen til å delta i samarbeidet \
Kunnskapskommunen – Helse Omsorg Vest. Samarbeidet er fra 2014 et formalisert samarbeid mellom Bergen kommune, \
Universitetet i Bergen, Høgskulen på Vestlandet, NORCE, Helse Bergen, Folkehelseinstituttet og Haraldsplass \
Diakonale Sykehus.

Det overordnede målet med samarbeidet er å styrke den kunnskapsbaserte utviklingen av tjenestene i \
primærhelse- og omsorgstjenestene. Dette kan gjøres gjennom forskningsprosjekter, master- og videreutdanning og \
praksisutplasseringer eller utvikling av innovative produkter og løsninger.

Samarbeidet ledes av en styringsgruppe med ledelsen fra de ulike aktørene. En prosjektgruppe med representanter \
fra partene møtes fire ganger i året for å diskutere aktuelle problemstillinger.

Dere vil inngå i samarbeidet på lik linje med de andre partene, og kunne dra veksler på forskning, innovasjon og \
kunnskapsutvikling inn i egen kommune. For hver kommune er det foreslått et årlig beløp på {amount} i perioden \
{period}.

Vi ber om tilbakemelding på om dere ønsker å være en part i Kunnskapskommunen innen {deadline}. Svar på \
intranettet under «Min kommune».{meeting}

Vi håper på positiv respons for å videreutvikle et langsiktig og spennende samarbeid om forskning, innovasjon og \
utdanning i primærhelse- og omsorgstjenestene!

Med vennlig hilsen
Bergen kommune, Byrådsavdeling for helse og omsorg"""


def nb_money(amount: int) -> str:
    """kr 40 000, in bokmål whatever language the adviser's screen is in."""
    return format_currency(amount, "NOK", format="¤ #,##0", currency_digits=False, locale="nb")


def letter(contribution: int, first_year: int, last_year: int, deadline: date, meeting: str | None) -> str:
    """The invitation letter of 2016 with this round's amount, period, deadline and meeting filled in."""
    meeting = (meeting or "").strip().rstrip(".")
    if meeting:
        meeting = f" For kommunene som ønsker å være med, blir det {meeting[:1].lower()}{meeting[1:]}."
    return LETTER.format(amount=nb_money(contribution), period=f"{first_year}–{last_year}",
                         deadline=deadline.strftime("%d.%m.%Y"), meeting=meeting)


def round_defaults(today: date) -> dict:
    """What a new round's form starts with: six weeks to answer, three years of contributions from next year."""
    first = today.year + 1
    terms = dict(title=f"Invitasjon {today.year}", reply_deadline=today + timedelta(weeks=6),
                 contribution=DEFAULT_CONTRIBUTION, contribution_from=first, contribution_to=first + 2,
                 agreement_end=date(first + 2, 12, 31), meeting=f"Felles samarbeidsmøte i januar {first}")
    terms["letter_text"] = letter(terms["contribution"], first, first + 2, terms["reply_deadline"], terms["meeting"])
    return terms


# --- who gets the mail ------------------------------------------------------------------------------------------

def contacts(organisation_id: int) -> list[User]:
    """The active contact persons of an organisation."""
    return contacts_by_organisation([organisation_id])[organisation_id]


def contacts_by_organisation(organisation_ids: list[int]) -> dict[int, list[User]]:
    """The active contact persons of each of these organisations, in one query (their roles are not loaded: a round
    has hundreds, and those take a query per 500)."""
    found = {id_: [] for id_ in organisation_ids}
    for user in db.session.scalars(select(User).where(
            User.organisation_id.in_(organisation_ids), User.active.is_(True),
            User.role_rows.any(role=MUNICIPALITY_CONTACT)).options(lazyload(User.role_rows)).order_by(User.name)):
        found[user.organisation_id].append(user)
    return found


def invitation_path(case: MembershipCase) -> str:
    """The contact person's page for this invitation (built without a request: the tick sends mail too)."""
    return current_app.url_map.bind("").build(INVITATION_ENDPOINT, {"case_id": case.id})


def _mail_case(case: MembershipCase, user: User, subject: str, template: str, dedupe_key: str, **context) -> bool:
    message = mail.queue(user.email, subject, template, dedupe_key=dedupe_key, case=case, round=case.round,
                         user=user, path=invitation_path(case), **context)
    return message is not None


def send_invitation(case: MembershipCase, recipients: list[User] | None = None) -> int:
    """Queue the invitation letter to the case's contact persons; never twice to the same person."""
    people = contacts(case.organisation_id) if recipients is None else recipients
    subject = f"Invitasjon til Kunnskapskommunen – svarfrist {case.reply_deadline:%d.%m.%Y}"
    return sum(_mail_case(case, user, subject, "round_invitation", f"invitation:{case.id}:{user.id}")
               for user in people)


def invite_new_contact(user: User, actor: User | None) -> None:
    """A municipality got a (new) contact person: they receive its open invitations now."""
    today = clock.today()
    for case in db.session.scalars(select(MembershipCase).where(
            MembershipCase.organisation_id == user.organisation.id, MembershipCase.state == INVITED)):
        if case.guard_context(today).reply_open():
            send_invitation(case, [user])


# --- rounds -------------------------------------------------------------------------------------------------------

def check_round(*, reply_deadline: date | None, contribution_from: int | None, contribution_to: int | None,
                agreement_end: date | None, organisations: list[Organisation]) -> dict[str, str]:
    """What is wrong with a round's terms and selection, by form field (empty when it can be sent)."""
    problems = {}
    if reply_deadline and reply_deadline < clock.today():
        problems["reply_deadline"] = "Svarfristen kan ikke være tilbake i tid."
    if contribution_from and contribution_to and contribution_to < contribution_from:
        problems["contribution_to"] = "Siste år kan ikke være før første år."
    if agreement_end and reply_deadline and agreement_end <= reply_deadline:
        problems["agreement_end"] = "Avtalen må gjelde til en dato etter svarfristen."
    problem = _selection_problem(organisations)
    if problem:
        problems["organisations"] = problem
    return problems


def _selection_problem(organisations: list[Organisation], round_: InvitationRound | None = None) -> str | None:
    if not organisations:
        return "Velg minst én kommune."
    counts = Counter(o.id for o in organisations)
    twice = sorted({o.name for o in organisations if counts[o.id] > 1})
    if twice:
        return f"Valgt mer enn én gang: {', '.join(twice)}. Hver kommune kan bare inviteres én gang i en runde."
    wrong = sorted(o.name for o in organisations if not o.is_municipality or o.is_host)
    if wrong:
        return f"Kan ikke inviteres: {', '.join(wrong)}."
    if round_ is not None:
        invited = {case.organisation_id for case in round_.cases}
        already = sorted(o.name for o in organisations if o.id in invited)
        if already:
            return f"Allerede invitert i denne runden: {', '.join(already)}."
    return None


def create_round(actor: User, organisations: list[Organisation], *, title: str, letter_text: str,
                 reply_deadline: date, contribution: int, contribution_from: int, contribution_to: int,
                 agreement_end: date, meeting: str | None) -> InvitationRound:
    """Create a round and invite the municipalities: one case each, one e-mail per contact person."""
    problems = check_round(reply_deadline=reply_deadline, contribution_from=contribution_from,
                           contribution_to=contribution_to, agreement_end=agreement_end, organisations=organisations)
    if problems:
        field, message = next(iter(problems.items()))
        raise ServiceError(message, field=field)
    round_ = InvitationRound(title=title.strip(), letter_text=letter_text.strip(), reply_deadline=reply_deadline,
                             contribution=contribution, contribution_from=contribution_from,
                             contribution_to=contribution_to, agreement_end=agreement_end,
                             meeting=(meeting or "").strip() or None, created_at=clock.now(), created_by_id=actor.id)
    db.session.add(round_)
    db.session.flush()
    audit.record(actor, "round.create", ROUND_TYPE, round_.id,
                 data={"title": round_.title, "reply_deadline": reply_deadline.isoformat(),
                       "municipalities": sorted(o.name for o in organisations)})
    _invite(round_, organisations, actor)
    return round_


def check_invite_more(round_: InvitationRound, organisations: list[Organisation]) -> str | None:
    """Why these municipalities cannot be added to the round, or None."""
    if round_.reply_deadline < clock.today():
        return "Svarfristen for runden har gått ut. Opprett en ny runde."
    return _selection_problem(organisations, round_)


def invite_more(round_: InvitationRound, organisations: list[Organisation], actor: User) -> list[MembershipCase]:
    """Add municipalities to a round that is still open for replies."""
    problem = check_invite_more(round_, organisations)
    if problem:
        raise ServiceError(problem, field="organisations")
    return _invite(round_, organisations, actor)


def _invite(round_: InvitationRound, organisations: list[Organisation], actor: User) -> list[MembershipCase]:
    opened = [cases.invite(round_, organisation, actor) for organisation in sorted(organisations, key=lambda o: o.name)]
    for case in opened:
        send_invitation(case)
    return opened


@dataclass
class Row:
    """One invited municipality on the round overview."""

    case: MembershipCase
    reply: InvitationReply | None
    contacts: list[User]
    days_left: int | None  # while the municipality has not answered


def overview(round_: InvitationRound, today: date) -> list[Row]:
    invited = cases_by_name(round_)
    replies = latest_replies([case.id for case in invited])
    people = contacts_by_organisation([case.organisation_id for case in invited])
    return [Row(case, replies.get(case.id), people[case.organisation_id],
                (case.reply_deadline - today).days if case.state == INVITED else None) for case in invited]


def cases_by_name(round_: InvitationRound) -> list[MembershipCase]:
    """The round's cases with their municipalities, by municipality name."""
    found = db.session.scalars(select(MembershipCase).where(MembershipCase.round_id == round_.id)
                               .options(joinedload(MembershipCase.organisation)))
    return sorted(found, key=lambda c: c.organisation.name)


def state_counts(round_: InvitationRound) -> list[tuple[str, str, int]]:
    """(state, label, count) for the states the round's cases are in, in the workflow's order."""
    counts = Counter(case.state for case in round_.cases)
    return [(state, label, counts[state]) for state, label in MEMBERSHIP.states.items() if counts[state]]


def rounds() -> list[tuple[InvitationRound, int, int]]:
    """Every round, newest deadline first, with the number invited and the number still unanswered."""
    invited = func.count(MembershipCase.id)
    waiting = func.count(MembershipCase.id).filter(MembershipCase.state == INVITED)
    return list(db.session.execute(
        select(InvitationRound, invited, waiting).outerjoin(MembershipCase)
        .group_by(InvitationRound.id).order_by(InvitationRound.reply_deadline.desc(), InvitationRound.id.desc())))


# --- reminders ----------------------------------------------------------------------------------------------------

def _reminder_key(case: MembershipCase, user: User, today: date) -> str:
    return f"reminder:{case.id}:{user.id}:{today.isoformat()}"


def reminder_plan(round_: InvitationRound, today: date) -> list[tuple[MembershipCase, list[User], list[User]]]:
    """(case, contacts to remind, contacts already reminded today) for every case still waiting for an answer."""
    waiting = [case for case in cases_by_name(round_)
               if case.state == INVITED and case.guard_context(today).reply_open()]
    people = contacts_by_organisation([case.organisation_id for case in waiting])
    keys = {case.id: {_reminder_key(case, user, today): user for user in people[case.organisation_id]}
            for case in waiting}
    sent = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.in_([key for by_key in keys.values() for key in by_key]))))
    return [(case, [u for k, u in keys[case.id].items() if k not in sent],
             [u for k, u in keys[case.id].items() if k in sent]) for case in waiting]


def _remind(case: MembershipCase, people: list[User], today: date) -> int:
    days_left = (case.reply_deadline - today).days
    subject = f"Påminnelse: svarfrist {case.reply_deadline:%d.%m.%Y} for invitasjonen fra Kunnskapskommunen"
    return sum(_mail_case(case, user, subject, "round_reminder", _reminder_key(case, user, today),
                          days_left=days_left) for user in people)


def remind(round_: InvitationRound, actor: User, today: date) -> int:
    """The adviser reminds everyone who has not answered; nobody gets the same reminder twice a day."""
    sent = sum(_remind(case, people, today) for case, people, _ in reminder_plan(round_, today))
    if sent:
        audit.record(actor, "round.remind", ROUND_TYPE, round_.id, data={"messages": sent})
    return sent


def send_due_reminders(today: date) -> list[str]:
    """The tick's task: remind the unanswered the configured number of days before their deadline."""
    days = set(current_app.config["REMINDER_DAYS"])
    done = []
    for case in db.session.scalars(select(MembershipCase).where(MembershipCase.state == INVITED)
                                   .order_by(MembershipCase.id)):
        days_left = (case.reply_deadline - today).days
        if days_left in days:
            sent = _remind(case, contacts(case.organisation_id), today)
            if sent:
                done.append(f"{case.title}: påminnelse sendt ({days_left} dager før svarfristen).")
    return done


# --- deadlines ----------------------------------------------------------------------------------------------------

def _check_extension(current: date, new: date | None, reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Skriv hvorfor fristen forlenges.", field="reason")
    if new is None or new <= current:
        raise ServiceError(f"Den nye fristen må være senere enn dagens frist ({current:%d.%m.%Y}).", field="deadline")
    return reason


def _tell_new_deadline(case: MembershipCase) -> None:
    subject = f"Ny svarfrist {case.reply_deadline:%d.%m.%Y} for invitasjonen fra Kunnskapskommunen"
    for user in contacts(case.organisation_id):
        _mail_case(case, user, subject, "deadline_extended", f"deadline:{case.id}:{user.id}:{case.reply_deadline}")


def extend_round_deadline(round_: InvitationRound, new: date | None, reason: str | None, actor: User) -> None:
    """Move the round's deadline later; municipalities that have not answered are told."""
    if round_.reply_deadline < clock.today():
        raise ServiceError("Svarfristen for runden har allerede gått ut. Kommuner som ikke har svart, kan be om å "
                           "få svare ja etter fristen.", field="deadline")
    reason = _check_extension(round_.reply_deadline, new, reason)
    before = {case.id: case.reply_deadline for case in round_.cases}
    old, round_.reply_deadline = round_.reply_deadline, new
    for case in round_.cases:
        if case.deadline_override and case.deadline_override <= new:
            case.deadline_override = None  # the round's new deadline is at least as generous
    audit.record(actor, "round.extend_deadline", ROUND_TYPE, round_.id, comment=reason,
                 data={"from": old.isoformat(), "to": new.isoformat()})
    for case in round_.cases:
        if case.state == INVITED and case.reply_deadline != before[case.id]:
            _tell_new_deadline(case)


def extend_case_deadline(case: MembershipCase, new: date | None, reason: str | None, actor: User) -> None:
    """Give one municipality a later deadline than the round's."""
    if case.state != INVITED:
        raise ServiceError(f"Fristen kan bare forlenges mens kommunen ikke har svart (status nå: "
                           f"«{MEMBERSHIP.label(case.state)}»).", field="deadline")
    if case.reply_deadline < clock.today():
        raise ServiceError("Svarfristen har allerede gått ut. Kommunen kan be om å få svare ja etter fristen.",
                           field="deadline")
    reason = _check_extension(case.reply_deadline, new, reason)
    old = case.reply_deadline
    case.deadline_override = new
    audit.record(actor, "membership.extend_deadline", case.audit_type, case.id, comment=reason,
                 data={"from": old.isoformat(), "to": new.isoformat()})
    _tell_new_deadline(case)


# --- replies ------------------------------------------------------------------------------------------------------

@dataclass
class ReplyDetails:
    """What a municipality tells us with its answer, besides yes or no."""

    contact_name: str
    contact_title: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    steering_rep: str | None = None
    project_rep_1: str | None = None
    project_rep_2: str | None = None


@dataclass
class ReplyMode:
    """Whether the reply form is open for a case, and what to tell the contact person if not."""

    kind: str  # open | late | late_pending | closed
    message: str = ""
    pending: TransitionRequest | None = None


def reply_mode(case: MembershipCase) -> ReplyMode:
    today = clock.today()
    deadline = f"{case.reply_deadline:%d.%m.%Y}"
    if case.state == WITHDRAWN:
        return ReplyMode("closed", "Invitasjonen er trukket tilbake og kan ikke besvares.")
    if case.state in (INVITED, ACCEPTED, DECLINED) and case.guard_context(today).reply_open():
        return ReplyMode("open")
    if case.state in (INVITED, NO_REPLY) and _newer_invitation(case):
        return ReplyMode("closed", f"Svarfristen gikk ut {deadline}. Kommunen har fått en nyere invitasjon.")
    if case.state in (INVITED, NO_REPLY):
        pending = workflow.pending_request(case, "accept_late")
        if pending:
            return ReplyMode("late_pending", f"Svarfristen gikk ut {deadline}. Forespørselen om å få svare ja etter "
                                             "fristen venter på FoU-rådgiverens godkjenning.", pending)
        return ReplyMode("late", f"Svarfristen gikk ut {deadline}, og svarskjemaet er stengt. Ønsker dere likevel "
                                 "å være med, kan dere be FoU-rådgiveren om å få svare ja etter fristen.")
    if case.state in (ACCEPTED, DECLINED):
        return ReplyMode("closed", f"Svarfristen gikk ut {deadline}, og svaret kan ikke endres lenger. Ta kontakt "
                                   "med FoU-rådgiveren hvis noe må rettes.")
    return ReplyMode("closed", "Svaret kan ikke endres etter at samarbeidsavtalen er sendt til signering.")


def _newer_invitation(case: MembershipCase) -> bool:
    return db.session.scalar(select(func.count()).select_from(MembershipCase).join(InvitationRound).where(
        MembershipCase.organisation_id == case.organisation_id,
        InvitationRound.reply_deadline > case.round.reply_deadline)) > 0


def current_answer(case: MembershipCase) -> str | None:
    return {ACCEPTED: YES, DECLINED: NO}.get(case.state)


def reply(case: MembershipCase, user: User, *, answer: str, details: ReplyDetails,
          comment: str | None = None) -> InvitationReply:
    """A contact person answers yes or no, or changes the answer, before the deadline. The caller commits."""
    mode = reply_mode(case)
    if mode.kind != "open":
        raise ServiceError(mode.message)
    if answer not in (YES, NO):
        raise ServiceError("Velg om kommunen takker ja eller nei.", field="answer")
    facts = _facts(user, answer, details, comment)
    if answer == current_answer(case):
        # The same answer again, with new details: no transition, but recorded all the same.
        if MUNICIPALITY_CONTACT not in case.roles_of(user):
            raise ServiceError("Bare kommunens kontaktperson kan svare på invitasjonen.")
        row = _store_reply(case, facts, late=False)
        audit.record(user, "invitation.reply_update", case.audit_type, case.id, comment=facts["comment"],
                     data={"reply": facts})
    else:
        workflow.perform(case, "accept" if answer == YES else "decline", user, comment=facts["comment"],
                         data={"reply": facts})
        row = latest_reply(case)
    _send_receipt(case, user, facts, late=False)
    return row


def request_late_reply(case: MembershipCase, user: User, *, details: ReplyDetails,
                       comment: str | None = None) -> TransitionRequest:
    """After the deadline: ask the adviser to accept a yes; the answer is stored when they approve."""
    mode = reply_mode(case)
    if mode.kind != "late":
        raise ServiceError(mode.message or "Svarfristen har ikke gått ut: bruk det vanlige svarskjemaet.")
    facts = _facts(user, YES, details, comment)
    request = workflow.perform(case, "accept_late", user, comment=facts["comment"], data={"reply": facts})
    _send_receipt(case, user, facts, late=True)
    return request


def _facts(user: User, answer: str, details: ReplyDetails, comment: str | None) -> dict:
    if answer == NO:
        details = replace(details, steering_rep=None, project_rep_1=None, project_rep_2=None)
    return {"answer": answer, **asdict(details), "comment": (comment or "").strip() or None, "by": user.id,
            "at": clock.now().isoformat()}


def last_late_request(case: MembershipCase) -> TransitionRequest | None:
    """The most recent request to answer yes after the deadline, whatever became of it."""
    return db.session.scalar(select(TransitionRequest).where(
        TransitionRequest.object_type == case.audit_type, TransitionRequest.object_id == case.id,
        TransitionRequest.trigger == "accept_late").order_by(TransitionRequest.id.desc()).limit(1))


def late_request_facts(request: TransitionRequest) -> dict:
    """The reply a pending late request carries."""
    return json.loads(request.data or "{}").get("reply", {})


def _send_receipt(case: MembershipCase, user: User, facts: dict, *, late: bool) -> None:
    subject = "Kvittering: " + ("forespørsel om å svare ja etter fristen" if late
                                else "svar på invitasjonen fra Kunnskapskommunen")
    mail.queue(user.email, subject, "reply_receipt", case=case, round=case.round, user=user, facts=facts,
               answer_label=ANSWER_LABELS[facts["answer"]], late=late, path=invitation_path(case))


def _store_reply(case: MembershipCase, facts: dict, *, late: bool) -> InvitationReply:
    fields = {name: (facts.get(name) or None) for name in ReplyDetails.__dataclass_fields__}
    row = InvitationReply(case_id=case.id, answer=facts["answer"], late=late, comment=facts.get("comment"),
                          answered_by_id=facts.get("by"), answered_at=datetime.fromisoformat(facts["at"]), **fields)
    db.session.add(row)
    db.session.flush()
    return row


def record_reply(case: MembershipCase, actor: User | None, data: dict) -> None:
    """Every answer is kept as a reply row, also one the adviser registers from a letter or an e-mail."""
    facts = dict(data.get("reply") or {})
    facts.setdefault("by", actor.id if actor else None)
    facts.setdefault("at", clock.now().isoformat())
    facts["answer"] = YES if case.state == ACCEPTED else NO
    answered_on = datetime.fromisoformat(facts["at"]).astimezone(clock.OSLO).date()
    row = _store_reply(case, facts, late=answered_on > case.reply_deadline)
    if actor is not None and row.answered_by_id not in (None, actor.id):
        # Someone else's late answer was just accepted by the adviser: tell the one who asked.
        person = db.session.get(User, row.answered_by_id)
        mail.queue(person.email, "Svaret etter fristen er godtatt", "late_reply_accepted", case=case,
                   round=case.round, user=person, path=invitation_path(case))


def latest_reply(case: MembershipCase) -> InvitationReply | None:
    return db.session.scalar(select(InvitationReply).where(InvitationReply.case_id == case.id)
                             .order_by(InvitationReply.id.desc()).limit(1))


def latest_replies(case_ids: list[int]) -> dict[int, InvitationReply]:
    latest = select(func.max(InvitationReply.id)).where(InvitationReply.case_id.in_(case_ids)) \
        .group_by(InvitationReply.case_id)
    return {r.case_id: r for r in db.session.scalars(select(InvitationReply).where(InvitationReply.id.in_(latest))
                                                     .options(joinedload(InvitationReply.answered_by)
                                                              .lazyload(User.role_rows)))}


def reply_documents(case: MembershipCase) -> list[archive.Document]:
    """Each answer the municipality gave, as a letter from it (outgoing in its archive)."""
    # The list needs three columns of each reply; the whole reply is read only to make its PDF.
    replies = db.session.execute(_replies_query(), {"case_id": case.id})
    return [archive.Document(
        f"svar-{id_}", f"Svar på invitasjonen: {ANSWER_LABELS[answer]}", answered_at.astimezone(clock.OSLO).date(),
        "U", case.organisation.display_name, archive.HOST, partial(_reply_pdf, case, id_))
        for id_, answer, answered_at in replies]


def _reply_pdf(case: MembershipCase, reply_id: int) -> bytes:
    return archive.pdf("archive/reply_pdf.html", case=case, reply=db.session.get(InvitationReply, reply_id),
                       recipient=archive.HOST)


@cache
def _replies_query() -> Select:
    """Built once (the case page lists the replies): building a statement costs more than running it."""
    return select(InvitationReply.id, InvitationReply.answer, InvitationReply.answered_at) \
        .where(InvitationReply.case_id == bindparam("case_id")).order_by(InvitationReply.id)


def cases_of(organisation_id: int) -> list[MembershipCase]:
    """A municipality's cases, newest round first."""
    return list(db.session.scalars(select(MembershipCase).join(InvitationRound)
                                   .where(MembershipCase.organisation_id == organisation_id)
                                   .order_by(InvitationRound.reply_deadline.desc(), MembershipCase.id.desc())))

