"""annual_report: the yearly report to the steering group, one PDF per year filed with that year's steering-group
meeting

Rolling upgrade: add. A new table only.

Revision ID: 0024_annual_reports
Revises: 0023_invoicing
Create Date: 2026-11-30 12:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = "0024_annual_reports"
down_revision = "0023_invoicing"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "annual_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("generated_at", sa.DateTime(), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f("fk_annual_report_meeting_id_meeting")),
        sa.ForeignKeyConstraint(["generated_by_id"], ["user.id"], name=op.f("fk_annual_report_generated_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_report")),
        sa.UniqueConstraint("year", name=op.f("uq_annual_report_year")),
    )
    op.create_index(op.f("ix_annual_report_meeting_id"), "annual_report", ["meeting_id"])


def downgrade():
    op.drop_index(op.f("ix_annual_report_meeting_id"), table_name="annual_report")
    op.drop_table("annual_report")
