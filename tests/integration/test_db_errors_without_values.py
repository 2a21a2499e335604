"""S7/E3: a failing statement's exception and its log line name the statement, never a value.

SQLAlchemy prints the parameters of a failed statement unless the engine hides them, and PostgreSQL
itself quotes row values in the error (`DETAIL: Key (email)=(…) already exists.`, `Failing row
contains (…)`, `invalid input syntax for type integer: "…"`). kit.db.make_engine removes both.
"""

from __future__ import annotations

import io
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError

from kit.db import make_engine
from kit.logs import JsonFormatter

EMAIL = "taro.kyushoku@example.jp"  # the value that must never be printed
SEEKER_NUMBER = "11040-12345678"
SCHEMA = """CREATE TABLE seekers (email varchar(40) PRIMARY KEY, seeker_number varchar(14) NOT NULL,
            wage integer CHECK (wage > 0))"""


def _logged(error: BaseException) -> str:
    """What kit's JSON log line says about `error` when logged with its traceback."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("mypage.test.db-errors")
    logger.addHandler(handler)
    try:
        logger.error("statement failed", exc_info=(type(error), error, error.__traceback__))
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def _failure(url: str, statement: str, params: dict) -> BaseException:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(SCHEMA))
            connection.execute(text("INSERT INTO seekers VALUES (:email, :number, 200000)"),
                               {"email": EMAIL, "number": SEEKER_NUMBER})
        with engine.begin() as connection, pytest.raises((IntegrityError, DataError)) as raised:
            connection.execute(text(statement), params)
        return raised.value
    finally:
        engine.dispose()


FAILURES = {
    "unique violation (DETAIL quotes the key)": (
        "INSERT INTO seekers VALUES (:email, :number, 1)", {"email": EMAIL, "number": SEEKER_NUMBER}),
    "check violation (DETAIL quotes the row)": (
        "INSERT INTO seekers VALUES (:email, :number, :wage)", {"email": "x" + EMAIL, "number": SEEKER_NUMBER,
                                                              "wage": -1}),
    "value too long": (
        "INSERT INTO seekers VALUES (:email, :number, 1)", {"email": "y" + EMAIL, "number": SEEKER_NUMBER + "-9"}),
    "invalid input (the message quotes the value)": (
        "SELECT CAST(:number AS integer)", {"number": SEEKER_NUMBER}),
}


@pytest.mark.parametrize("case", FAILURES)
def test_s7_a_failing_statement_on_postgresql_prints_no_value(database_url, case):
    statement, params = FAILURES[case]
    error = _failure(database_url, statement, params)
    for shown in (str(error), repr(error), str(error.orig), _logged(error)):
        assert EMAIL not in shown and SEEKER_NUMBER not in shown and "12345678" not in shown, shown
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(error)
    assert "SQLSTATE" in str(error.orig)  # what failed stays diagnosable: the SQLSTATE and the names


def test_s7_the_names_of_constraint_and_table_stay_in_the_message(database_url):
    statement, params = FAILURES["unique violation (DETAIL quotes the key)"]
    error = _failure(database_url, statement, params)
    assert 'duplicate key value violates unique constraint "seekers_pkey"' in str(error)
    assert "SQLSTATE 23505; constraint seekers_pkey; table seekers" in str(error)


@pytest.mark.parametrize("case", [case for case in FAILURES if "violation" in case])
def test_s7_a_failing_statement_on_sqlite_prints_no_value(tmp_path, case):
    statement, params = FAILURES[case]
    error = _failure(f"sqlite:///{tmp_path / 'seekers.db'}", statement, params)
    for shown in (str(error), _logged(error)):
        assert EMAIL not in shown and SEEKER_NUMBER not in shown, shown
