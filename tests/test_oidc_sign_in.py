"""Sign-in with an organisation's identity (OpenID Connect) against a real provider on loopback."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ExternalIdentity, PendingIdentity
from tests.oidc_provider import sign_in_at_provider
from tests.conftest import csrf_token


@pytest.fixture
def provider(app, oidc_provider):
    app.config["OIDC_PROVIDERS"] = [oidc_provider.settings()]
    return oidc_provider


def start(client) -> str:
    response = client.post("/login/ekstern/test", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_smoke(client, orgs, provider):
    back = sign_in_at_provider(start(client))
    response = client.get(back.replace("http://localhost", ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/login/ny-identitet"
    pending = db.session.scalar(select(PendingIdentity))
    assert pending.subject == "ansatt" and pending.organisation.name == "Bergen"
