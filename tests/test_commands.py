"""The operator commands: users create, seed-demo, audit verify, mail send-pending."""
from datetime import date

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import AuditEvent, Organisation, User
from app.services import organisations


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
