"""The jobs service's rules — no Flask, no SQLAlchemy session; one module a feature, every name
re-exported here (`from services.jobs import domain; domain.X`).

refused: the error the rules raise (the calendar day in Japan: kit.clock); gating: the seeker_status
projection and P4; saved: J3/J4 limits; search: J2 criteria and the free word; postings: J1/J2a/C2;
referrals: J5/J7; applications: J8; no_shows: J9/R4; direct_requests: J8a.
"""

from kit.clock import JST, today_in_japan  # noqa: F401 — the day every jobs rule counts in
from services.jobs.domain.applications import (  # noqa: F401
    APPLICATION_STATUSES,
    APPLICATION_WITHDRAWN,
    APPLIED,
    DOCUMENT_MAX_BYTES,
    EMPLOYER_STATUSES,
    HIRED,
    MAX_DOCUMENTS,
    MOTIVATION_MAX,
    RECOMMENDATION,
    REJECTED,
    SCREENING,
    SELF,
    STATUS_LABELS,
    application_route,
    check_can_apply,
    check_employer_status,
    check_withdrawable,
)
from services.jobs.domain.direct_requests import (  # noqa: F401
    DIRECT_REQUEST_MESSAGE_MAX,
    MAX_DIRECT_REQUESTS,
    check_direct_request_posting,
    check_direct_request_seeker,
    check_room_for_direct_request,
)
from services.jobs.domain.gating import (  # noqa: F401
    INVALID,
    ONLINE,
    REFUSAL_MESSAGES,
    REGISTERED,
    VALID,
    SeekerStatus,
    kind_changed,
    refusal,
    registration_changed,
    require_job_features,
    usability_changed,
    withdrawal_changed,
)
from services.jobs.domain.no_shows import (  # noqa: F401
    NO_SHOW_LIMIT,
    NO_SHOW_WINDOW_MONTHS,
    add_months,
    check_no_show,
    no_show_counts,
    reaches_restriction,
)
from services.jobs.domain.postings import (  # noqa: F401
    ANNUAL_HOLIDAYS_MAX,
    DATES_OUT_OF_ORDER,
    DESCRIPTION_MAX,
    ESTABLISHMENT_NAME_MAX,
    HOURS_MAX,
    POSTING_CATEGORIES,
    POSTING_FIELDS,
    POSTING_PARTS,
    POSTING_PAYLOAD_FIELDS,
    POSTING_TITLE_MAX,
    SCOPE_NO_NAME,
    SCOPE_NOT_ONLINE,
    SCOPE_PUBLIC,
    SCOPE_REGISTERED_ONLY,
    STATION_MAX,
    TWO_DAYS_WEEKLY,
    WAGE_MAX,
    acts_for,
    already_posted,
    canonical_job_number,
    changed_posting_fields,
    check_acts_for,
    check_changeable,
    check_posting_dates,
    check_same_establishment,
    discloses_establishment,
    fold_number,
    hidden_reason,
    is_online,
    is_open,
    posting_status,
    require_open,
)
from services.jobs.domain.referrals import (  # noqa: F401
    RECOMMENDATION_COMMENT_MAX,
    REFERRAL_NOTE_MAX,
    check_recommendable,
    referral_letter,
    seeker_not_found,
)
from services.jobs.domain.refused import (  # noqa: F401
    Refused,
)
from services.jobs.domain.saved import (  # noqa: F401
    MAX_FAVOURITES,
    MAX_SAVED_SEARCHES,
    SAVED_SEARCH_NAME_MAX,
    check_room_for_favourite,
    check_room_for_saved_search,
)
from services.jobs.domain.search import (  # noqa: F401
    DEFAULT_PER_PAGE,
    EMPLOYMENT_TYPES,
    FREE_WORD_MAX,
    JOB_CATEGORIES,
    MAX_JOB_NUMBERS,
    MAX_OCCUPATIONS,
    MAX_PLACES,
    NEW_WITHIN_DAYS,
    PER_PAGE_CHOICES,
    TWO_DAYS_WEEKLY_CHOICES,
    WAGE_TYPES,
    FreeWordError,
    FreeWordQuery,
    clock_minutes,
    criteria_free_word,
    free_words,
    hours_span,
    new_since,
    normalise_text,
    parse_free_word,
    places,
)
