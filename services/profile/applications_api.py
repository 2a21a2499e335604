"""The applicant's profile over HTTP (issue 13 item 3; services/profile/applications.py): the seeker's preview
before applying, and the employer's read of the profile frozen with an application (C2)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from kit.tokens import EMPLOYER, current_establishments, current_seeker_id, require_role, require_seeker
from kit.web import current_runtime, in_uow
from services.profile import applications, commands
from services.profile.schemas.applicant import ApplicationProfilePreviewSchema, ApplicationProfileSchema

blp = Blueprint("profile_applications", __name__, url_prefix="/api/v1",
                description="応募と一緒に送る求職情報 (profile)")


@blp.route("/me/application-profile")
class OwnApplicationProfile(MethodView):
    @require_seeker
    @blp.response(200, ApplicationProfilePreviewSchema)
    def get(self):
        """J8: exactly which 求職情報 goes with an application (氏名, 職歴, 資格・免許, 希望条件, 自己PR), and what
        住所, 電話番号, 生年月日 would add if ticked (`share_contact` of POST /api/v1/me/applications)."""
        with current_runtime().uow() as uow:
            return applications.preview(commands.seeker_by_id(uow, current_seeker_id()))


@blp.route("/employer/applications/<application_id>/profile")
class EmployerApplicationProfile(MethodView):
    @require_role(EMPLOYER)
    @blp.response(200, ApplicationProfileSchema)
    def get(self, application_id):
        """J8/C2: the applicant's 求職情報 as it was when they applied — for an application to one of the token's
        establishments (another's is 404, as an unknown id)."""
        return in_uow(applications.for_employer, current_establishments(), application_id)
