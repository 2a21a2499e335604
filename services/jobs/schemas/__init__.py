"""Request and response schemas of the jobs API (they also make its OpenAPI document); one module a
part, every schema re-exported here (`from services.jobs import schemas; schemas.X`).

fields: the API's own fields; criteria: J2 search criteria, J3 saved searches; views: a posting as seekers
see it, J4 favourites; referrals: J5/J6/J7; applications: J8/J9; postings: J1 from the employer-side
system; direct_requests: J8a. Every refusal is field-level and bilingual (kit.problem.msg).
"""

from services.jobs.schemas.applications import (  # noqa: F401
    ApplicationDetailSchema,
    ApplicationInputSchema,
    ApplicationListSchema,
    ApplicationSchema,
    DocumentInputSchema,
    DocumentSchema,
    EmployerApplicationListSchema,
    EmployerApplicationQuerySchema,
    EmployerApplicationSchema,
    NoShowInputSchema,
    NoShowSchema,
    PdfContent,
    RestrictionSchema,
    StatusInputSchema,
)
from services.jobs.schemas.criteria import (  # noqa: F401
    MAX_PAGE,
    CriteriaSchema,
    JobQuerySchema,
    PageQuerySchema,
    SavedSearchInputSchema,
    SavedSearchListSchema,
    SavedSearchSchema,
)
from services.jobs.schemas.direct_requests import (  # noqa: F401
    DirectRequestedJobSchema,
    DirectRequestInputSchema,
    DirectRequestListSchema,
    DirectRequestSentSchema,
)
from services.jobs.schemas.fields import (  # noqa: F401
    Clock,
    JobNumber,
    Occupation,
    Prefecture,
)
from services.jobs.schemas.postings import (  # noqa: F401
    EXTRA_KEY_MAX,
    EXTRA_KEYS_MAX,
    EXTRA_VALUE_MAX,
    EmployerPostingSchema,
    PostingChangesSchema,
    PostingContactSchema,
    PostingEstablishmentSchema,
    PostingEstablishmentViewSchema,
    PostingHolidaysSchema,
    PostingInputSchema,
    PostingLocationSchema,
    PostingLocationViewSchema,
    PostingRequirementsSchema,
    PostingWageSchema,
)
from services.jobs.schemas.referrals import (  # noqa: F401
    LetterInputSchema,
    MatchedJobSchema,
    MatchingJobPageSchema,
    RecommendationInputSchema,
    RecommendationListSchema,
    RecommendationSchema,
    RecommendedJobSchema,
    ReferralDetailSchema,
    ReferralInputSchema,
    ReferralListSchema,
    ReferralSchema,
    SeekerTargetSchema,
)
from services.jobs.schemas.views import (  # noqa: F401
    EstablishmentSchema,
    FacetValueSchema,
    FavouriteListSchema,
    FavouriteSchema,
    JobDetailSchema,
    JobPageSchema,
    JobSummarySchema,
    LocationSchema,
    WageSchema,
)
