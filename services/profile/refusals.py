"""The registration rules' refusals (domain.Refused) as the client reads them: problem+json in
Japanese, English with `Accept-Language: en`, naming the field a refusal is about."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kit.problem import Problem, msg
from services.profile import domain

# reason -> the field-level message (a 422 on Refused.field)
_FIELD_MESSAGES = {
    domain.APPLICATION_IN_FUTURE: msg("求職申込日に未来の日付は指定できません。",
                                      "The application date cannot be in the future."),
    domain.APPLICATION_BEFORE_PREVIOUS: msg("再求職申込日は前回の求職申込日以降の日付にしてください。",
                                            "The re-application date cannot be before the previous application date."),
}


def refusal_problem(refused: domain.Refused) -> Problem:
    """The problem for a refusal: 422 on its field, or 409 when the period it needs has ended (P3)."""
    if refused.reason == domain.PERIOD_ENDED:
        until = refused.valid_until.isoformat()
        return Problem("conflict",
                       detail_ja=f"求職登録の有効期限（{until}）が過ぎています。"
                                 "有効にするにはハローワークの窓口で再求職申込をしてください。",
                       detail_en=f"The registration's validity period ended on {until}; "
                                 "a re-application (再求職申込) at Hello Work is needed to make it valid again.",
                       extra={"valid_until": until})
    return Problem("validation-failed", fields={refused.field: [_FIELD_MESSAGES[refused.reason]]})


@contextmanager
def as_problem() -> Iterator[None]:
    """Raise a refusal of the rules inside as its problem."""
    try:
        yield
    except domain.Refused as refused:
        raise refusal_problem(refused) from refused
