"""Demo data scaled up: many municipalities with cases and a long audit history, made through the services."""
from datetime import date

from app import clock
from app.extensions import db
from app.models import InvitationRound, Organisation, User
from app.models.organisation import MUNICIPALITY, NEUTRAL, NYNORSK
from app.services import cases, organisations, users, workflow

PASSWORD = "benchmark-passord"
TODAY = date(2026, 11, 23)  # the day the benchmark's server runs on (tests.load_support sets KK_TODAY)


def municipalities(count: int, start: int = 0) -> list[Organisation]:
    """`count` synthetic municipalities in the regions of the invitation."""
    regions = ("Bergensregionen", "Nordhordland", "Voss og omland")
    return [organisations.register(None, kind=MUNICIPALITY, official_name=f"Testkommune {n:06d} kommune",
                                   region=regions[n % 3], written_standard=NYNORSK)
            for n in range(start, start + count)]


def invitation_round(deadline: date, title: str) -> InvitationRound:
    round_ = InvitationRound(title=title, letter_text="Invitasjon.", reply_deadline=deadline,
                             contribution_from=2027, contribution_to=2030, agreement_end=date(2030, 12, 31))
    db.session.add(round_)
    db.session.flush()
    return round_


def people() -> dict:
    """An adviser, a host signatory and a contact to act in the scaled data."""
    bergen = organisations.register(None, kind=MUNICIPALITY, official_name="Bergen kommune", number="1201",
                                    region="Vertskommune", written_standard=NEUTRAL, is_host=True)
    return {
        "adviser": users.create_user("radgiver@bench.no", "Rådgiver", ["adviser"], organisation=bergen,
                                     password=PASSWORD),
        "adviser2": users.create_user("radgiver2@bench.no", "Rådgiver 2", ["adviser"], organisation=bergen,
                                      password=PASSWORD),
    }


def history(adviser: User, target_events: int, count: int, years: int = 10) -> None:
    """`count` municipalities invited `years` years ago whose cases accept and decline in turns, spread evenly over
    those years, until their history holds `target_events` audit events."""
    first = date(TODAY.year - years, TODAY.month, 1)
    with clock.pinned(first):
        round_ = invitation_round(date(TODAY.year, 12, 31), f"Invitasjon {first.year}")
        opened = [cases.invite(round_, org, adviser) for org in municipalities(count)]
        db.session.commit()
    events = 2 * count  # each municipality added to the register and invited
    passes = -(-(target_events - events) // count)
    for n in range(passes):
        with clock.pinned(first + (TODAY - first) * (n + 1) // (passes + 1)):
            for case in opened[:target_events - events]:
                workflow.perform(case, "decline" if case.state == "accepted" else "accept", adviser,
                                 comment="Svar mottatt.")
            events += min(count, target_events - events)
            db.session.commit()


def due_cases(count: int) -> None:
    """`count` invited municipalities whose reply deadline has passed: all due for the tick."""
    with clock.pinned(date(2026, 10, 1)):
        round_ = invitation_round(date(2026, 11, 1), f"Frist passert {count}")
        for org in municipalities(count, start=100_000):
            cases.invite(round_, org, None)
        db.session.commit()
