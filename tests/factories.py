"""Test data made through the same services the app uses."""
import itertools

from app.commands.seed import _organisations
from app.models import Organisation, User
from app.services import users

PASSWORD = "riktig-passord-123"
_counter = itertools.count(1)


def organisations() -> dict[str, Organisation]:
    return _organisations()


def user(*roles: str, organisation: Organisation | None = None, name: str | None = None,
         email: str | None = None, password: str | None = PASSWORD) -> User:
    n = next(_counter)
    return users.create_user(email or f"person{n}@test.kommune.no", name or f"Person {n}", roles,
                             organisation=organisation, password=password)
