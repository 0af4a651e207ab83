"""The cost-sharing key of the shared R&D resource (agreement §11): drafting it, its shares per party and year, the
key in force, what an enlargement costs each party, and the export for the finance department.

The arithmetic is `workflows.key_shares`; the steps (submit, return, decide) go through `workflow.perform`.
"""
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l
from openpyxl import Workbook
from sqlalchemy import func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import joinedload, lazyload, selectinload, subqueryload

from app import clock
from app.extensions import db
from app.models import (AuditEvent, Contribution, CostKey, CostKeyParty, CostKeyShare, Meeting, MembershipCase,
                        Organisation, User)
from app.models.cost_key import AGREEMENT
from app.models.meeting import STEERING_MEETING
from app.models.organisation import COUNTY, MUNICIPALITY
from app.services import ServiceError, audit, contributions, meeting_items, members, organisations
from app.spreadsheets import safe_cell
from workflows import COST_KEY
from workflows.cost_key import DECIDED, DRAFT
from workflows.roles import ADVISER
from workflows.key_shares import METHODS, PERCENT, ShareError, check_period, kroner, split

EARLIEST, LATEST = 2000, 2100
MAX_BUDGET = 1_000_000_000


@dataclass
class KeyDraft:
    """What the adviser types: the period, the yearly budget and the larger parties' percentages or amounts."""

    first_year: int
    last_year: int
    budget: int
    method: str
    remainder_to_id: int
    values: dict[int, int]  # organisation id -> hundredths of a per cent, or kroner a year
    note: str = ""


def larger_parties(first_year: int | None = None, last_year: int | None = None) -> list[Organisation]:
    """The parties that share the rest of the budget: the host (Bergen) and the parties that are not
    municipalities, registered for some day of the period when one is given."""
    stmt = select(Organisation).where(or_(Organisation.is_host, Organisation.kind.not_in((MUNICIPALITY, COUNTY))))
    if first_year is not None:
        stmt = stmt.where(or_(Organisation.active_from.is_(None), Organisation.active_from <= date(last_year, 12, 31)),
                          or_(Organisation.active_to.is_(None), Organisation.active_to >= date(first_year, 1, 1)))
    return list(db.session.scalars(stmt.order_by(Organisation.is_host.desc(), Organisation.sort_key)))


def municipal_amounts(year: int) -> list[tuple[Organisation, int, int]]:
    """(municipality, fixed amount, agreement id) for each municipality that is a member on some day of `year` (as
    far as is known today) under an agreement whose contribution period holds the year."""
    found = {}
    cases = db.session.scalars(select(MembershipCase).join(Organisation).where(~Organisation.is_host)
                               .options(selectinload(MembershipCase.agreements)).order_by(MembershipCase.id))
    for case in cases:
        agreement = contributions.billing_agreement(case, year)
        if agreement is None or case.organisation_id in found:
            continue
        if any(p.first <= date(year, 12, 31) and (p.last is None or p.last >= date(year, 1, 1))
               for p in members.member_periods(case)):
            found[case.organisation_id] = (case.organisation, agreement.contribution, agreement.id)
    return sorted(found.values(), key=lambda row: row[0].sort_key)


def _check(draft: KeyDraft) -> list[CostKeyShare]:
    """The key's shares for each year of its period, or ServiceError saying (in bokmål) what does not add up."""
    if not (EARLIEST <= draft.first_year <= LATEST and EARLIEST <= draft.last_year <= LATEST):
        raise ServiceError(_("Velg år mellom %(first)s og %(last)s.", first=EARLIEST, last=LATEST), field="first_year")
    try:
        check_period(draft.first_year, draft.last_year)
    except ShareError as error:
        raise ServiceError(str(error), field="last_year")
    if not 0 < draft.budget <= MAX_BUDGET:
        raise ServiceError(_("Skriv budsjettet i hele kroner, større enn 0."), field="budget")
    if draft.method not in METHODS:
        raise ServiceError(_("Velg hvordan resten fordeles."), field="method")
    parties = {org.id: org for org in larger_parties(draft.first_year, draft.last_year)}
    values = {org_id: value for org_id, value in draft.values.items() if value}
    if not values:
        raise ServiceError(_("Skriv inn andelen til minst én av partene."))
    if set(values) - set(parties):
        raise ServiceError(_("En av partene deltar ikke i perioden."))
    if draft.remainder_to_id not in values:
        raise ServiceError(_("Parten som får resten etter avrunding, må ha en andel i nøkkelen."),
                           field="remainder_to_id")
    shares, problems = [], []
    for year in range(draft.first_year, draft.last_year + 1):
        fixed = municipal_amounts(year)
        rest = draft.budget - sum(amount for _, amount, _ in fixed)
        if rest < 0:
            problems.append(_("%(year)s: kommunenes faste beløp (%(fixed)s) er mer enn budsjettet (%(budget)s).",
                              year=year, fixed=kroner(draft.budget - rest), budget=kroner(draft.budget)))
            continue
        try:
            split_shares = split(rest, values, draft.method, draft.remainder_to_id)
        except ShareError as error:
            problems.append(f"{year}: {error}")
            continue
        shares += [CostKeyShare(year=year, organisation=org, amount=amount, basis=AGREEMENT,
                                agreement_id=agreement_id) for org, amount, agreement_id in fixed]
        shares += [CostKeyShare(year=year, organisation=parties[org_id], amount=split_shares[org_id], basis=draft.method,
                                percent=values[org_id] if draft.method == PERCENT else None)
                   for org_id in parties if org_id in values]
    if problems:
        raise ServiceError(_("Andelene går ikke opp i budsjettet. %(problems)s", problems=" ".join(problems)))
    return shares


def _store(key: CostKey, draft: KeyDraft, actor: User) -> None:
    key.first_year, key.last_year, key.budget, key.method = (draft.first_year, draft.last_year, draft.budget,
                                                             draft.method)
    key.remainder_to_id, key.note, key.drafted_by_id = draft.remainder_to_id, draft.note.strip(), actor.id
    key.parties = [CostKeyParty(organisation_id=org_id, value=value)
                   for org_id, value in sorted(draft.values.items()) if value]
    key.shares = _check(draft)


def create(draft: KeyDraft, actor: User) -> CostKey:
    """A new draft key (audited). The caller commits."""
    key = CostKey(state=COST_KEY.initial, version=1)
    _store(key, draft, actor)
    db.session.add(key)
    db.session.flush()
    audit.record(actor, "cost_key.create", key.audit_type, key.id,
                 data={"first_year": key.first_year, "last_year": key.last_year, "budget": key.budget})
    return key


def edit_refusal(key: CostKey, actor: User) -> str | None:
    """Why `actor` may not change the key: only a draft changes, and only the adviser changes it."""
    if key.state != DRAFT:
        return _("Nøkkelen er «%(state)s» og kan ikke endres.", state=COST_KEY.label(key.state))
    if not ADVISER in key.roles_of(actor):
        return _("Bare FoU-rådgiveren kan endre et utkast.")
    return None


def revise(key: CostKey, draft: KeyDraft, actor: User) -> None:
    """Change a draft (audited); a submitted or decided key is refused. The caller commits."""
    reason = edit_refusal(key, actor)
    if reason:
        raise ServiceError(reason)
    key.shares.clear()
    key.parties.clear()
    db.session.flush()  # the old shares and parties go before the new ones take their (key, year, party), (key, party)
    _store(key, draft, actor)
    key.version += 1
    audit.record(actor, "cost_key.update", key.audit_type, key.id,
                 data={"first_year": key.first_year, "last_year": key.last_year, "budget": key.budget})


def refresh_shares(key: CostKey, actor: User, data: dict) -> None:
    """After `submit`: the shares again from the agreements in force now, so that the steering group decides on
    today's figures (refused if they no longer add up)."""
    shares = _check(draft_of(key))
    key.shares.clear()
    db.session.flush()
    key.shares = shares


def draft_of(key: CostKey) -> KeyDraft:
    return KeyDraft(key.first_year, key.last_year, key.budget, key.method, key.remainder_to_id,
                    {p.organisation_id: p.value for p in key.parties}, key.note)


def record_decision(key: CostKey, actor: User, data: dict) -> None:
    """After `decide`: the date, the steering-group meeting's agenda item (if the meeting is in the app; its number
    and title unless another text is given), and the vedtak. Without an item, the meeting (if in the app) and the
    item as text."""
    decided_on = date.fromisoformat(data["decided_on"])
    item = meeting_items.under(data.get("meeting_item_id"), STEERING_MEETING)
    meeting_id = item.meeting_id if item else data.get("meeting_id") or None
    if meeting_id is not None and item is None:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.kind != STEERING_MEETING:
            raise ServiceError(_("Velg et styringsgruppemøte."), field="meeting_id")
    agenda_item = (data.get("agenda_item") or "").strip() or (item.label[:200] if item else "")
    decision = (data.get("comment") or "").strip()
    if not agenda_item:
        raise ServiceError(_("Velg saken, eller skriv den hvis møtet ikke er registrert her."), field="agenda_item")
    if not decision:
        raise ServiceError(_("Skriv vedtaket."), field="comment")
    key.decided_on, key.meeting_id, key.agenda_item, key.decision = decided_on, meeting_id, agenda_item, decision
    key.meeting_item = item


def bill_shares(year: int, actor: User | None = None) -> list[Contribution]:
    """The larger parties' ledger lines for `year` from the key in force (a municipality's share is its agreement's
    line): a missing line is made; a line not yet invoiced follows a later decision (an enlargement); an invoiced
    line stays as it was billed. Each change is logged; returns the lines made or changed."""
    key = in_force(year)
    changed = []
    for share in key.shares if key else ():
        if share.year != year or share.basis == AGREEMENT:
            continue
        entry = contributions.line(share.organisation, year)
        if entry is None:
            entry = Contribution(organisation_id=share.organisation_id, cost_key_id=key.id, year=year,
                                 amount=share.amount, created_at=clock.now())
            db.session.add(entry)
            db.session.flush()
            audit.record(actor, "contribution.expect", entry.audit_type, entry.id, data={
                "organisation_id": share.organisation_id, "year": year, "amount": share.amount, "cost_key": key.id})
        elif entry.cost_key_id not in (None, key.id) and entry.invoiced_on is None and entry.cancelled_at is None:
            audit.record(actor, "contribution.rekey", entry.audit_type, entry.id, data={
                "before": {"amount": entry.amount, "cost_key": entry.cost_key_id}, "amount": share.amount,
                "cost_key": key.id})
            entry.cost_key_id, entry.amount = key.id, share.amount
        else:
            continue
        changed.append(entry)
    return changed


def bill_decided(key: CostKey, actor: User, data: dict) -> None:
    """After `decide`: the parties' lines of the key's years up to this one."""
    for year in key.years:
        if year <= clock.today().year:
            bill_shares(year, actor)


def new_year_shares(today: date) -> list[str]:
    """Daily: the larger parties owe their share of the year under the key in force as soon as the year starts."""
    return [f"Andel {entry.year} for {entry.organisation.name} etter fordelingsnøkkelen er registrert."
            for entry in bill_shares(today.year)]


def in_force(year: int, *, besides: CostKey | None = None) -> CostKey | None:
    """The decided key for `year`: of the decided keys whose period holds the year, the one decided last (an
    enlargement mid-period is a new decision that takes over for its years)."""
    return in_force_by_year([year], besides=besides)[year]


def in_force_by_year(years: Sequence[int], *, besides: CostKey | None = None) -> dict[int, CostKey | None]:
    """`in_force` for each of `years`, read in one query."""
    stmt = select(CostKey).where(CostKey.state == DECIDED, CostKey.first_year <= max(years),
                                 CostKey.last_year >= min(years))
    if besides is not None:
        stmt = stmt.where(CostKey.id != besides.id)
    latest_first = list(db.session.scalars(stmt.order_by(CostKey.decided_on.desc(), CostKey.id.desc())))
    return {year: next((key for key in latest_first if key.first_year <= year <= key.last_year), None)
            for year in years}


def share_for(organisation: Organisation, year: int) -> tuple[int, CostKey] | None:
    """What `organisation` pays towards the R&D resource in `year` under the key in force, and that key."""
    key = in_force(year)
    if key is None:
        return None
    amount = db.session.scalar(select(CostKeyShare.amount).where(
        CostKeyShare.key_id == key.id, CostKeyShare.year == year, CostKeyShare.organisation_id == organisation.id))
    return None if amount is None else (amount, key)


@dataclass
class Difference:
    party: str  # the organisation's name
    before: int  # under the key in force (0 when it names no share)
    after: int

    @property
    def more(self) -> int:
        return self.after - self.before


def _shares_of(key: CostKey, year: int) -> tuple:
    return CostKeyShare.key_id == key.id, CostKeyShare.year == year


def shares(key: CostKey, year: int, offset: int, limit: int) -> list[tuple[CostKeyShare, str]]:
    """The key's shares of `year` from `offset`, at most `limit`, in the key's order, each with its party's name
    (the page shows nothing else of the party)."""
    return db.session.execute(select(CostKeyShare, Organisation.name).join(CostKeyShare.organisation)
                              .where(*_shares_of(key, year)).options(lazyload(CostKeyShare.organisation))
                              .order_by(CostKeyShare.id).offset(offset).limit(limit)).all()


def differences(key: CostKey, current: CostKey | None, year: int) -> list[Difference]:
    """Per party with a share of `year` under either, what it pays under `current` (the key in force besides this
    one, `in_force(year, besides=key)`) and under this key, the largest increase first."""
    def paid(under: CostKey | None):
        return func.coalesce(func.sum(sql_case((CostKeyShare.key_id == (under.id if under else None),
                                                 CostKeyShare.amount), else_=0)), 0)

    before, after = paid(current), paid(key)
    compared = CostKeyShare.key_id.in_([key.id] + ([current.id] if current else [])), CostKeyShare.year == year
    rows = db.session.execute(select(Organisation.name, before, after).join(CostKeyShare.organisation)
                              .where(*compared).group_by(Organisation.id)
                              .order_by((after - before).desc(), Organisation.sort_key, Organisation.id))
    return [Difference(*row) for row in rows]


def listing() -> list[CostKey]:
    """Every key, newest period first, the later draft or decision first within a period."""
    return list(db.session.scalars(select(CostKey).options(selectinload(CostKey.remainder_to))
                                   .order_by(CostKey.first_year.desc(), CostKey.id.desc())))


def history(key: CostKey) -> list[AuditEvent]:
    return audit.events_for(key.audit_type, key.id)


def last_return(key: CostKey) -> str | None:
    """What the steering group asked to change, while the key is back with the adviser."""
    if key.state != DRAFT:
        return None
    return db.session.scalar(select(AuditEvent.comment).where(
        AuditEvent.object_type == key.audit_type, AuditEvent.object_id == key.id,
        AuditEvent.action == f"{COST_KEY.name}.return_for_changes").order_by(AuditEvent.seq.desc()).limit(1))


@dataclass(frozen=True)
class YearFigures:
    shares: int  # how many
    total: int


def year_figures(key: CostKey) -> dict[int, YearFigures]:
    """Per year of the key, how many shares it names and their sum."""
    figures = dict.fromkeys(key.years, YearFigures(0, 0))
    figures.update((year, YearFigures(count, total)) for year, count, total in db.session.execute(
        select(CostKeyShare.year, func.count(), func.sum(CostKeyShare.amount)).where(CostKeyShare.key_id == key.id)
        .group_by(CostKeyShare.year)))
    return figures


EXPORT_HEADER = (_l("År"), _l("Part"), _l("Organisasjonsnummer"), _l("Grunnlag"), _l("Beløp (kr)"),
                 _l("Fordelingsnøkkel"), _l("Vedtak"))


def export_rows(key: CostKey) -> list[tuple]:
    """One row per party and year, named as that year (31.12), with the key and its decision for reference."""
    decided = f"{key.decided_on:%d.%m.%Y}, {key.agenda_item}" if key.decided_on else COST_KEY.label(key.state)
    rows = []
    shares = db.session.scalars(
        select(CostKeyShare).where(CostKeyShare.key_id == key.id)
        # subqueryload: one statement each however many parties (selectinload batches by 500)
        .options(joinedload(CostKeyShare.organisation).options(subqueryload(Organisation.names),
                                                               subqueryload(Organisation.numbers)))
        .order_by(CostKeyShare.year, CostKeyShare.id))
    for share in shares:
        identity = organisations.on(share.organisation, date(share.year, 12, 31))
        rows.append((share.year, identity.name, identity.org_number or "", share.basis_label, share.amount,
                     key.title, decided))
    return rows


def to_csv(key: CostKey) -> bytes:
    """The shares as CSV that Excel in Norwegian opens directly: semicolons, UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(title) for title in EXPORT_HEADER])
    for row in export_rows(key):
        writer.writerow([safe_cell(str(value)) for value in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(key: CostKey) -> bytes:
    """The shares as an Excel workbook: one sheet, amounts as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{key.first_year}-{key.last_year}"
    sheet.append([str(title) for title in EXPORT_HEADER])
    for row in export_rows(key):
        sheet.append([value if isinstance(value, int) else safe_cell(value) for value in row])
    for column, width in zip("ABCDEFG", (8, 34, 20, 28, 14, 28, 40)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

