"""J8 applications with their PDFs (seeker and employer), J9 no-shows and the restriction."""

from __future__ import annotations

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, post_load, validate

from kit.fields import TypedDate
from kit.problem import msg
from services.jobs import domain
from services.jobs.schemas.criteria import PageQuerySchema
from services.jobs.schemas.views import JobSummarySchema

_PDF_MAGIC = b"%PDF-"


class PdfContent(fields.String):
    """A PDF as base64 text: decoded, at most 2 MB, and it must be a PDF (J8: PDF, size-limited)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            content = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(msg("ファイルの内容は base64 で送信してください。",
                                      "Send the file's content as base64.")) from None
        if len(content) > domain.DOCUMENT_MAX_BYTES:
            raise ValidationError(msg(f"応募書類は1ファイル{domain.DOCUMENT_MAX_BYTES // (1024 * 1024)}MBまでです。",
                                      f"A document is at most {domain.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB."))
        if not content.startswith(_PDF_MAGIC):
            raise ValidationError(msg("応募書類はPDFファイルのみ添付できます。", "Only PDF documents can be attached."))
        return content


class DocumentInputSchema(Schema):
    filename = fields.String(required=True, validate=[
        validate.Length(min=5, max=100, error=msg("ファイル名は100文字以内で、.pdf で終わる名前にしてください。",
                                                  "The file name is at most 100 characters and ends in .pdf.")),
        validate.Regexp(r"(?i)^[^/\\\x00-\x1f]+\.pdf$", error=msg(
            "ファイル名は100文字以内で、.pdf で終わる名前にしてください。",
            "The file name is at most 100 characters and ends in .pdf."))],
        metadata={"example": "履歴書.pdf"})
    content = PdfContent(required=True, metadata={"description": "the PDF, base64-encoded (at most 2 MB decoded)"})


SHARED_CONTACT = ("address", "phone", "birth_date")  # what the seeker may add to the profile sent (issue 13 item 3)


class ApplicationInputSchema(Schema):
    """J8: the posting, a motivation statement (志望動機, required) and up to 3 PDF documents."""

    job_number = fields.String(required=True, validate=validate.Length(min=1, max=20, error=msg(
        "求人番号を入力してください。", "Enter the job number.")), metadata={"example": "11040-00012345"})
    motivation = fields.String(required=True, validate=validate.Length(max=domain.MOTIVATION_MAX, error=msg(
        f"志望動機は{domain.MOTIVATION_MAX}文字以内で入力してください。",
        f"The motivation statement is at most {domain.MOTIVATION_MAX} characters.")),
        metadata={"description": "志望動機", "example": "介護の仕事を続けてきた経験を活かしたく、応募いたします。"})
    documents = fields.List(fields.Nested(DocumentInputSchema), validate=validate.Length(
        max=domain.MAX_DOCUMENTS, error=msg(f"応募書類は{domain.MAX_DOCUMENTS}件まで添付できます。",
                                            f"At most {domain.MAX_DOCUMENTS} documents can be attached.")))
    share_contact = fields.List(fields.String(validate=validate.OneOf(SHARED_CONTACT, error=msg(
        "送ることができるのは住所（address）、電話番号（phone）、生年月日（birth_date）です。",
        "Only address, phone and birth_date can be sent."))), load_default=list,
        validate=validate.Length(max=len(SHARED_CONTACT)), metadata={"description": (
            "which of 住所, 電話番号, 生年月日 go to the employer with the applicant's 求職情報 (氏名, 職歴, "
            "資格・免許, 希望条件, 自己PR always go; GET /api/v1/me/application-profile shows exactly what). "
            "Default: none"),
            "example": ["phone"]})

    @post_load
    def _motivation(self, data, **_kwargs):
        data["motivation"] = data["motivation"].strip()
        if not data["motivation"]:
            raise ValidationError(msg("志望動機を入力してください。", "Enter a motivation statement."),
                                  field_name="motivation")
        data["share_contact"] = [part for part in SHARED_CONTACT if part in data["share_contact"]]
        return data


class DocumentSchema(Schema):
    id = fields.String()
    filename = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})


class ApplicationSchema(Schema):
    id = fields.String()
    job_number = fields.String()
    route = fields.String(metadata={"description": "self: オンライン自主応募; "
                                                   "recommendation: オンラインハローワーク紹介"})
    status = fields.String(metadata={"description": "applied | screening | hired | rejected | withdrawn"})
    status_label = fields.String(metadata={"description": "応募中 | 選考中 | 採用 | 不採用 | 辞退"})
    submitted_at = fields.AwareDateTime()
    status_changed_at = fields.AwareDateTime()
    withdrawn_at = fields.AwareDateTime(allow_none=True)
    job = fields.Nested(JobSummarySchema, allow_none=True, metadata={"description": "the posting as it is now"})


class ApplicationDetailSchema(ApplicationSchema):
    motivation = fields.String()
    documents = fields.List(fields.Nested(DocumentSchema))


class ApplicationListSchema(Schema):
    items = fields.List(fields.Nested(ApplicationSchema))
    total = fields.Integer()


class EmployerApplicationSchema(Schema):
    id = fields.String()
    job_number = fields.String()
    establishment_number = fields.String()
    route = fields.String()
    status = fields.String()
    status_label = fields.String()
    motivation = fields.String()
    documents = fields.List(fields.Nested(DocumentSchema))
    submitted_at = fields.AwareDateTime()
    status_changed_at = fields.AwareDateTime()
    withdrawn_at = fields.AwareDateTime(allow_none=True)


class EmployerApplicationQuerySchema(PageQuerySchema):
    """J8/C2: without `establishment_number`, every establishment of the client's token."""

    establishment_number = fields.String(load_default=None, validate=validate.Length(min=1, max=20, error=msg(
        "事業所番号を入力してください。", "Enter the establishment number.")), metadata={"example": "1104-123456-7"})


class EmployerApplicationListSchema(Schema):
    items = fields.List(fields.Nested(EmployerApplicationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class StatusInputSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(domain.EMPLOYER_STATUSES, error=msg(
        "選考状況は screening（選考中）、hired（採用）、rejected（不採用）のいずれかです。",
        "The status is screening, hired or rejected.")))


class NoShowInputSchema(Schema):
    interview_date = TypedDate(required=True, metadata={"description": "面接日 (YYYY-MM-DD)"})


class NoShowSchema(Schema):
    application_id = fields.String()
    interview_date = TypedDate()
    reported_at = fields.AwareDateTime()


class RestrictionSchema(Schema):
    seeker_id = fields.String()
    restricted = fields.Boolean(metadata={"description": "J9: online self-application restricted for no-shows"})
    restricted_at = fields.AwareDateTime(allow_none=True)
    lifted_at = fields.AwareDateTime(allow_none=True)
    counting_no_shows = fields.Integer(metadata={"description": "no-shows that count now (within 3 months, "
                                                                "reported after the last lift)"})
    limit = fields.Integer(metadata={"description": "J9: 5"})
