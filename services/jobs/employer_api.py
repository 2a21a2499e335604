"""The jobs service's HTTP API for the employer-side system (role employer; C2: only for the establishments in
its token): /api/v1/employer/jobs (J1: publish, change, close and read postings), /api/v1/employer/applications
(J8: what was applied, the status; J9: no-shows) and /api/v1/employer/direct-requests (J8a). Views only, as api.py.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from kit.tokens import EMPLOYER, current_establishments, require_role
from kit.web import committed, in_uow
from services.jobs import schemas
from services.jobs.api import PDF_RESPONSES, pdf_response
from services.jobs.commands import applications, direct_requests, postings
from services.jobs.domain import DEFAULT_PER_PAGE

blp = Blueprint("jobs_employer", __name__, url_prefix="/api/v1/employer",
                description="求人の受付・応募の選考 (jobs: the employer-side system)")


# -- J8 applications, J9 no-shows ---------------------------------------------------------------------


@blp.route("/applications")
class EmployerApplications(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.EmployerApplicationQuerySchema, location="query", as_kwargs=False)
    @blp.response(200, schemas.EmployerApplicationListSchema)
    def get(self, query):
        """J8/C2: the applications to the client's establishments (or to the one named), newest first."""
        return in_uow(applications.employer_applications, current_establishments(), query.get("establishment_number"),
                      page=query["page"], per_page=query.get("per_page", DEFAULT_PER_PAGE))


@blp.route("/applications/<application_id>")
class EmployerApplication(MethodView):
    @require_role(EMPLOYER)
    @blp.response(200, schemas.EmployerApplicationSchema)
    def get(self, application_id):
        """J8: an application with its motivation statement and documents."""
        return in_uow(applications.employer_application, current_establishments(), application_id)


@blp.route("/applications/<application_id>/status")
class EmployerApplicationStatus(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.StatusInputSchema)
    @blp.response(200, schemas.EmployerApplicationSchema)
    def put(self, data, application_id):
        """J8: 選考中, 採用 or 不採用 (not once the seeker withdrew or the result is decided: 409)."""
        return committed(applications.set_status, current_establishments(), application_id, data["status"])


@blp.route("/applications/<application_id>/documents/<document_id>")
class EmployerApplicationDocument(MethodView):
    @require_role(EMPLOYER)
    @blp.doc(responses=PDF_RESPONSES)
    def get(self, application_id, document_id):
        """J8: a PDF attached to an application."""
        return pdf_response(*in_uow(applications.document, application_id, document_id,
                                    establishments=current_establishments()))


@blp.route("/applications/<application_id>/no-show")
class EmployerNoShow(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.NoShowInputSchema)
    @blp.response(201, schemas.NoShowSchema)
    @blp.alt_response(200, schema=schemas.NoShowSchema, description="already reported: nothing changed")
    def post(self, data, application_id):
        """J9 面接不参加: on an online self-application the seeker neither withdrew (by the interview day)
        nor attended. The 5th within 3 months restricts online self-application until staff lift it."""
        report, made = committed(applications.report_no_show, current_establishments(), application_id,
                                 data["interview_date"])
        return report, (201 if made else 200)


# -- J1 postings from the employer-side system ------------------------------------------------------


@blp.route("/jobs")
class EmployerPostings(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.PostingInputSchema)
    @blp.response(201, schemas.EmployerPostingSchema)
    @blp.alt_response(200, schema=schemas.EmployerPostingSchema,
                      description="the same posting again (a retry): nothing changed")
    def post(self, data):
        """J1 求人の受付: a posting from the employer-side system. The same 求人番号 with the same content
        again is a 200 and changes nothing; with other content it is 409 (change it with PATCH)."""
        posting, created = committed(postings.publish_posting, current_establishments(), data)
        return posting, (201 if created else 200)


@blp.route("/jobs/<job_number>")
class EmployerPosting(MethodView):
    @require_role(EMPLOYER)
    @blp.response(200, schemas.EmployerPostingSchema)
    def get(self, job_number):
        """J1: a posting as the employer-side system sees it (everything; closed ones too)."""
        return in_uow(postings.employer_posting, current_establishments(), job_number)

    @require_role(EMPLOYER)
    @blp.arguments(schemas.PostingChangesSchema)
    @blp.response(200, schemas.EmployerPostingSchema)
    def patch(self, changes, job_number):
        """J1 求人の変更: each field given replaces that field (a nested object as a whole); checked again as
        a whole. A closed posting cannot be changed (409)."""
        return committed(postings.change_posting, current_establishments(), job_number, changes)

    @require_role(EMPLOYER)
    @blp.response(204)
    def delete(self, job_number):
        """J1 募集終了: close the posting — no longer found by search, still readable where favourited,
        referred or applied to. Again: nothing changes."""
        committed(postings.close_posting, current_establishments(), job_number)


# -- J8a direct requests (直接リクエスト) ------------------------------------------------------------


@blp.route("/direct-requests")
class EmployerDirectRequests(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.DirectRequestInputSchema)
    @blp.response(201, schemas.DirectRequestSentSchema)
    def post(self, data):
        """J8a: send an open posting that accepts online applications to a disclosed seeker (`seeker_ref`
        from GET /api/v1/employer/seekers); at most 10 seekers per posting (the 11th: 409 limit-reached),
        once each (409 `already_requested`); not to a seeker whose My Page is gated or restricted (409)."""
        return committed(direct_requests.send, current_establishments(), data)
