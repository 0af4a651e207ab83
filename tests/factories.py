"""Test data made through the same services the app uses."""
import itertools
from datetime import date

from app.commands.seed import _organisations
from app.models import InvitationRound, Organisation, User
from app.services import invitations, users

PASSWORD = "riktig-passord-123"
_counter = itertools.count(1)


def organisations() -> dict[str, Organisation]:
    return _organisations()


def user(*roles: str, organisation: Organisation | None = None, name: str | None = None,
         email: str | None = None, password: str | None = PASSWORD) -> User:
    n = next(_counter)
    return users.create_user(email or f"person{n}@test.kommune.no", name or f"Person {n}", roles,
                             organisation=organisation, password=password)


def invitation_round(adviser: User, organisations, *, deadline: date = date(2026, 12, 15),
                     title: str = "Invitasjon 2026") -> InvitationRound:
    """A round sent to `organisations` through the invitation service."""
    return invitations.create_round(
        adviser, list(organisations), title=title, reply_deadline=deadline, contribution=40_000,
        contribution_from=2027, contribution_to=2029, agreement_end=date(2029, 12, 31),
        meeting="Felles samarbeidsmøte i januar 2027",
        letter_text=invitations.letter(40_000, 2027, 2029, deadline, "Felles samarbeidsmøte i januar 2027"))


def reply_details(user: User, **overrides) -> invitations.ReplyDetails:
    return invitations.ReplyDetails(**{"contact_name": user.name, "contact_email": user.email, **overrides})
