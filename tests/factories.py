"""Test data made through the same services the app uses."""
import itertools
from datetime import date

from sqlalchemy import select

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
         email: str | None = None, password: str | None = PASSWORD, title: str | None = None) -> User:
    n = next(_counter)
    return users.create_user(email or f"person{n}@test.kommune.no", name or f"Person {n}", roles,
                             organisation=organisation, password=password, title=title)


# --- membership cases and agreements, made through the workflow service -------------------------------------------

def invitation_round(**overrides) -> InvitationRound:
    values = dict(title="Invitasjon 2026", reply_deadline=date(2026, 12, 15), contribution=40_000,
                  contribution_from=2027, contribution_to=2030, agreement_end=date(2030, 12, 31))
    round_ = InvitationRound(**(values | overrides))
    db.session.add(round_)
    db.session.flush()
    return round_


def adviser(organisation: Organisation) -> User:
    return user("adviser", organisation=organisation, name="Marianne N. Solbakk")


def accepted_case(organisation: Organisation, round_: InvitationRound | None = None,
                  by: User | None = None) -> MembershipCase:
    """A municipality that said yes (the adviser registers the reply)."""
    by = by or adviser(_host())
    case = membership.invite(round_ or invitation_round(), organisation, by)
    workflow.perform(case, "accept", by)
    return case


def issued_case(organisation: Organisation, round_: InvitationRound | None = None,
                by: User | None = None) -> MembershipCase:
    """A case whose agreement waits for both signatures."""
    by = by or adviser(_host())
    case = accepted_case(organisation, round_, by)
    workflow.perform(case, "issue_agreement", by)
    return case


def active_case(organisation: Organisation, round_: InvitationRound | None = None,
                by: User | None = None) -> MembershipCase:
    """A member municipality: agreement signed by both parties and activated."""
    by = by or adviser(_host())
    case = issued_case(organisation, round_, by)
    for party, org in ((MUNICIPALITY_PARTY, organisation), (HOST_PARTY, _host())):
        signer = user("signatory", organisation=org)
        membership.sign(case, party, signer, name=signer.name, title="Rådmann", signed_on=clock.today())
    workflow.perform(case, "activate", by)
    return case


def _host() -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.is_host))
