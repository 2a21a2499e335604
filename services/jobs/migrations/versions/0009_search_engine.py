"""J2 at national scale: the free word moves to the search engine (search_engine.py); J2b facets

search_text now holds the title, description, occupation name, employment type and job category,
normalised as the engine does it (small kana, ヴ sounds, lower case); the establishment's name is
searchable apart (establishment_text: J2a decides per caller); occupation_group (大分類) feeds the
J2b facet. The PostgreSQL bigram GIN index is dropped: the engine serves the free word in the
distributed mode (its maintenance made every posting write and a national load slow).
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

from kit.codes import occupation

revision = "0009"
down_revision = "0008"

BACKFILL_BATCH = 1000

# Frozen copies of services.jobs.domain.normalise_text and models.free_word_text / occupation_group.
_TO_KATAKANA = str.maketrans({**{chr(code): chr(code + 0x60) for code in range(0x3041, 0x3097)},
                              "ゝ": "ヽ", "ゞ": "ヾ"})
_V_SOUND = re.compile("ヴ([ァィゥェォ]?)")
_V_SOUNDS = {"ァ": "バ", "ィ": "ビ", "ゥ": "ブ", "ェ": "ベ", "ォ": "ボ", "": "ブ"}
_KANA_CASE_AND_DASHES = str.maketrans({
    **dict(zip("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ", strict=True)),
    **{dash: "ー" for dash in "-‐‑‒–—―⁃−─━"}, "〜": "~",
})


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_TO_KATAKANA)
    return _V_SOUND.sub(lambda found: _V_SOUNDS[found.group(1)], text).translate(_KANA_CASE_AND_DASHES)


def _free_word_text(row) -> str:
    found = occupation(row.occupation_code)
    return "\n".join([row.title, row.description, found.name if found else "", row.employment_type, row.category])


def _group(code: str) -> str | None:
    found = occupation(code)
    while found is not None and found.parent is not None:
        found = occupation(found.parent)
    return found.code if found is not None and found.level == "major" else None


def upgrade() -> None:
    op.add_column("postings", sa.Column("establishment_text", sa.Text(), nullable=False, server_default=""))
    op.add_column("postings", sa.Column("occupation_group", sa.String(1), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_postings_search_bigrams")
        op.execute("DROP FUNCTION IF EXISTS jobs_bigrams(text)")
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    postings = sa.table("postings", *(sa.column(name) for name in (
        "id", "title", "description", "occupation_code", "employment_type", "category", "establishment_name",
        "search_text", "establishment_text", "occupation_group")))
    last = None
    while True:
        query = sa.select(postings.c.id, postings.c.title, postings.c.description, postings.c.occupation_code,
                          postings.c.employment_type, postings.c.category, postings.c.establishment_name)
        if last is not None:
            query = query.where(postings.c.id > last)
        rows = bind.execute(query.order_by(postings.c.id).limit(BACKFILL_BATCH)).all()
        if not rows:
            return
        bind.execute(
            postings.update().where(postings.c.id == sa.bindparam("row_id")).values(
                search_text=sa.bindparam("text"), establishment_text=sa.bindparam("name"),
                occupation_group=sa.bindparam("group")),
            [{"row_id": row.id, "text": _normalise(_free_word_text(row)), "name": _normalise(row.establishment_name),
              "group": _group(row.occupation_code)} for row in rows],
        )
        last = rows[-1].id


BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION jobs_bigrams(document text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array(
    SELECT DISTINCT substr(document, position, 2) FROM generate_series(1, length(document)) AS position))
$$
"""


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # what 0006 made, for its own downgrade to undo
        op.execute(BIGRAMS_FUNCTION)
        op.create_index("ix_postings_search_bigrams", "postings", [sa.text("jobs_bigrams(search_text)")],
                        postgresql_using="gin")
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("occupation_group")
        batch.drop_column("establishment_text")
