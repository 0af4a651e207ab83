"""Every route × every role has an expected outcome; CSRF on every POST; another municipality gets nothing."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from tests import security_world
from tests.conftest import Auth, csrf_token

ROLES = security_world.ROLES
# GET outcome per role, in the order of ROLES:
# anonymous, admin, adviser, municipality_contact (Lindås), signatory (Lindås), host_signatory (Bergen),
# project_member (UiB), steering_member (Helse Bergen). The objects are Lindås's case and issued agreement, a
# request from Voss, a draft subgroup proposed by the project member and a steering-group meeting.
GET_MATRIX = {
    "admin.audit_log": [302, 200, 200, 403, 403, 403, 403, 403],
    "archive.document_pdf": [302, 200, 200, 200, 200, 200, 404, 404],
    "archive.export": [302, 200, 200, 200, 200, 200, 404, 404],
    "archive.invitation_letter": [302, 200, 200, 200, 200, 200, 404, 404],
    "calendar.feed": [404, 404, 404, 404, 404, 404, 404, 404],
    "calendar.settings": [302, 200, 200, 200, 200, 200, 200, 200],
    "cockpit.overview": [302, 200, 200, 403, 403, 403, 403, 403],
    "cockpit.overview_csv": [302, 200, 200, 403, 403, 403, 403, 403],
    "cockpit.timeline": [302, 200, 200, 403, 403, 403, 403, 403],
    "meetings.meeting_edit": [302, 403, 200, 403, 403, 403, 403, 403],
    "meetings.meeting_list": [302, 200, 200, 200, 200, 200, 200, 200],
    "meetings.meeting_new": [302, 403, 200, 403, 403, 403, 403, 403],
    "meetings.meeting_page": [302, 200, 200, 404, 404, 404, 404, 200],
    "meetings.minutes_pdf": [302, 404, 404, 404, 404, 404, 404, 404],
    "privacy.anonymise": [302, 200, 403, 403, 403, 403, 403, 403],
    "privacy.person": [302, 200, 403, 403, 403, 403, 403, 403],
    "admin.outbox": [302, 200, 200, 403, 403, 403, 403, 403],
    "admin.outbox_message": [302, 200, 200, 403, 403, 403, 403, 403],
    "admin.user_edit": [302, 200, 403, 403, 403, 403, 403, 403],
    "admin.user_list": [302, 200, 403, 403, 403, 403, 403, 403],
    "admin.user_new": [302, 200, 403, 403, 403, 403, 403, 403],
    "agreements.agreement_list": [302, 200, 200, 200, 200, 200, 200, 200],  # each sees only what they may
    "agreements.agreement_page": [302, 200, 200, 200, 200, 200, 404, 404],
    "agreements.agreement_pdf": [302, 200, 200, 200, 200, 200, 404, 404],
    "agreements.issue": [302, 403, 200, 403, 403, 403, 403, 403],
    "agreements.notice": [302, 403, 403, 403, 200, 200, 404, 404],
    "agreements.renew": [302, 403, 200, 403, 403, 403, 403, 403],
    "agreements.scanned_copy": [302, 404, 404, 404, 404, 404, 404, 404],  # no scanned copy in this world
    "agreements.sign": [302, 403, 403, 403, 200, 200, 404, 404],
    "agreements.upload": [302, 403, 200, 403, 403, 403, 403, 403],
    "approvals.detail": [302, 404, 200, 404, 404, 404, 404, 404],
    "approvals.inbox": [302, 403, 200, 403, 403, 403, 403, 403],
    "auth.accept_invitation": [404, 404, 404, 404, 404, 404, 404, 404],
    "auth.change_password": [302, 200, 200, 200, 200, 200, 200, 200],
    "auth.login": [200, 302, 302, 302, 302, 302, 302, 302],
    "cases.action": [302, 200, 200, 200, 200, 200, 404, 404],
    "cases.case_list": [302, 200, 200, 200, 200, 200, 200, 200],
    "cases.case_page": [302, 200, 200, 200, 200, 200, 404, 404],
    "cases.diagram": [302, 200, 200, 200, 200, 200, 404, 404],
    "invitations.extend_case": [302, 403, 200, 403, 403, 403, 403, 403],
    "invitations.extend_round": [302, 403, 200, 403, 403, 403, 403, 403],
    "invitations.invite_more": [302, 403, 200, 403, 403, 403, 403, 403],
    "invitations.remind": [302, 403, 200, 403, 403, 403, 403, 403],
    "invitations.round_list": [302, 403, 200, 403, 403, 403, 403, 403],
    "invitations.round_new": [302, 403, 200, 403, 403, 403, 403, 403],
    "invitations.round_page": [302, 403, 200, 403, 403, 403, 403, 403],
    "members.contact": [302, 403, 200, 200, 403, 403, 404, 404],
    "contributions.contribution": [302, 403, 200, 403, 403, 403, 403, 403],
    "contributions.contribution_list": [302, 403, 200, 403, 403, 403, 403, 403],
    "evaluations.evaluation": [302, 403, 200, 403, 403, 403, 403, 403],
    "evaluations.evaluation_answer": [302, 404, 404, 200, 200, 404, 404, 404],
    "evaluations.evaluation_list": [302, 403, 200, 403, 403, 403, 403, 403],
    "members.index": [302, 200, 200, 302, 302, 200, 403, 403],  # a municipality is sent to its own page
    "members.organisation": [302, 200, 200, 200, 200, 200, 404, 404],
    "members.propose": [302, 403, 200, 200, 403, 403, 404, 404],
    "municipality.home": [302, 403, 403, 200, 403, 403, 403, 403],
    "municipality.invitation": [302, 403, 403, 200, 403, 403, 403, 403],
    "municipality.late_reply": [302, 403, 403, 302, 403, 403, 403, 403],  # before the deadline: back to the reply
    "municipality.receipt": [302, 403, 403, 404, 403, 403, 403, 403],     # no answer given yet
    "municipality.reply": [302, 403, 403, 200, 403, 403, 403, 403],
    "main.accessibility": [200, 200, 200, 200, 200, 200, 200, 200],
    "main.healthz": [200, 200, 200, 200, 200, 200, 200, 200],
    "main.home": [302, 200, 200, 200, 200, 200, 200, 200],
    "main.privacy": [200, 200, 200, 200, 200, 200, 200, 200],
    "subgroups.action": [302, 200, 200, 404, 404, 404, 200, 404],
    "subgroups.diagram": [302, 200, 200, 404, 404, 404, 200, 404],
    "subgroups.edit": [302, 403, 403, 403, 403, 403, 200, 403],
    "subgroups.members": [302, 403, 403, 404, 404, 404, 403, 404],
    "subgroups.new": [302, 403, 403, 403, 403, 403, 200, 403],
    "subgroups.remove_member": [302, 403, 403, 404, 404, 404, 403, 404],
    "subgroups.subgroup_list": [302, 200, 200, 200, 200, 200, 200, 200],
    "subgroups.subgroup_page": [302, 200, 200, 404, 404, 404, 200, 404],
}
# Routes that take only POST (checked by the CSRF and object-access tests below).
POST_ONLY = {"admin.user_invite", "approvals.cancel", "auth.logout", "main.set_language", "calendar.create",
             "calendar.revoke", "meetings.attendance", "meetings.minutes", "privacy.export", "members.decide",
             "evaluations.evaluation_close", "members.withdraw"}
ARG_OVERRIDES = {"subgroups.action": {"trigger": "submit"}}
NOT_ROUTES = {"static"}


def _path(rule, world) -> str:
    values = {name: world.ids.get(name, 1) for name in rule.arguments}
    values.update(ARG_OVERRIDES.get(rule.endpoint, {}))
    return rule.build(values, append_unknown=False)[1]


def _rules(app, method):
    return [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint not in NOT_ROUTES]


@pytest.fixture
def world(app, orgs):
    return security_world.build(app, orgs)


def _client(app, orgs, world, role):
    client = app.test_client()
    if role != "anonymous":
        Auth(client, orgs).login(world.users[role])
    return client


def test_every_route_has_a_row(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()} - NOT_ROUTES
    missing = endpoints - set(GET_MATRIX) - POST_ONLY
    assert missing == set(), f"add these routes to the security matrix: {sorted(missing)}"
    assert set(GET_MATRIX) | POST_ONLY <= endpoints, "the matrix names routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(app, orgs, world, role):
    client = _client(app, orgs, world, role)
    observed, expected = {}, {}
    for rule in _rules(app, "GET"):
        response = client.get(_path(rule, world))
        observed[rule.endpoint] = response.status_code
        expected[rule.endpoint] = GET_MATRIX[rule.endpoint][ROLES.index(role)]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        if response.status_code == 302 and role == "anonymous":
            assert "/login" in response.headers["Location"]
    assert observed == expected


def _row_counts() -> dict:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables
            if t.name not in ("login_session", "login_attempt")}


@pytest.mark.parametrize("token", [None, "feil-token"])
def test_every_post_without_valid_csrf_token_is_refused(app, orgs, world, token):
    client = _client(app, orgs, world, "admin")
    before = _row_counts()
    for rule in _rules(app, "POST"):
        data = {"csrf_token": token} if token else {}
        response = client.post(_path(rule, world), data=data)
        assert response.status_code == 400, rule.endpoint
    assert _row_counts() == before


def test_other_municipality_cannot_touch_lindas_objects(app, orgs, world):
    """A contact and a signatory from Voss: every route about Lindås's case, membership or agreement answers
    403/404 and writes nothing."""
    from tests import factories

    voss_users = [factories.user("municipality_contact", organisation=orgs["Voss"]),
                  factories.user("signatory", organisation=orgs["Voss"])]
    db.session.commit()
    lindas_routes = [r for r in app.url_map.iter_rules() if r.arguments & {"case_id", "org_id", "agreement_id"}]
    assert lindas_routes
    for user in voss_users:
        client = app.test_client()
        Auth(client, orgs).login(user)
        token = csrf_token(client, "/")
        before = _row_counts()
        for rule in lindas_routes:
            path = _path(rule, world)
            assert client.get(path).status_code in (403, 404), rule.endpoint
            if "POST" in rule.methods:
                response = client.post(path, data={"csrf_token": token, "comment": "Forsøk"})
                assert response.status_code in (403, 404), rule.endpoint
        assert _row_counts() == before
