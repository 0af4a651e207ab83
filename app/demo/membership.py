"""Active membership 2018–2026: representatives, administrative contacts, contributions, the 2025 evaluation.
All people, payments and answers here are invented."""
from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.demo.history import NOT_RENEWED, REFORM, contact_of
from app.extensions import db
from app.models import MembershipCase, Organisation, Representative
from app.models.representative import PROJECT_GROUP, SEATS_PER_GROUP, STEERING_GROUP
from app.services import (contributions, evaluations, members, mergers, payment_reminders, representatives, tick,
                          workflow)
from app.services.users import find_by_email
from workflows.representative import APPROVED
from workflows.roles import MUNICIPALITY_CONTACT

# Active membership 2018–2026: representatives, administrative contacts, contributions, the 2025 evaluation.
FIRST_NAMES = ["Anne", "Bjørn", "Camilla", "Dag", "Eli", "Frode", "Gro", "Halvard", "Ingunn", "Jostein", "Kristin",
               "Lars", "Mette", "Nils", "Oddny", "Petter", "Ragnhild", "Sverre", "Torunn", "Vegard", "Åse", "Øystein"]
LAST_NAMES = ["Askvik", "Brekke", "Dyrdal", "Eikeland", "Fosse", "Gjerde", "Hope", "Instebø", "Johnsen", "Kvamme",
              "Lunde", "Mjelde", "Natås", "Orheim", "Rong", "Sæle", "Takle", "Ulvøy", "Vevle", "Øvretveit"]
TITLES = {STEERING_GROUP: ["Kommunalsjef helse og omsorg", "Rådmann"],
          PROJECT_GROUP: ["Fagleder sykehjem", "FoU-koordinator", "Enhetsleder hjemmetjenesten", "Fysioterapeut",
                    "Avdelingssykepleier"]}
ASCII = str.maketrans("æøå", "aoa")
TERM_STARTS = [date(2018, 3, 1), date(2020, 3, 1), date(2022, 3, 1), date(2024, 3, 1), date(2026, 3, 1)]
# Seats whose story differs from the regular two-year cycle, to show flags, empty seats and proposals.
OFF_CYCLE = {("Osterøy", STEERING_GROUP, 1): [date(2019, 1, 15), date(2021, 1, 15), date(2023, 1, 15), date(2025, 1, 15)],
             ("Vaksdal", PROJECT_GROUP, 1): TERM_STARTS[:4], ("Voss", PROJECT_GROUP, 2): TERM_STARTS[:4],
             ("Lindås", PROJECT_GROUP, 2): TERM_STARTS[:4]}
ADMIN_CONTACTS = {
    "Lindås": ("Synnøve Hjartholm", "Rådgiver, helse og omsorg", "55 57 50 00"),
    "Voss": ("Leif Dykesten", "Spesialrådgjevar", "56 51 94 00"),
    "Vaksdal": ("Marta Helle", "Kommunalsjef helse og omsorg", "56 59 44 00"),
    "Osterøy": ("Hilde Eide", "Kommunalsjef helse og omsorg", "56 19 21 00"),
    "Os": ("Tor Inge Hatlevik", "Rådgiver", "56 57 50 00"),
    "Askøy": ("Tone Myklebust", "Kommunalsjef helse", "56 15 80 00"),
}
# Invented (no source tells of unpaid invoices): these stay unpaid; Vaksdal's 2025 invoice was reminded on the day
# the rule allows (the 2026 ones are reminded by the demo's closing tick).
UNPAID = {("Askøy", 2026), ("Os", 2026), ("Vaksdal", 2025)}
VAKSDAL_REMINDED = date(2025, 4, 29)  # due 15.04.2025, 14 days after
NOT_INVOICED = {("Austrheim", 2026)}
EVALUATION_2025 = ["Hvordan har kommunen hatt nytte av samarbeidet i 2025?",
                   "Hva bør prosjektgruppen prioritere i 2026?",
                   "Har kommunen deltatt på koordineringsmøtet og fagkonferansen? Hvorfor/hvorfor ikke?"]
# By the organisations' names in the seed (the 2020 successors by official name).
ANSWERS_2025 = {
    "Alver kommune": ("kari.nordtveit@alver.kommune.no", date(2025, 11, 20), [
        "Praksisplassene for sykepleierstudenter og nettverket for fagutviklingssykepleiere.",
        "Velferdsteknologi i hjemmetjenesten og brukermedvirkning i undergruppene.",
        "Ja, begge. Fagkonferansen i juni ga oss kontakter til to nye prosjekt."]),
    "Voss herad": ("siri.lie@voss.kommune.no", date(2025, 12, 3), [
        "Godt fagleg nettverk, men lang reiseveg til møta i Bergen.",
        "Fleire digitale møte og eit prosjekt om rekruttering i distrikta.",
        "Koordineringsmøtet ja, fagkonferansen nei på grunn av bemanning."]),
    "Osterøy": ("hilde.eide@osteroy.kommune.no", date(2025, 12, 10), [
        "Samarbeidet med Høgskulen på Vestlandet om kvardagsrehabilitering.",
        "Demografiske endringar og kompetanse i små fagmiljø.",
        "Ja, begge."]),
}


def before_reform() -> None:
    """The terms that started and the administrative contacts named before the 2020 mergers, told before the mergers
    are recorded, so that a continued membership's people move to the successor as the merger service moves them."""
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    cases = _member_cases()
    for name, case in cases.items():
        _representatives(name, case, adviser, until=REFORM)
    _admin_contacts(cases, adviser)


def tell(organisations: dict[str, Organisation]) -> bool:
    """Representatives, contacts, contributions and evaluation through the services; False when already there."""
    if db.session.scalar(select(Representative.id).where(Representative.starts_on >= REFORM).limit(1)) \
            or not _member_cases():
        return False
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    cases = _member_cases()
    for name, case in cases.items():
        _representatives(name, case, adviser, since=REFORM)
    _replace_and_propose(cases, adviser)
    _ledger(cases, adviser)
    _evaluation_2025(organisations, adviser)
    with clock.pinned(clock.today()):
        tick.run(clock.today())
    return True


def _member_cases() -> dict[str, MembershipCase]:
    """The 2016 round's cases that became memberships, by the municipality that joined (before any merger)."""
    return {mergers.holder_on(case, date(2018, 3, 1)).name: case for case in members.cases_ever_active()
            if case.round.title == "Invitasjon 2016"}


def _person(org: str, group: str, seat: int, cycle: int) -> tuple[str, str, str]:
    """A stable made-up person for a seat; each serves two terms in a row."""
    n = sum(map(ord, org)) + (0 if group == STEERING_GROUP else 3 * seat) + cycle // 2
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7) % len(LAST_NAMES)]
    email = f"{first}.{last}@{org}.kommune.no".lower().translate(ASCII)
    return f"{first} {last}", TITLES[group][n % len(TITLES[group])], email


def _propose(case, group, seat, starts_on, adviser, ends_on=None, replaces=None, cycle=0, approve=True):
    """Recent terms: the contact person proposes and the adviser approves; earlier ones the adviser registered."""
    contact = contact_of(case, MUNICIPALITY_CONTACT) if starts_on.year >= 2025 else None
    name, title, email = _person(mergers.holder_on(case, starts_on).name, group, seat, cycle)
    with clock.pinned(starts_on - timedelta(days=21)):
        term = representatives.propose(case.organisation, contact or adviser, group=group, seat=seat, name=name,
                                       title=title, email=email, starts_on=starts_on, ends_on=ends_on,
                                       replaces=replaces)
    if contact and approve:
        with clock.pinned(starts_on - timedelta(days=14)):
            workflow.perform(term, "approve", adviser)
    return term


def _representatives(name, case, adviser, since=date.min, until=date.max) -> None:
    """The seats' terms that start in [since, until) while the case is a membership."""
    periods = members.member_periods(case)
    for group, limit in SEATS_PER_GROUP.items():
        for seat in range(1, limit + 1):
            for cycle, starts_on in enumerate(OFF_CYCLE.get((name, group, seat), TERM_STARTS)):
                if not any(first <= starts_on <= (last or starts_on) for first, last in periods):
                    break
                if not since <= starts_on < until:
                    continue
                # Masfjorden did not renew: its last terms ran to the end of the agreement.
                ends_on = min(representatives.default_end(starts_on), case.end_date) \
                    if name in NOT_RENEWED else None
                _propose(case, group, seat, starts_on, adviser, ends_on=ends_on, cycle=cycle)
    db.session.commit()


def _replace_and_propose(cases, adviser) -> None:
    """Lindås replaced a project member in 2025 (term ends soon); Voss has a proposal waiting for approval."""
    lindas = cases["Lindås"]
    leaving = next(t for t in representatives.history(lindas.organisation)
                   if t.group == PROJECT_GROUP and t.seat == 2 and t.state == APPROVED)
    _propose(lindas, PROJECT_GROUP, 2, date(2025, 1, 1), adviser, ends_on=date(2026, 12, 31), replaces=leaving, cycle=9)
    db.session.commit()
    with clock.pinned(date(2026, 11, 16)):
        voss = cases["Voss"]
        representatives.propose(voss.organisation, contact_of(voss, MUNICIPALITY_CONTACT), group=PROJECT_GROUP,
                                name="Ragna Lid", title="Leiande helsesjukepleiar", email="ragna.lid@voss.kommune.no",
                                phone="56 51 94 50", starts_on=date(2026, 12, 1))
        db.session.commit()


def _admin_contacts(cases, adviser) -> None:
    for name, (person, title, phone) in ADMIN_CONTACTS.items():
        case = cases[name]
        email = f"{person.split()[0]}.{person.split()[-1]}@{name}.kommune.no".lower().translate(ASCII)
        with clock.pinned(date(2018, 3, 15)):
            members.set_admin_contact(case.organisation, contact_of(case, MUNICIPALITY_CONTACT) or adviser,
                                      name=person, title=title, email=email, phone=phone)
    db.session.commit()


def _ledger(cases, adviser) -> None:
    """Lines for every member year (the daily task would have made them), invoiced in March and mostly paid; one
    unpaid line reminded (invented)."""
    with clock.pinned(clock.today()):
        for case in cases.values():
            contributions.ensure_lines(case)
        db.session.commit()
    for name, case in sorted(cases.items()):
        for entry in contributions.lines_of(case):
            if entry.cancelled_at or (name, entry.year) in NOT_INVOICED:
                continue
            invoiced_on = date(entry.year, 3, 16)
            with clock.pinned(invoiced_on):
                contributions.mark_invoiced(entry, adviser, invoiced_on=invoiced_on,
                                            reference=f"{entry.year}-{entry.organisation.number}")
            if (name, entry.year) not in UNPAID:
                paid_on = date(entry.year, 4, 20)
                with clock.pinned(paid_on):
                    contributions.mark_paid(entry, adviser, paid_on=paid_on, reference=f"KID {entry.id:06d}")
        db.session.commit()
    with clock.pinned(VAKSDAL_REMINDED):
        payment_reminders.send_due(VAKSDAL_REMINDED)
    db.session.commit()


def _evaluation_2025(organisations, adviser) -> None:
    with clock.pinned(date(2025, 11, 3)):
        evaluation = evaluations.create(2025, EVALUATION_2025, adviser)
    for name, (email, day, texts) in ANSWERS_2025.items():
        with clock.pinned(day):
            evaluations.answer(evaluation, organisations[name], find_by_email(email),
                               {q.id: text for q, text in zip(evaluation.questions, texts)})
    db.session.commit()
