"""Every page sends the same number of SQL statements for 10 and for 500 member municipalities.

A GET route without a visit below fails `test_every_get_route_has_a_visit`: say who opens it and with which ids.
"""
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Organisation
from tests import factories, query_world
from tests.conftest import Auth, prepare_schema

FEW, MANY = 10, 500
ANONYMOUS = None
# The provider's answer to a sign-in is no page: it redirects, or refuses (tests/test_oidc_sign_in.py, with a
# provider; none is configured here).
NOT_PAGES = {"static", "identity.callback"}


@dataclass(frozen=True)
class Visit:
    """Who opens the route (a key of the world's users, None for nobody signed in) and its arguments: world ids by
    name, or values as they are."""

    who: str | None
    ids: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    session: dict = field(default_factory=dict)  # what the browser's session holds: world ids by name


# The adviser sees the most on most pages; the administrator on the user pages; a municipality's own pages are
# opened by its contact person or signatory.
VISITS = {
    "admin.anonymise": Visit("admin", {"user_id": "user_id"}),
    "admin.audit_log": Visit("adviser"),
    "admin.outbox": Visit("adviser"),
    "admin.outbox_message": Visit("adviser", {"message_id": "message_id"}),
    "admin.person_data": Visit("admin", {"user_id": "user_id"}),
    "admin.user_edit": Visit("admin", {"user_id": "user_id"}),
    "admin.user_invite": Visit("admin", {"user_id": "user_id"}),
    "admin.user_list": Visit("admin"),
    "admin.user_new": Visit("admin"),
    "agreements.agreement_list": Visit("adviser"),
    "agreements.agreement_page": Visit("adviser", {"agreement_id": "agreement_id"}),
    "agreements.agreement_pdf": Visit("adviser", {"agreement_id": "agreement_id"}),
    "agreements.check": Visit("adviser"),
    "agreements.issue": Visit("adviser", {"case_id": "prospect_2"}),
    "agreements.notice": Visit("member_signatory", {"case_id": "member_case_id"}),
    "agreements.renew": Visit("adviser", {"case_id": "member_case_id"}),
    "agreements.scanned_copy": Visit("adviser", {"document_id": "document_id"}),
    "agreements.sign": Visit("prospect_signatory", {"agreement_id": "signing_agreement_id"}),
    "agreements.upload": Visit("adviser", {"agreement_id": "signing_agreement_id"}),
    "approvals.detail": Visit("adviser", {"request_id": "request_id"}),
    "approvals.approve": Visit("adviser", {"request_id": "request_id"}),
    "approvals.reject": Visit("adviser", {"request_id": "request_id"}),
    "approvals.cancel": Visit("adviser", {"request_id": "request_id"}),
    "approvals.mailbox_contact": Visit("adviser", {"link_id": "answered_link_id"}),
    "approvals.mailbox_decline": Visit("adviser", {"link_id": "answered_link_id"}),
    "approvals.inbox": Visit("adviser"),
    "auth.accept_invitation": Visit(ANONYMOUS, {"token": "invitation_token"}),
    "auth.change_password": Visit("adviser"),
    "auth.choose_password": Visit(ANONYMOUS, session={"password_link": "invitation_token"}),
    "auth.login": Visit(ANONYMOUS),
    "auth.forgot_password": Visit(ANONYMOUS),
    "identity.choose": Visit(ANONYMOUS, session={"identity_pending": "pending_identity_id"}),
    "identity.enter_code": Visit(ANONYMOUS, session={"identity_pending": "pending_identity_id"}),
    "identity.requests": Visit("admin"),
    "identity.decide": Visit("admin", {"pending_id": "identity_request_id"}, {"decision": "godkjenn"}),
    "calendar.feed": Visit(ANONYMOUS, {"token": "calendar_token"}),
    "mailbox.reply": Visit(ANONYMOUS, {"token": "mailbox_token"}),
    "mailbox.join": Visit(ANONYMOUS),
    "mailbox.join_sent": Visit(ANONYMOUS),
    "mailbox.confirm_join": Visit(ANONYMOUS, {"token": "join_token"}),
    "approvals.join_request": Visit("adviser", {"request_id": "join_request_id"}),
    "calendar.settings": Visit("adviser"),
    "calendar.create": Visit("adviser"),
    "calendar.revoke": Visit("adviser"),
    "cases.action": Visit("adviser", {"case_id": "member_case_id"}, {"trigger": "end_by_merger"}),
    "cases.archive_export": Visit("adviser", {"case_id": "notice_case_id"}),
    "cases.case_list": Visit("adviser"),
    "cases.case_page": Visit("adviser", {"case_id": "notice_case_id"}),
    "cases.diagram": Visit("adviser", {"case_id": "notice_case_id"}),
    "cases.document_pdf": Visit("adviser", {"case_id": "notice_case_id"}, {"key": "saksforlop"}),
    "cases.invitation_letter": Visit("adviser", {"case_id": "notice_case_id"}),
    "cockpit.overview": Visit("adviser"),
    "conference.public_page": Visit(ANONYMOUS),
    "conference.registered": Visit(ANONYMOUS),
    "conference.cancel": Visit(ANONYMOUS, {"token": "conference_token"}),
    "conference.conference_list": Visit("adviser"),
    "conference.conference_new": Visit("adviser"),
    "conference.conference_edit": Visit("adviser", {"conference_id": "conference_id"}),
    "conference.conference_page": Visit("adviser", {"conference_id": "conference_id"}),
    "conference.session_remove": Visit("adviser", {"conference_id": "conference_id",
                                                   "session_id": "conference_session_id"}),
    "conference.registration_cancel": Visit("adviser", {"registration_id": "registration_id"}),
    "conference.attendance": Visit("adviser", {"conference_id": "conference_id"}),
    "conference.participants_csv": Visit("adviser", {"conference_id": "conference_id"}),
    "conference.participants_xlsx": Visit("adviser", {"conference_id": "conference_id"}),
    "cockpit.overview_csv": Visit("adviser"),
    "cockpit.timeline": Visit("adviser"),
    "contributions.contribution": Visit("adviser", {"line_id": "line_id"}),
    "contributions.payment": Visit("adviser", {"line_id": "line_id"}),
    "contributions.cancel": Visit("adviser", {"line_id": "line_id"}),
    "contributions.contribution_list": Visit("adviser"),
    "contributions.invoice_basis_page": Visit("adviser"),
    "contributions.invoice_basis_csv": Visit("adviser", values={"year": 2026}),
    "contributions.invoice_basis_xlsx": Visit("adviser", values={"year": 2026}),
    "cost_keys.action": Visit("adviser", {"key_id": "draft_key_id"}, {"trigger": "submit"}),
    "cost_keys.decide": Visit("steering_member", {"key_id": "submitted_key_id"}),
    "cost_keys.edit": Visit("adviser", {"key_id": "draft_key_id"}),
    "cost_keys.export_csv": Visit("adviser", {"key_id": "key_id"}),
    "cost_keys.export_xlsx": Visit("adviser", {"key_id": "key_id"}),
    "cost_keys.key_list": Visit("adviser"),
    "cost_keys.key_page": Visit("adviser", {"key_id": "draft_key_id"}),
    "cost_keys.new": Visit("adviser"),
    "evaluations.evaluation": Visit("adviser", {"year": "year"}),
    "evaluations.evaluation_answer": Visit("member_contact", {"year": "year"}),
    "evaluations.evaluation_close": Visit("adviser", {"year": "year"}),
    "evaluations.evaluation_list": Visit("adviser"),
    "invitations.extend_case": Visit("adviser", {"case_id": "prospect_0"}),
    "invitations.extend_round": Visit("adviser", {"round_id": "round_id"}),
    "invitations.invite_more": Visit("adviser", {"round_id": "round_id"}),
    "invitations.remind": Visit("adviser", {"round_id": "round_id"}),
    "invitations.round_list": Visit("adviser"),
    "invitations.round_new": Visit("adviser"),
    "invitations.round_page": Visit("adviser", {"round_id": "round_id"}),
    "main.accessibility": Visit(ANONYMOUS),
    "main.healthz": Visit(ANONYMOUS),
    "main.home": Visit("adviser"),
    "main.privacy": Visit(ANONYMOUS),
    "news.edit": Visit("adviser", {"item_id": "news_item_id"}),
    "news.new": Visit("adviser"),
    "news.news_list": Visit("adviser"),
    "news.step": Visit("adviser", {"item_id": "news_item_id"}, {"trigger": "unpublish"}),
    "public.about": Visit(ANONYMOUS),
    "public.groups": Visit(ANONYMOUS),
    "public.home": Visit(ANONYMOUS),
    "public.members": Visit(ANONYMOUS),
    "public.news_item": Visit(ANONYMOUS, {"item_id": "news_item_id"}),
    "public.news_list": Visit(ANONYMOUS),
    "public.subgroups": Visit(ANONYMOUS),
    "sitemap.sitemap": Visit(ANONYMOUS),
    "contributions.party": Visit("adviser", {"org_id": "org_id"}),
    "meetings.annual_report_generate": Visit("adviser", {"year": "year"}),
    "meetings.annual_report_list": Visit("adviser"),
    "meetings.annual_report_pdf": Visit("steering_member", {"year": "year"}),
    "meetings.meeting_edit": Visit("adviser", {"meeting_id": "meeting_id"}),
    "meetings.meeting_list": Visit("adviser"),
    "meetings.meeting_new": Visit("adviser", values={"kind": "coordination"}),
    "meetings.meeting_page": Visit("adviser", {"meeting_id": "meeting_id"}),
    "meetings.minutes_step": Visit("adviser", {"meeting_id": "meeting_id"}, values={"trigger": "submit"}),
    "meeting_items.item_new": Visit("adviser", {"meeting_id": "steering_meeting_id"}),
    "meeting_items.item_page": Visit("adviser", {"agenda_item_id": "agenda_item_id"}),
    "meeting_items.item_edit": Visit("adviser", {"agenda_item_id": "coming_item_id"}),
    "meeting_items.item_remove": Visit("adviser", {"agenda_item_id": "coming_item_id"}),
    "meeting_items.item_document": Visit("adviser", {"item_document_id": "item_document_id"}),
    "meeting_items.document_remove": Visit("adviser", {"item_document_id": "item_document_id"}),
    "meetings.minutes_pdf": Visit("adviser", {"meeting_id": "meeting_id"}),
    "members.contact": Visit("adviser", {"org_id": "org_id"}),
    "members.index": Visit("adviser"),
    "members.organisation": Visit("adviser", {"org_id": "org_id"}),
    "members.propose": Visit("adviser", {"org_id": "org_id"}),
    "members.action": Visit("adviser", {"rep_id": "rep_id"}, {"trigger": "approve"}),
    "municipality.home": Visit("member_contact"),
    "municipality.invitation": Visit("prospect_contact_2", {"case_id": "prospect_2"}),
    "municipality.late_reply": Visit("prospect_contact_1", {"case_id": "prospect_1"}),
    "municipality.receipt": Visit("prospect_contact_2", {"case_id": "prospect_2"}),
    "municipality.reply": Visit("prospect_contact_0", {"case_id": "prospect_0"}),
    "organisations.change": Visit("adviser", {"org_id": "org_id"}),
    "organisations.details": Visit("adviser", {"org_id": "org_id"}),
    "organisations.merger": Visit("adviser"),
    "organisations.organisation_list": Visit("adviser"),
    "organisations.organisation_new": Visit("adviser"),
    "organisations.organisation_page": Visit("adviser", {"org_id": "org_id"}),
    "subgroups.action": Visit("adviser", {"subgroup_id": "subgroup_id"}, {"trigger": "close"}),
    "subgroups.diagram": Visit("adviser", {"subgroup_id": "subgroup_id"}),
    "subgroups.edit": Visit("project_member", {"subgroup_id": "draft_subgroup_id"}),
    "subgroups.members": Visit("adviser", {"subgroup_id": "subgroup_id"}),
    "subgroups.new": Visit("project_member"),
    "subgroups.remove_member": Visit("adviser", {"subgroup_id": "subgroup_id", "member_id": "member_id"}),
    "subgroups.subgroup_list": Visit("adviser"),
    "subgroups.subgroup_page": Visit("adviser", {"subgroup_id": "subgroup_id"}),
}

# The home page lists what waits for the person: every role opens it too (the adviser's visit is above).
HOMES = {f"main.home as {who}": Visit(who) for who in (
    "admin", "member_contact", "member_signatory", "host_signatory", "prospect_contact_0", "prospect_signatory",
    "project_member_2", "steering_member")}


def _get_rules(app) -> dict:
    return {rule.endpoint: rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in NOT_PAGES}


def test_every_get_route_has_a_visit(app):
    endpoints = set(_get_rules(app))
    missing, extra = sorted(endpoints - set(VISITS)), sorted(set(VISITS) - endpoints)
    assert missing == [], f"add these routes to VISITS in tests/test_query_counts.py: {missing}"
    assert extra == [], f"VISITS names routes that take no GET: {extra}"


def _statements(client, path: str) -> tuple[int, int]:
    """(status, number of SQL statements) of a GET, after one GET that warms the caches and the sign-in session."""
    client.get(path).close()  # a file sent from disk stays open until the response is closed
    sent = []
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    response.close()
    return response.status_code, len(sent)


def _measure(app, orgs, world) -> dict[str, tuple[int, int]]:
    rules, clients, found = _get_rules(app), {}, {}
    for visited, visit in sorted((VISITS | HOMES).items()):
        endpoint = visited.split()[0]
        if visit.who not in clients:
            clients[visit.who] = app.test_client()
            if visit.who is not ANONYMOUS:
                Auth(clients[visit.who], orgs).login(world.users[visit.who])
        values = {name: world.ids[key] for name, key in visit.ids.items()} | visit.values
        if visit.session:
            with clients[visit.who].session_transaction() as session:
                session.update({name: world.ids[key] for name, key in visit.session.items()})
        path = rules[endpoint].build(values, append_unknown=False)[1]
        found[visited] = _statements(clients[visit.who], path)
    return found


@pytest.fixture(scope="module")
def measured(_shared_app):
    """(status, statements) per route with 10 and with 500 units: one world, grown in between."""
    app, config = _shared_app
    app.config.clear()
    # One person fetches every document twice within a minute here; the render limit has its own tests.
    app.config.update(config, RENDER_LIMIT=1000)
    with app.app_context():
        prepare_schema(app)
        orgs = factories.organisations()
        world = query_world.build(app, orgs, FEW)
        few = _measure(app, orgs, world)
        query_world.grow(world, MANY - FEW)
        assert db.session.scalar(select(func.count()).select_from(Organisation)
                                 .where(Organisation.name.like("Medlemskommune %"))) == MANY
        many = _measure(app, orgs, world)
        db.session.remove()
    return few, many


@pytest.mark.parametrize("endpoint", sorted(VISITS | HOMES))
def test_statements_do_not_grow_with_the_municipalities(measured, endpoint):
    few, many = measured
    assert few[endpoint][0] == many[endpoint][0] == 200, (few[endpoint], many[endpoint])
    assert many[endpoint][1] == few[endpoint][1], f"{FEW} units: {few[endpoint][1]}, {MANY}: {many[endpoint][1]}"
