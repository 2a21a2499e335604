"""J5 紹介状 as a PDF (services/jobs/letters.py): an A4 page with the IPAex fonts embedded, saying what
the print view says; the seeker's own only (404 otherwise), staff any; no-store; problems, never a 500.
Each PDF is parsed back with pypdf."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit.testing.plugin import unavailable
from services.jobs import letters
from tests.component.jobs.conftest import registration

REFERRALS = "/api/v1/staff/referrals"
LETTER = {"office": "ハローワーク越谷", "seeker_name": "求職 太郎", "interview_place": "越谷市本社 2階",
          "interview_date": "2026-12-01", "note": "履歴書を持参してください。\n<b>印鑑</b> & 筆記用具"}
A4 = (595.28, 841.89)  # points


@pytest.fixture(autouse=True)
def _fonts():
    missing = [str(path) for path in letters.FONT_FILES.values() if not path.is_file()]
    if missing:
        unavailable(f"the IPAex fonts are not installed (apt-get install fonts-ipaexfont): {', '.join(missing)}")


@pytest.fixture
def referred(client, staff, seeker, post):
    """referred(letter=LETTER, **posting) -> (referral id, seeker id, the seeker's headers, job number)."""

    def make(letter=LETTER, **posting):
        seeker_id, headers = seeker()
        job = post(**posting)
        made = client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": job, "letter": letter},
                           headers=staff)
        assert made.status_code == 201, made.json
        return made.json["id"], seeker_id, headers, job

    return make


def parsed(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The base names of the fonts whose program is in the file (a TrueType FontFile2)."""
    found = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                found.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return found


def test_j5_the_seeker_gets_their_letter_as_an_a4_pdf_with_the_print_views_content(client, referred):
    referral_id, _, headers, job = referred()
    response = client.get(f"/api/v1/me/referrals/{referral_id}/letter.pdf", headers=headers)
    reader, text = parsed(response)
    assert "no-store" in response.headers["Cache-Control"]
    assert "filename*=UTF-8''%E7%B4%B9%E4%BB%8B%E7%8A%B6_" in response.headers["Content-Disposition"]  # 紹介状_
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    # the print view's lines and rows (web/js/screens/referrals.js), in Japanese
    for expected in ("紹介状", "紹介日：2026年11月26日", "株式会社越谷ケア", "御中",
                     "下記の者を紹介いたしますので、よろしくお取り計らいください。", "ハローワーク越谷",
                     "紹介者氏名", "求職 太郎", "求職番号", "11040-12345678", "求人番号", job, "職種", "介護職員",
                     "雇用形態", "正社員", "事業所", "（事業所番号 1104-123456-7）", "所在地", "埼玉県越谷市",
                     "面接日", "2026年12月1日", "面接場所", "越谷市本社 2階", "備考", "履歴書を持参してください。",
                     "<b>印鑑</b> & 筆記用具"):  # markup in a note is text, not markup
        assert expected in text, expected
    assert embedded_fonts(reader) == {"IPAexMincho", "IPAexGothic"}
    assert reader.metadata.title == "紹介状"


def test_j5_without_an_interview_date_or_place_the_letter_says_so_and_leaves_the_name_to_be_written(
        client, referred):
    referral_id, _, headers, _ = referred(letter={"office": "ハローワーク越谷"})
    _, text = parsed(client.get(f"/api/v1/me/referrals/{referral_id}/letter.pdf", headers=headers))
    assert "事業所からの連絡によります" in text and "—" in text
    assert "求職 太郎" not in text and "紹介者氏名\n求職番号" in text  # the name's row is blank


@pytest.mark.parametrize(("name", "message"), [
    ("求職\n太郎", "紹介者氏名に使用できない文字が含まれています。"),
    ("あ" * 101, "紹介者氏名は100文字以内で入力してください。")])
def test_j5_the_name_on_the_letter_is_one_line_of_at_most_100_characters(client, staff, seeker, post, name, message):
    seeker_id, _ = seeker()
    refused = client.post(REFERRALS, json={"seeker_id": seeker_id, "job_number": post(),
                                           "letter": LETTER | {"seeker_name": name}}, headers=staff)
    assert refused.status_code == 422 and refused.json["errors"] == [
        {"field": "letter.seeker_name", "messages": [message]}]


def test_j5_the_letter_is_as_issued_whatever_the_posting_says_now(client, referred):
    """A posting's scope 3 hides the establishment online; the letter names it (the referral is at the counter)."""
    referral_id, _, headers, _ = referred(publication_scope=3)
    _, text = parsed(client.get(f"/api/v1/me/referrals/{referral_id}/letter.pdf", headers=headers))
    assert "株式会社越谷ケア" in text


def test_j5_another_seekers_or_a_made_up_letter_is_a_404_problem(client, referred, seeker):
    referral_id, *_ = referred()
    _, other = seeker()
    for path in (f"/api/v1/me/referrals/{referral_id}/letter.pdf", "/api/v1/me/referrals/made-up/letter.pdf"):
        refused = client.get(path, headers=other)
        assert refused.status_code == 404 and refused.mimetype == "application/problem+json"
        assert refused.json["detail"] == "紹介が見つかりません。"
        english = client.get(path, headers=other | {"Accept-Language": "en"})
        assert english.status_code == 404 and english.json["detail"] == "No such referral."


def test_p4_no_letter_while_the_registration_is_invalid(client, referred, feed):
    referral_id, seeker_id, headers, _ = referred()
    feed(*registration(seeker_id, "invalid"))
    refused = client.get(f"/api/v1/me/referrals/{referral_id}/letter.pdf", headers=headers)
    assert refused.status_code == 403 and refused.json["reason"] == "registration_invalid"


def test_j5_staff_get_any_letter_and_only_staff(client, referred, staff):
    referral_id, _, headers, job = referred()
    response = client.get(f"/api/v1/staff/referrals/{referral_id}/letter.pdf", headers=staff)
    reader, text = parsed(response)
    assert "no-store" in response.headers["Cache-Control"]
    assert job in text and "11040-12345678" in text and embedded_fonts(reader) == {"IPAexMincho", "IPAexGothic"}
    # the counter prints the very document the seeker keeps (no creation time or random id in it)
    assert response.data == client.get(f"/api/v1/me/referrals/{referral_id}/letter.pdf", headers=headers).data
    unknown = client.get("/api/v1/staff/referrals/made-up/letter.pdf", headers=staff)
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/staff/referrals/{referral_id}/letter.pdf", headers=headers).status_code == 403
    assert client.get(f"/api/v1/staff/referrals/{referral_id}/letter.pdf").status_code == 401


def test_j5_without_the_fonts_the_letter_is_a_503_problem_not_boxes(client, referred, monkeypatch):
    referral_id, _, headers, _ = referred()
    monkeypatch.setattr(letters, "FONT_FILES", {"IPAexMissing": Path("/nonexistent/ipaexm.ttf")})
    refused = client.get(f"/api/v1/me/referrals/{referral_id}/letter.pdf", headers=headers)
    assert refused.status_code == 503 and refused.mimetype == "application/problem+json"
    assert refused.json["detail"].startswith("紹介状のPDFを作成できません。")


def test_j5_a_name_of_100_characters_is_kept_and_printed(client, referred):
    name = "求職" * 50
    referral_id, _, headers, _ = referred(letter=LETTER | {"seeker_name": name})
    assert client.get(f"/api/v1/me/referrals/{referral_id}", headers=headers).json["letter"]["seeker_name"] == name
    _, text = parsed(client.get(f"/api/v1/me/referrals/{referral_id}/letter.pdf", headers=headers))
    assert name in text.replace("\n", "")  # wrapped over lines in its cell
