"""The edge of jobs' rules: a domain.Refused answered as problem+json (kit.problem), the same for every
view. The rules say what is refused and why; this says it in HTTP."""

from __future__ import annotations

from kit.problem import Problem, msg
from services.jobs.domain import Refused

# Refused.kind → the problem's key (its status and title: kit.problem.CATALOGUE)
PROBLEMS = {"not_found": "not-found", "forbidden": "forbidden", "conflict": "conflict",
            "limit_reached": "limit-reached", "invalid": "validation-failed"}


def problem(refused: Refused) -> Problem:
    """The problem+json a refusal is answered with."""
    fields = ({name: [msg(ja, en) for ja, en in messages] for name, messages in refused.fields.items()}
              if refused.fields else None)
    return Problem(PROBLEMS[refused.kind], detail_ja=refused.ja, detail_en=refused.en, fields=fields,
                   extra=dict(refused.data))
