"""`flask backup` copies the SQLite database consistently; the copy opens and its audit chain verifies."""
import stat

from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import AuditEvent
from app.services import audit
from tests.conftest import app_config


def test_backup_restores_and_verifies(app, runner, tmp_path):
    if db.engine.dialect.name != "sqlite":
        result = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
        assert result.exit_code == 2 and "pg_dump" in result.output
        return
    runner.invoke(args=["seed-demo", "--password", "demo-passord"])
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    target = tmp_path / "kopi" / "copy.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # the copy holds all the database does
    restored = create_app(app_config(f"sqlite:///{target}"))
    with restored.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
        assert audit.verify().ok
        db.engine.dispose()
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code == 2 and "finnes allerede" in again.output
