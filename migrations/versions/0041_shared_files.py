"""stored_file: uploaded files (meeting minutes) in the database, so that every app server serves the same ones

Rolling upgrade: add. The table is new; nothing the running version reads changes. The minutes' PDFs kept until now
under the instance folder (instance/meetings/…, named by meeting.minutes_file) are copied in under the same name, so
every existing link keeps working; the files themselves are left where they were (remove them once the upgrade has
been checked). Run the upgrade where that instance folder is, as for 0016. A file named by a meeting but missing on
disk is reported and left out: its download answers 404, as it did before.

A minutes PDF uploaded through a server still running the old version during the upgrade lands on that server's disk
only; upload minutes again after the last server runs the new version, or run this upgrade after stopping uploads.

Revision ID: 0041_shared_files
Revises: 0040_sealed_agreements
Create Date: 2026-11-30 19:30:00

"""
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0041_shared_files"
down_revision = "0040_sealed_agreements"
branch_labels = None
depends_on = None


def upgrade():
    stored_file = op.create_table(
        "stored_file",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stored_file")),
    )
    instance = Path(current_app.instance_path)
    names = op.get_bind().execute(sa.text(
        "SELECT minutes_file FROM meeting WHERE minutes_file IS NOT NULL")).scalars().all()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for name in names:
        path = instance / name
        if path.is_file():
            op.bulk_insert(stored_file, [{"name": name, "content": path.read_bytes(), "stored_at": now}])
        else:
            print(f"0041_shared_files: {path} finnes ikke; referatet kan ikke lastes ned.")


def downgrade():
    """The files stay in the instance folder they were copied from; one uploaded since is written back there."""
    instance = Path(current_app.instance_path)
    for name, content in op.get_bind().execute(sa.text("SELECT name, content FROM stored_file")).all():
        path = instance / name
        if not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.write_bytes(content)
            path.chmod(0o600)
    op.drop_table("stored_file")
