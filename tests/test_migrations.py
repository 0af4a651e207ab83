"""`flask db upgrade` builds the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
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


def test_representatives_get_their_workflow_state_and_seat_rows(tmp_path):
    """0010: `pending` becomes `proposed`, state_since comes from the decision (or the proposal), and every seat
    in use gets its lock row; downgrading gives the old columns back."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="0009_case_lookup")
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
        downgrade(revision="0009_case_lookup")
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT status, decided_at FROM representative ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("approved", "2024-02-20 10:00:00.000000"), ("pending", None)]
        engine.dispose()
        db.engine.dispose()
