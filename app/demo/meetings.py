"""The yearly steering-group and coordination meetings 2017–2026, with minutes and attendance."""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Meeting
from app.models.meeting import ABSENT, COORDINATION, PRESENT, STEERING_MEETING
from app.services import meetings as meetings_service
from app.services.users import find_by_email

STEERING_AGENDA = """1. Godkjenning av innkalling og saksliste
2. Årsrapport og regnskap for {previous}
3. Årlig vurdering av samarbeidet
4. Budsjett og bidrag for {next}
5. Årskonferansen i juni
6. Eventuelt"""
COORDINATION_AGENDA = """1. Velkommen og runde rundt bordet: hva skjer i kommunene
2. Status for prosjekter og undergrupper
3. Behov for kunnskap og forskning i kommunene
4. Årskonferansen i juni {year}
5. Eventuelt"""
PANDEMIC = (date(2020, 3, 12), date(2022, 2, 12))
YEAR_NOTES = {
    2017: "Første år med kommunene som nye parter. Prosjektgruppen er satt sammen.",
    2018: "Samarbeidsavtalene er signert av alle kommunene som takket ja.",
    2020: "Lindås, Meland og Radøy er slått sammen til Alver kommune fra 01.01.2020.",
    2021: "Møtet ble holdt digitalt på grunn av smittevernreglene.",
    2022: "Avtaleperioden slutter 31.12.2022. Fornyelse for 2023–2027 ble drøftet.",
    2023: "Ny avtaleperiode 2023–2027 er i gang.",
    2026: "Askøy kommune har sagt opp avtalen. Ny invitasjonsrunde til kommunene som ikke er med, ble drøftet.",
}


def _weekday_on_or_after(day: date, weekday: int = 3) -> date:
    """The first Thursday (by default) on or after `day`."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _meeting_plan() -> list[tuple[str, date, str, str]]:
    """(kind, day, place, agenda) of the yearly meetings 2017–2026 and the next coordination meeting."""
    plan = []
    for year in range(2017, 2028):
        plan.append((COORDINATION, _weekday_on_or_after(date(year, 2 if year == 2027 else 1, 20)),
                     "Bergen rådhus, Rådhusgaten 10", COORDINATION_AGENDA.format(year=year)))
        if year <= 2026:
            plan.append((STEERING_MEETING, _weekday_on_or_after(date(year, 12, 1)), "Bergen rådhus, Formannskapssalen",
                         STEERING_AGENDA.format(previous=year - 1, next=year + 1)))
    # Meetings were held online while the pandemic rules applied.
    return [(kind, day, "Digitalt (Teams)" if PANDEMIC[0] <= day <= PANDEMIC[1] else place, agenda)
            for kind, day, place, agenda in plan]


def tell() -> int:
    """Add the yearly meetings through the meetings service (minutes for past ones); returns how many were new."""
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    added = 0
    for kind, day, place, agenda in _meeting_plan():
        starts_at = datetime.combine(day, time(10, 0), tzinfo=clock.OSLO).astimezone(timezone.utc)
        if db.session.scalar(select(Meeting.id).where(Meeting.kind == kind, Meeting.starts_at == starts_at)):
            continue
        ends_at = starts_at + timedelta(hours=2 if kind == STEERING_MEETING else 5)
        past = starts_at < clock.now()
        with clock.pinned(min(day - timedelta(weeks=5), clock.today())):
            meeting = meetings_service.create(kind, starts_at=starts_at, ends_at=ends_at, place=place, invitees=meetings_service.default_invitees(kind), actor=adviser,
                                              notify=not past)
            db.session.commit()
        if past:
            with clock.pinned(day + timedelta(days=7)):
                meetings_service.record_attendance(
                    meeting, {i.user_id: ABSENT if (i.user_id + day.year) % 5 == 0 else PRESENT
                              for i in meeting.invitees}, adviser)
                meetings_service.record_minutes(meeting, text=_minutes(meeting, day), pdf=None, actor=adviser)
                db.session.commit()
        added += 1
    return added


def _minutes(meeting: Meeting, day: date) -> str:
    note = YEAR_NOTES.get(day.year, "Samarbeidet går som planlagt.")
    return (f"Referat fra {meeting.title.lower()}, {day.strftime('%d.%m.%Y')}.\n\n"
            f"Sak 1: Innkalling og saksliste godkjent.\n"
            f"Sak 2: {note}\n"
            f"Sak 3: Kommunene la fram sine behov; FoU-rådgiveren følger opp i prosjektgruppen.\n"
            f"Sak 4: Årskonferansen holdes i juni. Programkomiteen melder tilbake innen 1. mars.\n\n"
            f"Referent: Marianne N. Solbakk, FoU-rådgiver")
