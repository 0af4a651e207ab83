"""Representatives (agreement §8): proposed by the municipality, approved by the adviser, two years at a time.

The other parties (Bergen as host, the university, the college, the research institute, the hospitals and the
institute of public health) are seated by the adviser under the same rules without being members: their
project-group representatives serve two-year terms like the municipalities'; their steering-group seat is held by
position (its holder's title), with no last day, and a new holder replaces the one before.

A term's state moves through the `representative` workflow (workflows/representative.py); what follows each step
is listed in app/wiring.py.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import ColumnElement, Select, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import access, clock, letters
from app.extensions import db
from app.models import AuditEvent, Organisation, Representative, RepresentativeSeat, User
from app.models.representative import GROUPS, SEATS_PER_GROUP, STEERING_GROUP, seat_label
from workflows.roles import ADVISER, MUNICIPALITY_CONTACT
from app.services import Conflict, ServiceError, audit, calendar, mail, members, workflow
from workflows import REPRESENTATIVE, add_years
from workflows.representative import APPROVED, HOLDING, PROPOSED

TERM_YEARS = 2
TERM_ENDING_DAYS = 60
TOTAL_SEATS = sum(SEATS_PER_GROUP.values())
# The comment on a term ended by its replacement; the replacement is named in the event by id, as people are.
REPLACED = "Erstattet av en ny representant."
SEAT_TAKEN_MEANWHILE = _l("Noen andre foreslo en representant til den samme plassen akkurat nå. Last siden på nytt "
                          "og se hvem som er foreslått.")


def default_end(starts_on: date) -> date:
    """A term lasts two years: the last day is the day before the same date two years later."""
    return add_years(starts_on, TERM_YEARS) - timedelta(days=1)


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _period(starts_on: date, ends_on: date | None) -> str:
    return f"{_fmt(starts_on)}–{_fmt(ends_on)}" if ends_on else _("fra %(date)s, ved stilling", date=_fmt(starts_on))


def in_office(first: date, last: date | None = None) -> ColumnElement[bool]:
    """SQL: an approved term that holds its seat on a day from `first` to `last` (a seat held by position has no
    last day)."""
    return and_(Representative.state == APPROVED, Representative.starts_on <= (last or first),
                or_(Representative.ends_on.is_(None), Representative.ends_on >= first))


def by_position(organisation: Organisation, group: str) -> bool:
    """A party's steering-group seat follows the position, not a term."""
    return organisation.is_party and group == STEERING_GROUP


def seated_on(organisation: Organisation, day: date) -> bool:
    """Whether the organisation may have representatives on `day`: a party while it exists, a municipality while it
    is a member."""
    return organisation.active_on(day) if organisation.is_party else members.member_on(organisation, day)


def _not_seated(organisation: Organisation, day: date) -> str:
    if organisation.is_party:
        return _("%(name)s er ikke part i samarbeidet %(date)s.", name=organisation.name, date=_fmt(day))
    return _("%(name)s er ikke medlemskommune %(date)s.", name=organisation.name, date=_fmt(day))


def _terms(organisation: Organisation, *states: str) -> list[Representative]:
    stmt = select(Representative).where(Representative.organisation_id == organisation.id)
    if states:
        stmt = stmt.where(Representative.state.in_(states))
    return list(db.session.scalars(stmt.order_by(Representative.starts_on, Representative.id)))


def _clash(organisation: Organisation, group: str, seat: int, starts_on: date, ends_on: date, *,
           states=HOLDING, ignore=()) -> Representative | None:
    """The first term holding that seat for part of the period, other than those in `ignore`."""
    return next((t for t in _terms(organisation, *states)
                 if t.group == group and t.seat == seat and t.id not in ignore and t.overlaps(starts_on, ends_on)),
                None)


def _clash_message(term: Representative) -> str:
    facts = {"seat": term.seat_label, "name": term.name, "period": _period(term.starts_on, term.ends_on)}
    if term.waiting:
        return _("%(seat)s er allerede besatt i hele eller deler av perioden: %(name)s, %(period)s (forslag som venter "
                 "på godkjenning).", **facts)
    return _("%(seat)s er allerede besatt i hele eller deler av perioden: %(name)s, %(period)s.", **facts)


def _lock_seat(term: Representative) -> None:
    """Bump the seat's row, which holds it for the rest of the transaction: whoever fills the same seat at the
    same time waits here until this transaction ends, and then reads what it wrote."""
    seat = (RepresentativeSeat.organisation_id == term.organisation_id, RepresentativeSeat.group == term.group,
            RepresentativeSeat.seat == term.seat)
    bumped = db.session.execute(update(RepresentativeSeat).where(*seat)
                                .values(version=RepresentativeSeat.version + 1)
                                .execution_options(synchronize_session=False))
    if bumped.rowcount == 0:  # the seat's first term: its row is made now, and a second maker loses on the key
        try:
            db.session.execute(insert(RepresentativeSeat).values(
                organisation_id=term.organisation_id, group=term.group, seat=term.seat, version=1))
        except IntegrityError:
            raise Conflict(str(SEAT_TAKEN_MEANWHILE)) from None


def propose(organisation: Organisation, actor: User, *, group: str, name: str, email: str, starts_on: date,
            ends_on: date | None = None, title: str | None = None, phone: str | None = None,
            user: User | None = None, seat: int | None = None, replaces: Representative | None = None
            ) -> Representative:
    """File a proposal for a seat; when the adviser proposes, it is registered at once. The caller commits."""
    if not members.can_edit(actor, organisation):
        raise ServiceError(_("Bare kommunens kontaktperson eller FoU-rådgiveren kan foreslå representanter."))
    if group not in GROUPS:
        raise ServiceError(_("Velg styringsgruppen eller prosjektgruppen."), field="group")
    if by_position(organisation, group):
        if ends_on is not None:
            raise ServiceError(_("%(name)s sitter i styringsgruppen ved stilling, uten sluttdato. La "
                                 "sluttdatoen stå tom; når en ny person får stillingen, velger du «Erstatt».",
                                 name=organisation.name), field="ends_on")
        if not (title or "").strip():
            raise ServiceError(_("Skriv stillingen som gir plassen i styringsgruppen, for eksempel «Rektor»."),
                               field="title")
    else:
        ends_on = ends_on or default_end(starts_on)
        if starts_on > ends_on:
            raise ServiceError(_("Sluttdatoen kan ikke være før startdatoen."), field="ends_on")
    if not seated_on(organisation, starts_on):
        raise ServiceError(_not_seated(organisation, starts_on), field="starts_on")
    if user is not None and user.organisation_id != organisation.id:
        raise ServiceError(_("Brukeren hører ikke til %(name)s.", name=organisation.name), field="user_id")
    ignore = ()
    if replaces is not None:
        if (replaces.organisation_id, replaces.group, replaces.state) != (organisation.id, group, APPROVED):
            raise ServiceError(_("Representanten som skal erstattes, hører ikke til denne plassen."))
        if starts_on <= replaces.starts_on:
            raise ServiceError(_("Den nye perioden må begynne etter at %(name)s begynte (%(date)s).",
                                 name=replaces.name, date=_fmt(replaces.starts_on)), field="starts_on")
        seat, ignore = replaces.seat, (replaces.id,)
    seat = _pick_seat(organisation, group, seat, starts_on, ends_on, ignore)
    term = Representative(organisation_id=organisation.id, group=group, seat=seat, name=name.strip(),
                          title=(title or "").strip() or None, email=email.strip().lower(),
                          phone=(phone or "").strip() or None, user_id=user.id if user else None,
                          starts_on=starts_on, ends_on=ends_on, state=PROPOSED, state_since=clock.now(),
                          replaces_id=replaces.id if replaces else None,
                          proposed_by_id=actor.id, proposed_at=clock.now())
    db.session.add(term)
    db.session.flush()
    _lock_seat(term)
    if _clash(organisation, group, seat, starts_on, ends_on, ignore=(term.id, *ignore)):
        raise Conflict(str(SEAT_TAKEN_MEANWHILE))  # it was free when checked above: someone filled it since
    audit.record(actor, "representative.propose", term.audit_type, term.id, to_state=PROPOSED, data=_facts(term))
    if ADVISER in actor.roles:  # the approver's own entry: no proposal to herself
        workflow.perform(term, "register", actor)
    return term


def _pick_seat(organisation, group, seat, starts_on, ends_on, ignore) -> int:
    """The requested seat if it is free for the whole period, or else the first free one in the group."""
    limit = SEATS_PER_GROUP[group]
    if seat is not None:
        if not 1 <= seat <= limit:
            message = ngettext("%(group)s har %(num)d plass per part.", "%(group)s har %(num)d plasser per part.",
                               limit, group=GROUPS[group]) if organisation.is_party else \
                ngettext("%(group)s har %(num)d plass per kommune.", "%(group)s har %(num)d plasser per kommune.",
                         limit, group=GROUPS[group])
            raise ServiceError(message, field="group")
        clash = _clash(organisation, group, seat, starts_on, ends_on, ignore=ignore)
        if clash:
            raise ServiceError(_clash_message(clash), field="starts_on")
        return seat
    for candidate in range(1, limit + 1):
        if _clash(organisation, group, candidate, starts_on, ends_on, ignore=ignore) is None:
            return candidate
    if ends_on is None:
        raise ServiceError(_("%(name)s har allerede noen i %(group)s ved stilling fra %(date)s. Når en ny person "
                             "får stillingen, velger du «Erstatt» ved den som har den nå.", name=organisation.name,
                             group=GROUPS[group].lower(), date=_fmt(starts_on)), field="group")
    raise ServiceError(ngettext(
        "%(group)s har allerede %(num)d representant fra %(name)s i hele eller deler av perioden %(period)s, og det "
        "er det høyeste antallet avtalen tillater. Velg «Erstatt» ved representanten som skal gå ut.",
        "%(group)s har allerede %(num)d representanter fra %(name)s i hele eller deler av perioden %(period)s, og "
        "det er det høyeste antallet avtalen tillater. Velg «Erstatt» ved representanten som skal gå ut.",
        limit, group=GROUPS[group], name=organisation.name, period=_period(starts_on, ends_on)),
        field="group")


def _facts(term: Representative) -> dict:
    """What the audit event keeps about a term: the seat and the period; the person only by user id."""
    return {"organisation": term.organisation_id, "group": term.group, "seat": term.seat, "user": term.user_id,
            "starts_on": term.starts_on.isoformat(), "ends_on": term.ends_on.isoformat() if term.ends_on else None,
            "replaces": term.replaces_id}


def hold_seat(term: Representative, actor: User | None, data: dict) -> None:
    """Approving: the municipality is a member (a party exists) when the term starts, and no other approved term
    holds the seat then (the one it replaces aside)."""
    if not seated_on(term.organisation, term.starts_on):
        raise ServiceError(_not_seated(term.organisation, term.starts_on))
    _lock_seat(term)
    clash = _clash(term.organisation, term.group, term.seat, term.starts_on, term.ends_on, states=(APPROVED,),
                   ignore=(term.id, term.replaces_id))
    if clash:
        raise ServiceError(_clash_message(clash))


def take_over(term: Representative, actor: User | None, data: dict) -> None:
    """A replacement in office: the old term ends the day before the new one starts."""
    replaced = term.replaces
    if replaced is not None and replaced.last_day >= term.starts_on:
        _shorten(replaced, term.starts_on - timedelta(days=1), actor, REPLACED, replaced_by=term.id)


def tell_proposer(term: Representative, actor: User | None, data: dict) -> None:
    """The proposer hears what the adviser decided, and why."""
    proposer = term.proposed_by
    if actor is not None and proposer.id != actor.id and proposer.active:
        approved = term.state == APPROVED
        subject = _l("Forslaget om %(name)s som representant er godkjent", name=term.name) if approved else \
            _l("Forslaget om %(name)s som representant er avvist", name=term.name)
        mail.queue(proposer.email, subject, "representative_decided", locale=letters.locale_of_person(proposer),
                   term=term, approved=approved, decided_by=actor, comment=data.get("comment"))


def _shorten(term: Representative, last_day: date, actor: User | None, reason: str,
             replaced_by: int | None = None) -> None:
    before = term.ends_on
    term.ends_on = last_day
    facts = {"ends_on_before": before.isoformat() if before else None, "ends_on": last_day.isoformat()}
    if replaced_by is not None:
        facts["replaced_by"] = replaced_by
    audit.record(actor, "representative.end", term.audit_type, term.id, comment=reason, data=facts)


def end_terms(organisation: Organisation, last_day: date, actor: User | None, reason: str) -> None:
    """The membership ended: terms stop after `last_day`; later terms and waiting proposals lapse."""
    lapse = REPRESENTATIVE.spec("lapse")
    for term in _terms(organisation, *HOLDING):
        if term.waiting or term.starts_on > last_day:
            workflow.apply(term, lapse, actor, comment=reason)
        elif term.last_day > last_day:
            _shorten(term, last_day, actor, reason)


def actions(term: Representative, user: User) -> list[workflow.Action]:
    """The steps `user` may take on the term now, as buttons (none of them needs a request approved)."""
    return [action for action in workflow.actions(term, user, waiting=[]) if action.allowed]


def proposals_query(details: bool = True) -> Select:
    """Every proposal waiting for the adviser, oldest first, with its organisation (and with `details`, what the
    inbox shows of it: the proposer's name, not their roles or organisation, and the term it replaces)."""
    stmt = select(Representative).where(Representative.state == PROPOSED) \
        .order_by(Representative.proposed_at, Representative.id)
    if not details:
        return stmt.options(joinedload(Representative.organisation))
    return stmt.options(
        selectinload(Representative.organisation),
        selectinload(Representative.proposed_by).options(lazyload(User.role_rows), lazyload(User.organisation)),
        selectinload(Representative.replaces))


def load_proposers(terms: list[Representative]) -> None:
    """Load who proposed the waiting proposals among `terms`, by name (not their roles or organisation), in one
    statement (lazily, two each)."""
    waiting = [term for term in terms if term.waiting]
    if waiting:
        found = {user.id: user for user in db.session.scalars(
            select(User).where(User.id.in_({term.proposed_by_id for term in waiting}))
            .options(lazyload(User.role_rows), lazyload(User.organisation)))}
        for term in waiting:
            set_committed_value(term, "proposed_by", found[term.proposed_by_id])


def proposals_count_query() -> Select:
    return select(func.count()).select_from(Representative).where(Representative.state == PROPOSED)


def decision_comments(terms: list[Representative]) -> dict[int, str]:
    """What the adviser wrote when deciding each term that has a comment (from the audit log), by term id."""
    decisions = [f"{REPRESENTATIVE.name}.{trigger}" for trigger in ("approve", "reject")]
    rows = db.session.execute(select(AuditEvent.object_id, AuditEvent.comment).where(
        AuditEvent.object_type == Representative.audit_type, AuditEvent.object_id.in_([t.id for t in terms]),
        AuditEvent.action.in_(decisions), AuditEvent.comment.is_not(None)).order_by(AuditEvent.seq))
    return {object_id: comment for object_id, comment in rows}


def days_left(term: Representative, today: date) -> int:
    return (term.ends_on - today).days


def successor(term: Representative, holding: list[Representative] | None = None) -> Representative | None:
    """A term (approved or proposed) in the same seat that takes over when this one ends.

    `holding`: the municipality's terms holding a seat, when they have been read already."""
    if holding is None:
        holding = _terms(term.organisation, *HOLDING)
    return next((t for t in holding
                 if t.id != term.id and t.group == term.group and t.seat == term.seat and term.starts_on < t.starts_on
                 and (term.by_position or t.starts_on <= term.ends_on + timedelta(days=1))), None)


def ending_soon(term: Representative, today: date, holding: list[Representative] | None = None) -> bool:
    """Flag a current term that ends within 60 days when nobody has been named to take over."""
    return term.state == APPROVED and not term.by_position and 0 <= days_left(term, today) <= TERM_ENDING_DAYS \
        and successor(term, holding) is None


@dataclass
class Seat:
    group: str
    number: int
    current: Representative | None
    upcoming: list[Representative]
    flagged: bool
    vacant_since: date | None = None  # the day after the last term in the seat ended, while nobody holds it

    @property
    def label(self) -> str:
        return seat_label(self.group, self.number)

    @property
    def to_fill(self) -> bool:
        """Nobody holds the seat today, and nobody has been proposed or approved to take it."""
        return self.current is None and not self.upcoming

    @property
    def needs_attention(self) -> bool:
        """The municipality has someone to propose: the seat is empty, or its term ends soon with no successor."""
        return self.to_fill or self.flagged

    @property
    def next_start(self) -> date | None:
        """The first day after the current term, where a successor's term begins (none for a seat by position)."""
        return self.current.ends_on + timedelta(days=1) if self.current and self.current.ends_on else None


def seats(organisation: Organisation, today: date) -> list[Seat]:
    """The organisation's three seats today: who holds each, who comes next, and whether it needs attention."""
    return seats_of([organisation], today)[organisation.id]


def seats_from(history_of: list[Representative], today: date) -> list[Seat]:
    """`seats` from the organisation's `history` (read already), without reading the terms again."""
    return _seats([term for term in reversed(history_of) if term.state in HOLDING], today)


def seats_of(organisations: list[Organisation], today: date) -> dict[int, list[Seat]]:
    """`seats` of each municipality, by organisation id, in one query."""
    holding = {organisation.id: [] for organisation in organisations}
    for term in db.session.scalars(select(Representative).where(
            Representative.organisation_id.in_(holding), Representative.state.in_(HOLDING))
            .order_by(Representative.starts_on, Representative.id)):
        holding[term.organisation_id].append(term)
    return {organisation_id: _seats(terms, today) for organisation_id, terms in holding.items()}


def holders_on(organisation_ids: list[int], today: date) -> list[tuple[int, str, str, str | None]]:
    """(organisation id, group, name, title) of whoever holds each seat of these organisations on `today` (the
    `current` of their `seats`), in one query and without loading the terms."""
    holders = {}
    for organisation_id, group, seat, name, title in db.session.execute(
            select(Representative.organisation_id, Representative.group, Representative.seat, Representative.name,
                   Representative.title).where(Representative.organisation_id.in_(organisation_ids), in_office(today))
            .order_by(Representative.starts_on, Representative.id)):
        holders[organisation_id, group, seat] = (organisation_id, group, name, title)  # the latest to start holds it
    return list(holders.values())


def _seats(holding: list[Representative], today: date) -> list[Seat]:
    """The seats from the municipality's terms holding a seat, in the order they start."""
    result = []
    for group, limit in SEATS_PER_GROUP.items():
        for number in range(1, limit + 1):
            mine = [t for t in holding if t.group == group and t.seat == number]
            # The latest to start of the approved terms covering the day (`in_office`, as `holders_on` asks it).
            current = next((t for t in reversed(mine) if t.state == APPROVED and t.covers(today)), None)
            upcoming = [t for t in mine if t.starts_on > today or t.waiting]
            ended = [t.last_day for t in mine if t.state == APPROVED and t.last_day < today]
            result.append(Seat(group, number, current, upcoming,
                               bool(current and ending_soon(current, today, holding)),
                               max(ended) + timedelta(days=1) if ended and current is None else None))
    return result


def parties(today: date) -> list[tuple[Organisation, list[Seat]]]:
    """The parties that exist today (Bergen first), each with its seats today, in two queries."""
    found = list(db.session.scalars(select(Organisation).where(Organisation.is_party, Organisation.active_on(today))
                                    .order_by(Organisation.is_host.desc(), Organisation.sort_key)))
    seats = seats_of(found, today)
    return [(organisation, seats[organisation.id]) for organisation in found]


def seats_filled_on(today: date):
    """SQL: how many seats the organisation of the enclosing query has filled on `today` (approved terms)."""
    return select(func.count()).where(
        Representative.organisation_id == Organisation.id, in_office(today)).scalar_subquery()


def history(organisation: Organisation) -> list[Representative]:
    """Every term and proposal of the municipality, newest first."""
    return list(reversed(_terms(organisation)))


def contacts_of(organisation: Organisation) -> list[str]:
    """Where reminders go: the municipality's contact persons, or else its administrative contact."""
    people = db.session.scalars(select(User).where(
        User.organisation_id == organisation.id, User.active.is_(True),
        User.role_rows.any(role=MUNICIPALITY_CONTACT)).order_by(User.id))
    emails = [person.email for person in people]
    if not emails and (contact := members.admin_contact(organisation)):
        emails = [contact.email]
    return emails


def remind_ending_terms(today: date) -> list[str]:
    """Daily: mail the municipality once per term that ends within 60 days with no successor named."""
    done = []
    terms = db.session.scalars(select(Representative).where(
        Representative.state == APPROVED, Representative.ends_on >= today,
        Representative.ends_on <= today + timedelta(days=TERM_ENDING_DAYS)).order_by(Representative.id))
    for term in terms:
        if not ending_soon(term, today) or not members.is_member(term.organisation):
            continue
        subject = _l("Perioden til %(name)s i styringsgruppen slutter %(date)s", name=term.name,
                     date=_fmt(term.ends_on)) if term.group == STEERING_GROUP else \
            _l("Perioden til %(name)s i prosjektgruppen slutter %(date)s", name=term.name, date=_fmt(term.ends_on))
        for email in contacts_of(term.organisation):
            queued = mail.queue(email, subject, "representative_term_ending", locale=letters.locale_of(term.organisation),
                                term=term,
                                days=days_left(term, today),
                                dedupe_key=f"representative-term-ending:{term.id}:{email}")
            if queued:
                done.append(f"Påminnelse til {email}: perioden til {term.name} ({term.organisation.name}) "
                            f"slutter {_fmt(term.ends_on)}.")
    return done


def term_end_dates(user: User):
    """Calendar: the last day of each approved term not yet over, of the municipalities `user` may see."""
    stmt = select(Representative).join(Representative.organisation).options(
        contains_eager(Representative.organisation)).where(
        Representative.state == APPROVED, Representative.ends_on >= clock.today(),
        access.visible(user, Representative.organisation_id)).order_by(Representative.ends_on, Representative.id)
    for term in db.session.scalars(stmt):
        yield calendar.Entry(
            f"representant-{term.id}", _("Representantperioden slutter: %(name)s (%(organisation)s)", name=term.name,
                                         organisation=term.organisation.name),
            day=term.ends_on, path=f"/medlemskap/{term.organisation_id}",
            description=_("Siste dag for %(name)s i %(seat)s for %(organisation)s.", name=term.name,
                          seat=term.seat_label.lower(), organisation=term.organisation.display_name))

