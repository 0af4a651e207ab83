"""A world that reaches every page, grown one unit at a time: each unit is a member municipality and a municipality
answering an invitation, with everything the pages show about them, made through the services.

Every kind of data is in the first units, so a world of 10 units and one of 500 differ only in how much there is.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import (AnnualReport, JoinRequest, MailboxLink, Meeting, MembershipCase, Organisation, OutboxMessage,
                        PendingIdentity, User)
from app.models.case import HOST_PARTY
from app.models.mailbox_link import JOIN, REPLY
from app.models.meeting import COORDINATION, PRESENT, STEERING_MEETING
from app.models.organisation import REGIONS
from app.models.representative import PROJECT_GROUP, STEERING_GROUP
from app.services import (agreements, calendar, cases, conference_links, conferences, contributions, cost_keys, evaluations, mailbox_links,
                          mailbox_tokens, meeting_items, meetings, members, news, password_links, replies,
                          representatives, rounds, subgroups, workflow)
from tests import factories
from workflows.key_shares import PERCENT

PDF = factories.pdf()
# (title, created, reply deadline, agreement end, first year of contributions)
MEMBER_ROUND = ("Invitasjon 2024", date(2024, 1, 15), date(2024, 2, 15), date(2027, 12, 31), 2024)
# The invitation now open (answers until 15.12.2026) and one whose deadline has passed (15.11.2026).
OPEN_ROUND = ("Invitasjon 2026", date(2026, 10, 1), date(2026, 12, 15), date(2029, 12, 31), 2027)
LATE_ROUND = ("Sen runde 2026", date(2026, 10, 1), date(2026, 11, 15), date(2029, 12, 31), 2027)
QUESTIONS = ["Hva har samarbeidet gitt kommunen?", "Hva bør prosjektgruppen prioritere?"]
# What a unit's second municipality does with its invitation, by unit number modulo 4.
UNANSWERED, LATE, ACCEPTED, SIGNING = range(4)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    conference: object = None
    conference_registration: object = None
    units: int = 0
    rounds: dict = field(default_factory=dict)
    evaluations: dict = field(default_factory=dict)
    subgroup: object = None  # the established subgroup every unit's contact joins


def _round(title: str, created: date, deadline: date, end: date, first_year: int, adviser: User):
    with clock.pinned(created):
        round_ = factories.invitation_round(deadline=deadline, title=title, agreement_end=end,
                                            contribution_from=first_year, contribution_to=end.year)
        round_.created_at, round_.created_by_id = clock.now(), adviser.id
    return round_


def build(app, orgs: dict, units: int) -> World:
    """The people and things every page needs once, then `units` units."""
    world = World()
    bergen = orgs["Bergen"]
    staff = {"admin": (("admin",), bergen), "adviser": (("adviser",), bergen),
             "host_signatory": (("signatory",), bergen),
             "project_member": (("project_member",), orgs["Universitetet i Bergen"]),
             "project_member_2": (("project_member",), orgs["Høgskulen på Vestlandet"]),
             "steering_member": (("steering_member",), orgs["Helse Bergen"])}
    for key, (roles, home) in staff.items():
        world.users[key] = factories.user(*roles, organisation=home, name=f"Bruker {key}")
    adviser = world.users["adviser"]
    world.rounds = {"member": _round(*MEMBER_ROUND, adviser), "open": _round(*OPEN_ROUND, adviser),
                    "late": _round(*LATE_ROUND, adviser)}
    with clock.pinned(date(2025, 11, 3)):
        world.evaluations[2025] = evaluations.create(2025, QUESTIONS, adviser)
    world.evaluations[2026] = evaluations.create(2026, QUESTIONS, adviser)
    world.subgroup = _subgroup(world, "Velferdsteknologi", ("submit", "second", "approve", "establish"))
    draft = _subgroup(world, "Demens", ())
    world.conference = conferences.create(conferences.Plan(
        title="Fagkonferansen 2027", held_on=date(2027, 6, 10), place="Bergen", capacity=5,
        registration_deadline=date(2027, 5, 20), consent_text="Samtykke."), adviser)
    sessions = [conferences.add_session(world.conference, adviser, starts_at=time(hour), ends_at=None,
                                        title=f"Innlegg {hour}", speakers="Kari Nordmann") for hour in (9, 10)]
    grow(world, units)
    _meetings(world)
    token = password_links.mint(world.users["admin"])
    answering = next(case for case in world.rounds["open"].cases if case.state == "invited")
    mailbox_link = MailboxLink(purpose=REPLY, case_id=answering.id, created_at=clock.now())
    db.session.add(mailbox_link)
    answered = _answered_from_mailbox(world)
    asking, confirming = (JoinRequest(organisation=orgs["Vaksdal"], name="Kari Nordmann", title="Kommunedirektør",
                                      email="kari@vaksdal.kommune.no",
                                      link=MailboxLink(purpose=JOIN, created_at=clock.now())) for _ in range(2))
    db.session.add_all([asking, confirming])
    db.session.flush()
    join_token = mailbox_tokens.mint(confirming.link)
    asking.link.used_at = clock.now()  # confirmed: it waits for the adviser's decision
    # A first sign-in with a provider, and one that asked for access (it waits for the administrator).
    first_sign_in = PendingIdentity(provider="test", subject="ny", organisation=bergen, created_at=clock.now())
    access_request = PendingIdentity(provider="test", subject="spør", organisation=bergen, created_at=clock.now(),
                                     requested_at=clock.now(), requested_name="Kari Nordmann",
                                     requested_email="kari@bergen.kommune.no")
    db.session.add_all([first_sign_in, access_request])
    db.session.flush()
    news_item = news.create(adviser, title="Nyhet", body="Tekst.")
    workflow.perform(news_item, "publish", adviser)
    world.ids.update({"news_item_id": news_item.id, "draft_subgroup_id": draft.id, "subgroup_id": world.subgroup.id,
                      "member_id": world.subgroup.current_members[-1].id,
                      "calendar_token": calendar.create_token(adviser), "invitation_token": token,
                      "mailbox_token": mailbox_tokens.mint(mailbox_link), "join_token": join_token,
                      "join_request_id": asking.id, "answered_link_id": answered.id,
                      "pending_identity_id": first_sign_in.id, "identity_request_id": access_request.id,
                      "round_id": world.rounds["open"].id, "year": 2026,
                      "conference_id": world.conference.id, "conference_session_id": sessions[0].id,
                      "registration_id": world.ids["registration_id"],
                      "conference_token": conference_links.mint(world.conference_registration),
                      "message_id": db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(1))})
    db.session.commit()
    return world


def _answered_from_mailbox(world: World) -> MailboxLink:
    """An invitation answered from the municipality's official mailbox, its sender waiting to become contact."""
    with clock.pinned(date(2026, 10, 1)):
        case = rounds.invite_more(world.rounds["open"], [_municipality("Postmottakkommune", 0)],
                                  world.users["adviser"])[0]
    link = MailboxLink(purpose=REPLY, case_id=case.id, created_at=clock.now())
    db.session.add(link)
    db.session.flush()
    return mailbox_links.answer(mailbox_tokens.mint(link), answer="yes", details=replies.ReplyDetails(
        contact_name="Kari Postmottak", contact_title="Kommunalsjef", contact_email="kari@postmottak.kommune.no"))


def _subgroup(world: World, name: str, steps: tuple[str, ...]):
    proposer, seconder = world.users["project_member"], world.users["project_member_2"]
    with clock.pinned(date(2025, 2, 3)):
        found = factories.subgroup(proposer, name=name, member_ids=[seconder.id])
        for trigger in steps:
            actor = {"submit": proposer, "second": seconder}.get(trigger, world.users["adviser"])
            workflow.perform(found, trigger, actor, data={"decided_on": "2025-02-18"} if trigger == "approve" else None)
    return found


def grow(world: World, units: int) -> None:
    """Add `units` units after those there are, in one transaction."""
    first = world.units
    for n in range(first, first + units):
        _unit(world, n)
    world.units = first + units
    _cost_keys(world)
    meeting = world.ids.get("meeting_id")
    if meeting:
        _invite_everyone(db.session.get(Meeting, meeting), world)
    db.session.commit()


def _cost_keys(world: World) -> None:
    """A decided key, a draft enlarging it and a submitted one, with a share for every member there is now."""
    adviser, steering = world.users["adviser"], world.users["steering_member"]
    parties = {org.name: org.id for org in cost_keys.larger_parties()}
    values = {parties["Bergen"]: 4000, parties["Universitetet i Bergen"]: 3000, parties["Helse Bergen"]: 3000}

    def key(first: int, last: int, budget: int):
        return cost_keys.create(cost_keys.KeyDraft(first, last, budget, PERCENT, parties["Bergen"], values), adviser)

    decided, draft, submitted = key(2025, 2027, 60_000_000), key(2026, 2027, 70_000_000), key(2026, 2028, 65_000_000)
    for found in (decided, submitted):
        workflow.perform(found, "submit", adviser)
    workflow.perform(decided, "decide", steering, comment="Vedtatt.",
                     data={"decided_on": "2025-01-20", "agenda_item": "Sak 4/2025"})
    world.ids.update(key_id=decided.id, draft_key_id=draft.id, submitted_key_id=submitted.id)


def _municipality(name: str, n: int) -> Organisation:
    return factories.municipality(f"{name} {n:04d} kommune", region=REGIONS[1 + n % 3])


def _unit(world: World, n: int) -> None:
    adviser, host_signatory = world.users["adviser"], world.users["host_signatory"]
    org = _municipality("Medlemskommune", n)
    contact = factories.user("municipality_contact", organisation=org, name=f"Kontakt {n}")
    signatory = factories.user("signatory", organisation=org, name=f"Rådmann {n}")
    case = _member(world, org, signatory)
    _representatives(world, org, contact, adviser, n)
    with clock.pinned(date(2024, 3, 15)):
        members.set_admin_contact(org, contact, name=f"Rådgiver {n}", email=f"radgiver{n}@test.kommune.no",
                                  title="Rådgiver", phone="55 00 00 00")
    _ledger(case, adviser)
    _answer(world.evaluations[2025], org, contact, date(2025, 11, 20))
    if n % 2:  # the first municipality has not answered this year yet: its contact sees the form
        _answer(world.evaluations[2026], org, contact, date(2026, 11, 10))
    if n % 4 in (1, 2):
        with clock.pinned(date(2026, 10, 1)):
            request = agreements.give_notice(case, signatory, notice_date=date(2026, 10, 1), reason="Budsjett.")
        if n % 4 == 2:
            with clock.pinned(date(2026, 10, 5)):
                workflow.approve(request, adviser)
        world.ids.setdefault("request_id", request.id)
        world.users.setdefault("requester", signatory)
    with clock.pinned(date(2026, 2, 1)):
        subgroups.add_member(world.subgroup, contact.id, date(2026, 2, 1), adviser)
    if n % 5 == 0:
        proposal = factories.subgroup(world.users["project_member"], name=f"Undergruppe {n}", chair_id=contact.id)
        workflow.perform(proposal, "submit", world.users["project_member"])
    prospect = _prospect(world, n, adviser, host_signatory)
    registration = conferences.register(world.conference, name=f"Deltaker {n}", email=f"deltaker{n}@test.no",
                                        organisation_id=org.id, organisation_text=None, dietary_needs="Vegetar",
                                        remote_addr=f"10.1.{n // 250}.{n % 250}")
    if n == 0:
        world.conference_registration = registration
        world.ids["registration_id"] = registration.id
    if n == 0:
        lines = contributions.lines_for(org)  # 2024 paid, 2025 invoiced, 2026 expected
        world.ids.update(org_id=org.id, member_case_id=case.id, agreement_id=case.agreement.id,
                         line_id=lines[0].id, unpaid_line_id=lines[1].id, user_id=contact.id)
        world.users.update(member_contact=contact, member_signatory=signatory)
    if n == 2:
        world.ids["notice_case_id"] = case.id  # notice given and confirmed: every document a case can have
    world.ids.setdefault(f"prospect_{n % 4}", prospect)


def _member(world: World, org: Organisation, signatory: User) -> MembershipCase:
    """Invited in 2024, signed by both parties in the app and active from 1 March 2024."""
    adviser, round_ = world.users["adviser"], world.rounds["member"]
    with clock.pinned(date(2024, 1, 15)):
        case = cases.invite(round_, org, adviser)
    with clock.pinned(date(2024, 2, 1)):
        workflow.perform(case, "accept", adviser, comment="Svar i brev.")
    with clock.pinned(date(2024, 2, 10)):
        workflow.perform(case, "issue_agreement", adviser)
    with clock.pinned(date(2024, 2, 20)):
        for user in (signatory, world.users["host_signatory"]):
            agreements.sign(case.agreement, user, title="Rådmann", confirmed=True)
    with clock.pinned(date(2024, 3, 1)):
        workflow.perform(case, "activate", adviser)
    return case


def _representatives(world: World, org: Organisation, contact: User, adviser: User, n: int) -> None:
    """Three seats filled from 1 March 2025; every other municipality proposes a successor waiting for approval."""
    with clock.pinned(date(2025, 2, 15)):
        terms = [representatives.propose(org, adviser, group=group, name=f"Representant {n}-{seat}",
                                         email=f"rep{n}-{seat}@test.kommune.no", starts_on=date(2025, 3, 1))
                 for group, seat in ((STEERING_GROUP, 1), (PROJECT_GROUP, 1), (PROJECT_GROUP, 2))]
    if n % 2 == 0:
        with clock.pinned(date(2026, 11, 2)):
            successor = representatives.propose(org, contact, group=PROJECT_GROUP, name=f"Etterfølger {n}",
                                                email=f"etter{n}@test.kommune.no", starts_on=date(2026, 12, 1),
                                                replaces=terms[1])
        world.ids.setdefault("rep_id", successor.id)


def _ledger(case: MembershipCase, adviser: User) -> None:
    """Lines for 2024–2026; 2024 paid, 2025 invoiced, 2026 expected."""
    contributions.ensure_lines(case)
    for entry in contributions.lines_for(case.organisation):
        if entry.year <= 2025:
            with clock.pinned(date(entry.year, 3, 16)):
                contributions.mark_invoiced(entry, adviser, invoiced_on=clock.today(), reference=f"F-{entry.id}")
        if entry.year == 2024:
            with clock.pinned(date(2024, 4, 20)):
                contributions.mark_paid(entry, adviser, paid_on=clock.today(), reference=f"KID {entry.id}")


def _answer(evaluation, org: Organisation, contact: User, day: date) -> None:
    with clock.pinned(day):
        evaluations.answer(evaluation, org, contact, {q.id: f"Svar {org.name}." for q in evaluation.questions})


def _prospect(world: World, n: int, adviser: User, host_signatory: User) -> int:
    """A municipality invited in 2026 that has not answered, asked to answer late, said yes, or is signing."""
    kind = n % 4
    org = _municipality("Søkerkommune", n)
    contact = factories.user("municipality_contact", organisation=org, name=f"Kontakt søker {n}")
    if n < 4:
        world.users[f"prospect_contact_{kind}"] = contact
    if kind == LATE:
        with clock.pinned(date(2026, 10, 1)):
            case = rounds.invite_more(world.rounds["late"], [org], adviser)[0]
        if n // 4 % 2:
            replies.request_late_reply(case, contact, details=factories.reply_details(contact))
        return case.id
    with clock.pinned(date(2026, 10, 1)):
        case = rounds.invite_more(world.rounds["open"], [org], adviser)[0]
    if kind == ACCEPTED:
        replies.reply(case, contact, answer="yes", details=factories.reply_details(contact, steering_rep="Ola"))
    elif kind == SIGNING:
        signatory = factories.user("signatory", organisation=org, name=f"Rådmann søker {n}")
        workflow.perform(case, "accept", adviser)
        workflow.perform(case, "issue_agreement", adviser)
        agreements.register_upload(case.agreement, adviser, party=HOST_PARTY, name=host_signatory.name,
                                   title="Kommunaldirektør", signed_on=clock.today(), filename="avtale.pdf",
                                   content=PDF)
        if "document_id" not in world.ids:
            world.ids.update(signing_agreement_id=case.agreement.id, document_id=case.agreement.documents[0].id)
            world.users["prospect_signatory"] = signatory
    return case.id


def _meetings(world: World) -> None:
    """Last January's coordination meeting with minutes (also as PDF) and attendance, and December's steering group."""
    adviser = world.users["adviser"]
    day = date(2026, 1, 22)
    starts = datetime.combine(day, time(10), tzinfo=clock.OSLO).astimezone(timezone.utc)
    with clock.pinned(day - timedelta(weeks=5)):
        past = meetings.create(COORDINATION, starts_at=starts, ends_at=starts + timedelta(hours=5), place="Rådhuset",
                               invitees=meetings.default_invitees(COORDINATION), actor=adviser)
        items = [meeting_items.add(past, adviser, title=f"Sak {n}", description="Bakgrunn.") for n in range(3)]
    with clock.pinned(day + timedelta(days=7)):
        meetings.record_minutes(past, text="Referat.", pdf=PDF, actor=adviser)
        meetings.record_attendance(past, {i.user_id: PRESENT for i in past.invitees}, adviser)
        for item in items:
            meeting_items.record_decision(item, adviser, text="Vedtatt.")
    starts = datetime.combine(date(2026, 12, 3), time(9), tzinfo=clock.OSLO).astimezone(timezone.utc)
    steering = meetings.create(STEERING_MEETING, starts_at=starts, ends_at=starts + timedelta(hours=3),
                               place="Formannskapssalen",
                               invitees=meetings.default_invitees(STEERING_MEETING) + [adviser], actor=adviser)
    coming = meeting_items.add(steering, adviser, title="Årsrapport", description="")
    document = meeting_items.attach(coming, adviser, title="Saksframlegg", pdf=PDF)
    world.ids.update(agenda_item_id=items[0].id, item_document_id=document.id, coming_item_id=coming.id,
                     steering_meeting_id=steering.id)
    # A report filed with it, as the annual-report service stores one (making the PDF is not what is counted).
    db.session.add(AnnualReport(year=2026, meeting_id=steering.id, content=PDF, sha256="0" * 64,
                                generated_at=clock.now(), generated_by_id=adviser.id))
    world.ids["meeting_id"] = past.id


def _invite_everyone(meeting, world: World) -> None:
    """The coordination meeting invites every contact person, also those of the units added since."""
    wanted = meetings.default_invitees(COORDINATION)
    meetings.update(meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at, place=meeting.place,
                    invitees=wanted, actor=world.users["adviser"], notify=False)
    meetings.record_attendance(meeting, {user.id: PRESENT for user in wanted}, world.users["adviser"])

