"""The jobs service's own tables: postings (求人), the seeker_status projection, favourites (お気に入り),
saved search conditions (保存した検索条件),
referrals (紹介, J5), recommendations (おすすめ, J7), applications (応募, J8) with their documents,
no-show reports and restrictions (J9), the desired conditions and the matches of J6, plus the outbox and inbox.

One module a part, every name re-exported here (`from services.jobs.models import postings`):
base, posting, seeker, lists, application (in the singular, so that `models.postings` stays the table).
"""

from services.jobs.models.application import (  # noqa: F401
    Application,
    ApplicationDocument,
    NoShow,
    NoShowRestriction,
    application_documents,
    applications,
    no_show_restrictions,
    no_shows,
)
from services.jobs.models.base import Base, inbox, outbox  # noqa: F401
from services.jobs.models.lists import (  # noqa: F401
    DirectRequest,
    Favourite,
    Recommendation,
    Referral,
    SavedSearch,
    direct_requests,
    favourites,
    recommendations,
    referrals,
    saved_searches,
)
from services.jobs.models.posting import (  # noqa: F401
    EmployerClientRow,
    Posting,
    PostingEventVersion,
    employer_clients,
    free_word_text,
    occupation_group,
    posting_event_versions,
    posting_row,
    postings,
)
from services.jobs.models.seeker import (  # noqa: F401
    DesiredConditions,
    DesiredConditionTerm,
    Disclosure,
    Match,
    SeekerStatusRow,
    desired_condition_terms,
    desired_conditions,
    disclosures,
    matches,
    seeker_status,
)
