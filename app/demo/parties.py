"""The other parties' seats 2017–2026: each party's top administrative leader in the steering group by position, and
two project-group representatives per party for two years at a time, registered by the adviser through the services.

The people are invented (shared/DOMAIN.md names the parties, not who sat for them), apart from the demo's own
accounts, who hold some of the seats so that meetings invite them.
"""
from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Organisation, Representative
from app.models.representative import PROJECT_GROUP, STEERING_GROUP
from app.services import representatives
from app.services.users import find_by_email

FIRST_SEATED = date(2017, 1, 1)  # the first year with the municipalities as parties
# Party (its name in lists today): the position that gives its steering-group seat, and who held it from when (an
# e-mail of a demo account links the seat to that user). Invented people.
POSITIONS = {
    "Bergen": ("Kommunaldirektør for helse og omsorg",
               [(FIRST_SEATED, "Nina Mevold", "nina.mevold@bergen.kommune.no")]),
    "Universitetet i Bergen": ("Universitetsdirektør", [(FIRST_SEATED, "Ragnar Vevle", "ragnar.vevle@uib.no"),
                                                        (date(2021, 8, 1), "Silje Orheim",
                                                         "silje.orheim@uib.no")]),
    "Høgskulen på Vestlandet": ("Høgskuledirektør", [(FIRST_SEATED, "Oddbjørn Lien", "oddbjorn.lien@hvl.no")]),
    "NORCE": ("Administrerende direktør", [(FIRST_SEATED, "Berit Haaland", "berit.haaland@norceresearch.no")]),
    "Helse Bergen": ("Administrerende direktør", [(FIRST_SEATED, "Gunn Røsland", "gunn.rosland@helse-bergen.no")]),
    "Folkehelseinstituttet": ("Direktør", [(FIRST_SEATED, "Sigurd Vatne", "sigurd.vatne@fhi.no")]),
    "Haraldsplass Diakonale Sykehus": ("Administrerende direktør", [(FIRST_SEATED, "Marta Bolstad",
                                                                       "marta.bolstad@haraldsplass.no")]),
}
DOMAINS = {"Bergen": "bergen.kommune.no", "Universitetet i Bergen": "uib.no", "Høgskulen på Vestlandet": "hvl.no",
           "NORCE": "norceresearch.no", "Helse Bergen": "helse-bergen.no", "Folkehelseinstituttet": "fhi.no",
           "Haraldsplass Diakonale Sykehus": "haraldsplass.no"}
PROJECT_TERMS = [date(2022, 3, 1), date(2024, 3, 1), date(2026, 3, 1)]
# Invented project-group members; the demo accounts among them hold a seat in the current term.
FIRST_NAMES = ["Aud", "Birger", "Cecilie", "Dag", "Elin", "Fredrik", "Grete", "Håkon", "Ida", "Jon", "Karen", "Leif"]
LAST_NAMES = ["Aasen", "Berge", "Dale", "Eide", "Fjeld", "Grov", "Haugland", "Indrebø", "Kleppe", "Lygre", "Moe"]
PROJECT_ACCOUNTS = {("Universitetet i Bergen", 1): "liv.instanes@uib.no",
                    ("Høgskulen på Vestlandet", 1): "erik.aase@hvl.no"}
PROJECT_TITLES = ["Professor", "Førsteamanuensis", "Seniorforsker", "Fagsjef", "Spesialrådgiver"]
BERGEN_TITLES = ["Spesialrådgiver", "Fagutviklingssykepleier", "Enhetsleder"]
ASCII = str.maketrans("æøå", "aoa")


def tell(organisations: dict[str, Organisation]) -> bool:
    """Seat the parties through the representatives service; False when their seats are there already."""
    parties = [organisations[name] for name in POSITIONS]
    if db.session.scalar(select(Representative.id).where(
            Representative.organisation_id.in_([p.id for p in parties])).limit(1)):
        return False
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    for number, party in enumerate(parties):
        _positions(party, adviser)
        _project(party, adviser, number)
        db.session.commit()
    return True


def _positions(party: Organisation, adviser) -> None:
    position, holders = POSITIONS[party.name]
    before = None
    for starts_on, name, email in holders:
        with clock.pinned(starts_on - timedelta(days=14)):
            before = representatives.propose(party, adviser, group=STEERING_GROUP, name=name, title=position,
                                             email=email, user=_account(party, email), starts_on=starts_on,
                                             replaces=before)


def _project(party: Organisation, adviser, number: int) -> None:
    for cycle, starts_on in enumerate(PROJECT_TERMS):
        for seat in (1, 2):
            email = PROJECT_ACCOUNTS.get((party.name, seat)) if starts_on == PROJECT_TERMS[-1] else None
            user = _account(party, email) if email else None
            name, title, email = (user.name, user.title, user.email) if user else _invented(party, 6 * number + 3 * (seat - 1) + cycle)
            with clock.pinned(starts_on - timedelta(days=14)):
                representatives.propose(party, adviser, group=PROJECT_GROUP, seat=seat, name=name, title=title,
                                        email=email, user=user, starts_on=starts_on)


def _account(party: Organisation, email: str):
    """The demo account with that address, when it belongs to the party."""
    user = find_by_email(email)
    return user if user is not None and user.organisation_id == party.id else None


def _invented(party: Organisation, n: int) -> tuple[str, str, str]:
    """The n-th invented person: 12 first names and 11 last names give 132 different pairs."""
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
    titles = BERGEN_TITLES if party.is_host else PROJECT_TITLES
    return (f"{first} {last}", titles[n % len(titles)],
            f"{first}.{last}@{DOMAINS[party.name]}".lower().translate(ASCII))
