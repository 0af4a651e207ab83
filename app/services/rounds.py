"""Invitation rounds: the terms and the letter, sending, inviting more, the round's overview, extending deadlines."""
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from babel.numbers import format_currency
from flask import render_template
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.formatting import short_date
from app.models import InvitationReply, InvitationRound, MailboxLink, MembershipCase, Organisation, User
from app.models.case import DEFAULT_CONTRIBUTION
from app.models.mailbox_link import REPLY
from app.services import ServiceError, audit, cases, invitation_mail, mailbox_links, replies, workflow
from workflows import MEMBERSHIP, reply_open
from workflows.membership import INVITED, NO_REPLY, WITHDRAWN, invitation_closed
from workflows.roles import MUNICIPALITY_CONTACT

ROUND_TYPE = "invitation_round"
# A municipality in one of these states has not answered the invitation (in time, or at all).
UNANSWERED = (INVITED, NO_REPLY)


def nb_money(amount: int) -> str:
    """kr 40 000, in bokmål whatever language the adviser's screen is in."""
    return format_currency(amount, "NOK", format="¤ #,##0", currency_digits=False, locale="nb")


def letter(contribution: int, first_year: int, last_year: int, deadline: date, meeting: str | None) -> str:
    """The invitation letter of 2016 (templates/invitations/letter.txt) with this round's terms filled in."""
    meeting = (meeting or "").strip().rstrip(".")
    return render_template("invitations/letter.txt", amount=nb_money(contribution),
                           period=f"{first_year}–{last_year}", deadline=f"{deadline:%d.%m.%Y}",
                           meeting=meeting[:1].lower() + meeting[1:])


def round_defaults(today: date) -> dict:
    """What a new round's form starts with: six weeks to answer, three years of contributions from next year."""
    first = today.year + 1
    terms = dict(title=_("Invitasjon %(year)s", year=today.year), reply_deadline=today + timedelta(weeks=6),
                 contribution=DEFAULT_CONTRIBUTION, contribution_from=first, contribution_to=first + 2,
                 agreement_end=date(first + 2, 12, 31),
                 meeting=_("Felles samarbeidsmøte i januar %(year)s", year=first))
    with force_locale("nb"):  # the letter is bokmål (invitations/letter.txt), the meeting too
        meeting = _("Felles samarbeidsmøte i januar %(year)s", year=first)
    terms["letter_text"] = letter(terms["contribution"], first, first + 2, terms["reply_deadline"], meeting)
    return terms


# --- sending ------------------------------------------------------------------------------------------------------

def send_invitation(case: MembershipCase, recipients: list[User] | None = None) -> int:
    """Queue the invitation letter to the case's contact persons, never twice to the same person; without any, to
    the municipality's official mailbox with a link to answer."""
    people = invitation_mail.contacts(case.organisation_id) if recipients is None else recipients
    subject = _l("Invitasjon til Kunnskapskommunen – svarfrist %(date)s",
                 date=case.reply_deadline.strftime("%d.%m.%Y"))
    if recipients is None and not people:
        return int(mailbox_links.send_invitation(case, subject))
    return sum(invitation_mail.send(case, user, subject, "round_invitation", f"invitation:{case.id}:{user.id}")
               for user in people)


def invite_new_contact(user: User, actor: User | None) -> None:
    """A municipality got a (new) contact person: they receive its open invitations now."""
    today = clock.today()
    for case in db.session.scalars(select(MembershipCase).where(
            MembershipCase.organisation_id == user.organisation.id, MembershipCase.state == INVITED)):
        if case.guard_context(today).reply_open():
            send_invitation(case, [user])


def check_round(*, reply_deadline: date | None, contribution_from: int | None, contribution_to: int | None,
                agreement_end: date | None, organisations: list[Organisation]) -> dict[str, str]:
    """What is wrong with a round's terms and selection, by form field (empty when it can be sent)."""
    problems = {}
    if reply_deadline and reply_deadline < clock.today():
        problems["reply_deadline"] = _("Svarfristen kan ikke være tilbake i tid.")
    if contribution_from and contribution_to and contribution_to < contribution_from:
        problems["contribution_to"] = _("Siste år kan ikke være før første år.")
    if agreement_end and reply_deadline and agreement_end <= reply_deadline:
        problems["agreement_end"] = _("Avtalen må gjelde til en dato etter svarfristen.")
    problem = _selection_problem(organisations, reply_deadline or clock.today())
    if problem:
        problems["organisations"] = problem
    return problems


def _selection_problem(organisations: list[Organisation], reply_deadline: date,
                       round_: InvitationRound | None = None) -> str | None:
    if not organisations:
        return _("Velg minst én kommune.")
    counts = Counter(o.id for o in organisations)
    twice = sorted({o.name for o in organisations if counts[o.id] > 1})
    if twice:
        return _("Valgt mer enn én gang: %(names)s. Hver kommune kan bare inviteres én gang i en runde.",
                 names=", ".join(twice))
    wrong = sorted(o.name for o in organisations if not o.is_municipality or o.is_host)
    if wrong:
        return _("Kan ikke inviteres: %(names)s.", names=", ".join(wrong))
    if round_ is not None:
        invited = {case.organisation_id for case in round_.cases}
        already = sorted(o.name for o in organisations if o.id in invited)
        if already:
            return _("Allerede invitert i denne runden: %(names)s.", names=", ".join(already))
    refused = cases.refusals(organisations, reply_deadline)
    if refused:
        return cases.refusal_message(organisations, refused)
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
    # Browsers send a textarea's line breaks as CRLF; the letter's paragraphs are split on "\n\n".
    letter_text = letter_text.replace("\r\n", "\n").replace("\r", "\n").strip()
    round_ = InvitationRound(title=title.strip(), letter_text=letter_text, reply_deadline=reply_deadline,
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


def create_join_round(actor: User, organisation: Organisation, *, title: str, letter_text: str, contribution: int,
                      contribution_from: int, contribution_to: int, agreement_end: date) -> InvitationRound:
    """The round of one municipality that asked to join (agreement §1), on the standard terms: its answer is the
    request, so the deadline is today and nothing is sent."""
    round_ = InvitationRound(title=title, letter_text=letter_text, reply_deadline=clock.today(),
                             contribution=contribution, contribution_from=contribution_from,
                             contribution_to=contribution_to, agreement_end=agreement_end, created_at=clock.now(),
                             created_by_id=actor.id)
    db.session.add(round_)
    db.session.flush()
    audit.record(actor, "round.create", ROUND_TYPE, round_.id,
                 data={"title": round_.title, "reply_deadline": round_.reply_deadline.isoformat(),
                       "municipalities": [organisation.name], "join_request": True})
    return round_


def check_invite_more(round_: InvitationRound, organisations: list[Organisation]) -> str | None:
    """Why these municipalities cannot be added to the round, or None."""
    if round_.reply_deadline < clock.today():
        return _("Svarfristen for runden har gått ut. Opprett en ny runde.")
    return _selection_problem(organisations, round_.reply_deadline, round_)


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


# --- the round's overview -----------------------------------------------------------------------------------------

@dataclass
class Row:
    """One invited municipality on the round overview."""

    case: MembershipCase
    reply: InvitationReply | None
    contacts: list[User]
    days_left: int | None  # while the municipality has not answered
    to_mailbox: bool  # the invitation went to the official mailbox (no contact person)
    invitation_open: bool  # it may still get a new deadline or be withdrawn (see CaseGuards.invitation_open)

    @property
    def unanswered(self) -> bool:
        return self.case.state in UNANSWERED


@dataclass
class Progress:
    """How many of the round's municipalities have answered and have not, before and after the deadline."""

    total: int
    answered: int  # said yes or no (in time, or late and accepted)
    waiting: int  # may still answer: the deadline (the round's or a later one of their own) has not passed
    missed: int  # did not answer by their deadline ("Ikke svart", or invited and the tick has not run yet)


def overview(round_: InvitationRound, today: date, state: str = "") -> list[int]:
    """The ids of the round's cases (in `state`, if given), by municipality name, without loading the cases."""
    stmt = select(MembershipCase.id, Organisation.name).join(MembershipCase.organisation).where(
        MembershipCase.round_id == round_.id)
    if state:
        stmt = stmt.where(MembershipCase.state == state)
    return [case_id for case_id, _ in sorted(db.session.execute(stmt), key=lambda row: row.name)]


def rows(case_ids: list[int], today: date) -> list[Row]:
    """The overview's rows of these cases (some of one round's), in the order of the ids."""
    found = {case.id: case for case in db.session.scalars(select(MembershipCase).where(
        MembershipCase.id.in_(case_ids)).options(joinedload(MembershipCase.organisation)))}
    invited = [found[case_id] for case_id in case_ids]
    answers = replies.latest_replies(case_ids)
    people = invitation_mail.contacts_by_organisation([case.organisation_id for case in invited])
    mailbox = mailbox_links.sent_to_mailbox(case_ids)
    return [Row(case, answers.get(case.id), people[case.organisation_id],
                (case.reply_deadline - today).days if case.state == INVITED else None, case.id in mailbox,
                case.guard_context(today).invitation_open())
            for case in invited]


def _waiting(today: date):
    """SQL: the case has not answered, and its deadline (the round's or its own) has not passed by `today`."""
    return and_(MembershipCase.state == INVITED,
                func.coalesce(MembershipCase.deadline_override, InvitationRound.reply_deadline) >= today)


def waiting(round_: InvitationRound, today: date) -> list[tuple[int, int]]:
    """(case id, organisation id) of the round's municipalities that may still answer (see `_waiting`), by name."""
    found = db.session.execute(select(MembershipCase.id, MembershipCase.organisation_id, Organisation.name)
                               .join(MembershipCase.round).join(MembershipCase.organisation)
                               .where(MembershipCase.round_id == round_.id, _waiting(today)))
    return [(case_id, organisation_id) for case_id, organisation_id, _ in sorted(found, key=lambda row: row.name)]


def progress(round_: InvitationRound, today: date) -> Progress:
    """How many of the round's municipalities have answered and have not, in one query."""
    total, waiting, unanswered, answered = db.session.execute(
        select(func.count(), func.count().filter(_waiting(today)),
               func.count().filter(MembershipCase.state.in_(UNANSWERED)),
               func.count().filter(MembershipCase.state.not_in(UNANSWERED + (WITHDRAWN,))))
        .join(MembershipCase.round).where(MembershipCase.round_id == round_.id)).one()
    return Progress(total, answered, waiting, unanswered - waiting)


def without_contact(round_: InvitationRound) -> list[MembershipCase]:
    """The round's invited municipalities nobody got the invitation for: no contact person, and not sent to the
    official mailbox; by name."""
    contact = select(User.id).where(User.organisation_id == MembershipCase.organisation_id, User.active.is_(True),
                                    User.role_rows.any(role=MUNICIPALITY_CONTACT)).exists()
    to_mailbox = select(MailboxLink.id).where(MailboxLink.purpose == REPLY,
                                              MailboxLink.case_id == MembershipCase.id).exists()
    found = db.session.scalars(select(MembershipCase).where(
        MembershipCase.round_id == round_.id, MembershipCase.state == INVITED, ~contact, ~to_mailbox)
        .options(joinedload(MembershipCase.organisation)))
    return sorted(found, key=lambda c: c.organisation.name)


def state_counts(round_: InvitationRound) -> list[tuple[str, str, int]]:
    """(state, label, count) for the states the round's cases are in, in the workflow's order."""
    counts = dict(db.session.execute(select(MembershipCase.state, func.count()).where(
        MembershipCase.round_id == round_.id).group_by(MembershipCase.state)).all())
    return [(state, MEMBERSHIP.label(state), counts[state]) for state in MEMBERSHIP.states if counts.get(state)]


@dataclass(frozen=True)
class RoundLine:
    """A round in the list of rounds."""

    round: InvitationRound
    invited: int
    waiting: int  # still invited (the tick marks those past their deadline "Ikke svart")
    closed: bool


def rounds(today: date) -> list[RoundLine]:
    """Every round, newest deadline first, with the number invited, the number still unanswered and whether it is
    closed on `today`."""
    invited = func.count(MembershipCase.id)
    waiting = func.count(MembershipCase.id).filter(MembershipCase.state == INVITED)
    extended = func.max(MembershipCase.deadline_override)
    return [RoundLine(round_, n, left, _closed(round_, today, later))
            for round_, n, left, later in db.session.execute(
                select(InvitationRound, invited, waiting, extended).outerjoin(MembershipCase)
                .group_by(InvitationRound.id)
                .order_by(InvitationRound.reply_deadline.desc(), InvitationRound.id.desc()))]


def closed(round_: InvitationRound, today: date) -> bool:
    """Whether the round is closed on `today`: its deadline and every later one given to a municipality in it have
    passed, and the period it invited to has begun (the rule: `workflows.membership.invitation_closed`)."""
    return _closed(round_, today, db.session.scalar(select(func.max(MembershipCase.deadline_override)).where(
        MembershipCase.round_id == round_.id)))


def _closed(round_: InvitationRound, today: date, latest_override: date | None) -> bool:
    last = max(round_.reply_deadline, latest_override) if latest_override else round_.reply_deadline
    return invitation_closed(today, last, round_.contribution_from)


def closed_message(round_: InvitationRound) -> str:
    return _("«%(title)s» er lukket: svarfristen gikk ut %(date)s, og avtaleperioden fra %(year)s har begynt. Det "
             "kan ikke sendes påminnelser eller gis ny svarfrist. Kommuner som ikke svarte, kan inviteres i en ny "
             "runde.", title=round_.title, date=short_date(round_.reply_deadline), year=round_.contribution_from)


def check_open(round_: InvitationRound) -> None:
    """Refuse anything about answering a closed round."""
    if closed(round_, clock.today()):
        raise ServiceError(closed_message(round_))


def cases_of(organisation_id: int) -> list[MembershipCase]:
    """A municipality's cases, newest round first."""
    return list(db.session.scalars(select(MembershipCase).join(InvitationRound)
                                   .where(MembershipCase.organisation_id == organisation_id)
                                   .order_by(InvitationRound.reply_deadline.desc(), MembershipCase.id.desc())))


# --- deadlines ----------------------------------------------------------------------------------------------------

def _check_extension(current: date, new: date | None, reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Skriv hvorfor fristen forlenges."), field="reason")
    if new is None or new <= current:
        raise ServiceError(_("Den nye fristen må være senere enn dagens frist (%(date)s).",
                             date=short_date(current)),
                           field="deadline")
    if not reply_open(clock.today(), new):
        raise ServiceError(_("Den nye fristen kan ikke være tilbake i tid."), field="deadline")
    return reason


def _tell_new_deadline(case: MembershipCase) -> None:
    subject = _l("Ny svarfrist %(date)s for invitasjonen fra Kunnskapskommunen",
                 date=case.reply_deadline.strftime("%d.%m.%Y"))
    for user in invitation_mail.contacts(case.organisation_id):
        invitation_mail.send(case, user, subject, "deadline_extended",
                             f"deadline:{case.id}:{user.id}:{case.reply_deadline}")


def unanswered(round_: InvitationRound) -> list[MembershipCase]:
    """The round's municipalities that have not answered, by name."""
    return sorted((case for case in round_.cases if case.state in UNANSWERED), key=lambda c: c.organisation.name)


def extend_round_deadline(round_: InvitationRound, new: date | None, reason: str | None, actor: User) -> None:
    """Move the round's deadline later, and tell the municipalities that have not answered.

    Once the deadline has passed, the answers given stay closed: only the municipalities that did not answer get
    the new deadline (and the invitation back).
    """
    check_open(round_)
    reason = _check_extension(round_.reply_deadline, new, reason)
    old, today = round_.reply_deadline, clock.today()
    if not reply_open(today, old):
        late = [case for case in unanswered(round_)
                if case.reply_deadline < new and case.guard_context(today).invitation_open()
                and not workflow.pending_request(case, "accept_late")]
        if not late:
            raise ServiceError(_("Ingen kommuner i runden venter på en ny svarfrist: alle har svart, har fått en "
                                 "senere frist eller har bedt om å få svare ja etter fristen."), field="deadline")
        audit.record(actor, "round.extend_deadline", ROUND_TYPE, round_.id, comment=reason,
                     data={"from": old.isoformat(), "to": new.isoformat(), "cases": [case.id for case in late]})
        for case in late:
            _extend(case, new, reason, actor)
        return
    before = {case.id: case.reply_deadline for case in round_.cases}
    round_.reply_deadline = new
    for case in round_.cases:
        if case.deadline_override and case.deadline_override <= new:
            case.deadline_override = None  # the round's new deadline is at least as generous
    audit.record(actor, "round.extend_deadline", ROUND_TYPE, round_.id, comment=reason,
                 data={"from": old.isoformat(), "to": new.isoformat()})
    for case in round_.cases:
        if case.state == INVITED and case.reply_deadline != before[case.id]:
            _tell_new_deadline(case)


def extend_case_deadline(case: MembershipCase, new: date | None, reason: str | None, actor: User) -> None:
    """Give one municipality that has not answered a later deadline, also after its deadline has passed."""
    if case.state not in UNANSWERED:
        raise ServiceError(_("Fristen kan bare forlenges mens kommunen ikke har svart (status nå: «%(state)s»).",
                             state=MEMBERSHIP.label(case.state)), field="deadline")
    if not case.guard_context(clock.today()).invitation_open():
        raise ServiceError(MEMBERSHIP.guard_message(["invitation_open"]))
    if workflow.pending_request(case, "accept_late"):
        raise ServiceError(_("Kommunen har bedt om å få svare ja etter fristen. Behandle forespørselen under "
                             "Godkjenninger i stedet."), field="deadline")
    _extend(case, new, _check_extension(case.reply_deadline, new, reason), actor)


def _extend(case: MembershipCase, new: date, reason: str, actor: User) -> None:
    data = {"from": case.reply_deadline.isoformat(), "to": new.isoformat()}
    if case.state == NO_REPLY:
        workflow.perform(case, "reopen", actor, comment=reason, data=data)
        return
    case.deadline_override = new
    audit.record(actor, "membership.extend_deadline", case.audit_type, case.id, comment=reason, data=data)
    _tell_new_deadline(case)


def reopened(case: MembershipCase, actor: User | None, data: dict) -> None:
    """A municipality that did not answer in time gets the invitation back with the new deadline in `data`."""
    new = date.fromisoformat(data["to"]) if data.get("to") else None
    if new is None or not reply_open(clock.today(), new):
        raise ServiceError(_("Oppgi en ny svarfrist som ikke er tilbake i tid."), field="deadline")
    case.deadline_override = new
    _tell_new_deadline(case)
