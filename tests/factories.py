"""Test data made through the same services the app uses."""
import io
import itertools
from datetime import date, datetime, timedelta, timezone

from pypdf import PdfWriter
from sqlalchemy import select

from app import clock
from app.commands.seed import _organisations
from app.extensions import db
from app.models import (InvitationRound, Meeting, MembershipCase, Organisation, Representative,
                        Subgroup, User)
from app.models.organisation import MUNICIPALITY, NYNORSK
from app.models.case import HOST_PARTY, MUNICIPALITY_PARTY
from app.services import cases, meetings, mergers, replies, representatives, rounds, subgroups, users, workflow
from app.services import organisations as register
from workflows.membership import AGREEMENT_PENDING, SIGNED

PASSWORD = "riktig-passord-123"
_counter = itertools.count(1)


def pdf(note: str = "skannet avtale") -> bytes:
    """A plain one-page PDF, as a scanner makes it, told apart from others by `note` (its title)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": note})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def organisations() -> dict[str, Organisation]:
    return _organisations()


def municipality(official_name: str, number: str | None = None, region: str | None = "Nordhordland",
                 **details) -> Organisation:
    """A municipality added to the register."""
    return register.register(None, kind=MUNICIPALITY, official_name=official_name, number=number, region=region,
                             written_standard=details.pop("written_standard", NYNORSK), **details)


def succession(predecessors: list[Organisation], successor: Organisation, first_day: date) -> None:
    """`successor` takes over from `predecessors` on `first_day` (recorded as the adviser would; memberships of the
    predecessors end)."""
    mergers.record(None, predecessors, successor, first_day)


# The mergers of 01.01.2020 (shared/DOMAIN.md): the successor's official name and number, and its predecessors.
REFORM_2020 = (("Alver kommune", "4631", ("Lindås", "Meland", "Radøy")),
               ("Øygarden kommune", "4626", ("Fjell", "Sund", "Øygarden")),
               ("Bjørnafjorden kommune", "4624", ("Os", "Fusa")),
               ("Voss herad", "4621", ("Voss", "Granvin")))


def reform_2020(orgs: dict[str, Organisation]) -> dict[str, Organisation]:
    """The four successors of 01.01.2020 in the register, by official name."""
    made = {}
    for official, number, predecessors in REFORM_2020:
        made[official] = municipality(official, number, region=orgs[predecessors[0]].region,
                                      active_from=date(2020, 1, 1))
        succession([orgs[name] for name in predecessors], made[official], date(2020, 1, 1))
    return made


def user(*roles: str, organisation: Organisation | None = None, name: str | None = None,
         email: str | None = None, password: str | None = PASSWORD, title: str | None = None) -> User:
    n = next(_counter)
    return users.create_user(email or f"person{n}@test.kommune.no", name or f"Person {n}", roles,
                             organisation=organisation, password=password, title=title)


def invitation_round(deadline=date(2026, 12, 1), title="Invitasjon 2026", agreement_end=date(2030, 12, 31),
                     contribution_from=2027, contribution_to=2030) -> InvitationRound:
    round_ = InvitationRound(title=title, letter_text="Invitasjon.", reply_deadline=deadline,
                             contribution_from=contribution_from, contribution_to=contribution_to,
                             agreement_end=agreement_end)
    db.session.add(round_)
    db.session.flush()
    return round_


def case(organisation: Organisation, round_: InvitationRound | None = None, actor: User | None = None) -> MembershipCase:
    return cases.invite(round_ or invitation_round(), organisation, actor)


def signed_case(organisation: Organisation, adviser: User, host_signer: User, municipal_signer: User,
                round_: InvitationRound | None = None, terms: dict | None = None) -> MembershipCase:
    """A case taken through accept, agreement (on `terms` the adviser typed, else the proposed ones) and both
    signatures to `signed`, by the service."""
    found = case(organisation, round_, adviser)
    workflow.perform(found, "accept", adviser)
    workflow.perform(found, "issue_agreement", adviser, data=terms)
    cases.sign(found, MUNICIPALITY_PARTY, municipal_signer, name=municipal_signer.name, title="Rådmann",
                    signed_on=clock.today())
    cases.sign(found, HOST_PARTY, host_signer, name=host_signer.name, title="Kommunaldirektør",
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
        "representatives": [subgroups.UserRepresentativeEntry("Randi Helland", "Eldrerådet i Bergen",
                                                     "eldreradet@bergen.kommune.no")],
    }
    values.update(overrides)
    return subgroups.Proposal(**values)


def subgroup(proposer: User, **overrides) -> Subgroup:
    """A draft proposal saved through the service by `proposer` (who also chairs it unless told otherwise)."""
    return subgroups.propose(proposal(proposer, **overrides), proposer)
def historic_round(title: str = "Invitasjon 2016", *, created: date = date(2016, 10, 3),
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
        return cases.invite(round_, organisation, actor)


def member(round_: InvitationRound, organisation: Organisation, adviser: User,
           active_from: date = date(2018, 3, 1)) -> MembershipCase:
    """A municipality that accepted, signed and became an active member on `active_from`."""
    case = invited(round_, organisation, adviser)
    with clock.pinned(round_.reply_deadline):
        workflow.perform(case, "accept", adviser)
    with clock.pinned(active_from - timedelta(days=30)):
        workflow.perform(case, "issue_agreement", adviser)
        for party in (MUNICIPALITY_PARTY, HOST_PARTY):
            cases.sign(case, party, adviser, name="Signert Person", title="Rådmann", signed_on=clock.today())
    with clock.pinned(active_from):
        workflow.perform(case, "activate", adviser)
    return case
def sent_round(adviser: User, organisations, *, deadline: date = date(2026, 12, 15),
                     title: str = "Invitasjon 2026") -> InvitationRound:
    """A round sent to `organisations` through the invitation service."""
    return rounds.create_round(
        adviser, list(organisations), title=title, reply_deadline=deadline, contribution=40_000,
        contribution_from=2027, contribution_to=2029, agreement_end=date(2029, 12, 31),
        meeting="Felles samarbeidsmøte i januar 2027",
        letter_text=rounds.letter(40_000, 2027, 2029, deadline, "Felles samarbeidsmøte i januar 2027"))


def reply_details(user: User, **overrides) -> replies.ReplyDetails:
    return replies.ReplyDetails(**{"contact_name": user.name, "contact_email": user.email, **overrides})


def adviser(organisation: Organisation) -> User:
    return user("adviser", organisation=organisation, name="Marianne N. Solbakk")


def accepted_case(organisation: Organisation, round_: InvitationRound | None = None,
                  by: User | None = None) -> MembershipCase:
    """A municipality that said yes (the adviser registers the reply)."""
    by = by or adviser(_host())
    case = cases.invite(round_ or invitation_round(), organisation, by)
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
        cases.sign(case, party, signer, name=signer.name, title="Rådmann", signed_on=clock.today())
    workflow.perform(case, "activate", by)
    return case


def end_agreements(organisation: Organisation, adviser: User) -> None:
    """End what the municipality holds (an agreement to sign, a membership, an open invitation) through the
    workflow, so that a test may invite it again: a municipality holds one agreement at a time."""
    for found in db.session.scalars(select(MembershipCase).where(
            MembershipCase.organisation_id == organisation.id, MembershipCase.state.in_(cases.HOLDING_AGREEMENT))):
        if found.state == AGREEMENT_PENDING:
            workflow.perform(found, "decline_signing", user("signatory", organisation=organisation),
                             comment="Ny sak i testen.")
            continue
        if found.state == SIGNED:
            workflow.perform(found, "activate", adviser)
        workflow.perform(found, "end_by_merger", adviser, comment="Ny sak i testen.")
    for found in db.session.scalars(select(MembershipCase).where(
            MembershipCase.organisation_id == organisation.id, MembershipCase.state.in_(cases.OPEN_INVITATION))):
        workflow.perform(found, "withdraw", adviser, comment="Ny sak i testen.")


def _host() -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.is_host))


def member_case(organisation: Organisation, adviser: User, activated_on: date = date(2024, 3, 1),
                round_: InvitationRound | None = None, terms: dict | None = None) -> MembershipCase:
    """A case taken through the workflow to `active` on `activated_on` (contributions from that year, 4 years,
    unless `terms` say otherwise)."""
    year = activated_on.year
    with clock.pinned(activated_on):
        round_ = round_ or invitation_round(deadline=activated_on, title=f"Runde {organisation.name} {year}",
                                            agreement_end=date(year + 3, 12, 31), contribution_from=year,
                                            contribution_to=year + 3)
        host = db.session.scalar(select(Organisation).where(Organisation.is_host.is_(True)))
        found = signed_case(organisation, adviser, user("signatory", organisation=host),
                            user("signatory", organisation=organisation), round_, terms)
        workflow.perform(found, "activate", adviser)
    return found


def renewed(found: MembershipCase, adviser: User, day: date, terms: dict) -> MembershipCase:
    """The member's agreement renewed on `terms`, signed by both parties and activated, all on `day`."""
    with clock.pinned(day):
        workflow.perform(found, "renew", adviser, data=terms)
        for party, organisation in ((MUNICIPALITY_PARTY, found.organisation), (HOST_PARTY, _host())):
            signer = user("signatory", organisation=organisation)
            cases.sign(found, party, signer, name=signer.name, title="Rådmann", signed_on=day)
        workflow.perform(found, "activate", adviser)
    return found


def representative(organisation: Organisation, adviser: User, group: str = "project",
                   starts_on: date = date(2025, 1, 1), **kwargs) -> Representative:
    """A representative registered by the adviser (approved at once)."""
    n = next(_counter)
    return representatives.propose(organisation, adviser, group=group, name=kwargs.pop("name", f"Representant {n}"),
                                   email=f"rep{n}@test.kommune.no", starts_on=starts_on, **kwargs)


def meeting(kind: str, day: date, invitees, actor) -> Meeting:
    """A meeting from 9 to 11 (UTC) on `day`, planned that day or today, whichever is earlier; no mail."""
    starts = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
    with clock.pinned(min(day, clock.today())):
        return meetings.create(kind, starts_at=starts, ends_at=starts.replace(hour=11), place="Bergen",
                               invitees=invitees, actor=actor, notify=False)
