"""The jobs service layer: what the service does when asked — one function per use case, in a unit of
work its caller commits (the view in api.py, the consumer for handlers.py; a function here never
commits). The rules are in domain/, the projection of seekers in seekers.py, the search in search.py.

common: what the use cases share; jobs: J2 search, a posting's page, P5 counts; favourites: J3/J4;
referrals: J5/J7 — these four re-exported here (`commands.add_favourite`); applications: J8/J9; postings: J1
from the employer-side system; direct_requests: J8a; matching and rematching: J6; alerts: J3's saved-search
alerts and their digest (`from services.jobs.commands import postings`).
"""

from services.jobs.commands.common import (  # noqa: F401
    canonical_job_number,
    count_of,
    find_online,
    is_favourite,
    job_not_found,
    registered_caller,
    target_seeker,
    today,
)
from services.jobs.commands.favourites import (  # noqa: F401
    add_favourite,
    create_saved_search,
    delete_saved_search,
    list_favourites,
    list_saved_searches,
    remove_favourite,
    replace_saved_search,
    run_saved_search,
)
from services.jobs.commands.jobs import home_counts, job_detail, search_jobs  # noqa: F401
from services.jobs.commands.referrals import (  # noqa: F401
    list_recommendations,
    list_referrals,
    recommend,
    record_referral,
    referral,
    referral_not_found,
)
