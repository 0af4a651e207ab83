"""Revision 0016 on an installation with old-style events: personal data out, a new first event recording the old
head hash, the chain hashed with the audit key; it refuses a chain that does not verify, and downgrades."""
import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, delete, make_url, select, text
from sqlalchemy.pool import NullPool

from app import create_app
from app.extensions import db
from app.history import lines
from app.models import AdministrativeContact, AuditEvent, AuditHead, Signature
from app.services import audit, cases, members, workflow
from tests import factories
from tests.conftest import app_config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BEFORE = ScriptDirectory(str(MIGRATIONS)).get_revision("0016_audit_rechain").down_revision
NAME, EMAIL = "Kari Nordtveit", "kari@lindas.kommune.no"
REPLY = {"answer": "yes", "contact_name": NAME, "contact_email": EMAIL, "contact_phone": "55 00 00 00",
         "contact_title": "Kommunalsjef", "steering_rep": NAME, "project_rep_1": None, "project_rep_2": None,
         "comment": "Vi blir med.", "by": 1, "at": "2026-11-02T09:00:00+00:00"}


def _plain_hash(event: AuditEvent) -> str:
    """The chain before revision 0016: SHA-256 without a key."""
    content = [event.seq, event.at.isoformat(), event.actor_id, event.action, event.object_type, event.object_id,
               event.from_state, event.to_state, event.comment, event.request_id, event.data, event.prev_hash]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _old_world() -> dict:
    """Kari's reply, late request, signature, administrative contact, representative terms and subgroup, with the
    events the code before revision 0016 wrote about them, in a plain SHA-256 chain. Today's code makes the world
    in today's schema, which is then taken back to the revision before 0016 (the organisations' history of revision
    0018 included)."""
    orgs = factories.organisations()
    kari = factories.user("municipality_contact", "signatory", "project_member", organisation=orgs["Lindås"],
                          name=NAME, email=EMAIL)
    adviser = factories.user("adviser", organisation=orgs["Bergen"])
    case = factories.accepted_case(orgs["Lindås"], by=adviser)
    workflow.perform(case, "issue_agreement", adviser)
    cases.sign(case, "municipality", kari, name=NAME, title="Kommunalsjef", signed_on=date(2026, 11, 20))
    members.set_admin_contact(orgs["Lindås"], adviser, name=NAME, email=EMAIL, phone="55 00 00 00")
    db.session.commit()
    signature = db.session.scalar(select(Signature)).id
    contact = db.session.scalar(select(AdministrativeContact)).id
    lindas, kari_id, case_id, agreement_id = orgs["Lindås"].id, kari.id, case.id, case.agreement.id
    db.session.remove()
    downgrade(revision=BEFORE)
    old = [
        ("user.create", "user", kari_id, None, {"organisation_id": lindas, "roles": ["municipality_contact"],
                                                "active": True}),
        ("membership.accept", "membership_case", case_id, "Vi blir med.", {"reply": REPLY}),
        ("request.create", "membership_case", case_id, "Sent svar.", {"trigger": "accept_late", "reply": REPLY}),
        ("invitation.reply_update", "membership_case", case_id, None, {"reply": REPLY}),
        ("agreement.sign", "membership_case", case_id, None, {
            "party": "municipality", "name": NAME, "title": "Kommunalsjef", "signed_on": "2026-11-20",
            "method": "app", "agreement": agreement_id}),
        ("admin_contact.update", "organisation", lindas, None, {
            "before": None, "after": {"name": NAME, "title": None, "email": EMAIL, "phone": None}}),
        ("admin_contact.update", "organisation", lindas, None, {
            "before": {"name": NAME, "title": None, "email": EMAIL, "phone": None},
            "after": {"name": NAME, "title": None, "email": EMAIL, "phone": "55 00 00 00"}}),
        ("representative.propose", "representative", 7, None, {
            "organisation": lindas, "seat": "Styringsgruppen", "name": NAME, "email": EMAIL,
            "starts_on": "2026-12-01", "ends_on": "2028-11-30", "replaces": 6}),
        ("representative.end", "representative", 6, f"Erstattet av {NAME}.", {
            "ends_on_before": "2027-02-28", "ends_on": "2026-11-30"}),
        ("subgroup.create", "subgroup", 1, None, {
            "name": "Demografi", "themes": ["recruitment"], "chair": NAME, "members": [NAME, "Siri Lie"],
            "representatives": [f"{NAME} (Lindås kommune)"], "assessment": False}),
        ("subgroup.member_add", "subgroup", 1, None, {"person": NAME, "user_id": kari_id,
                                                      "joined_on": "2026-11-23"}),
    ]
    db.session.execute(delete(AuditEvent))
    db.session.execute(delete(AuditHead))
    prev_hash, start = audit.GENESIS, datetime(2026, 11, 2, 9, 0, 0, 123456, tzinfo=timezone.utc)
    for seq, (action, object_type, object_id, comment, data) in enumerate(old, start=1):
        event = AuditEvent(seq=seq, at=start + timedelta(minutes=seq), actor_id=kari_id, action=action,
                           object_type=object_type, object_id=object_id, comment=comment,
                           data=json.dumps(data, ensure_ascii=False, sort_keys=True), prev_hash=prev_hash)
        event.hash = prev_hash = _plain_hash(event)
        db.session.add(event)
    db.session.add(AuditHead(id=1, seq=len(old), last_hash=prev_hash))
    db.session.commit()
    return {"old_head": prev_hash, "count": len(old), "signature": signature, "contact": contact}


@pytest.fixture
def old_database(tmp_path, database_url):
    """A database of its own: an SQLite file, or on the suite's PostgreSQL server a new database beside its own."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    server = create_engine(database_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with server.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS kk_rechain"))
        connection.execute(text("CREATE DATABASE kk_rechain"))
    yield make_url(database_url).set(database="kk_rechain").render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text("DROP DATABASE kk_rechain"))
    server.dispose()


@pytest.fixture
def old_app(old_database):
    """An installation that _old_world takes to the revision before 0016."""
    app = create_app(app_config(old_database))
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def _events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def test_old_events_lose_personal_data_and_the_chain_is_keyed_from_a_first_event_naming_the_old_head(old_app):
    world = _old_world()
    before = [(e.seq, e.action, e.at, e.actor_id, e.object_id) for e in _events()]
    db.session.remove()
    upgrade()
    assert audit.verify().ok and audit.verify().count == world["count"] + 1
    first, *rest = _events()
    assert (first.seq, first.action, first.prev_hash) == (1, "audit.rechain", audit.GENESIS)
    facts = json.loads(first.data)
    assert facts["old_head_hash"] == world["old_head"] and facts["old_events"] == world["count"]
    assert facts["key_id"] == audit.key_id() and facts["redacted_old_seq"] == list(range(2, world["count"] + 1))
    assert [(e.seq - 1, e.action, e.at, e.actor_id, e.object_id) for e in rest] == before
    for event in rest:
        assert NAME not in (event.data or "") + (event.comment or "") and EMAIL not in (event.data or "")
    by_action = {e.action: json.loads(e.data or "null") for e in rest}
    assert by_action["membership.accept"] is None and by_action["invitation.reply_update"] is None
    assert by_action["request.create"] == {"trigger": "accept_late"}
    assert by_action["agreement.sign"]["signature"] == world["signature"]
    # Named from the signature, an archive record kept on purpose.
    assert lines([next(e for e in rest if e.action == "agreement.sign")])[0].text == \
        f"{NAME} signerte samarbeidsavtalen for Lindås kommune."
    assert [json.loads(e.data) for e in rest if e.action == "admin_contact.update"] == [
        {"contact": world["contact"], "changed": ["email", "name"]},
        {"contact": world["contact"], "changed": ["phone"]}]
    assert by_action["subgroup.create"] == {"name": "Demografi", "themes": ["recruitment"], "assessment": False}
    assert by_action["subgroup.member_add"] == {"user_id": rest[0].object_id, "joined_on": "2026-11-23"}
    assert next(e.comment for e in rest if e.action == "representative.end") == "Erstattet av en ny representant."
    assert by_action["user.create"]["roles"] == ["municipality_contact"]  # untouched


def test_the_database_alone_cannot_forge_what_the_migration_keyed(old_app):
    _old_world()
    db.session.remove()
    upgrade()
    event = _events()[3]
    event.comment = "endret"
    event.hash = _plain_hash(event)
    db.session.commit()
    assert not audit.verify().ok


def test_a_chain_that_does_not_verify_is_not_rechained(old_app, capsys):
    _old_world()
    tampered = _events()[4]
    tampered.comment = "endret i databasen"
    db.session.commit()
    db.session.remove()
    with pytest.raises(SystemExit):  # flask-migrate logs the error and exits 1
        upgrade()
    assert "Revisjonsloggen er ikke i orden fra hendelse nr. 5; revisjon 0016 endrer ingenting." in \
        capsys.readouterr().err
    assert [e.action for e in _events()][:2] == ["user.create", "membership.accept"]
    assert NAME in _events()[4].data


def test_downgrade_hashes_the_chain_without_the_key_again(old_app):
    world = _old_world()
    db.session.remove()
    upgrade()
    downgrade(revision=BEFORE)
    events = _events()
    assert len(events) == world["count"] + 1 and events[0].action == "audit.rechain"
    prev_hash = audit.GENESIS
    for event in events:
        assert (event.prev_hash, event.hash) == (prev_hash, _plain_hash(event))
        prev_hash = event.hash
    assert db.session.get(AuditHead, 1).last_hash == prev_hash
