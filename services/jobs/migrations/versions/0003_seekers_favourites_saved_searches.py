"""seeker_status projection, favourites, saved searches; postings.search_text"""
import unicodedata

import sqlalchemy as sa
from alembic import op

from kit.db import DOCUMENT
from kit.migrations import job_number, seeker_id, seeker_number, timestamp

revision = "0003"
down_revision = "0002"

BACKFILL_BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "seeker_status",
        seeker_id(primary_key=True),
        seeker_number(nullable=True),
        sa.Column("registration", sa.String(10), nullable=True),
        timestamp("registration_at", nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(10), nullable=True),
        timestamp("kind_at", nullable=True),
        sa.Column("usable", sa.Boolean(), nullable=False, server_default=sa.true()),
        timestamp("usable_at", nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False, server_default=sa.false()),
        timestamp("withdrawn_at", nullable=True),
        timestamp("updated_at"),
    )
    op.create_index("ix_seeker_status_seeker_number", "seeker_status", ["seeker_number"])
    op.create_table(
        "favourites",
        seeker_id(primary_key=True),
        job_number(primary_key=True),
        timestamp("added_at"),
    )
    op.create_index("ix_favourites_seeker_added", "favourites", ["seeker_id", "added_at"])
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.String(32), primary_key=True),
        seeker_id(),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("criteria", DOCUMENT, nullable=False),
        timestamp("created_at"),
        timestamp("updated_at"),
    )
    op.create_index("ix_saved_searches_seeker", "saved_searches", ["seeker_id", "created_at"])
    op.add_column("postings", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    _backfill_search_text()


def _backfill_search_text() -> None:
    """Postings loaded before this revision get their normalised free-word text (NFKC, case-folded)."""
    bind = op.get_bind()
    postings = sa.table("postings", sa.column("id", sa.BigInteger()), sa.column("title", sa.String()),
                        sa.column("description", sa.Text()), sa.column("search_text", sa.Text()))
    last = None
    while True:
        query = sa.select(postings.c.id, postings.c.title, postings.c.description).order_by(postings.c.id)
        if last is not None:
            query = query.where(postings.c.id > last)
        rows = bind.execute(query.limit(BACKFILL_BATCH)).all()
        if not rows:
            return
        bind.execute(
            postings.update().where(postings.c.id == sa.bindparam("row_id")).values(search_text=sa.bindparam("text")),
            [{"row_id": row.id, "text": unicodedata.normalize("NFKC", f"{row.title}\n{row.description}").casefold()}
             for row in rows],
        )
        last = rows[-1].id


def downgrade() -> None:
    op.drop_column("postings", "search_text")
    op.drop_table("saved_searches")
    op.drop_table("favourites")
    op.drop_table("seeker_status")
