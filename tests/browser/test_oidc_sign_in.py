"""Signing in end to end with an organisation's identity: the app's button, the provider's login and consent pages
(a real OpenID provider on loopback), and back signed in; then signing out there too."""
import re

import pytest
from app import clock
from app.extensions import db
from app.models import ExternalIdentity
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def provider_on_login_page(live, oidc_provider, monkeypatch):
    """The provider on the shared server's login page for this test only."""
    monkeypatch.setitem(live.app.config, "OIDC_PROVIDERS", [oidc_provider.settings()])


def test_a_person_signs_in_with_the_provider_and_out_again(page, live, provider_on_login_page):
    with live.data():
        person = factories.user("project_member", name="Kari Ansatt")
        db.session.add(ExternalIdentity(provider="test", subject="ansatt", user=person, created_at=clock.now()))
        db.session.commit()
    # The provider's pages load a web font; nothing leaves this machine.
    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())

    page.goto("/login")
    page.get_by_role("button", name="Logg inn med Testportalen").click()
    page.locator("input[name=login]").fill("ansatt")
    page.locator("input[name=password]").fill("hva-som-helst")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live.url}/")
    assert "Velkommen, Kari Ansatt." in page.content()

    page.locator("button[aria-controls=brukermeny]").click()
    page.get_by_role("button", name="Logg ut").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(re.compile(rf"^{re.escape(live.url)}/login(\?|$)"))
    assert "Du er logget ut." in page.content()
    page.goto("/")
    page.wait_for_url(re.compile(r"/login\?next="))
