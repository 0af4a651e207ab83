"""The organisation register: organisations, their names and numbers over time, and what they were on a date.

"What was its name and number on date D" is `on(org, D)`. Letters, agreements and documents name an organisation
as it was on their own date; pages show it as it is today (the organisation's own columns, kept here).
"""
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import clock, search
from app.extensions import db
from app.models import Organisation, User
from app.models.organisation import (COUNTY, KIND_LABELS, MUNICIPALITY, MUNICIPALITY_NUMBER, ORGANISATION_NUMBER,
                                     REGIONS, SCHEME_LABELS, WRITTEN_STANDARDS, OrganisationName,
                                     OrganisationNumber)
from app.services import ServiceError, audit

# What a municipality's or county's official name ends with; the name in lists is the rest ("Voss herad" → "Voss").
FORMS = (" fylkeskommune", " kommune", " herad")
# Weights of the modulus-11 check digit of a Norwegian organisation number (Brønnøysundregistrene).
ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Identity:
    """An organisation as it was on one day."""

    name: str
    official_name: str
    number: str | None
    org_number: str | None
    written_standard: str


@dataclass(frozen=True)
class Period:
    """One value in the history, with the first and last day it held (None: open)."""

    value: object
    first: date | None
    last: date | None


# --- numbers ------------------------------------------------------------------------------------------------------

def org_number_valid(value: str) -> bool:
    """Nine digits whose last is the modulus-11 check digit of the first eight (weights 3 2 7 6 5 4 3 2)."""
    if not re.fullmatch(r"\d{9}", value):
        return False
    remainder = sum(int(d) * w for d, w in zip(value, ORG_NUMBER_WEIGHTS)) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(value[8])


def clean_org_number(value: str | None) -> str | None:
    """An organisation number as typed ("964 338 531") without its spaces, checked; None when empty."""
    value = re.sub(r"\s", "", value or "")
    if not value:
        return None
    if not re.fullmatch(r"\d{9}", value):
        raise ServiceError(_("Organisasjonsnummeret må ha ni sifre."), field="org_number")
    if not org_number_valid(value):
        raise ServiceError(_("Organisasjonsnummeret %(number)s finnes ikke: kontrollsifferet stemmer ikke. "
                             "Sjekk at alle sifrene er riktige.", number=value), field="org_number")
    return value


def clean_municipality_number(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise ServiceError(_("Kommunenummeret må ha fire sifre, for eksempel 4601."), field="number")
    return value


# --- what it was on a day -----------------------------------------------------------------------------------------

def _start(row) -> tuple:
    return row.valid_from is not None, row.valid_from or date.min


def _valid_row(rows: list, day: date):
    """The row in force on `day`: the latest that began on or before it (the first holds from the start)."""
    started = [row for row in rows if row.valid_from is None or row.valid_from <= day]
    return max(started, key=_start) if started else None


def _numbers(org: Organisation, scheme: str) -> list[OrganisationNumber]:
    return [row for row in org.numbers if row.scheme == scheme]


def on(org: Organisation, day: date | datetime) -> Identity:
    """Its name, official name, municipality number, organisation number and målform on `day`."""
    day = clock.day_of(day)
    name = _valid_row(org.names, day)
    number = _valid_row(_numbers(org, MUNICIPALITY_NUMBER), day)
    org_number = _valid_row(_numbers(org, ORGANISATION_NUMBER), day)
    return Identity(name.name, name.official_name, number.value if number else None,
                    org_number.value if org_number else None, org.written_standard)


def official_names_on(organisation_ids: set[int], day: date) -> dict[int, str]:
    """The official name of each of these organisations on `day` (as `on` gives it), in one query."""
    names = defaultdict(list)
    for row in db.session.execute(select(OrganisationName.organisation_id, OrganisationName.valid_from,
                                         OrganisationName.official_name)
                                  .where(OrganisationName.organisation_id.in_(organisation_ids))):
        names[row.organisation_id].append(row)
    return {organisation_id: _valid_row(rows, day).official_name for organisation_id, rows in names.items()}


def official_name(org: Organisation, day: date | datetime | None = None) -> str:
    """The official name on `day` (today by default): what a letter or mail of that day calls it."""
    return on(org, day or clock.today()).official_name


def periods(org: Organisation, rows: list) -> list[Period]:
    """Each row with the days it held, oldest first: until the day before the next, the last until the organisation's
    last day."""
    ordered = sorted(rows, key=_start)
    ends = [nxt.valid_from - timedelta(days=1) for nxt in ordered[1:]] + [org.active_to]
    return [Period(row, row.valid_from, end) for row, end in zip(ordered, ends)]


def history(org: Organisation) -> dict[str, list[Period]]:
    """The names and each kind of number over time, for the organisation's page."""
    return {"names": periods(org, org.names),
            MUNICIPALITY_NUMBER: periods(org, _numbers(org, MUNICIPALITY_NUMBER)),
            ORGANISATION_NUMBER: periods(org, _numbers(org, ORGANISATION_NUMBER))}


def by_number(number: str) -> Organisation | None:
    """The organisation that has or last had this municipality or organisation number."""
    rows = db.session.scalars(select(OrganisationNumber).where(OrganisationNumber.value == number)).all()
    return db.session.get(Organisation, max(rows, key=_start).organisation_id) if rows else None


def by_name(name: str) -> Organisation | None:
    """The first organisation that has or had this name (as lists show it)."""
    return db.session.scalar(select(Organisation).join(OrganisationName).where(OrganisationName.name == name)
                             .order_by(Organisation.id).limit(1))


# --- the register -------------------------------------------------------------------------------------------------

def short_name(official: str, kind: str) -> str:
    """The name in lists: a municipality's or county's official name without its form."""
    if kind in (MUNICIPALITY, COUNTY):
        for form in FORMS:
            if official.lower().endswith(form) and len(official) > len(form):
                return official[:-len(form)].strip()
    return official


def _overlaps(a_first, a_last, b_first, b_last) -> bool:
    return (a_first is None or b_last is None or a_first <= b_last) and \
        (b_first is None or a_last is None or b_first <= a_last)


def _check_number_free(org_id: int | None, scheme: str, value: str, first: date | None, last: date | None) -> None:
    """No other organisation carries the same number on any of the same days."""
    holders = db.session.scalars(select(Organisation).join(OrganisationNumber).where(
        OrganisationNumber.scheme == scheme, OrganisationNumber.value == value).distinct()).all()
    for other in (o for o in holders if o.id != org_id):
        for held in periods(other, _numbers(other, scheme)):
            if held.value.value == value and _overlaps(first, last, held.first, held.last):
                field = "number" if scheme == MUNICIPALITY_NUMBER else "org_number"
                message = _("Kommunenummeret %(number)s er registrert på %(name)s i samme periode.") \
                    if scheme == MUNICIPALITY_NUMBER else \
                    _("Organisasjonsnummeret %(number)s er registrert på %(name)s i samme periode.")
                raise ServiceError(message % {"number": value, "name": other.display_name}, field=field)


def _checked_details(kind: str, written_standard: str, region: str | None, active_from: date | None,
                     active_to: date | None) -> None:
    if kind not in KIND_LABELS:
        raise ServiceError(_("Velg hva slags organisasjon det er."), field="kind")
    if written_standard not in WRITTEN_STANDARDS:
        raise ServiceError(_("Velg målform."), field="written_standard")
    if region and region not in REGIONS:
        raise ServiceError(_("Velg en region fra listen."), field="region")
    if active_from and active_to and active_to < active_from:
        raise ServiceError(_("Siste dag kan ikke være før første dag."), field="active_to")


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation about to be added, checked and tidied."""

    kind: str
    name: str
    official_name: str
    number: str | None
    org_number: str | None
    written_standard: str
    mailbox: str | None
    region: str | None
    active_from: date | None


def check_new(*, kind: str, official_name: str, name: str | None = None, number: str | None = None,
              org_number: str | None = None, written_standard: str, mailbox: str | None = None,
              region: str | None = None, active_from: date | None = None) -> NewOrganisation:
    """What `register` would add, or its refusal."""
    official = " ".join((official_name or "").split())
    if not official:
        raise ServiceError(_("Skriv det offisielle navnet."), field="official_name")
    _checked_details(kind, written_standard, region, active_from, None)
    number, org_number = clean_municipality_number(number), clean_org_number(org_number)
    if number and kind != MUNICIPALITY:
        raise ServiceError(_("Bare kommuner har kommunenummer."), field="number")
    for scheme, value in ((MUNICIPALITY_NUMBER, number), (ORGANISATION_NUMBER, org_number)):
        if value:
            _check_number_free(None, scheme, value, active_from, None)
    return NewOrganisation(kind, " ".join((name or "").split()) or short_name(official, kind), official, number,
                           org_number, written_standard, mailbox or None, region or None, active_from)


def register(actor: User | None, *, is_host: bool = False, **facts) -> Organisation:
    """Add an organisation (the facts of `check_new`): its name and numbers hold from the start, until a change is
    recorded."""
    new = check_new(**facts)
    org = Organisation(kind=new.kind, name=new.name, official_name=new.official_name,
                       written_standard=new.written_standard, mailbox=new.mailbox, region=new.region,
                       active_from=new.active_from, is_host=is_host)
    org.names.append(OrganisationName(valid_from=None, name=new.name, official_name=new.official_name))
    for scheme, value in ((MUNICIPALITY_NUMBER, new.number), (ORGANISATION_NUMBER, new.org_number)):
        if value:
            org.numbers.append(OrganisationNumber(scheme=scheme, value=value, valid_from=None))
    db.session.add(org)
    db.session.flush()
    refresh(org)
    audit.record(actor, "organisation.register", "organisation", org.id, data={
        "kind": new.kind, "official_name": new.official_name, "number": new.number, "org_number": new.org_number,
        "written_standard": new.written_standard, "region": new.region, "active_from": _iso(new.active_from),
        "is_host": is_host, "name_id": org.names[0].id, "number_ids": [row.id for row in org.numbers]})
    return org


@dataclass(frozen=True)
class Change:
    """A change of name and/or numbers from a day, checked, with what held before."""

    valid_from: date
    before: Identity
    name: str | None = None  # the new name in lists and official name, or None
    official_name: str | None = None
    numbers: tuple[tuple[str, str], ...] = ()  # (scheme, new value)

    @property
    def lines(self) -> list[str]:
        """What changes, in words: "Kommunenummer: 1201 → 4601"."""
        found = []
        if self.official_name and self.official_name != self.before.official_name:
            found.append(_("Navn: %(old)s → %(new)s", old=self.before.official_name, new=self.official_name))
        elif self.official_name:
            found.append(_("Navn i lister: %(old)s → %(new)s", old=self.before.name, new=self.name))
        old = {MUNICIPALITY_NUMBER: self.before.number, ORGANISATION_NUMBER: self.before.org_number}
        return found + [_("%(label)s: %(old)s → %(new)s", label=SCHEME_LABELS[scheme], old=old[scheme] or _("ingen"),
                          new=value) for scheme, value in self.numbers]


def check_change(org: Organisation, valid_from: date | None, *, official_name: str | None = None,
                 name: str | None = None, number: str | None = None, org_number: str | None = None) -> Change:
    """What `record_change` would record, or its refusal."""
    if valid_from is None:
        raise ServiceError(_("Skriv datoen endringen gjelder fra."), field="valid_from")
    if org.active_from and valid_from <= org.active_from:
        raise ServiceError(_("Endringen må gjelde fra en dag etter %(date)s, da %(name)s ble opprettet.",
                             date=org.active_from.strftime("%d.%m.%Y"), name=org.display_name), field="valid_from")
    if org.active_to and valid_from > org.active_to:
        raise ServiceError(_("%(name)s fantes bare til og med %(date)s.", name=org.display_name,
                             date=org.active_to.strftime("%d.%m.%Y")),
                           field="valid_from")
    before = on(org, valid_from)
    name = " ".join((name or "").split())
    official = " ".join((official_name or "").split()) or (before.official_name if name else "")
    name = name or (short_name(official, org.kind) if official else "")
    number, org_number = clean_municipality_number(number), clean_org_number(org_number)
    if number and org.kind != MUNICIPALITY:
        raise ServiceError(_("Bare kommuner har kommunenummer."), field="number")
    renamed = bool(official) and (official, name) != (before.official_name, before.name)
    if renamed:
        _refuse_second_change_on(org.names, valid_from, _("et navn"), "official_name")
    numbers = []
    for scheme, value, old in ((MUNICIPALITY_NUMBER, number, before.number),
                               (ORGANISATION_NUMBER, org_number, before.org_number)):
        if value and value != old:
            rows = _numbers(org, scheme)
            field = "number" if scheme == MUNICIPALITY_NUMBER else "org_number"
            _refuse_second_change_on(rows, valid_from, _("et %(label)s", label=SCHEME_LABELS[scheme].lower()), field)
            later = [row.valid_from for row in rows if row.valid_from and row.valid_from > valid_from]
            _check_number_free(org.id, scheme, value, valid_from,
                               min(later) - timedelta(days=1) if later else org.active_to)
            numbers.append((scheme, value))
    if not renamed and not numbers:
        raise ServiceError(_("Ingen endring: navnet og numrene er de samme som gjelder %(date)s.",
                             date=valid_from.strftime("%d.%m.%Y")))
    return Change(valid_from, before, name if renamed else None, official if renamed else None, tuple(numbers))


def record_change(org: Organisation, actor: User | None, valid_from: date | None, **change) -> Change:
    """A new name and/or number from `valid_from` (the facts of `check_change`), kept as the register's history."""
    checked = check_change(org, valid_from, **change)
    facts = {"valid_from": valid_from.isoformat()}
    if checked.official_name:
        org.names.append(OrganisationName(valid_from=valid_from, name=checked.name,
                                          official_name=checked.official_name))
        facts.update(name=checked.name, official_name=checked.official_name)
    for scheme, value in checked.numbers:
        org.numbers.append(OrganisationNumber(scheme=scheme, value=value, valid_from=valid_from))
        facts[scheme + "_number"] = value
    db.session.flush()
    refresh(org)
    facts["row_ids"] = sorted(row.id for row in [*org.names, *org.numbers] if row.valid_from == valid_from)
    audit.record(actor, "organisation.change", "organisation", org.id, data=facts)
    return checked


def _refuse_second_change_on(rows: list, valid_from: date, what: str, field: str) -> None:
    if any(row.valid_from == valid_from for row in rows):
        raise ServiceError(_("Det er allerede registrert %(what)s fra %(date)s.", what=what,
                             date=valid_from.strftime("%d.%m.%Y")), field=field)


DETAILS = ("kind", "written_standard", "mailbox", "region", "active_from", "active_to")


def update_details(org: Organisation, actor: User | None, *, kind: str, written_standard: str,
                   mailbox: str | None, region: str | None, active_from: date | None,
                   active_to: date | None) -> dict:
    """Change what has no history of its own; the changes as {field: [before, after]}."""
    _checked_details(kind, written_standard, region, active_from, active_to)
    if kind != MUNICIPALITY and _numbers(org, MUNICIPALITY_NUMBER):
        raise ServiceError(_("Organisasjonen har kommunenummer, så den må være en kommune."), field="kind")
    dated = [row.valid_from for row in [*org.names, *org.numbers] if row.valid_from]
    if active_from and dated and active_from >= min(dated):
        raise ServiceError(_("Første dag må være før den første endringen av navn eller nummer (%(date)s).",
                             date=min(dated).strftime("%d.%m.%Y")), field="active_from")
    if active_to and dated and active_to < max(dated):
        raise ServiceError(_("Siste dag kan ikke være før den siste endringen av navn eller nummer (%(date)s).",
                             date=max(dated).strftime("%d.%m.%Y")), field="active_to")
    wanted = {"kind": kind, "written_standard": written_standard, "mailbox": mailbox or None,
              "region": region or None, "active_from": active_from, "active_to": active_to}
    changed = {field: [_iso(getattr(org, field)), _iso(value)] for field, value in wanted.items()
               if getattr(org, field) != value}
    if not changed:
        return {}
    for field, value in wanted.items():
        setattr(org, field, value)
    audit.record(actor, "organisation.update", "organisation", org.id, data=changed)
    return changed


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


# --- what lists read ----------------------------------------------------------------------------------------------

def refresh(org: Organisation, day: date | None = None) -> None:
    """Its columns as they are on `day` (today), and the search keys of it and of the organisations before and
    after it."""
    today = on(org, day or clock.today())
    org.name, org.official_name, org.number, org.org_number = \
        today.name, today.official_name, today.number, today.org_number
    org.number_key = "|" + "".join(f"{row.value}|" for row in sorted(org.numbers, key=_start))
    for linked in (org, *related(org)):
        texts = [*_names_of(linked), *(name for other in related(linked) for name in _names_of(other))]
        linked.search_key = "|".join(dict.fromkeys(search.key(*texts).split("|")))


def related(org: Organisation) -> list[Organisation]:
    """Its predecessors and successors."""
    return [link.predecessor for link in org.predecessor_links] + [link.successor for link in org.successor_links]


def _names_of(org: Organisation) -> list[str]:
    return [text for row in sorted(org.names, key=_start) for text in (row.name, row.official_name)]


def refresh_current(today: date) -> list[str]:
    """Daily: move each organisation's columns on to the name and numbers that took effect by today."""
    changed = select(OrganisationName.organisation_id).where(
        OrganisationName.valid_from.is_not(None), OrganisationName.valid_from <= today).union(
        select(OrganisationNumber.organisation_id).where(
            OrganisationNumber.valid_from.is_not(None), OrganisationNumber.valid_from <= today))
    done = []
    for org in db.session.scalars(select(Organisation).where(Organisation.id.in_(changed))):
        now = on(org, today)
        if (org.name, org.official_name, org.number, org.org_number) != \
                (now.name, now.official_name, now.number, now.org_number):
            before = org.display_name
            refresh(org, today)
            done.append(f"Registeret: {before} heter nå {org.display_name}"
                        f"{f' ({org.number})' if org.number else ''}.")
    return done


def search_stmt(query: str):
    """Every organisation matching what was typed (old and new names, any number it had), in name order."""
    return search.where(select(Organisation).order_by(Organisation.sort_key, Organisation.id), query, Organisation)

