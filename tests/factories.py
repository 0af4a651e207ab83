"""Test data made through the same services the app uses."""
import itertools
from datetime import date, timedelta

from app import clock
from app.commands.seed import _organisations
from app.extensions import db
from app.models import InvitationRound, MembershipCase, Organisation, User
from app.models.membership import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import membership, users, workflow

PASSWORD = "riktig-passord-123"
_counter = itertools.count(1)


def organisations() -> dict[str, Organisation]:
    return _organisations()


def user(*roles: str, organisation: Organisation | None = None, name: str | None = None,
         email: str | None = None, password: str | None = PASSWORD) -> User:
    n = next(_counter)
    return users.create_user(email or f"person{n}@test.kommune.no", name or f"Person {n}", roles,
                             organisation=organisation, password=password)


def invitation_round(title: str = "Invitasjon 2016", *, created: date = date(2016, 10, 3),
                     deadline: date = date(2016, 11, 1), agreement_end: date = date(2027, 12, 31)) -> InvitationRound:
    with clock.pinned(created):
        round_ = InvitationRound(title=title, letter_text="Bergen kommune inviterer kommunene.\n\nSvar innen fristen.",
                                 reply_deadline=deadline, contribution_from=created.year + 1,
                                 contribution_to=created.year + 3, agreement_end=agreement_end,
                                 created_at=clock.now())
        db.session.add(round_)
        db.session.flush()
    return round_


def invited(round_: InvitationRound, organisation: Organisation, actor: User | None = None) -> MembershipCase:
    with clock.pinned(round_.created_at.astimezone(clock.OSLO).date()):
        return membership.invite(round_, organisation, actor)


def member(round_: InvitationRound, organisation: Organisation, adviser: User,
           active_from: date = date(2018, 3, 1)) -> MembershipCase:
    """A municipality that accepted, signed and became an active member on `active_from`."""
    case = invited(round_, organisation, adviser)
    with clock.pinned(round_.reply_deadline):
        workflow.perform(case, "accept", adviser)
    with clock.pinned(active_from - timedelta(days=30)):
        workflow.perform(case, "issue_agreement", adviser)
        for party in (MUNICIPALITY_PARTY, HOST_PARTY):
            membership.sign(case, party, adviser, name="Signert Person", title="Rådmann", signed_on=clock.today())
    with clock.pinned(active_from):
        workflow.perform(case, "activate", adviser)
    return case
