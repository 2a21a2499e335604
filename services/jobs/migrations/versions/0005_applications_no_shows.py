"""applications (応募, J8) with their documents, no-show reports and restrictions (J9)"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("seeker_id", sa.String(36), nullable=False),
        sa.Column("job_number", sa.String(14), nullable=False),
        sa.Column("establishment_number", sa.String(20), nullable=False),
        sa.Column("route", sa.String(20), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.Column("seeker_id", sa.String(36), nullable=False),
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
        sa.Column("seeker_id", sa.String(36), nullable=False),
        sa.Column("interview_date", sa.Date(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_no_shows_seeker_interview", "no_shows", ["seeker_id", "interview_date"])
    op.create_table(
        "no_show_restrictions",
        sa.Column("seeker_id", sa.String(36), primary_key=True),
        sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("no_show_restrictions")
    op.drop_table("no_shows")
    op.drop_table("application_documents")
    op.drop_table("applications")
