"""marshmallow response schemas of the retention API (they generate the OpenAPI document)."""

from marshmallow import Schema, fields


class ErasureStatusSchema(Schema):
    """R3: where one erasure stands — no seeker id (it is personal data, and gone once completed)."""

    erasure_id = fields.String()
    reason = fields.String(metadata={"description": "withdrawal (退会, A9) | retention_5y (R2)"})
    status = fields.String(metadata={"description": "requested: waiting for confirmations | completed"})
    requested_at = fields.AwareDateTime()
    completed_at = fields.AwareDateTime(allow_none=True)
    requests = fields.Integer(metadata={"description": "how often the request was sent (1 + retries)"})
    confirmed = fields.List(fields.String(), metadata={"description": "services that confirmed"})
    pending = fields.List(fields.String(), metadata={"description": "services not confirmed yet"})
    rows_erased = fields.Dict(keys=fields.String(), values=fields.Integer(),
                              metadata={"description": "rows erased per confirmed service"})
