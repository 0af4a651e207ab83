"""One of everything, for the security tests: a user per role and the objects each route is about."""
from dataclasses import dataclass, field

from sqlalchemy import select
from datetime import date, datetime, time, timezone

from app import clock
from app.extensions import db
from app.models.meeting import STEERING_MEETING
from app.models import Contribution
from app.services import conferences, cost_keys, evaluations, mail, meeting_items, meetings, news, workflow
from workflows.key_shares import PERCENT
from tests import factories

ROLES = ["anonymous", "admin", "adviser", "municipality_contact", "signatory", "host_signatory", "project_member",
         "steering_member", "other_contact"]
# The role held by the user of a column that is not named after a role.
ROLE_OF = {"host_signatory": "signatory", "other_contact": "municipality_contact"}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)


def build(app, orgs) -> World:
    """Users for every role (municipal ones in Lindås, another contact in Askøy) and a Lindås case, a Voss request,
    a draft subgroup, an established subgroup chaired by the steering member with the project member in it, a
    mail, a draft cost-sharing key and a submitted one (both drafted by the adviser)."""
    world = World()
    homes = {"admin": "Bergen", "adviser": "Bergen", "municipality_contact": "Lindås", "signatory": "Lindås",
             "host_signatory": "Bergen", "project_member": "Universitetet i Bergen",
             "steering_member": "Helse Bergen", "other_contact": "Askøy"}
    for role, home in homes.items():
        world.users[role] = factories.user(ROLE_OF.get(role, role), organisation=orgs[home], name=f"Bruker {role}")
    voss_contact = factories.user("municipality_contact", organisation=orgs["Voss"])
    lindas = factories.case(orgs["Lindås"], factories.invitation_round(deadline=date(2026, 12, 31)))
    voss = factories.case(orgs["Voss"], factories.invitation_round(deadline=date(2026, 11, 1), title="Sen runde"))
    request = workflow.perform(voss, "accept_late", voss_contact)
    member = factories.member_case(orgs["Lindås"], world.users["adviser"], activated_on=date(2025, 3, 1))
    # The agreement waiting for signatures renews the membership: a municipality holds one agreement at a time.
    workflow.perform(member, "renew", world.users["adviser"])
    line = db.session.scalar(select(Contribution).where(Contribution.organisation_id == orgs["Lindås"].id))
    representative = factories.representative(orgs["Lindås"], world.users["adviser"], starts_on=date(2025, 6, 1))
    evaluations.create(2026, ["Hva har samarbeidet gitt kommunen?"], world.users["adviser"])
    subgroup = factories.subgroup(world.users["project_member"])
    proposer = factories.user("project_member", organisation=orgs["Voss"], name="Bruker forslagsstiller")
    established = factories.subgroup(proposer, name="Etablert undergruppe",
                                     chair_id=world.users["steering_member"].id,
                                     member_ids=[world.users["project_member"].id])
    for trigger, actor in (("submit", proposer), ("second", world.users["project_member"]),
                           ("approve", world.users["adviser"]), ("establish", world.users["adviser"])):
        workflow.perform(established, trigger, actor)
    meeting = meetings.create(STEERING_MEETING, starts_at=datetime(2026, 12, 3, 9, tzinfo=timezone.utc),
                              ends_at=datetime(2026, 12, 3, 12, tzinfo=timezone.utc), place="Rådhuset",
                              invitees=[world.users["steering_member"]],
                              actor=world.users["adviser"], notify=False)
    agenda_item = meeting_items.add(meeting, world.users["adviser"], title="Årsrapport", description="")
    item_document = meeting_items.attach(agenda_item, world.users["adviser"], title="Utkast", pdf=factories.pdf())
    bergen = orgs["Bergen"]
    key, submitted_key = (cost_keys.create(cost_keys.KeyDraft(2027, 2029, 1_000_000, PERCENT, bergen.id,
                                                               {bergen.id: 10_000}), world.users["adviser"])
                          for _ in range(2))
    workflow.perform(submitted_key, "submit", world.users["adviser"])
    news_item = news.create(world.users["adviser"], title="Nyhet", body="Tekst.")
    workflow.perform(news_item, "publish", world.users["adviser"])
    conference = conferences.create(conferences.Plan(
        title="Fagkonferansen 2027", held_on=date(2027, 6, 10), place="Bergen", capacity=1,
        registration_deadline=date(2027, 5, 20), consent_text="Samtykke."), world.users["adviser"])
    session = conferences.add_session(conference, world.users["adviser"], starts_at=time(9), ends_at=None,
                                      title="Velkommen", speakers=None)
    registration = conferences.register(conference, name="Deltaker", email="deltaker@example.no",
                                        organisation_id=None, organisation_text="Firma", dietary_needs="Vegetar",
                                        remote_addr="10.0.0.1")
    with app.test_request_context():
        message = mail.queue("mottaker@test.no", "Emne", "invitation", locale="nb", user=voss_contact, path="/", days=7)
    db.session.commit()
    world.ids = {"case_id": lindas.id, "voss_case_id": voss.id, "request_id": request.id,
                 "subgroup_id": subgroup.id, "established_subgroup_id": established.id, "message_id": message.id,
                 "user_id": voss_contact.id,
                 "member_id": 1, "trigger": "withdraw", "token": "ugyldig", "meeting_id": meeting.id,
                 "agenda_item_id": agenda_item.id, "item_document_id": item_document.id,
                 "key": "invitasjon", "kind": STEERING_MEETING,
                 "round_id": lindas.round_id, "agreement_id": member.agreement.id, "document_id": 1,
                 "org_id": orgs["Lindås"].id, "line_id": line.id, "rep_id": representative.id, "year": 2026,
                 "member_case_id": member.id, "key_id": key.id, "submitted_key_id": submitted_key.id,
                 "item_id": news_item.id,
                 "conference_id": conference.id, "session_id": session.id, "registration_id": registration.id}
    assert clock.today()
    return world
