"""News items: a draft is not public, publishing goes through the workflow with its audit event and a date, only
the adviser writes and publishes, and the public page shows the text escaped."""
from datetime import date

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AuditEvent, NewsItem
from app.services import ServiceError, news, workflow
from tests import factories
from tests.conftest import post


@pytest.fixture
def adviser(app, orgs):
    user = factories.user("adviser", organisation=orgs["Bergen"])
    db.session.commit()
    return user


@pytest.fixture
def draft(adviser):
    item = news.create(adviser, title="Stipend <2027>", body="Første avsnitt.\n\n<script>alert(1)</script>")
    db.session.commit()
    return item


def test_a_draft_is_not_public(client, draft):
    assert client.get(f"/offentlig/nyheter/{draft.id}").status_code == 404
    assert "Stipend" not in client.get("/offentlig/nyheter").get_data(as_text=True)
    assert f"/offentlig/nyheter/{draft.id}" not in client.get("/sitemap.xml").get_data(as_text=True)


def test_publishing_is_audited_dated_and_shows_the_text_escaped(client, adviser, draft):
    with clock.pinned(date(2026, 11, 30)):
        workflow.perform(draft, "publish", adviser, comment="Klar.")
        db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "news.publish"))
    assert (event.object_type, event.object_id, event.actor_id) == ("news", draft.id, adviser.id)
    assert (event.from_state, event.to_state) == ("draft", "published")
    assert db.session.get(NewsItem, draft.id).published_on == date(2026, 11, 30)
    page = client.get(f"/offentlig/nyheter/{draft.id}").get_data(as_text=True)
    assert "Stipend &lt;2027&gt;" in page and "&lt;script&gt;" in page and "<script>alert" not in page
    assert "30. november 2026" in page


def test_taking_down_hides_it_again(client, adviser, draft):
    workflow.perform(draft, "publish", adviser)
    workflow.perform(draft, "unpublish", adviser)
    db.session.commit()
    assert client.get(f"/offentlig/nyheter/{draft.id}").status_code == 404
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))][-2:] == [
        "news.publish", "news.unpublish"]


@pytest.mark.parametrize("role", ["project_member", "steering_member", "admin", "municipality_contact"])
def test_only_the_adviser_writes_and_publishes(app, orgs, role, draft):
    other = factories.user(role, organisation=orgs["Bergen"])
    db.session.commit()
    with pytest.raises(ServiceError):
        workflow.perform(draft, "publish", other)
    with pytest.raises(ServiceError):
        news.create(other, title="T", body="B")
    assert db.session.get(NewsItem, draft.id).state == "draft"


def test_a_published_item_is_taken_down_before_it_is_changed(adviser, draft):
    workflow.perform(draft, "publish", adviser)
    with pytest.raises(ServiceError):
        news.update(draft, adviser, title="Ny", body="Ny tekst")


def test_the_adviser_confirms_before_publishing(client, auth, adviser, draft):
    auth.login(adviser)
    page = client.get(f"/redaksjon/nyheter/{draft.id}/publish")
    assert page.status_code == 200 and "Publiser nyheten" in page.get_data(as_text=True)
    assert db.session.get(NewsItem, draft.id).state == "draft"
    response = post(client, f"/redaksjon/nyheter/{draft.id}/publish", {}, token_from=f"/redaksjon/nyheter/{draft.id}")
    assert response.status_code == 302
    assert db.session.get(NewsItem, draft.id).state == "published"


def test_the_adviser_writes_and_edits_a_draft(client, auth, adviser):
    auth.login(adviser)
    response = post(client, "/redaksjon/nyheter/ny", {"title": "Ny nyhet", "body": "Tekst."},
                    token_from="/redaksjon/nyheter/ny")
    item = db.session.scalar(select(NewsItem))
    assert response.status_code == 302 and (item.title, item.state) == ("Ny nyhet", "draft")
    post(client, f"/redaksjon/nyheter/{item.id}", {"title": "Endret", "body": "Tekst."},
         token_from=f"/redaksjon/nyheter/{item.id}")
    assert db.session.get(NewsItem, item.id).title == "Endret"
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
            if e.object_type == "news"] == ["news.create", "news.update"]


def test_discarding_is_final_and_said_so(client, auth, adviser, draft):
    auth.login(adviser)
    assert "Dette kan ikke angres." in client.get(f"/redaksjon/nyheter/{draft.id}/discard").get_data(as_text=True)
    assert "Dette kan ikke angres." not in client.get(f"/redaksjon/nyheter/{draft.id}/publish").get_data(as_text=True)
    post(client, f"/redaksjon/nyheter/{draft.id}/discard", {}, token_from=f"/redaksjon/nyheter/{draft.id}")
    assert db.session.get(NewsItem, draft.id).state == "discarded"
    with pytest.raises(ServiceError):
        workflow.perform(draft, "publish", adviser)
