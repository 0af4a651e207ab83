"""Test data made through the same services the app uses."""
import itertools
from datetime import date

from app import clock
from app.commands.seed import _organisations
from app.extensions import db
from app.models import InvitationRound, MembershipCase, Organisation, Subgroup, User
from app.models.membership import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import membership, subgroups, users, workflow

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


ASSESSMENT = ("Gruppen skal bare kartlegge eksisterende datakilder i kommunene. Brukerrepresentanter blir "
              "invitert inn når gruppen skal vurdere tiltak som berører tjenestene.")


def proposal(chair: User, **overrides) -> subgroups.Proposal:
    """A complete proposal with one named user representative, chaired by `chair`."""
    values = {
        "name": "Velferdsteknologi i hjemmetjenesten",
        "themes": ["welfare_technology", "user_participation"],
        "mandate": "Kartlegge erfaringer med velferdsteknologi og foreslå felles opplæring.",
        "chair_id": chair.id,
        "member_ids": [],
        "duration": "12 måneder",
        "representatives": [subgroups.Representative("Randi Helland", "Eldrerådet i Bergen",
                                                     "eldreradet@bergen.kommune.no")],
    }
    values.update(overrides)
    return subgroups.Proposal(**values)


def subgroup(proposer: User, **overrides) -> Subgroup:
    """A draft proposal saved through the service by `proposer` (who also chairs it unless told otherwise)."""
    return subgroups.propose(proposal(proposer, **overrides), proposer)
