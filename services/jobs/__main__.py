"""python -m services.jobs web|worker|relay|migrate, and the search node's commands (DESIGN §9):

    indexer                  keep MYPAGE_SEARCH_URL's index from the posting events (node MYPAGE_SEARCH_NODE);
                             an engine without an index is first filled from PostgreSQL; --bind host:port
                             serves its /healthz and /metrics (§8)
    reindex                  rebuild that index from PostgreSQL into a fresh generation, then switch
    search-check             compare the index with PostgreSQL; exit status 1 on drift
    load-demo --postings N   stream N generated postings into PostgreSQL (and the index, if any)
"""

import sys

from kit.cli import main
from services.jobs import operations
from services.jobs.app import build_runtime, create_app

if len(sys.argv) > 1 and sys.argv[1] in operations.COMMANDS:
    sys.exit(operations.run(sys.argv[1:]))
main("jobs", build_runtime=build_runtime, create_app=create_app)
