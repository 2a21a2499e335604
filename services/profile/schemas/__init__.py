"""Request and response schemas of the profile API (they also make its OpenAPI document).

Every refusal is field-level and bilingual (kit.problem.msg): Japanese by default, English
with `Accept-Language: en`. Input is normalised only where harmless (services.profile.text).
Checks that depend on today's date (a birth date in the past, a plausible age, no future
month in a work history) read the day in Japan by the injected clock (kit/clock.py): the
answering service's runtime's, or the one `as_of` gives outside a request (the demo loader).
"""

from __future__ import annotations

from services.profile.schemas.disclosure import (  # noqa: F401
    DisclosureInputSchema,
    DisclosureSchema,
    PublicProfileListSchema,
    PublicProfileQuerySchema,
    PublicProfileSchema,
    PublicWorkSchema,
)
from services.profile.schemas.fields import (  # noqa: F401
    EDUCATION_STATUSES,
    EMPLOYMENT_TYPES,
    HOURS,
    MAX_DESIRED,
    MAX_ITEMS,
    OCCUPATION_CODE,
    OFFICE_CODE,
    PHONE,
    POSTAL_CODE,
    SEEKER_NUMBER,
    WAGE_TYPES,
    YEAR_MONTH,
    EmailField,
    Kana,
    LongText,
    Phone,
    PostalCode,
    YearMonth,
    as_of,
    today,
)
from services.profile.schemas.parts import (  # noqa: F401
    AddressSchema,
    DesiredSchema,
    EducationSchema,
    OfficeSchema,
    QualificationSchema,
    WorkHistorySchema,
    empty_desired,
)
from services.profile.schemas.requests import (  # noqa: F401
    CounsellingSchema,
    ProfileUpdateSchema,
    ReapplicationSchema,
    RegistrationStatusSchema,
    SeekerRegistrationSchema,
    SeekerUpdateSchema,
)
from services.profile.schemas.views import (  # noqa: F401
    CountsSchema,
    ExtensionResultSchema,
    HomeSchema,
    ProfileSchema,
    RegistrationSchema,
    RestrictionSchema,
)
