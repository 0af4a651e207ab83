"""The operator commands: users create, seed-demo, audit verify, mail send-pending."""
import hashlib
import json

from sqlalchemy import func, select, text, update

from app.extensions import db
from app.models import AuditEvent, AuditHead, User
from tests.conftest import TEST_AUDIT_KEY


def _counts():
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_users_create_first_admin(runner, orgs):
    result = runner.invoke(args=["users", "create", "--email", "Sjef@Bergen.kommune.no", "--name", "Sjef",
                                 "--role", "admin", "--role", "adviser", "--municipality", "1201",
                                 "--password", "et-langt-passord"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "sjef@bergen.kommune.no"))
    assert user.roles == {"admin", "adviser"} and user.organisation.name == "Bergen"


def test_users_create_prompts_for_password_twice(runner, orgs):
    result = runner.invoke(args=["users", "create", "--email", "a@b.no", "--name", "A", "--role", "admin"],
                           input="et-langt-passord\net-langt-passord\n")
    assert result.exit_code == 0, result.output
    assert "Gjenta passordet" in result.output


def test_users_create_refuses_bad_input(runner, orgs):
    weak = runner.invoke(args=["users", "create", "--email", "a@b.no", "--name", "A", "--role", "admin",
                               "--password", "kort"])
    assert weak.exit_code == 2 and "minst 10 tegn" in weak.output
    unknown = runner.invoke(args=["users", "create", "--email", "a@b.no", "--name", "A", "--role", "admin",
                                  "--municipality", "9999", "--password", "et-langt-passord"])
    assert unknown.exit_code == 2 and "Fant ingen kommune med nummer 9999" in unknown.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_seed_demo_twice_leaves_same_counts(runner):
    first = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert first.exit_code == 0, first.output
    assert "marianne.solbakk@bergen.kommune.no" in first.output
    counts = _counts()
    assert counts["organisation"] == 30 and counts["user"] >= 10
    second = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert second.exit_code == 0, second.output
    assert _counts() == counts


def test_seed_demo_municipalities_have_2016_numbers(runner):
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    rows = dict(db.session.execute(text("SELECT name, number FROM organisation WHERE number IS NOT NULL")).all())
    assert rows["Lindås"] == "1263" and rows["Voss"] == "1235" and rows["Gulen"] == "1411"


def test_audit_verify_ok_then_detects_edit(runner):
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    result = runner.invoke(args=["audit", "verify"])
    count = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert result.exit_code == 0 and f"OK, {count} events" in result.output
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(comment="endret i databasen"))
    db.session.commit()
    bad = runner.invoke(args=["audit", "verify"])
    assert bad.exit_code == 1 and "hendelse nr. 3 er endret" in bad.output


def test_audit_verify_names_the_key_by_its_fingerprint_only(app, runner):
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    result = runner.invoke(args=["audit", "verify"])
    fingerprint = hashlib.sha256(b"audit-key-id:" + TEST_AUDIT_KEY.encode()).hexdigest()[:16]
    assert result.output.splitlines()[1] == \
        f"Kontrollert med revisjonsnøkkelen {fingerprint} (fingeravtrykk, ikke selve nøkkelen)."
    assert TEST_AUDIT_KEY not in result.output
    app.config["AUDIT_KEY"] = "another-key-" + "1" * 32
    other = runner.invoke(args=["audit", "verify"])
    assert other.exit_code == 1 and "hendelse nr. 1 er endret eller laget med en annen nøkkel" in other.output
    assert fingerprint not in other.output and "Kontrollert med revisjonsnøkkelen" in other.output


def test_database_write_access_alone_cannot_rehash_the_chain(runner):
    """Edit an event, then hash the whole chain again as the database allows: plain SHA-256, no key."""
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    prev_hash = "0" * 64
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if event.seq == 3:
            event.comment = "endret i databasen"
        content = [event.seq, event.at.isoformat(), event.actor_id, event.action, event.object_type,
                   event.object_id, event.from_state, event.to_state, event.comment, event.request_id,
                   event.data, prev_hash]
        event.prev_hash, event.hash = prev_hash, hashlib.sha256(json.dumps(content, ensure_ascii=False)
                                                                .encode()).hexdigest()
        prev_hash = event.hash
    db.session.get(AuditHead, 1).last_hash = prev_hash
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "hendelse nr. 1 er endret" in result.output


def test_audit_verify_detects_deleted_rows(runner):
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq == 4))
    db.session.commit()
    middle = runner.invoke(args=["audit", "verify"])
    assert middle.exit_code == 1 and "hendelse nr. 4 mangler" in middle.output


def test_audit_verify_detects_deleted_last_row(runner):
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    last = db.session.scalar(select(func.max(AuditEvent.seq)))
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq == last))
    db.session.commit()
    tail = runner.invoke(args=["audit", "verify"])
    assert tail.exit_code == 1 and f"hendelse nr. {last} mangler" in tail.output
