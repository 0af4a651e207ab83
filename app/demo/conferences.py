"""The annual conference (fagkonferanse) in June 2024–2027: the past ones with registrations and attendance, the
next one open for registration. Titles, programmes and participants are invented for the demo (the sources say only
that the conference is held in June)."""
from datetime import date, time, timedelta

from sqlalchemy import select

from app import clock
from app.demo.meetings import _weekday_on_or_after
from app.extensions import db
from app.models import Conference, Organisation
from app.models.organisation import MUNICIPALITY
from app.services import conferences
from app.services.users import find_by_email

INVENTED = "Programmet og deltakerne er oppdiktet for demoen."
CONSENT = ("Jeg samtykker til at Bergen kommune bruker navn, e-post, organisasjon og eventuelle behov for mat til å "
           "gjennomføre konferansen. Opplysningene slettes seks måneder etter konferansen.")
THEMES = {2024: "Velferdsteknologi i hverdagen", 2025: "Forebygging og folkehelse", 2026: "Brukermedvirkning i praksis",
          2027: "Tverrfaglig tjenesteutvikling"}
PROGRAMME = ((time(9, 0), time(9, 30), "Velkommen", "Byråd for helse og omsorg"),
             (time(9, 30), time(10, 30), "Hovedinnlegg: {theme}", "Forsker, Universitetet i Bergen"),
             (time(10, 45), time(12, 0), "Erfaringer fra kommunene", "Tre medlemskommuner"),
             (time(13, 0), time(14, 30), "Parallelle sesjoner", "Prosjektgruppen"),
             (time(14, 45), time(15, 30), "Oppsummering og veien videre", "FoU-rådgiveren"))
FIRST = ("Kari", "Ola", "Ingrid", "Nils", "Marit", "Lars", "Solveig", "Per", "Astrid", "Jon")
LAST = ("Haugland", "Eide", "Myklebust", "Vik", "Solheim", "Brekke", "Hauge", "Tveit", "Nesse", "Lie")
CAPACITY = 40


def tell() -> int:
    """Add the conferences that are not there yet; returns how many were new."""
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    municipalities = list(db.session.scalars(select(Organisation).where(
        Organisation.kind == MUNICIPALITY).order_by(Organisation.sort_key)))
    added = 0
    for year, theme in THEMES.items():
        day = _weekday_on_or_after(date(year, 6, 8))
        if db.session.scalar(select(Conference.id).where(Conference.held_on == day)):
            continue
        held = day < clock.today()
        with clock.pinned(min(day - timedelta(weeks=12), clock.today())):
            found = conferences.create(conferences.Plan(
                title=f"Fagkonferansen {year}: {theme}", held_on=day, place="Scandic Ørnen, Bergen",
                capacity=CAPACITY, registration_deadline=day - timedelta(days=14), consent_text=CONSENT,
                description=f"Den årlige fagkonferansen for forskning, innovasjon og utdanning i helse og omsorg i "
                            f"regionen. {INVENTED}"), adviser)
            for starts, ends, title, speakers in PROGRAMME:
                conferences.add_session(found, adviser, starts_at=starts, ends_at=ends,
                                        title=title.format(theme=theme), speakers=speakers)
            if held:
                _registrations(found, year, municipalities)
            db.session.commit()
        if held:
            with clock.pinned(day + timedelta(days=3)):
                came = {r.id for r in conferences.registrations(found) if r.id % 7}
                conferences.record_attendance(found, came, adviser)
                db.session.commit()
        added += 1
    return added


def _registrations(found: Conference, year: int, municipalities: list[Organisation]) -> None:
    """More registrations than places: the last ones are on the waiting list."""
    for n in range(CAPACITY + 5):
        name = f"{FIRST[(n + year) % len(FIRST)]} {LAST[(n * 3 + year) % len(LAST)]}"
        organisation = municipalities[(n * 7 + year) % len(municipalities)] if municipalities and n % 4 else None
        conferences.register(found, name=name, email=f"deltaker{year}.{n}@demo.invalid",
                             organisation_id=organisation.id if organisation else None,
                             organisation_text=None if organisation else "Høgskulen på Vestlandet",
                             dietary_needs="Vegetar" if n % 9 == 0 else None, remote_addr=f"demo:{year}:{n}")
