"""The yearly steering-group and coordination meetings 2017–2026 and the project group's four meetings a year from
2025, with numbered agenda items, minutes approved at the next meeting of the same body, and attendance. The project
group's meetings, the decisions and the minutes are invented for the demo."""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Meeting
from app.models.meeting import ABSENT, COORDINATION, PRESENT, PROJECT_MEETING, STEERING_MEETING
from app.services import meeting_items, meetings as meetings_service, workflow
from app.services.users import find_by_email

STEERING_AGENDA = ("Årsrapport og regnskap for {previous}", "Årlig vurdering av samarbeidet",
                   "Budsjett og bidrag for {next}", "Årskonferansen i juni", "Eventuelt")
COORDINATION_AGENDA = ("Velkommen og runde rundt bordet: hva skjer i kommunene", "Status for prosjekter og undergrupper",
                       "Behov for kunnskap og forskning i kommunene", "Årskonferansen i juni {year}", "Eventuelt")
PROJECT_AGENDA = ("Status i undergruppene", "Forskningsprosjekter og søknader i kommunene", "Fagkonferansen i juni",
                  "Eventuelt")
# The project group's meetings (invented days); the first decided on the welfare-technology subgroup.
PROJECT_DAYS = (date(2025, 2, 18), date(2025, 5, 13), date(2025, 9, 16), date(2025, 11, 25), date(2026, 2, 17),
                date(2026, 5, 12), date(2026, 9, 15), date(2026, 12, 8), date(2027, 2, 16))
SUBGROUP_ITEM = "Forslag om undergruppe: Velferdsteknologi i hjemmetjenesten"
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


def _meeting_plan() -> list[tuple[str, date, str, tuple[str, ...]]]:
    """(kind, day, place, agenda item titles) of the yearly meetings 2017–2026, the next coordination meeting and
    the project group's meetings."""
    plan = []
    for year in range(2017, 2028):
        plan.append((COORDINATION, _weekday_on_or_after(date(year, 2 if year == 2027 else 1, 20)),
                     "Bergen rådhus, Rådhusgaten 10", tuple(t.format(year=year) for t in COORDINATION_AGENDA)))
        if year <= 2026:
            plan.append((STEERING_MEETING, _weekday_on_or_after(date(year, 12, 1)), "Bergen rådhus, Formannskapssalen",
                         tuple(t.format(previous=year - 1, next=year + 1) for t in STEERING_AGENDA)))
    for day in PROJECT_DAYS:
        plan.append((PROJECT_MEETING, day, "Bergen rådhus, møterom 3",
                     (SUBGROUP_ITEM,) * (day == PROJECT_DAYS[0]) + PROJECT_AGENDA))
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
            meeting = meetings_service.create(kind, starts_at=starts_at, ends_at=ends_at, place=place,
                                              invitees=meetings_service.default_invitees(kind), actor=adviser,
                                              notify=not past)
            for title in agenda:
                meeting_items.add(meeting, adviser, title=title, description="")
            db.session.commit()
        if past:
            with clock.pinned(day + timedelta(days=7)):
                meetings_service.record_attendance(
                    meeting, {i.user_id: ABSENT if (i.user_id + day.year) % 5 == 0 else PRESENT
                              for i in meeting.invitees}, adviser)
                for item in meeting.items:
                    if item.title != "Eventuelt":
                        meeting_items.record_decision(item, adviser, text=_decision(item.title))
                meetings_service.record_minutes(meeting, text=_minutes(meeting, day), pdf=None, actor=adviser)
                db.session.commit()
        added += 1
    if added:
        _approve_minutes(adviser)
    return added


def _decision(title: str) -> str:
    if title == SUBGROUP_ITEM:
        return "Prosjektgruppen godkjenner forslaget om undergruppen, med mandat som foreslått."
    return "Saken ble tatt til orientering."


def _approve_minutes(adviser) -> None:
    """Each meeting's minutes put before the next meeting of the same body a week after it, and approved there
    when that meeting has been held."""
    for kind in (STEERING_MEETING, COORDINATION, PROJECT_MEETING):
        held = list(db.session.scalars(select(Meeting).where(Meeting.kind == kind).order_by(Meeting.starts_at)))
        for meeting, following in zip(held, held[1:]):
            if not meeting.has_minutes:
                break
            with clock.pinned(clock.day_of(meeting.starts_at) + timedelta(days=7)):
                workflow.perform(meeting, "submit", adviser, data={"meeting_id": following.id})
            if following.starts_at <= clock.now():
                with clock.pinned(clock.day_of(following.starts_at) + timedelta(days=1)):
                    workflow.perform(meeting, "approve", adviser, comment="Referatet ble godkjent uten merknader.")
            db.session.commit()


def _minutes(meeting: Meeting, day: date) -> str:
    note = YEAR_NOTES.get(day.year, "Samarbeidet går som planlagt.")
    items = "\n".join(f"{item.reference} {item.heading}: {item.decision}" for item in meeting.items if item.decision)
    return (f"Referat fra {meeting.title.lower()}, {day.strftime('%d.%m.%Y')}.\n\n{note}\n\n{items}\n\n"
            f"Referent: Marianne N. Solbakk, FoU-rådgiver")
