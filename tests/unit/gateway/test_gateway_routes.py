"""The routing table covers every path of SPEC's public API contract, and nothing else."""

import pytest

from gateway.routes import ROUTES, Access, match, services

# Every line of SPEC "The public API contract": (method, path, owning service).
SPEC_PATHS = [
    ("GET", "/api/v1/terms", "auth"),
    ("POST", "/api/v1/auth/opening", "auth"),
    ("POST", "/api/v1/auth/opening/complete", "auth"),
    ("POST", "/api/v1/auth/login", "auth"),
    ("POST", "/api/v1/auth/login/otp", "auth"),
    ("POST", "/api/v1/auth/logout", "auth"),
    ("DELETE", "/api/v1/auth/devices", "auth"),
    ("POST", "/api/v1/auth/password-reset", "auth"),
    ("POST", "/api/v1/auth/password-reset/complete", "auth"),
    ("PUT", "/api/v1/me/password", "auth"),
    ("DELETE", "/api/v1/me", "auth"),
    ("POST", "/api/v1/auth/token", "auth"),
    ("POST", "/api/v1/staff/employer-clients", "auth"),  # C1
    ("PUT", "/api/v1/staff/employer-clients/ec-0123/establishments", "auth"),
    ("GET", "/api/v1/staff/audit", "auth"),  # C3
    ("GET", "/api/v1/jobs", "jobs"),
    ("GET", "/api/v1/jobs/11040-00012345", "jobs"),
    ("GET", "/api/v1/me", "profile"),
    ("GET", "/api/v1/me/profile", "profile"),
    ("PATCH", "/api/v1/me/profile", "profile"),
    ("PUT", "/api/v1/me/registration", "profile"),
    ("GET", "/api/v1/me/saved-searches", "jobs"),
    ("POST", "/api/v1/me/saved-searches", "jobs"),
    ("PUT", "/api/v1/me/saved-searches/3", "jobs"),
    ("DELETE", "/api/v1/me/saved-searches/3", "jobs"),
    ("GET", "/api/v1/me/saved-searches/3/jobs", "jobs"),
    ("PUT", "/api/v1/me/saved-searches/3/alert", "jobs"),
    ("POST", "/api/v1/saved-search-alerts/stop", "jobs"),  # J3 alerts: the mail's one-click stop, no login
    ("GET", "/api/v1/me/application-profile", "profile"),  # what an application sends of the 求職情報
    ("GET", "/api/v1/employer/applications/7/profile", "profile"),  # the applicant's frozen 求職情報 (C2)
    ("GET", "/api/v1/employer/applications/7", "jobs"),
    ("POST", "/api/v1/saved-search-alerts/one-click", "jobs"),  # its RFC 8058 List-Unsubscribe-Post
    ("GET", "/api/v1/me/favourites", "jobs"),
    ("PUT", "/api/v1/me/favourites/11040-00012345", "jobs"),
    ("DELETE", "/api/v1/me/favourites/11040-00012345", "jobs"),
    ("GET", "/api/v1/me/referrals", "jobs"),
    ("GET", "/api/v1/me/referrals/7", "jobs"),
    ("GET", "/api/v1/me/recommendations", "jobs"),
    ("GET", "/api/v1/me/applications", "jobs"),
    ("POST", "/api/v1/me/applications", "jobs"),
    ("POST", "/api/v1/me/applications/12/withdraw", "jobs"),
    ("GET", "/api/v1/me/messages", "messaging"),
    ("GET", "/api/v1/me/messages/thread-1", "messaging"),
    ("POST", "/api/v1/me/messages/thread-1", "messaging"),
    ("GET", "/api/v1/me/notices", "messaging"),
    ("POST", "/api/v1/staff/seekers", "profile"),
    ("PATCH", "/api/v1/staff/seekers/11040-12345678", "profile"),
    ("POST", "/api/v1/staff/seekers/11040-12345678/reapplication", "profile"),
    ("PUT", "/api/v1/staff/seekers/11040-12345678/mypage-status", "auth"),
    ("POST", "/api/v1/staff/seekers/11040-12345678/restriction/lift", "jobs"),
    ("POST", "/api/v1/staff/referrals", "jobs"),
    ("POST", "/api/v1/staff/recommendations", "jobs"),
    ("POST", "/api/v1/staff/notices", "messaging"),
    ("POST", "/api/v1/employer/jobs", "jobs"),
    ("PATCH", "/api/v1/employer/jobs/11040-00012345", "jobs"),
    ("DELETE", "/api/v1/employer/jobs/11040-00012345", "jobs"),
    ("POST", "/api/v1/employer/applications/12/no-show", "jobs"),
    ("POST", "/api/v1/employer/messages", "messaging"),
    ("GET", "/api/v1/staff/erasures/0f3c2a9e-4b7d-4c1e-8a6b-5d4c3b2a1f0e", "retention"),  # R3, for operators
    ("PUT", "/api/v1/me/disclosure", "profile"),  # J8a 求職情報公開
    ("GET", "/api/v1/employer/seekers", "profile"),  # J8a, employers look for disclosed seekers
    ("POST", "/api/v1/employer/direct-requests", "jobs"),  # J8a
    ("GET", "/api/v1/me/direct-requests", "jobs"),  # J8a
    ("GET", "/api/v1/me/matching-jobs", "jobs"),  # J6
]


@pytest.mark.parametrize(("method", "path", "service"), SPEC_PATHS,
                         ids=[f"{m} {p}" for m, p, _ in SPEC_PATHS])
def test_every_spec_path_goes_to_the_service_that_owns_it(method, path, service):
    assert match(method, path).service == service


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/unknown", "/api/v1/mine", "/api/v1/me/unknown",
                                  "/api/v1/jobsx", "/api/v1/staff", "/api/v1/employer", "/api/v2/jobs",
                                  "/jobs", "/"])
def test_unknown_paths_match_no_route(path):
    found = match("GET", path)
    assert found.route is None
    assert not found.method_not_allowed


def test_the_home_path_is_exact_and_split_by_method():
    assert match("GET", "/api/v1/me").service == "profile"
    assert match("HEAD", "/api/v1/me").service == "profile"
    assert match("DELETE", "/api/v1/me").service == "auth"
    refused = match("POST", "/api/v1/me")
    assert refused.route is None and refused.method_not_allowed
    assert refused.allowed == {"GET", "DELETE"}


def test_a_more_specific_pattern_wins_over_a_longer_prefix_of_another_service():
    assert match("PUT", "/api/v1/staff/seekers/1/mypage-status").service == "auth"
    assert match("GET", "/api/v1/staff/seekers/1/restriction").service == "jobs"
    assert match("PATCH", "/api/v1/staff/seekers/1").service == "profile"


def test_every_route_serves_at_least_one_spec_path():
    used = {match(method, path).route for method, path, _ in SPEC_PATHS}
    assert set(ROUTES) <= used


def test_the_five_routed_services():
    assert set(services()) == {"auth", "profile", "jobs", "messaging", "retention"}


@pytest.mark.parametrize(("path", "access"), [
    ("/api/v1/terms", Access.PUBLIC), ("/api/v1/auth/login", Access.PUBLIC),
    ("/api/v1/auth/logout", Access.TOKEN), ("/api/v1/jobs", Access.OPTIONAL),
    # S8 (found by Schemathesis): documented as public, yet auth answers only a logged-in seeker
    ("/api/v1/auth/devices", Access.TOKEN),
    ("/api/v1/me/favourites", Access.TOKEN), ("/api/v1/staff/seekers", Access.TOKEN),
])
def test_routes_say_whether_a_token_is_needed(path, access):
    assert match("POST", path).route.access is access
