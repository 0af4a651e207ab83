"""The cost-sharing key of the R&D resource: 2023–2025 and 2026–2028 decided by the steering group, and an enlargement
from 2027 waiting for its decision. The budgets and percentages are invented for the demo (not in the sources)."""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import CostKey, Meeting
from app.models.meeting import STEERING_MEETING
from app.services import contributions, cost_keys, workflow
from app.services.users import find_by_email
from workflows.key_shares import PERCENT, kroner

INVENTED = "Tallene er oppdiktet for demoen."
# Hundredths of a per cent of what the municipalities' fixed amounts leave of the budget.
SHARES = {"Bergen": 4000, "Universitetet i Bergen": 1500, "Høgskulen på Vestlandet": 1000, "NORCE": 500,
          "Helse Bergen": 2000, "Folkehelseinstituttet": 500, "Haraldsplass Diakonale Sykehus": 500}
ENLARGED = {**SHARES, "Bergen": 3500, "Helse Bergen": 2500}
# first year, last year, budget a year, shares, drafted on, decided at the steering-group meeting of that year, note
KEYS = (
    (2023, 2025, 1_250_000, SHARES, date(2022, 11, 1), 2022, f"Første nøkkel etter ny avtaleperiode. {INVENTED}"),
    (2026, 2028, 1_350_000, SHARES, date(2025, 11, 3), 2025, f"Videreført med justert budsjett. {INVENTED}"),
    (2027, 2028, 1_800_000, ENLARGED, date(2026, 11, 2), None,
     f"Utvidelse av FoU-ressursen fra 2027 med en halv stilling; Helse Bergen tar en større del. {INVENTED}"),
)


def tell() -> bool:
    """The keys, through the same services and steps as the pages; False when already there."""
    if db.session.scalar(select(CostKey.id).limit(1)):
        return False
    adviser = find_by_email("marianne.solbakk@bergen.kommune.no")
    steering = find_by_email("gunn.rosland@helse-bergen.no")
    parties = {org.name: org.id for org in cost_keys.larger_parties()}
    for first, last, budget, shares, drafted_on, decided_year, note in KEYS:
        with clock.pinned(drafted_on):
            key = cost_keys.create(cost_keys.KeyDraft(first, last, budget, PERCENT, parties["Bergen"],
                                                      {parties[name]: value for name, value in shares.items()}, note),
                                   adviser)
        with clock.pinned(drafted_on + timedelta(days=7)):
            workflow.perform(key, "submit", adviser)
        if decided_year is not None:
            meeting = _steering_meeting(decided_year)
            day = clock.day_of(meeting.starts_at)
            with clock.pinned(day):
                workflow.perform(key, "decide", steering, comment=(
                    f"Styringsgruppen vedtar fordelingsnøkkelen for {first}–{last} som lagt fram, med et årlig "
                    f"budsjett for FoU-ressursen på {kroner(budget)}."),
                    data={"decided_on": day.isoformat(), "meeting_item_id": next(
                        item.id for item in meeting.items if item.title == f"Budsjett og bidrag for {decided_year + 1}")})
        db.session.commit()
    _bill_shares(adviser)
    return True


def _bill_shares(adviser) -> None:
    """The parties' shares billed as the daily job bills them on 1 January, invoiced in March and paid in April
    (this year's Folkehelseinstituttet share is still unpaid; invented)."""
    for year in range(KEYS[0][0], clock.today().year + 1):
        with clock.pinned(date(year, 1, 2)):
            lines = cost_keys.bill_shares(year)
        for entry in lines:
            with clock.pinned(date(year, 3, 16)):
                contributions.mark_invoiced(entry, adviser, invoiced_on=date(year, 3, 16),
                                            reference=f"{year}-FOU-{entry.organisation_id}")
            if (entry.organisation.name, year) != ("Folkehelseinstituttet", clock.today().year):
                with clock.pinned(date(year, 4, 20)):
                    contributions.mark_paid(entry, adviser, paid_on=date(year, 4, 20), reference=f"KID {entry.id:06d}")
        db.session.commit()


def _steering_meeting(year: int) -> Meeting:
    start = datetime.combine(date(year, 1, 1), time(0), tzinfo=timezone.utc)
    return db.session.scalar(select(Meeting).where(
        Meeting.kind == STEERING_MEETING, Meeting.starts_at >= start,
        Meeting.starts_at < start.replace(year=year + 1)))
