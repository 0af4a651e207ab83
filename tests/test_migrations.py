"""`flask db upgrade` builds the schema the models describe, with revisions that stand on their own, and fills what a
revision adds to existing rows."""
import ast
import re
from datetime import date
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select, text

from app import create_app
from app.extensions import db
from app.models import Agreement, Contribution, Organisation, User
from app.services import agreements, contributions, organisations, password_links
from tests import factories
from tests.conftest import app_config


def test_upgrade_builds_empty_database_matching_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            tables = set(inspect(connection).get_table_names())
        engine.dispose()
        db.engine.dispose()
    assert diff == []
    assert {"organisation", "user", "audit_event", "outbox_message"} <= tables


def test_revisions_do_not_import_the_app():
    """A revision runs as it was written: app code changed later must not change what an old revision does."""
    app_imports = {}
    for path in sorted(Path(__file__).resolve().parent.parent.glob("migrations/versions/*.py")):
        modules = [m for m in _imported_modules(path) if m.split(".")[0] in ("app", "workflows")]
        if modules:
            app_imports[path.name] = modules
    assert app_imports == {}


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_name_keys_revision_fills_the_keys_of_existing_organisations(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="0007_members")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, kind, is_host, successor_name) VALUES "
                "('Øygarden kommune', 'municipality', 0, NULL), ('Voss herad', 'municipality', 0, 'Voss kommune'), "
                "('Alver kommune', 'municipality', 0, NULL)"))
        upgrade(revision="0008_name_keys")
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT name, search_key, sort_key FROM organisation ORDER BY id")).all()
        engine.dispose()
        db.engine.dispose()
    assert keys == [("Øygarden kommune", "oygarden", "zzzbygarden kommune"), ("Voss herad", "voss|voss", "voss herad"),
                    ("Alver kommune", "alver", "alver kommune")]


def test_upgrade_names_the_agreement_each_existing_contribution_line_bills(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'ledger.db'}"))
    with app.app_context():
        upgrade()
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"])
        case = factories.member_case(orgs["Voss"], adviser, activated_on=date(2024, 3, 1), terms={
            "contribution_from": 2024, "contribution_to": 2025, "agreement_end": "2025-12-31"})
        first = case.agreement.id
        factories.renewed(case, adviser, date(2025, 10, 1), {"contribution_to": 2027, "agreement_end": "2027-12-31"})
        contributions.ensure_lines(case)
        db.session.commit()
        billed = {line.year: line.agreement_id for line in contributions.lines_for(orgs["Voss"])}
        assert billed == {2024: first, 2025: first, 2026: case.agreement.id}
        db.session.remove()
        downgrade(revision="0010_search_keys")
        upgrade()
        assert dict(db.session.execute(select(Contribution.year, Contribution.agreement_id)).all()) == billed
        db.session.remove()
        db.engine.dispose()


def test_representatives_get_their_workflow_state_and_seat_rows(tmp_path):
    """0012: `pending` becomes `proposed`, state_since comes from the decision (or the proposal), and every seat
    in use gets its lock row; downgrading gives the old columns back."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="0011_contribution_agreement")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (id, name, kind, is_host, search_key, sort_key) "
                "VALUES (1, 'Lindås kommune', 'municipality', 0, '', '')"))
            connection.execute(text(
                "INSERT INTO user (id, email, name, active, created_at) VALUES (1, 'a@x.no', 'A', 1, '2024-01-01')"))
            for id_, seat, status, decided_at in ((1, 1, "approved", "2024-02-20 10:00:00.000000"),
                                                  (2, 2, "pending", None)):
                connection.execute(text(
                    'INSERT INTO representative (id, organisation_id, "group", seat, name, email, starts_on, '
                    "ends_on, status, proposed_by_id, proposed_at, decided_by_id, decided_at) VALUES (:id, 1, "
                    "'project', :seat, 'N', 'n@x.no', '2024-03-01', '2026-02-28', :status, 1, "
                    "'2024-02-01 09:00:00.000000', :decider, :decided_at)"),
                    {"id": id_, "seat": seat, "status": status, "decider": 1 if decided_at else None,
                     "decided_at": decided_at})
        upgrade()
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT state, state_since, version FROM representative ORDER BY id")).all()
            seats = connection.execute(text(
                'SELECT organisation_id, "group", seat, version FROM representative_seat ORDER BY seat')).all()
        assert [tuple(r) for r in rows] == [("approved", "2024-02-20 10:00:00.000000", 1),
                                            ("proposed", "2024-02-01 09:00:00.000000", 1)]
        assert [tuple(s) for s in seats] == [(1, "project", 1, 1), (1, "project", 2, 1)]
        downgrade(revision="0011_contribution_agreement")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT status, decided_at FROM representative ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("approved", "2024-02-20 10:00:00.000000"), ("pending", None)]
        engine.dispose()
        db.engine.dispose()


def test_stored_password_links_leave_the_outbox(tmp_path):
    """0013: a waiting mail's link becomes the placeholder the worker fills in with a fresh link (for the
    recipient's account), a sent mail's link is removed; links to answer an invitation stay as they are."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="0012_representative_workflow")
        engine = create_engine(url)
        link = "http://kk.test/invitasjon/eyJ1IjoxfQ.Z3x1YQ.c2ln"
        text_body, html_body = f"Velg passord her:\n\n{link}\n\nHilsen", f'<p><a href="{link}">Velg passord</a></p>'
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO user (id, email, name, active, created_at) VALUES (1, 'ny@x.no', 'Ny', 1, '2026-01-01')"))
            for id_, recipient, body_text, body_html, sent_at in (
                    (1, "ny@x.no", text_body, html_body, None),
                    (2, "ny@x.no", text_body, html_body, "2026-01-02 10:00:00.000000"),
                    (3, "borte@x.no", text_body, html_body, None),
                    (4, "ny@x.no", "Svar: http://kk.test/min-kommune/invitasjon/5", "<p>Svar</p>", None)):
                connection.execute(text(
                    "INSERT INTO outbox_message (id, recipient, subject, body_text, body_html, created_at, "
                    "next_attempt_at, attempts, sent_at) VALUES (:id, :recipient, 'Emne', :body_text, :body_html, "
                    "'2026-01-01', '2026-01-01', 0, :sent_at)"),
                    {"id": id_, "recipient": recipient, "body_text": body_text, "body_html": body_html,
                     "sent_at": sent_at})
        upgrade()
        with engine.connect() as connection:
            rows = [tuple(r) for r in connection.execute(text(
                "SELECT body_text, body_html, password_link_user_id FROM outbox_message ORDER BY id"))]
        waiting, removed = password_links.PLACEHOLDER, "[lenken er fjernet]"
        assert rows == [
            (text_body.replace(link, waiting), html_body.replace(link, waiting), 1),
            (text_body.replace(link, removed), html_body.replace(link, removed), None),
            (text_body.replace(link, removed), html_body.replace(link, removed), None),  # nobody to make it for
            ("Svar: http://kk.test/min-kommune/invitasjon/5", "<p>Svar</p>", None)]
        downgrade(revision="0012_representative_workflow")
        with engine.connect() as connection:
            assert "password_link_user_id" not in {c["name"] for c in inspect(connection).get_columns(
                "outbox_message")}
        engine.dispose()
        db.engine.dispose()


def test_the_register_revision_moves_names_and_numbers_into_the_history(tmp_path):
    """0018: each name and number holds from the start; the old "from 2020" columns become a new number from
    01.01.2020 (same name) or a successor organisation linked to its predecessors (another name); downgrading
    gives the columns back."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="0016_audit_rechain")
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (id, name, kind, number, region, org_number, is_host, successor_name, "
                "successor_number, search_key, sort_key) VALUES "
                "(1, 'Bergen', 'municipality', '1201', 'Vertskommune', '964338531', 1, 'Bergen', '4601', '', ''), "
                "(2, 'Lindås', 'municipality', '1263', 'Nordhordland', NULL, 0, 'Alver', '4631', '', ''), "
                "(3, 'Meland', 'municipality', '1256', 'Nordhordland', NULL, 0, 'Alver', '4631', '', ''), "
                "(4, 'Voss', 'municipality', '1235', 'Voss og omland', NULL, 0, 'Voss herad', '4621', '', ''), "
                "(5, 'NORCE Helse', 'institution', NULL, NULL, NULL, 0, NULL, NULL, '', '')"))
            connection.execute(text(
                "INSERT INTO user (id, email, name, active, created_at, organisation_id) "
                "VALUES (1, 'a@x.no', 'A', 1, '2024-01-01', 2)"))
        upgrade()
        found = {o.official_name: o for o in db.session.scalars(select(Organisation))}
        assert sorted(found) == ["Alver kommune", "Bergen kommune", "Lindås kommune", "Meland kommune",
                                 "NORCE Helse", "Voss herad", "Voss kommune"]
        bergen, lindas, alver = found["Bergen kommune"], found["Lindås kommune"], found["Alver kommune"]
        assert [organisations.on(bergen, day).number for day in (date(2019, 12, 31), date(2020, 1, 1))] == \
            ["1201", "4601"]
        assert (bergen.number, bergen.org_number, bergen.number_key) == ("4601", "964338531", "|1201|964338531|4601|")
        assert (lindas.number, lindas.active_to, alver.number, alver.active_from) == \
            ("1263", date(2019, 12, 31), "4631", date(2020, 1, 1))
        assert [link.predecessor.name for link in alver.predecessor_links] == ["Lindås", "Meland"]
        assert {link.first_day for link in alver.predecessor_links} == {date(2020, 1, 1)}
        assert (found["Voss herad"].name, found["NORCE Helse"].kind) == ("Voss", "research_institute")
        assert lindas.search_key == "lindas|alver" and alver.search_key == "alver|lindas|meland"
        # Existing organisations keep their ids: the user still belongs to Lindås, and no reference dangles.
        assert db.session.get(User, 1).organisation is lindas
        assert "successor_name" not in {c["name"] for c in inspect(db.engine).get_columns("organisation")}
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        db.session.remove()
        downgrade(revision="0016_audit_rechain")
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT id, name, number, successor_name, successor_number, kind FROM organisation ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [
            (1, "Bergen", "1201", "Bergen", "4601", "municipality"),
            (2, "Lindås", "1263", "Alver", "4631", "municipality"),
            (3, "Meland", "1256", "Alver", "4631", "municipality"),
            (4, "Voss", "1235", "Voss herad", "4621", "municipality"),
            (5, "NORCE Helse", None, "NORCE Helse", None, "institution")]
        engine.dispose()
        db.engine.dispose()


def test_lines_invoiced_before_the_invoicing_revision_get_the_default_due_date(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'invoices.db'}"))
    with app.app_context():
        upgrade()
        orgs = factories.organisations()
        adviser = factories.user("adviser", organisation=orgs["Bergen"])
        contributions.ensure_lines(factories.member_case(orgs["Voss"], adviser, activated_on=date(2025, 3, 1)))
        invoiced, _ = contributions.lines_for(orgs["Voss"])
        contributions.mark_invoiced(invoiced, adviser, invoiced_on=date(2025, 3, 10), reference=None)
        db.session.commit()
        db.session.remove()
        downgrade(revision="0022_cost_keys")
        upgrade()
        assert dict(db.session.execute(select(Contribution.year, Contribution.due_on)).all()) == {
            2025: date(2025, 4, 9), 2026: None}
        db.session.remove()
        db.engine.dispose()


def test_agreements_and_signatures_from_before_the_two_texts_are_bokmal(tmp_path):
    """0039: an agreement issued before the nynorsk text is the bokmål one, and its signatures signed that text; the
    version's nynorsk text is added when the next agreement is issued."""
    app = create_app(app_config(f"sqlite:///{tmp_path / 'texts.db'}"))
    with app.app_context():
        upgrade()
        orgs = factories.organisations()
        orgs["Askøy"].written_standard = "bokmal"
        adviser = factories.user("adviser", organisation=orgs["Bergen"])
        case = factories.member_case(orgs["Askøy"], adviser)
        agreement_id, bokmal_hash = case.agreement.id, case.agreement.template_hash
        voss_id, adviser_id = orgs["Voss"].id, adviser.id
        db.session.commit()
        db.session.remove()
        downgrade(revision="0038_user_language")
        upgrade()
        agreement = db.session.get(Agreement, agreement_id)
        assert agreement.language == "nb" and agreement.template.text_nn is None
        assert [(s.language, s.text_sha256) for s in agreement.signatures] == [("nb", bokmal_hash)] * 2
        assert agreements.text_matches(agreement)
        nynorsk = factories.issued_case(db.session.get(Organisation, voss_id), by=db.session.get(User, adviser_id))
        assert nynorsk.agreement.template_id == agreement.template_id
        assert nynorsk.agreement.template_hash == agreement.template.sha256_nn != bokmal_hash
        db.session.remove()
        db.engine.dispose()


VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _previous(revision_file: str) -> str:
    """The revision a revision file builds on, as it says (the chain is rearranged when branches are merged)."""
    tree = ast.parse((VERSIONS / revision_file).read_text())
    return next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and [target.id for target in node.targets] == ["down_revision"])


def test_the_minutes_kept_in_the_instance_folder_move_into_the_database(tmp_path):
    """0041: each meeting's PDF is copied in under the name the meeting holds, so its link keeps working; a file the
    meeting names but the disk lacks is left out, and the downgrade writes a file uploaded since back to disk."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    app.instance_path = str(tmp_path / "instance")
    (tmp_path / "instance" / "meetings").mkdir(parents=True)
    (tmp_path / "instance" / "meetings" / "1-aaaa.pdf").write_bytes(b"%PDF-1.4 referat")
    with app.app_context():
        upgrade(revision=_previous("0041_shared_files.py"))
        engine = create_engine(url)
        with engine.begin() as connection:
            for id_, name in ((1, "meetings/1-aaaa.pdf"), (2, "meetings/2-bbbb.pdf"), (3, None)):
                connection.execute(text(
                    "INSERT INTO meeting (id, kind, starts_at, ends_at, place, agenda, minutes, minutes_file, "
                    "created_at) VALUES (:id, 'steering', '2026-01-20 09:00:00', '2026-01-20 12:00:00', 'Bergen', "
                    "'', '', :name, '2026-01-01')"), {"id": id_, "name": name})
        upgrade(revision="0041_shared_files")
        with engine.begin() as connection:
            stored = connection.execute(text("SELECT name, content FROM stored_file")).all()
            connection.execute(text("INSERT INTO stored_file (name, content, stored_at) VALUES "
                                    "('meetings/3-cccc.pdf', :content, '2026-02-01')"), {"content": b"%PDF-1.4 ny"})
        downgrade(revision=_previous("0041_shared_files.py"))
        engine.dispose()
        db.engine.dispose()
    assert [tuple(row) for row in stored] == [("meetings/1-aaaa.pdf", b"%PDF-1.4 referat")]
    assert (tmp_path / "instance" / "meetings" / "3-cccc.pdf").read_bytes() == b"%PDF-1.4 ny"


def test_every_revision_says_which_step_of_a_rolling_upgrade_it_is():
    """README, "Two or more servers": a revision adds (the running version ignores what is new), or it removes or
    changes what the version before it used (the servers are upgraded to a version that no longer uses it first)."""
    steps = {}
    for path in sorted(VERSIONS.glob("*.py")):
        found = re.search(r"^Rolling upgrade: (add|remove|change)\b", ast.get_docstring(ast.parse(path.read_text())),
                          re.MULTILINE)
        steps[path.name] = found.group(1) if found else None
    assert [name for name, step in steps.items() if step is None] == []


def test_minutes_written_before_the_workflow_count_as_approved_and_the_free_text_agenda_stays(tmp_path):
    """0044: a meeting's minutes written before the revision were open to every invitee: approved (outside the
    app), so they stay readable; a meeting without minutes starts a draft; the agenda text is kept as it was, and
    the downgrade removes the items again."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision=_previous("0044_meeting_items.py"))
        engine = create_engine(url)
        with engine.begin() as connection:
            for id_, minutes, name in ((1, "Sak 1: vedtatt.", None), (2, "", "meetings/2-a.pdf"), (3, "", None)):
                connection.execute(text(
                    "INSERT INTO meeting (id, kind, starts_at, ends_at, place, agenda, minutes, minutes_file, "
                    "created_at) VALUES (:id, 'steering', '2026-01-20 09:00:00', '2026-01-20 12:00:00', 'Bergen', "
                    "'1. Årsrapport', :minutes, :name, '2026-01-01')"), {"id": id_, "minutes": minutes, "name": name})
        upgrade(revision="0044_meeting_items")
        with engine.begin() as connection:
            states = connection.execute(text(
                "SELECT id, minutes_state, minutes_state_since = created_at, minutes_version, agenda FROM meeting "
                "ORDER BY id")).all()
            connection.execute(text(
                "INSERT INTO meeting_item (meeting_id, position, series, year, number, title, description, "
                "created_at) VALUES (3, 1, 'SG', 2026, 1, 'Budsjett', '', '2026-01-02')"))
        downgrade(revision=_previous("0044_meeting_items.py"))
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        engine.dispose()
        db.engine.dispose()
    assert [tuple(row) for row in states] == [(1, "approved", True, 1, "1. Årsrapport"),
                                              (2, "approved", True, 1, "1. Årsrapport"),
                                              (3, "draft", True, 1, "1. Årsrapport")]
    assert "meeting_item" not in tables and "meeting" in tables
