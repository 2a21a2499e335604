"""J1/J2a: a posting as a seeker or the public sees it (lists, 求人票, facets), J4 favourites."""

from __future__ import annotations

from marshmallow import Schema, fields

from kit.fields import TypedDate


class EstablishmentSchema(Schema):
    number = fields.String(allow_none=True, metadata={"description": "事業所番号; null when not disclosed"})
    name = fields.String(allow_none=True, metadata={"description": "事業所名; null when not disclosed (J2a)"})
    disclosed = fields.Boolean()
    hidden_reason = fields.String(allow_none=True, metadata={
        "description": "login_required (公開範囲2: shown to logged-in registered seekers) | not_published (3)"})


class LocationSchema(Schema):
    prefecture = fields.String()
    municipality = fields.String()
    station = fields.String(allow_none=True)


class WageSchema(Schema):
    type = fields.String(metadata={"description": "monthly | hourly | daily"})
    min = fields.Integer()
    max = fields.Integer(allow_none=True)


class JobSummarySchema(Schema):
    """A posting in a list (SPEC: job_number, title, establishment, location, wage, employment_type,
    received_on, deadline, and a little more)."""

    job_number = fields.String(metadata={"example": "11040-00012345"})
    title = fields.String()
    establishment = fields.Nested(EstablishmentSchema)
    location = fields.Nested(LocationSchema)
    wage = fields.Nested(WageSchema)
    employment_type = fields.String()
    full_time = fields.Boolean()
    category = fields.String()
    occupation_code = fields.String()
    online_application = fields.Boolean()
    received_on = TypedDate()
    deadline = TypedDate()
    status = fields.String(metadata={"description": "open | closed | expired (J1: kept readable where favourited)"})


class FavouriteSchema(JobSummarySchema):
    favourited_at = fields.AwareDateTime()


class JobDetailSchema(JobSummarySchema):
    """求人票: the posting as the caller may see it (J2a)."""

    description = fields.String()
    hours = fields.String(allow_none=True)
    holidays = fields.Dict()
    publication_scope = fields.Integer()
    details = fields.Dict(metadata={"description": "everything else the employer sent (insurance, requirements, …); "
                                                  "contact only when the establishment is disclosed"})


class FacetValueSchema(Schema):
    code = fields.String(metadata={"description": "the value's code (employment type, category: the name itself)"})
    name = fields.String()
    count = fields.Integer(metadata={"description": "postings of the whole result with this value"})


class JobPageSchema(Schema):
    items = fields.List(fields.Nested(JobSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)),
                         metadata={"description": "J2b, when asked for: per facet its values, largest count first; "
                                                  "single-valued, so each facet's counts add up to `total`"})


class FavouriteListSchema(Schema):
    items = fields.List(fields.Nested(FavouriteSchema))
    total = fields.Integer()
    limit = fields.Integer(metadata={"description": "J4: at most 300"})
