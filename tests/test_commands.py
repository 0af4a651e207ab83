"""The operator commands: users create, seed-demo, audit verify, mail send-pending."""
import hashlib
import json
from datetime import date

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from app import clock
from app.extensions import db
from app.models import AuditEvent, AuditHead, InvitationRound, Merger, Organisation, User
from app.services import organisations, users
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
    assert counts["organisation"] == 34 and counts["user"] >= 10
    assert counts["conference"] == 4 and counts["conference_registration"] == 3 * 45  # 2024–2026 held; 2027 open
    second = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert second.exit_code == 0, second.output
    assert _counts() == counts


def test_seed_demo_refuses_a_database_with_accounts_it_did_not_make(runner):
    own = users.create_user("drift@bergen.kommune.no", "Drift", ["admin"], password="driftens-passord")
    db.session.commit()
    refused = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert refused.exit_code == 2
    assert "Databasen har 1 konto som demoen ikke har laget" in refused.output and "--force" in refused.output
    assert _counts()["user"] == 1 and _counts()["organisation"] == 0
    forced = runner.invoke(args=["seed-demo", "--password", "demo-passord", "--force"])
    assert forced.exit_code == 0, forced.output
    assert _counts()["user"] > 10
    assert check_password_hash(db.session.get(User, own.id).password_hash, "driftens-passord")


def test_seed_demo_never_changes_a_password_and_says_so(runner, orgs):
    marianne = users.create_user("marianne.solbakk@bergen.kommune.no", "Marianne", ["adviser"],
                                 password="mariannes-passord")
    users.create_user("erik.aase@hvl.no", "Erik Aase", ["project_member"],  # to set a password by link
                      organisation=orgs["Høgskulen på Vestlandet"])
    gone = users.create_user("tidligere@bergen.kommune.no", "Tidligere", ["adviser"], password="et-gammelt-passord")
    gone.anonymised_at = clock.now()  # nobody's account any more: the demo may come in beside it
    db.session.commit()
    first = runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    assert first.exit_code == 0, first.output
    lines = {line.split()[0]: line for line in first.output.splitlines() if "@" in line and "ny" not in line.split()}
    assert list(lines) == ["marianne.solbakk@bergen.kommune.no", "erik.aase@hvl.no"]
    assert lines["marianne.solbakk@bergen.kommune.no"].endswith("– eget passord, ikke endret")
    assert lines["erik.aase@hvl.no"].endswith("– uten passord, ikke endret")
    assert "  ny  nina.mevold@bergen.kommune.no" in first.output
    second = runner.invoke(args=["seed-demo", "--password", "et-annet-passord"])
    assert second.exit_code == 0, second.output
    assert "passord: et-annet-passord; en konto som fantes fra før, beholder sitt passord" in second.output
    assert "nina.mevold@bergen.kommune.no" in second.output and " ny " not in second.output
    accounts = [line for line in second.output.splitlines() if "@" in line and "erik.aase@" not in line]
    assert accounts and all(line.endswith("– eget passord, ikke endret") for line in accounts)
    db.session.expire_all()
    assert check_password_hash(users.find_by_email(marianne.email).password_hash, "mariannes-passord")
    assert check_password_hash(users.find_by_email("nina.mevold@bergen.kommune.no").password_hash, "demo-passord")


def test_seed_demo_organisations_have_their_names_and_numbers_over_time(runner):
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    found = {o.name: o for o in db.session.scalars(select(Organisation))}
    in_2016, in_2021 = date(2016, 10, 3), date(2021, 1, 1)
    assert [organisations.on(found["Gulen"], day).number for day in (in_2016, in_2021)] == ["1411", "4635"]
    assert (found["Bergen"].number, found["Bergen"].org_number, found["Bergen"].is_host) == ("4601", "964338531", True)
    assert found["Lindås"].number == "1263" and found["Kvam"].display_name == "Kvam herad"
    assert organisations.on(found["Høgskulen på Vestlandet"], in_2016).official_name == "Høgskolen i Bergen"
    assert organisations.on(found["NORCE"], in_2016).official_name == "Uni Research AS"
    assert {o.name: o.kind for o in found.values() if o.kind != "municipality"} == {
        "Universitetet i Bergen": "university", "Høgskulen på Vestlandet": "university",
        "NORCE": "research_institute", "Helse Bergen": "health_trust", "Folkehelseinstituttet": "state_agency",
        "Haraldsplass Diakonale Sykehus": "private_nonprofit"}


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


def test_seed_demo_tells_the_2020_reform_through_the_merger_service(runner):
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    found = {o.official_name: o for o in db.session.scalars(select(Organisation))}
    rounds = {r.title: {c.organisation.official_name: c for c in r.cases}
              for r in db.session.scalars(select(InvitationRound))}
    in_2016 = rounds["Invitasjon 2016"]
    assert {in_2016[name].state for name in ("Fedje kommune", "Modalen kommune")} == {"no_reply"}
    assert {official: [o.official_name for o in merger.predecessors] for merger in db.session.scalars(select(Merger))
            for official in [merger.successor.official_name]} == {
        "Alver kommune": ["Lindås kommune", "Meland kommune", "Radøy kommune"],
        "Bjørnafjorden kommune": ["Os kommune", "Fusa kommune"], "Voss herad": ["Voss kommune", "Granvin herad"],
        "Øygarden kommune": ["Fjell kommune", "Sund kommune", "Øygarden kommune"]}
    assert [found[name].number for name in ("Alver kommune", "Bjørnafjorden kommune", "Voss herad")] == \
        ["4631", "4624", "4621"]
    assert in_2016["Alver kommune"].state == "active" and in_2016["Voss herad"].state == "active"
    assert [(in_2016[name].state, in_2016[name].end_date) for name in ("Meland kommune", "Radøy kommune")] == \
        [("terminated", date(2019, 12, 31))] * 2
    ended = db.session.scalar(select(AuditEvent).where(AuditEvent.object_id == in_2016["Meland kommune"].id,
                                                       AuditEvent.object_type == "membership_case",
                                                       AuditEvent.action == "membership.end_by_merger"))
    assert ended.comment.startswith("Sammenslåing: Lindås, Meland, Radøy ble Alver kommune fra 01.01.2020")
    invited_2026 = set(rounds["Invitasjon 2026"])
    assert not invited_2026 & {"Fjell kommune", "Sund kommune", "Fusa kommune", "Granvin herad", "Alver kommune",
                               "Bjørnafjorden kommune", "Voss herad", "Askøy kommune"}
    assert {"Øygarden kommune", "Masfjorden kommune", "Fedje kommune"} <= invited_2026
