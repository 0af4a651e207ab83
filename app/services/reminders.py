"""Reminders of the reply deadline: sent by the adviser for a round, and by the tick before each deadline."""
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from app.extensions import db
from app.models import InvitationRound, MembershipCase, OutboxMessage, User
from app.services import audit, invitation_mail, rounds
from workflows.membership import INVITED


def _key(case_id: int, user_id: int, today: date) -> str:
    return f"reminder:{case_id}:{user_id}:{today.isoformat()}"


def recipients(round_: InvitationRound, today: date) -> list[tuple[int, list[int], list[int]]]:
    """(case id, ids of the contacts to remind, ids of those already reminded today) for every case still waiting for
    an answer, by municipality name; ids only (the reminder page counts them all and shows a page of them).

    A municipality whose deadline has passed is not reminded: the deadline can only be extended.
    """
    waiting = rounds.waiting(round_, today)
    people = invitation_mail.contact_ids_by_organisation([organisation_id for _, organisation_id in waiting])
    keys = {case_id: {_key(case_id, user_id, today): user_id for user_id in people[organisation_id]}
            for case_id, organisation_id in waiting}
    sent = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.in_([key for by_key in keys.values() for key in by_key]))))
    return [(case_id, [u for k, u in keys[case_id].items() if k not in sent],
             [u for k, u in keys[case_id].items() if k in sent]) for case_id, _ in waiting]


def reminder_plan(found: list[tuple[int, list[int], list[int]]]) -> list[tuple[MembershipCase, list[User], list[User]]]:
    """These `recipients` as (case, contacts to remind, contacts already reminded today)."""
    cases = {case.id: case for case in db.session.scalars(select(MembershipCase).where(
        MembershipCase.id.in_([case_id for case_id, _, _ in found])).options(joinedload(MembershipCase.organisation)))}
    users = {user.id: user for user in db.session.scalars(select(User).where(
        User.id.in_([user_id for _, remind, reminded in found for user_id in remind + reminded]))
        .options(lazyload(User.role_rows)))}
    return [(cases[case_id], [users[i] for i in remind], [users[i] for i in reminded])
            for case_id, remind, reminded in found]


def _remind(case: MembershipCase, people: list[User], today: date) -> int:
    days_left = (case.reply_deadline - today).days
    subject = _l("Påminnelse: svarfrist %(date)s for invitasjonen fra Kunnskapskommunen",
                 date=case.reply_deadline.strftime("%d.%m.%Y"))
    return sum(invitation_mail.send(case, user, subject, "round_reminder", _key(case.id, user.id, today),
                                    days_left=days_left) for user in people)


def remind(round_: InvitationRound, actor: User, today: date) -> int:
    """The adviser reminds everyone who has not answered; nobody gets the same reminder twice a day."""
    rounds.check_open(round_)
    sent = sum(_remind(case, people, today) for case, people, _days in reminder_plan(recipients(round_, today)))
    if sent:
        audit.record(actor, "round.remind", rounds.ROUND_TYPE, round_.id, data={"messages": sent})
    return sent


def send_due_reminders(today: date) -> list[str]:
    """The tick's task: remind the unanswered the configured number of days before their deadline."""
    days = set(current_app.config["REMINDER_DAYS"])
    done = []
    for case in db.session.scalars(select(MembershipCase).where(MembershipCase.state == INVITED)
                                   .order_by(MembershipCase.id)):
        days_left = (case.reply_deadline - today).days
        if days_left in days:
            sent = _remind(case, invitation_mail.contacts(case.organisation_id), today)
            if sent:
                done.append(f"{case.title}: påminnelse sendt ({days_left} dager før svarfristen).")
    return done
