"""Demo data scaled up: many municipalities with cases and a long audit history, made through the services."""
from datetime import date

from app import clock
from app.extensions import db
from app.models import InvitationRound, Organisation
from app.models.organisation import MUNICIPALITY, NEUTRAL, NYNORSK
from app.services import cases, organisations, users, workflow

PASSWORD = "benchmark-passord"


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


def history(target_events: int, count: int) -> dict:
    """`count` municipalities whose cases accept, decline and accept again until the log holds `target_events`."""
    staff = people()
    with clock.pinned(date(2026, 11, 1)):
        round_ = invitation_round(date(2026, 12, 31), "Invitasjon 2026")
        opened = [cases.invite(round_, org, staff["adviser"]) for org in municipalities(count)]
        db.session.commit()
        events = 2 * count + 3  # each municipality added to the register and invited, Bergen and two advisers
        while events < target_events:
            for case in opened:
                trigger = "decline" if case.state == "accepted" else "accept"
                workflow.perform(case, trigger, staff["adviser"], comment="Svar mottatt.")
                events += 1
                if events >= target_events:
                    break
            db.session.commit()
        for case in opened[:40]:
            if case.state == "accepted":
                workflow.perform(case, "issue_agreement", staff["adviser"])
        db.session.commit()
    _late_requests(opened[40:70])  # not those with an agreement to sign: they are not invited again
    return {"staff": staff, "cases": [c.id for c in opened]}


def _late_requests(opened) -> None:
    """30 municipalities ask to answer yes after the deadline of a later round: the adviser's inbox."""
    with clock.pinned(date(2026, 11, 20)):
        late = invitation_round(date(2026, 11, 15), "Sen runde")
        for n, case in enumerate(opened):
            contact = users.create_user(f"kontakt{n}@bench.no", f"Kontakt {n}", ["municipality_contact"],
                                        organisation=case.organisation, password=PASSWORD)
            workflow.perform(cases.invite(late, case.organisation, None), "accept_late", contact)
        db.session.commit()


def due_cases(count: int) -> None:
    """`count` invited municipalities whose reply deadline has passed: all due for the tick."""
    with clock.pinned(date(2026, 10, 1)):
        round_ = invitation_round(date(2026, 11, 1), f"Frist passert {count}")
        for org in municipalities(count, start=100_000):
            cases.invite(round_, org, None)
        db.session.commit()
