"""The public API's operationIds (issue 13 item 7): one stable, meaningful name per operation.

Generated clients name their functions after them (`search_jobs`, `add_favourite` in Python,
`searchJobs` in Swift or Kotlin), so a name never changes once released: renaming one is a
breaking change (contracts/released/openapi.json). They live here, in one table, rather than on
each service's route: the gateway merges the services' documents and gives every operation its
name (gateway/openapi.py). A route a service adds needs a line here — a contract test
(tests/contract/test_released_contracts.py) fails on an operation without one, on a name used
twice and on a line no operation uses.
"""

from __future__ import annotations

_V1 = "/api/v1"

OPERATION_IDS: dict[tuple[str, str], str] = {
    # auth: terms, opening (A2–A6), login (A7), tokens, password (A8), withdrawal (A9), 利用不可 (A10)
    ("GET", "/terms"): "getTerms",
    ("POST", "/auth/opening"): "requestOpening",
    ("POST", "/auth/opening/complete"): "completeOpening",
    ("POST", "/auth/login"): "login",
    ("POST", "/auth/login/otp"): "verifyLoginOtp",
    ("POST", "/auth/logout"): "logout",
    ("DELETE", "/auth/devices"): "forgetDevices",
    ("POST", "/auth/refresh"): "refreshToken",
    ("POST", "/auth/token"): "issueClientToken",
    ("GET", "/auth/jwks"): "getJwks",
    ("POST", "/auth/password-reset"): "requestPasswordReset",
    ("POST", "/auth/password-reset/complete"): "completePasswordReset",
    ("PUT", "/me/password"): "changePassword",
    ("DELETE", "/me"): "withdraw",
    ("PUT", "/staff/seekers/{seeker_number}/mypage-status"): "setMyPageStatus",
    ("POST", "/staff/employer-clients"): "registerEmployerClient",
    ("GET", "/staff/employer-clients/{client_id}"): "getEmployerClient",
    ("DELETE", "/staff/employer-clients/{client_id}"): "revokeEmployerClient",
    ("PUT", "/staff/employer-clients/{client_id}/establishments"): "setEmployerClientEstablishments",
    ("POST", "/staff/employer-clients/{client_id}/secret"): "rotateEmployerClientSecret",
    ("GET", "/staff/audit"): "listStaffAudit",
    # profile: home (P5), 求職情報 (P2), registration (P3), 求職情報公開 (J8a), the counter (P1, P3a, P3b)
    ("GET", "/me"): "getHome",
    ("GET", "/me/profile"): "getProfile",
    ("PATCH", "/me/profile"): "updateProfile",
    ("GET", "/me/application-profile"): "previewApplicationProfile",
    ("PUT", "/me/registration"): "setRegistrationStatus",
    ("GET", "/me/disclosure"): "getDisclosure",
    ("PUT", "/me/disclosure"): "setDisclosure",
    ("GET", "/employer/seekers"): "searchDisclosedSeekers",
    ("POST", "/staff/seekers"): "registerSeeker",
    ("GET", "/staff/seekers/{seeker_number}"): "getSeeker",
    ("PATCH", "/staff/seekers/{seeker_number}"): "updateSeeker",
    ("PUT", "/staff/seekers/{seeker_number}/registration"): "setSeekerRegistrationStatus",
    ("POST", "/staff/seekers/{seeker_number}/reapplication"): "reapplySeeker",
    ("POST", "/staff/seekers/{seeker_number}/counselling"): "recordCounselling",
    ("POST", "/staff/seekers/{seeker_number}/confirmation"): "confirmSeeker",
    # jobs: search (J2), 求人票 (J1), saved searches (J3), favourites (J4), referrals (J5), matching (J6),
    # recommendations (J7), applications (J8), direct requests (J8a), restrictions (J9), postings (J1)
    ("GET", "/jobs"): "searchJobs",
    ("GET", "/jobs/{job_number}"): "getJob",
    ("GET", "/me/saved-searches"): "listSavedSearches",
    ("POST", "/me/saved-searches"): "createSavedSearch",
    ("PUT", "/me/saved-searches/{search_id}"): "updateSavedSearch",
    ("DELETE", "/me/saved-searches/{search_id}"): "deleteSavedSearch",
    ("GET", "/me/saved-searches/{search_id}/jobs"): "runSavedSearch",
    ("PUT", "/me/saved-searches/{search_id}/alert"): "startSavedSearchAlert",
    ("DELETE", "/me/saved-searches/{search_id}/alert"): "stopSavedSearchAlert",
    ("POST", "/saved-search-alerts/stop"): "stopSavedSearchAlertByLink",
    ("POST", "/saved-search-alerts/one-click"): "stopSavedSearchAlertOneClick",
    ("GET", "/me/favourites"): "listFavourites",
    ("PUT", "/me/favourites/{job_number}"): "addFavourite",
    ("DELETE", "/me/favourites/{job_number}"): "removeFavourite",
    ("GET", "/me/referrals"): "listReferrals",
    ("GET", "/me/referrals/{referral_id}"): "getReferral",
    ("GET", "/me/referrals/{referral_id}/letter.pdf"): "getReferralLetterPdf",
    ("GET", "/me/matching-jobs"): "listMatchingJobs",
    ("GET", "/me/recommendations"): "listRecommendations",
    ("GET", "/me/applications"): "listApplications",
    ("POST", "/me/applications"): "submitApplication",
    ("GET", "/me/applications/{application_id}"): "getApplication",
    ("GET", "/me/applications/{application_id}/documents/{document_id}"): "getApplicationDocument",
    ("POST", "/me/applications/{application_id}/withdraw"): "withdrawApplication",
    ("GET", "/me/direct-requests"): "listDirectRequests",
    ("POST", "/staff/referrals"): "recordReferral",
    ("GET", "/staff/referrals/{referral_id}/letter.pdf"): "getStaffReferralLetterPdf",
    ("POST", "/staff/recommendations"): "recommendJob",
    ("GET", "/staff/seekers/{seeker_number}/restriction"): "getSeekerRestriction",
    ("POST", "/staff/seekers/{seeker_number}/restriction/lift"): "liftSeekerRestriction",
    ("POST", "/employer/jobs"): "publishPosting",
    ("GET", "/employer/jobs/{job_number}"): "getEmployerPosting",
    ("PATCH", "/employer/jobs/{job_number}"): "changePosting",
    ("DELETE", "/employer/jobs/{job_number}"): "closePosting",
    ("GET", "/employer/applications"): "listEmployerApplications",
    ("GET", "/employer/applications/{application_id}"): "getEmployerApplication",
    ("GET", "/employer/applications/{application_id}/profile"): "getEmployerApplicationProfile",
    ("GET", "/employer/applications/{application_id}/documents/{document_id}"): "getEmployerApplicationDocument",
    ("PUT", "/employer/applications/{application_id}/status"): "setApplicationStatus",
    ("POST", "/employer/applications/{application_id}/no-show"): "reportNoShow",
    ("POST", "/employer/direct-requests"): "sendDirectRequest",
    # messaging: messages (M1), notices (M2)
    ("GET", "/me/messages"): "listThreads",
    ("GET", "/me/messages/{thread_id}"): "getThread",
    ("POST", "/me/messages/{thread_id}"): "sendMessage",
    ("POST", "/me/messages/{thread_id}/read"): "markThreadRead",
    ("GET", "/me/notices"): "listNotices",
    ("GET", "/me/notices/{notice_id}"): "getNotice",
    ("POST", "/me/notices/{notice_id}/read"): "markNoticeRead",
    ("PUT", "/me/notices/{notice_id}/read"): "putNoticeRead",
    ("POST", "/staff/notices"): "postNotice",
    ("GET", "/employer/messages"): "listEmployerMessages",
    ("POST", "/employer/messages"): "sendEmployerMessage",
    ("POST", "/employer/messages/read"): "markEmployerMessagesRead",
    # retention: where an erasure stands (R3)
    ("GET", "/staff/erasures/{erasure_id}"): "getErasure",
}


def operation_id(method: str, path: str) -> str | None:
    """The operationId of `method path` (a path as the OpenAPI document spells it), or None."""
    if not path.startswith(_V1 + "/") and path != _V1:
        return None
    return OPERATION_IDS.get((method.upper(), path[len(_V1):] or "/"))
