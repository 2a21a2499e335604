"""seekers.confirmed_on (P3b)"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("seekers") as batch:
        batch.add_column(sa.Column("confirmed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("seekers") as batch:
        batch.drop_column("confirmed_on")
