"""J5 紹介状 as a PDF: an A4 page with the IPAex fonts embedded (reportlab; Debian's fonts-ipaexfont).

What it says is what the web client's print view says (web/js/screens/referrals.js): the 紹介状 as
issued (office, 紹介日, establishment, job, interview, note — fixed when the referral was made,
domain.referral_letter) with the seeker's name as the letter records it and the 求職番号 jobs keeps
from profile's events. The seeker reads only their own (another's id is as unknown as a made-up
one: 404) and, like the letter itself, not while the registration is invalid (P4); staff read any.

The fonts are subset and embedded, so the letter prints the same on any viewer or counter printer.
Without them (`apt-get install fonts-ipaexfont`) the PDF is a 503 problem, never a PDF whose Japanese
a viewer may draw as boxes.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select

from kit.problem import Problem
from kit.uow import UnitOfWork
from services.jobs import commands
from services.jobs.models import referrals, seeker_status

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/opentype")  # Debian's fonts-ipaexfont
MINCHO, GOTHIC = "IPAexMincho", "IPAexGothic"
FONT_FILES = {MINCHO: FONT_DIR / "ipaexfont-mincho" / "ipaexm.ttf",
              GOTHIC: FONT_DIR / "ipaexfont-gothic" / "ipaexg.ttf"}

NO_INTERVIEW_DATE = "事業所からの連絡によります"  # as the print view says when no date was given
NONE = "—"


class FontsMissing(RuntimeError):
    """The IPAex font files are not installed."""


def register_fonts() -> None:
    """Register the IPAex fonts with reportlab once (FontsMissing when a file is not there)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in FONT_FILES.items():
        if name in registered:
            continue
        if not path.is_file():
            raise FontsMissing(f"{path} is missing (apt-get install fonts-ipaexfont)")
        pdfmetrics.registerFont(TTFont(name, str(path)))


def japanese_date(iso: str | None) -> str:
    """「2026年12月1日」, as the web client's formatDate writes an ISO date."""
    if not iso:
        return ""
    year, month, day = iso[:10].split("-")
    return f"{year}年{int(month)}月{int(day)}日"


def facts(referral: dict[str, Any], seeker_number: str | None) -> list[tuple[str, str]]:
    """The letter's rows (label, value), in the print view's order."""
    letter = referral.get("letter") or {}
    establishment = letter.get("establishment") or {}
    job = letter.get("job") or {}
    interview = letter.get("interview") or {}
    number = establishment.get("number")
    return [
        ("紹介者氏名", letter.get("seeker_name") or ""),
        ("求職番号", seeker_number or ""),
        ("求人番号", job.get("job_number") or referral["job_number"]),
        ("職種", job.get("title") or ""),
        ("雇用形態", job.get("employment_type") or ""),
        ("事業所", (establishment.get("name") or "") + (f"（事業所番号 {number}）" if number else "")),
        ("所在地", (establishment.get("prefecture") or "") + (establishment.get("municipality") or "") or NONE),
        ("面接日", japanese_date(interview.get("date")) or NO_INTERVIEW_DATE),
        ("面接場所", interview.get("place") or NONE),
        ("備考", letter.get("note") or NONE),
    ]


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def render(referral: dict[str, Any], seeker_number: str | None) -> bytes:
    """The 紹介状 of `referral` (commands.referral's view: letter, job_number, referred_on) as A4 PDF bytes."""
    register_fonts()
    letter = referral.get("letter") or {}
    establishment = letter.get("establishment") or {}
    body = ParagraphStyle("body", fontName=MINCHO, fontSize=11, leading=18, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontName=GOTHIC, fontSize=22, leading=30, alignment=TA_CENTER,
                           spaceAfter=8 * mm)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)
    addressee = ParagraphStyle("addressee", parent=body, fontName=GOTHIC, fontSize=14, leading=22,
                               spaceBefore=4 * mm, spaceAfter=4 * mm)
    label = ParagraphStyle("label", parent=body, fontName=GOTHIC)
    rows = [[Paragraph(_text(name), label), Paragraph(_text(value), body)]
            for name, value in facts(referral, seeker_number)]
    table = Table(rows, colWidths=[32 * mm, None], style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
    ]))
    story = [
        Paragraph("紹介状", title),
        Paragraph(_text(f"紹介日：{japanese_date(letter.get('referred_on') or str(referral['referred_on']))}"), right),
        Paragraph(_text(f"{establishment.get('name') or '（事業所名）'}　御中"), addressee),
        Paragraph("下記の者を紹介いたしますので、よろしくお取り計らいください。", body),
        Paragraph(_text(letter.get("office") or ""), right),
        Spacer(1, 6 * mm),
        table,
    ]
    output = io.BytesIO()
    # invariant: no creation time or random id in the file, so the same letter is the same bytes
    SimpleDocTemplate(output, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                      bottomMargin=20 * mm, title="紹介状", creator="ハローワーク 求職者マイページ",
                      invariant=True).build(story)
    return output.getvalue()


def filename(referral: dict[str, Any]) -> str:
    return f"紹介状_{referral['job_number']}.pdf"


def _pdf(referral: dict[str, Any], seeker_number: str | None) -> tuple[str, bytes]:
    try:
        return filename(referral), render(referral, seeker_number)
    except FontsMissing as missing:
        log.error("referral letter PDF: %s", missing)
        raise Problem("service-unavailable", detail_ja="紹介状のPDFを作成できません。画面の紹介状を印刷してください。",
                      detail_en="The referral letter PDF cannot be made now; print the letter from the screen.") \
            from missing


def seeker_letter(uow: UnitOfWork, seeker_id: str, referral_id: str) -> tuple[str, bytes]:
    """J5: (file name, PDF) of one of the seeker's own referrals (another's: 404; P4 gated as the letter is)."""
    referral = commands.referral(uow, seeker_id, referral_id)
    return _pdf(referral, _seeker_number(uow, seeker_id))


def staff_letter(uow: UnitOfWork, referral_id: str) -> tuple[str, bytes]:
    """J5: (file name, PDF) of any referral, for the counter (unknown id: 404)."""
    row = uow.session.execute(select(referrals).where(referrals.c.id == referral_id)).first()
    if row is None:
        raise commands.referral_not_found()
    referral = {"job_number": row.job_number, "referred_on": row.referred_on, "letter": row.letter}
    return _pdf(referral, _seeker_number(uow, row.seeker_id))


def _seeker_number(uow: UnitOfWork, seeker_id: str) -> str | None:
    return uow.session.scalar(select(seeker_status.c.seeker_number).where(seeker_status.c.seeker_id == seeker_id))
