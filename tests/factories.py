"""Test data made through the same services the app uses."""
import itertools
from datetime import date

from sqlalchemy import select

from app import clock
from app.commands.seed import _organisations
from app.extensions import db
from app.models import InvitationRound, MembershipCase, Organisation, Representative, User
from app.models.membership import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import membership, representatives, users, workflow

PASSWORD = "riktig-passord-123"
_counter = itertools.count(1)


def organisations() -> dict[str, Organisation]:
    return _organisations()


def user(*roles: str, organisation: Organisation | None = None, name: str | None = None,
         email: str | None = None, password: str | None = PASSWORD) -> User:
    n = next(_counter)
    return users.create_user(email or f"person{n}@test.kommune.no", name or f"Person {n}", roles,
                             organisation=organisation, password=password)


def invitation_round(deadline=date(2026, 12, 1), title="Invitasjon 2026", agreement_end=date(2030, 12, 31),
                     contribution_from=2027, contribution_to=2030) -> InvitationRound:
    round_ = InvitationRound(title=title, letter_text="Invitasjon.", reply_deadline=deadline,
                             contribution_from=contribution_from, contribution_to=contribution_to,
                             agreement_end=agreement_end)
    db.session.add(round_)
    db.session.flush()
    return round_


def case(organisation: Organisation, round_: InvitationRound | None = None, actor: User | None = None) -> MembershipCase:
    return membership.invite(round_ or invitation_round(), organisation, actor)


def signed_case(organisation: Organisation, adviser: User, host_signer: User, municipal_signer: User,
                round_: InvitationRound | None = None) -> MembershipCase:
    """A case taken through accept, agreement and both signatures to `signed`, by the service."""
    found = case(organisation, round_, adviser)
    workflow.perform(found, "accept", adviser)
    workflow.perform(found, "issue_agreement", adviser)
    membership.sign(found, MUNICIPALITY_PARTY, municipal_signer, name=municipal_signer.name, title="Rådmann",
                    signed_on=clock.today())
    membership.sign(found, HOST_PARTY, host_signer, name=host_signer.name, title="Kommunaldirektør",
                    signed_on=clock.today())
    return found


def member_case(organisation: Organisation, adviser: User, activated_on: date = date(2024, 3, 1),
                round_: InvitationRound | None = None) -> MembershipCase:
    """A case taken through the workflow to `active` on `activated_on` (contributions from that year, 4 years)."""
    year = activated_on.year
    with clock.pinned(activated_on):
        round_ = round_ or invitation_round(deadline=activated_on, title=f"Runde {organisation.name} {year}",
                                            agreement_end=date(year + 3, 12, 31), contribution_from=year,
                                            contribution_to=year + 3)
        host = db.session.scalar(select(Organisation).where(Organisation.is_host.is_(True)))
        found = signed_case(organisation, adviser, user("signatory", organisation=host),
                            user("signatory", organisation=organisation), round_)
        workflow.perform(found, "activate", adviser)
    return found


def representative(organisation: Organisation, adviser: User, group: str = "project",
                   starts_on: date = date(2025, 1, 1), **kwargs) -> Representative:
    """A representative registered by the adviser (approved at once)."""
    n = next(_counter)
    return representatives.propose(organisation, adviser, group=group, name=kwargs.pop("name", f"Representant {n}"),
                                   email=f"rep{n}@test.kommune.no", starts_on=starts_on, **kwargs)
