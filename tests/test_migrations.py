"""`flask db upgrade` builds the schema the models describe, and fills what a revision adds to existing rows."""
from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select

from app import create_app
from app.extensions import db
from app.models import Contribution
from app.services import contributions
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
        downgrade(revision="0009_case_lookup")
        upgrade()
        assert dict(db.session.execute(select(Contribution.year, Contribution.agreement_id)).all()) == billed
        db.session.remove()
        db.engine.dispose()
