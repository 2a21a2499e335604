"""applications (応募, J8) with their documents, no-show reports and restrictions (J9)"""
import sqlalchemy as sa
from alembic import op

from kit.migrations import job_number, seeker_id, timestamp

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(32), primary_key=True),
        seeker_id(),
        job_number(),
        sa.Column("establishment_number", sa.String(20), nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        timestamp("submitted_at"),
        timestamp("status_changed_at"),
        timestamp("withdrawn_at", nullable=True),
        sa.UniqueConstraint("seeker_id", "job_number", name="uq_applications_seeker_job"),
        sa.CheckConstraint("status IN ('applied', 'screening', 'hired', 'rejected', 'withdrawn')",
                           name="ck_applications_status"),
        sa.CheckConstraint("route IN ('self', 'recommendation')", name="ck_applications_route"),
    )
    op.create_index("ix_applications_seeker_submitted", "applications", ["seeker_id", "submitted_at"])
    op.create_index("ix_applications_establishment", "applications", ["establishment_number", "submitted_at"])
    op.create_table(
        "application_documents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("application_id", sa.String(32), sa.ForeignKey("applications.id", ondelete="CASCADE"),
                  nullable=False),
        seeker_id(),
        sa.Column("filename", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_application_documents_application", "application_documents", ["application_id"])
    op.create_table(
        "no_shows",
        sa.Column("application_id", sa.String(32), sa.ForeignKey("applications.id", ondelete="CASCADE"),
                  primary_key=True),
        seeker_id(),
        sa.Column("interview_date", sa.Date(), nullable=False),
        timestamp("reported_at"),
    )
    op.create_index("ix_no_shows_seeker_interview", "no_shows", ["seeker_id", "interview_date"])
    op.create_table(
        "no_show_restrictions",
        seeker_id(primary_key=True),
        timestamp("restricted_at", nullable=True),
        timestamp("lifted_at", nullable=True),
        timestamp("updated_at"),
    )


def downgrade() -> None:
    op.drop_table("no_show_restrictions")
    op.drop_table("no_shows")
    op.drop_table("application_documents")
    op.drop_table("applications")
