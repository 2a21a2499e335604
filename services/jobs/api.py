"""The jobs service's HTTP API (views only: load, call a command, dump).

Public: GET /jobs (J2), GET /jobs/{job_number} (J1, J2a). Seeker (token role seeker,
`sub` = their opaque id; refused with 403 while the registration is invalid, P4):
/me/favourites (J4), /me/saved-searches (J3), /me/referrals (J5), /me/recommendations (J7),
/me/applications (J8), /me/matching-jobs (J6). Staff (role staff): /staff/referrals (J5),
/staff/recommendations (J7), /staff/seekers/{number}/restriction (J9). The employer-side system's views
are in employer_api.py. Internal (not under /api/v1, so the gateway never routes clients to it):
GET /internal/v1/home, jobs' counts for the home screen (P5).
"""

from __future__ import annotations

import io

from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app, g, jsonify, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from kit.tokens import (
    SEEKER,
    STAFF,
    current_seeker_id,
    require_role,
    require_seeker,
)
from kit.web import committed, current_runtime, in_uow
from services.jobs import commands, letters, schemas
from services.jobs.commands import applications, direct_requests, matching
from services.jobs.domain import DEFAULT_PER_PAGE

blp = Blueprint("jobs", __name__, url_prefix="/api/v1", description="求人検索・お気に入り・応募 (jobs)")
internal = FlaskBlueprint("jobs_internal", __name__, url_prefix="/internal/v1")


def _caller() -> tuple[str | None, bool]:
    """(seeker id or None, is a staff system) of an optional token."""
    principal = g.get("principal")
    if principal is None:
        return None, False
    return (principal.subject if principal.has(SEEKER) else None), principal.has(STAFF)


def _search_engine():
    """The search node (distributed mode), or None: the embedded scan (app.py)."""
    return current_app.extensions.get("search_engine")


# -- public search and postings ------------------------------------------------------------------


@blp.route("/jobs")
class Jobs(MethodView):
    @blp.arguments(schemas.JobQuerySchema, location="query", as_kwargs=False)
    @blp.response(200, schemas.JobPageSchema)
    def get(self, query):
        """J2 求人検索: open postings shown online, newest received first (or nearest deadline), with the total.

        Free word with AND (space), OR (`OR`, `|`) and one NOT word (`-word`, `NOT word`), ひらがな/カタカナ
        and widths folded; 求人区分 × full/part time, places, occupations, employment types, wage,
        hours, holidays, 新着 (1 day / 1 week), job numbers (services/jobs/README.md).

        Open to everyone (P4: public search stays open). A logged-in registered seeker also sees the
        establishment of 公開範囲2 postings (J2a).
        """
        page = query.pop("page")
        facets = tuple(query.pop("facets", ()))
        seeker_id, staff = _caller()
        with current_runtime().uow() as uow:
            registered = commands.registered_caller(uow, seeker_id, staff=staff)
            return commands.search_jobs(uow, query, page=page, registered=registered, engine=_search_engine(),
                                        facets=facets)


@blp.route("/jobs/<job_number>")
class Job(MethodView):
    @blp.response(200, schemas.JobDetailSchema)
    def get(self, job_number):
        """J1 求人票: one posting as the caller may see it (J2a: scope 4 is not online; 2 shows the
        establishment to logged-in registered seekers; 3 never shows the name or contact)."""
        seeker_id, staff = _caller()
        with current_runtime().uow() as uow:
            registered = commands.registered_caller(uow, seeker_id, staff=staff)
            return commands.job_detail(uow, job_number, seeker_id=seeker_id, registered=registered)


# -- J4 favourites -------------------------------------------------------------------------------


@blp.route("/me/favourites")
class Favourites(MethodView):
    @require_seeker
    @blp.response(200, schemas.FavouriteListSchema)
    def get(self):
        """J4 お気に入り: the kept postings, newest first (closed and expired ones stay)."""
        return in_uow(commands.list_favourites, current_seeker_id())


@blp.route("/me/favourites/<job_number>")
class Favourite(MethodView):
    @require_seeker
    @blp.response(204)
    def put(self, job_number):
        """J4: keep a posting (again: nothing changes). At most 300: the 301st is 409 limit-reached."""
        committed(commands.add_favourite, current_seeker_id(), job_number)

    @require_seeker
    @blp.response(204)
    def delete(self, job_number):
        """J4: drop a posting from the favourites (not there: nothing changes)."""
        committed(commands.remove_favourite, current_seeker_id(), job_number)


# -- J3 saved search conditions ------------------------------------------------------------------


@blp.route("/me/saved-searches")
class SavedSearches(MethodView):
    @require_seeker
    @blp.response(200, schemas.SavedSearchListSchema)
    def get(self):
        """J3 保存した検索条件: the seeker's saved searches (at most 3)."""
        return in_uow(commands.list_saved_searches, current_seeker_id())

    @require_seeker
    @blp.arguments(schemas.SavedSearchInputSchema)
    @blp.response(201, schemas.SavedSearchSchema)
    def post(self, data):
        """J3: save criteria with a name; the 4th is 409 limit-reached 「検索条件は3件まで保存できます。」"""
        return committed(commands.create_saved_search, current_seeker_id(), data)


@blp.route("/me/saved-searches/<search_id>")
class SavedSearch(MethodView):
    @require_seeker
    @blp.arguments(schemas.SavedSearchInputSchema)
    @blp.response(200, schemas.SavedSearchSchema)
    def put(self, data, search_id):
        """J3: edit a saved search (name and criteria replaced)."""
        return committed(commands.replace_saved_search, current_seeker_id(), search_id, data)

    @require_seeker
    @blp.response(204)
    def delete(self, search_id):
        """J3: delete a saved search."""
        committed(commands.delete_saved_search, current_seeker_id(), search_id)


@blp.route("/me/saved-searches/<search_id>/jobs")
class SavedSearchJobs(MethodView):
    @require_seeker
    @blp.arguments(schemas.PageQuerySchema, location="query", as_kwargs=False)
    @blp.response(200, schemas.JobPageSchema)
    def get(self, query, search_id):
        """J3 run: the saved criteria through the same search as GET /api/v1/jobs."""
        return in_uow(commands.run_saved_search, current_seeker_id(), search_id, engine=_search_engine(),
                      page=query["page"], per_page=query.get("per_page"))


# -- J5 referrals (紹介), J7 recommendations (オンラインハローワーク紹介) ------------------------


@blp.route("/staff/referrals")
class StaffReferrals(MethodView):
    @require_role(STAFF)
    @blp.arguments(schemas.ReferralInputSchema)
    @blp.response(201, schemas.ReferralDetailSchema)
    def post(self, data):
        """J5: record a referral made at Hello Work with its 紹介状 (the seeker by seeker_id or 求職番号)."""
        return committed(commands.record_referral, data)


@blp.route("/me/referrals")
class Referrals(MethodView):
    @require_seeker
    @blp.response(200, schemas.ReferralListSchema)
    def get(self):
        """J5 紹介: the seeker's referrals, newest first (P4: refused while the registration is invalid)."""
        return in_uow(commands.list_referrals, current_seeker_id())


@blp.route("/me/referrals/<referral_id>")
class Referral(MethodView):
    @require_seeker
    @blp.response(200, schemas.ReferralDetailSchema)
    def get(self, referral_id):
        """J5 紹介状: one of the seeker's own referrals with its letter (another's id: 404)."""
        return in_uow(commands.referral, current_seeker_id(), referral_id)


@blp.route("/staff/recommendations")
class StaffRecommendations(MethodView):
    @require_role(STAFF)
    @blp.arguments(schemas.RecommendationInputSchema)
    @blp.response(201, schemas.RecommendationSchema)
    @blp.alt_response(200, schema=schemas.RecommendationSchema, description="already recommended: nothing changed")
    def post(self, data):
        """J7: recommend a posting to a 利用登録者's My Page (オンライン登録者 or gated seeker: 409 with `reason`)."""
        recommendation, made = committed(commands.recommend, data)
        return recommendation, (201 if made else 200)


@blp.route("/me/recommendations")
class Recommendations(MethodView):
    @require_seeker
    @blp.response(200, schemas.RecommendationListSchema)
    def get(self):
        """J7: postings Hello Work recommended to the seeker, newest first (P4 gated)."""
        return in_uow(commands.list_recommendations, current_seeker_id())


@blp.route("/me/matching-jobs")
class MatchingJobs(MethodView):
    @require_seeker
    @blp.arguments(schemas.PageQuerySchema, location="query", as_kwargs=False)
    @blp.response(200, schemas.MatchingJobPageSchema)
    def get(self, query):
        """J6 希望条件に合う新着求人: new postings that matched the seeker's desired conditions, newest first;
        closed and expired ones drop out (P4 gated)."""
        return in_uow(matching.matching_jobs, current_seeker_id(), page=query["page"],
                      per_page=query.get("per_page") or DEFAULT_PER_PAGE)


# -- J8 applications (オンライン自主応募, オンラインハローワーク紹介), J9 no-shows --------------------------

PDF_RESPONSES = {"200": {"description": "the PDF as attached", "content": {"application/pdf": {
    "schema": {"type": "string", "format": "binary"}}}}}


def pdf_response(filename: str, content: bytes) -> Response:
    # send_file writes a Japanese name as RFC 5987 `filename*=UTF-8''…` (a raw one is not latin-1)
    response = send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True,
                         download_name=filename, etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


_LETTER = {"200": {"description": "the 紹介状 as an A4 PDF (fonts embedded)", "content": {"application/pdf": {
    "schema": {"type": "string", "format": "binary"}}}}}


@blp.route("/me/referrals/<referral_id>/letter.pdf")
class ReferralLetter(MethodView):
    @require_seeker
    @blp.doc(responses=_LETTER)
    def get(self, referral_id):
        """J5 紹介状 (PDF): the printable letter of one of the seeker's own referrals (another's id: 404)."""
        return pdf_response(*in_uow(letters.seeker_letter, current_seeker_id(), referral_id))


@blp.route("/staff/referrals/<referral_id>/letter.pdf")
class StaffReferralLetter(MethodView):
    @require_role(STAFF)
    @blp.doc(responses=_LETTER)
    def get(self, referral_id):
        """J5 紹介状 (PDF): the printable letter of a referral, for the counter."""
        return pdf_response(*in_uow(letters.staff_letter, referral_id))


@blp.route("/me/applications")
class Applications(MethodView):
    @require_seeker
    @blp.response(200, schemas.ApplicationListSchema)
    def get(self):
        """J8 応募状況: the seeker's applications and their status (応募中, 選考中, 採用, 不採用, 辞退)."""
        return in_uow(applications.list_applications, current_seeker_id())

    @require_seeker
    @blp.arguments(schemas.ApplicationInputSchema)
    @blp.response(201, schemas.ApplicationDetailSchema)
    def post(self, data):
        """J8 オンライン自主応募 (or, to a posting Hello Work recommended, オンラインハローワーク紹介, J7).

        Refused: registration invalid (403, P4); an online registrant applying to a recommendation
        (403 `online_registrant`, P3b); a posting that does not accept online self-applications (409);
        the no-show restriction (403 `no_show_restricted`, J9); a second application (409).
        """
        return committed(applications.apply, current_seeker_id(), data)


@blp.route("/me/applications/<application_id>")
class Application(MethodView):
    @require_seeker
    @blp.response(200, schemas.ApplicationDetailSchema)
    def get(self, application_id):
        """J8: one of the seeker's own applications with its motivation and documents (another's: 404)."""
        return in_uow(applications.application, current_seeker_id(), application_id)


@blp.route("/me/applications/<application_id>/withdraw")
class ApplicationWithdrawal(MethodView):
    @require_seeker
    @blp.response(200, schemas.ApplicationDetailSchema)
    def post(self, application_id):
        """J8 辞退: withdraw an application; the employer is notified. Again: nothing changes."""
        return committed(applications.withdraw, current_seeker_id(), application_id)


@blp.route("/me/applications/<application_id>/documents/<document_id>")
class ApplicationDocument(MethodView):
    @require_seeker
    @blp.doc(responses=PDF_RESPONSES)
    def get(self, application_id, document_id):
        """J8: a PDF the seeker attached."""
        return pdf_response(*in_uow(applications.document, application_id, document_id, seeker_id=current_seeker_id()))


@blp.route("/staff/seekers/<seeker_number>/restriction")
class StaffRestriction(MethodView):
    @require_role(STAFF)
    @blp.response(200, schemas.RestrictionSchema)
    def get(self, seeker_number):
        """J9: whether the seeker is restricted for no-shows, and how many count now."""
        with current_runtime().uow() as uow:
            return applications.restriction_view(uow, commands.target_seeker(uow, {"seeker_number": seeker_number}))


@blp.route("/staff/seekers/<seeker_number>/restriction/lift")
class StaffRestrictionLift(MethodView):
    @require_role(STAFF)
    @blp.response(200, schemas.RestrictionSchema)
    def post(self, seeker_number):
        """J9: lift the no-show restriction (the seeker came to the office); not restricted: 409."""
        return committed(applications.lift_restriction, seeker_number)


@blp.route("/me/direct-requests")
class DirectRequests(MethodView):
    @require_seeker
    @blp.response(200, schemas.DirectRequestListSchema)
    def get(self):
        """J8a 直接リクエスト: postings employers sent the seeker, newest first; applying to one is an online
        self-application (POST /api/v1/me/applications)."""
        return in_uow(direct_requests.list_for_seeker, current_seeker_id())


# -- P5: the home screen's counts (gateway/home.py composes them) ---------------------------------


@internal.get("/home")
def home():
    """P5: the token's own seeker's favourites, saved-search, referral and recommendation counts, and
    whether the no-show restriction holds (J9)."""
    seeker_id = current_seeker_id()
    with current_runtime().uow() as uow:
        return jsonify({"counts": commands.home_counts(uow, seeker_id),
                        "restriction": {"no_show": applications.is_restricted(uow, seeker_id)}})
