"""J2 search: kana-folded search_text, the character-bigram GIN index (PostgreSQL), hours span

The free-word text gains kana and dash folding (ぱーと = パート), so every posting's search_text is
recomputed. On PostgreSQL the function jobs_bigrams(text) and a GIN index on jobs_bigrams(search_text)
serve the free word (chosen by bench/search.py); SQLite keeps scanning search_text. hours_start /
hours_end (minutes from midnight) are read from the 就業時間 text for the hours criteria.
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

BACKFILL_BATCH = 1000

# Frozen copies of services.jobs.domain.normalise_text and hours_span as of this revision.
_FOLD = str.maketrans({**{chr(code): chr(code + 0x60) for code in range(0x3041, 0x3097)},
                       "ゝ": "ヽ", "ゞ": "ヾ", **{dash: "ー" for dash in "-‐‑‒–—―−"}, "〜": "~"})
_TIME = r"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分)?)"
_HOURS = re.compile(_TIME + r"\s*[-~ー−‐–〜]\s*" + _TIME)

BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION jobs_bigrams(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array(
    SELECT DISTINCT substr(document, position, 2) FROM generate_series(1, length(document)) AS position))
$$
"""


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


def _span(hours: str | None) -> tuple[int | None, int | None]:
    found = _HOURS.search(unicodedata.normalize("NFKC", hours)) if hours else None
    if found is None:
        return None, None
    start_h, start_m, start_km, end_h, end_m, end_km = found.groups()
    start = int(start_h) * 60 + int(start_m or start_km or 0)
    end = int(end_h) * 60 + int(end_m or end_km or 0)
    if start > 1440 or end > 1440 or max(int(start_m or start_km or 0), int(end_m or end_km or 0)) > 59:
        return None, None
    return start, end + 1440 if end <= start else end


def upgrade() -> None:
    op.add_column("postings", sa.Column("hours_start", sa.SmallInteger(), nullable=True))
    op.add_column("postings", sa.Column("hours_end", sa.SmallInteger(), nullable=True))
    _backfill()
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BIGRAMS_FUNCTION)
        op.create_index("ix_postings_search_bigrams", "postings", [sa.text("jobs_bigrams(search_text)")],
                        postgresql_using="gin")


def _backfill() -> None:
    """Postings loaded before this revision: search_text with kana folding, and the hours span."""
    bind = op.get_bind()
    postings = sa.table("postings", sa.column("id", sa.BigInteger()), sa.column("title", sa.String()),
                        sa.column("description", sa.Text()), sa.column("hours", sa.String()),
                        sa.column("search_text", sa.Text()), sa.column("hours_start", sa.SmallInteger()),
                        sa.column("hours_end", sa.SmallInteger()))
    last = None
    while True:
        query = sa.select(postings.c.id, postings.c.title, postings.c.description, postings.c.hours)
        if last is not None:
            query = query.where(postings.c.id > last)
        rows = bind.execute(query.order_by(postings.c.id).limit(BACKFILL_BATCH)).all()
        if not rows:
            return
        bind.execute(
            postings.update().where(postings.c.id == sa.bindparam("row_id")).values(
                search_text=sa.bindparam("text"), hours_start=sa.bindparam("start"), hours_end=sa.bindparam("end")),
            [{"row_id": row.id, "text": _normalise(f"{row.title}\n{row.description}"),
              "start": _span(row.hours)[0], "end": _span(row.hours)[1]} for row in rows],
        )
        last = rows[-1].id


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_postings_search_bigrams", table_name="postings")
        op.execute("DROP FUNCTION IF EXISTS jobs_bigrams(text)")
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("hours_end")
        batch.drop_column("hours_start")
