"""The secret clients of the e2e systems (not a test module): the development ones and a second staff client,
`desk`, of office 13010 (C3 across offices, test_staff_offices_embedded.py). The make up stack starts with them
(conftest.py's up_stack); an embedded module asks for them with its `system_environ`."""

from __future__ import annotations

DESK_SECRET = "desk-13010-secret-for-tests"
SECRET_CLIENTS = ",".join(["counter:staff@11040:counter-dev-secret", f"desk:staff@13010:{DESK_SECRET}",
                           "employer:employer:employer-dev-secret"])
