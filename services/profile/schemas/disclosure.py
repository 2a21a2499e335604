"""J8a 求職情報公開: the seeker's choice and the employers' search of disclosed seekers."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate

from kit import codes
from kit.fields import JsonBoolean, Text
from kit.problem import msg
from services.profile.schemas import parts

# -- J8a 求職情報公開 ------------------------------------------------------------------------------


class DisclosureInputSchema(Schema):
    public = JsonBoolean(required=True, metadata={"description": "true: show my anonymous profile to employers "
                                                                "(求職情報公開); false: stop"})


class PublicWorkSchema(Schema):
    from_ = fields.String(data_key="from", attribute="from", metadata={"example": "2015-04"})
    to = fields.String(allow_none=True)
    description = fields.String(allow_none=True)


class PublicProfileSchema(Schema):
    """J8a: what employers see of a disclosed seeker — nothing that names or reaches them."""

    ref = fields.String(metadata={"description": "the reference a direct request names (new at each disclosure)"})
    age = fields.String(metadata={"example": "30代"})
    prefecture = fields.String(allow_none=True, metadata={"description": "of residence"})
    desired = fields.Nested(parts.DesiredSchema)
    qualifications = fields.List(fields.String())
    education = fields.List(fields.String(), metadata={"description": "卒業, 中退, … of each school, no names"})
    work_history = fields.List(fields.Nested(PublicWorkSchema))
    disclosed_at = fields.AwareDateTime()


class DisclosureSchema(Schema):
    public = fields.Boolean()
    disclosed_at = fields.AwareDateTime(allow_none=True)
    shown_to_employers = fields.Nested(PublicProfileSchema, allow_none=True,
                                       metadata={"description": "exactly what employers see, while disclosed"})


class PublicProfileQuerySchema(Schema):
    occupation = Text(maximum=50, load_default=None, metadata={"description": "希望職種: a name or a 職業分類 "
                                                                             "code (prefix: 361 finds 361-01)"})
    prefecture = Text(maximum=4, load_default=None, metadata={"example": "埼玉県"})
    page = fields.Integer(load_default=1, strict=False, validate=validate.Range(min=1, max=1000, error=msg(
        "ページは1から1000までです。", "The page is between 1 and 1000.")))
    per_page = fields.Integer(load_default=30, strict=False, validate=validate.OneOf((10, 30, 50), error=msg(
        "表示件数は10、30、50のいずれかです。", "Show 10, 30 or 50 per page.")))

    @post_load
    def _prefecture(self, data, **kwargs) -> dict:
        if data.get("prefecture"):
            code = codes.prefecture_code(data["prefecture"])
            if code is None:
                raise ValidationError(msg("都道府県名が正しくありません（例：埼玉県）。",
                                          "Not one of the 47 prefectures (e.g. 埼玉県)."), "prefecture")
            data["prefecture"] = codes.prefecture_name(code)
        return data


class PublicProfileListSchema(Schema):
    items = fields.List(fields.Nested(PublicProfileSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
