"""The profile service's HTTP API (views only: load, call a command, dump).

Seeker (token role seeker, `sub` = their opaque id): GET /me (home, P5), GET|PATCH /me/profile (P2),
PUT /me/registration (P3). Staff systems (role staff): POST /staff/seekers and PATCH
/staff/seekers/{n} (P1), PUT …/registration (P3), POST …/reapplication (P3),
POST …/counselling (P3a), POST …/confirmation (P3b).
"""


from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.exc import IntegrityError

from kit.problem import Problem
from kit.tokens import EMPLOYER, STAFF, current_seeker_id, require_role, require_seeker
from kit.web import current_runtime, in_uow
from services.profile import commands, domain, schemas

blp = Blueprint("profile", __name__, url_prefix="/api/v1", description="求職者情報・求職登録 (profile)")


def _commit(uow, answer):
    """Commit the change and return `answer` (rendered before the commit); a concurrent change is 409."""
    try:
        uow.commit()
    except IntegrityError as error:  # a concurrent registration of the same seeker number
        raise Problem("conflict", detail_ja="同時に別の変更が行われました。もう一度お試しください。",
                      detail_en="Another change happened at the same time; please try again.") from error
    return answer


# -- the seeker's own resources ------------------------------------------------------------------


@blp.route("/me")
class Home(MethodView):
    @require_seeker
    @blp.response(200, schemas.HomeSchema)
    def get(self):
        """P5 ホーム: name (求職 太郎様), office, registration status, restriction, counts.

        Through the gateway the counts and the no-show restriction come from jobs and messaging,
        composed in the same round trip; null means not known right now.
        """
        seeker_id = current_seeker_id()
        with current_runtime().uow() as uow:
            return commands.home_view(commands.seeker_by_id(uow, seeker_id))


@blp.route("/me/profile")
class OwnProfile(MethodView):
    @require_seeker
    @blp.response(200, schemas.ProfileSchema)
    def get(self):
        """P2 求職情報の確認: the seeker's own registration."""
        seeker_id = current_seeker_id()
        with current_runtime().uow() as uow:
            return commands.profile_view(commands.seeker_by_id(uow, seeker_id))

    @require_seeker
    @blp.arguments(schemas.ProfileUpdateSchema)
    @blp.response(200, schemas.ProfileSchema)
    def patch(self, changes):
        """P2 求職情報の変更: contact, education, work history, qualifications, desired conditions.

        Identity fields (name, kana, birth date, seeker number, email, office, kind) are changed at
        the counter only: sending any is a 403 problem naming them.
        """
        seeker_id = current_seeker_id()
        with current_runtime().uow() as uow:
            seeker = commands.update_own_profile(uow, seeker_id, changes)
            return _commit(uow, commands.profile_view(seeker))


@blp.route("/me/registration")
class OwnRegistration(MethodView):
    @require_seeker
    @blp.arguments(schemas.RegistrationStatusSchema)
    @blp.response(200, schemas.RegistrationSchema)
    def put(self, body):
        """P3 求職登録の有効／無効: the seeker sets it (valid again only within the validity period)."""
        seeker_id = current_seeker_id()
        with current_runtime().uow() as uow:
            seeker = commands.seeker_by_id(uow, seeker_id, for_update=True)
            commands.set_registration_status(uow, seeker, body["status"], domain.BY_SEEKER)
            return _commit(uow, commands.registration_view(seeker))


@blp.route("/me/disclosure")
class OwnDisclosure(MethodView):
    @require_seeker
    @blp.response(200, schemas.DisclosureSchema)
    def get(self):
        """J8a 求職情報公開: whether the seeker's anonymous profile is shown to employers, and exactly what."""
        seeker_id = current_seeker_id()
        with current_runtime().uow() as uow:
            return commands.disclosure_view(commands.seeker_by_id(uow, seeker_id), commands.today(uow))

    @require_seeker
    @blp.arguments(schemas.DisclosureInputSchema)
    @blp.response(200, schemas.DisclosureSchema)
    def put(self, body):
        """J8a: disclose (employers may then send this seeker direct requests) or stop disclosing.
        Only a valid registration can be disclosed (409 `registration_invalid`)."""
        seeker_id = current_seeker_id()
        with current_runtime().uow() as uow:
            seeker = commands.set_disclosure(uow, seeker_id, body["public"])
            return _commit(uow, commands.disclosure_view(seeker, commands.today(uow)))


# -- employer-side systems -----------------------------------------------------------------------


@blp.route("/employer/seekers")
class PublicProfiles(MethodView):
    @require_role(EMPLOYER)
    @blp.arguments(schemas.PublicProfileQuerySchema, location="query", as_kwargs=False)
    @blp.response(200, schemas.PublicProfileListSchema)
    def get(self, query):
        """J8a: disclosed seekers with a valid registration, anonymous, newest disclosure first; the
        `ref` of one is what a direct request names."""
        return in_uow(commands.public_profiles, occupation=query["occupation"], prefecture=query["prefecture"],
                      page=query["page"], per_page=query["per_page"])


# -- staff systems (the counter) -----------------------------------------------------------------


@blp.route("/staff/seekers")
class Seekers(MethodView):
    @require_role(STAFF)
    @blp.arguments(schemas.SeekerRegistrationSchema)
    @blp.response(201, schemas.ProfileSchema)
    def post(self, data):
        """P1 求職登録: register a seeker. A seeker number already registered is 409 (use PATCH)."""
        with current_runtime().uow() as uow:
            seeker = commands.register_seeker(uow, data)
            return _commit(uow, commands.profile_view(seeker))


@blp.route("/staff/seekers/<seeker_number>")
class StaffSeeker(MethodView):
    @require_role(STAFF)
    @blp.response(200, schemas.ProfileSchema)
    def get(self, seeker_number):
        """A seeker's registration, for the counter."""
        with current_runtime().uow() as uow:
            return commands.profile_view(commands.seeker_by_number(uow, seeker_number))

    @require_role(STAFF)
    @blp.arguments(schemas.SeekerUpdateSchema)
    @blp.response(200, schemas.ProfileSchema)
    def patch(self, changes, seeker_number):
        """P1 求職登録の変更: each field given replaces that field."""
        with current_runtime().uow() as uow:
            seeker = commands.update_seeker(uow, seeker_number, changes)
            return _commit(uow, commands.profile_view(seeker))


@blp.route("/staff/seekers/<seeker_number>/registration")
class StaffRegistration(MethodView):
    @require_role(STAFF)
    @blp.arguments(schemas.RegistrationStatusSchema)
    @blp.response(200, schemas.RegistrationSchema)
    def put(self, body, seeker_number):
        """P3: staff set the registration valid or invalid."""
        with current_runtime().uow() as uow:
            seeker = commands.seeker_by_number(uow, seeker_number, for_update=True)
            commands.set_registration_status(uow, seeker, body["status"], domain.BY_STAFF)
            return _commit(uow, commands.registration_view(seeker))


@blp.route("/staff/seekers/<seeker_number>/reapplication")
class Reapplication(MethodView):
    @require_role(STAFF)
    @blp.arguments(schemas.ReapplicationSchema)
    @blp.response(200, schemas.RegistrationSchema)
    def post(self, body, seeker_number):
        """P3 再求職申込: valid again from the new application date (default today); the invalid date is kept."""
        with current_runtime().uow() as uow:
            seeker = commands.reapply(uow, seeker_number, body.get("applied_on"))
            return _commit(uow, commands.registration_view(seeker))


@blp.route("/staff/seekers/<seeker_number>/counselling")
class Counselling(MethodView):
    @require_role(STAFF)
    @blp.arguments(schemas.CounsellingSchema)
    @blp.response(200, schemas.ExtensionResultSchema)
    def post(self, body, seeker_number):
        """P3a: record counselling or a referral today; in the final month it extends the period by a month."""
        with current_runtime().uow() as uow:
            extended, seeker = commands.record_visit(uow, seeker_number, body["kind"])
            return _commit(uow, {"extended": extended, "registration": commands.registration_view(seeker)})


@blp.route("/staff/seekers/<seeker_number>/confirmation")
class Confirmation(MethodView):
    @require_role(STAFF)
    @blp.response(200, schemas.RegistrationSchema)
    def post(self, seeker_number):
        """P3b: confirm an online registrant at the counter (オンライン登録者 → 利用登録者)."""
        with current_runtime().uow() as uow:
            seeker = commands.confirm(uow, seeker_number)
            return _commit(uow, commands.registration_view(seeker))
