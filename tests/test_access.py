"""Deny by default: anonymous users are sent to login, roles are checked on the server, CSRF is on."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from tests import factories

PUBLIC = {"auth.login", "main.healthz", "main.set_language", "main.privacy", "main.accessibility",
          "auth.accept_invitation", "auth.open_password_link", "auth.choose_password", "calendar.feed", "mailbox.reply",
          "mailbox.join", "mailbox.join_sent", "mailbox.confirm_join", "static", "auth.forgot_password",
          "identity.start", "identity.callback", "identity.choose", "identity.send_code", "identity.enter_code",
          "identity.request_access", "public.home", "public.about", "public.members", "public.groups",
          "public.subgroups", "public.news_list", "public.news_item", "sitemap.sitemap", "conference.public_page",
          "conference.registered", "conference.cancel"}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        args = {name: 1 for name in rule.arguments}
        path = rule.build(args, append_unknown=False)[1] if rule.arguments else rule.rule
        yield rule, path


def test_every_non_public_route_requires_login(app, client):
    checked = 0
    for rule, path in _routes(app):
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(path, method=method)
        assert response.status_code in (302, 400), (rule.endpoint, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], rule.endpoint
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("role,path,status", [
    ("adviser", "/admin/brukere", 403),
    ("municipality_contact", "/admin/brukere", 403),
    ("project_member", "/admin/e-post", 403),
    ("admin", "/admin/brukere", 200),
    ("admin", "/admin/e-post", 200),
    ("adviser", "/admin/e-post", 200),
    ("adviser", "/admin/logg", 200),
    ("signatory", "/admin/logg", 403),
    ("municipality_contact", "/", 200),
])
def test_role_checks(client, login, role, path, status):
    login(role)
    assert client.get(path).status_code == status


def test_post_without_csrf_token_is_rejected(client, login, orgs):
    login("admin")
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/admin/brukere/ny", data={
        "email": "ny@test.no", "name": "Ny Person", "organisation_id": orgs["Voss"].id, "roles": ["project_member"]})
    assert response.status_code == 400
    assert "Skjemaet var utløpt eller ugyldig" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_login_without_csrf_token_is_rejected(client, orgs):
    user = factories.user("adviser")
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302
