"""Test data made through the same services the app uses."""
import itertools

from app.commands.seed import _organisations
from app.models import Organisation, Subgroup, User
from app.services import subgroups, users

PASSWORD = "riktig-passord-123"
_counter = itertools.count(1)


def organisations() -> dict[str, Organisation]:
    return _organisations()


def user(*roles: str, organisation: Organisation | None = None, name: str | None = None,
         email: str | None = None, password: str | None = PASSWORD) -> User:
    n = next(_counter)
    return users.create_user(email or f"person{n}@test.kommune.no", name or f"Person {n}", roles,
                             organisation=organisation, password=password)


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
