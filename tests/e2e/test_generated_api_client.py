"""Issue 13 item 7: the public API as a mobile team builds on it — a client generated with
openapi-python-client from the served /api/docs/openapi.json (its functions named after the
operationIds: `search_jobs`, `add_favourite`), and the seeker's first steps through it against the
embedded system: open the My Page with the mailed key, log in with the mailed one-time password,
search, keep a favourite — as a seeker the counter registered (the embedded system and `make up`). Generating
takes a few seconds, so it is one test.
"""

from __future__ import annotations

import datetime
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

from kit.testing.e2e import (
    KEY_LINE,
    KEY_MAIL,
    OTP_LINE,
    OTP_MAIL,
    OTP_SENT_PATIENCE,
    mail_ids,
    new_mail,
    register_seeker,
)
from kit.testing.plugin import eventually

BIRTH_DATE, PASSWORD = "1990-04-01", "Koshigaya@2026"
PACKAGE = "mypage_api_client"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"  # pinned in pyproject's test extra
KEY_MAIL_PATIENCE = 5.0  # seconds before asking again: auth learns of the seeker from profile's event


def _generate(system, tmp_path: Path):
    """The client package, generated from what the gateway serves and imported."""
    served = tmp_path / "openapi.json"
    served.write_bytes(_get(system.url + "api/docs/openapi.json"))
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"post_hooks": []}), encoding="utf-8")  # no formatter run on the output
    done = subprocess.run([str(GENERATOR), "generate", "--path", str(served), "--meta", "none", "--config",
                           str(config), "--output-path", str(tmp_path / PACKAGE)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    return importlib.import_module(PACKAGE)


def _get(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def test_issue13_a_generated_client_opens_logs_in_searches_and_keeps_a_favourite(system, call, staff_token, tmp_path):
    email = register_seeker(call, staff_token, "生成 五郎", "セイセイ ゴロウ", BIRTH_DATE)["email"]
    client_package = _generate(system, tmp_path)
    try:
        _first_steps(client_package, system, call, email)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _first_steps(package, system, call, email: str) -> None:
    api = importlib.import_module(f"{PACKAGE}.api.auth")
    auth = {name: importlib.import_module(f"{api.__name__}.{name}")
            for name in ("get_terms", "request_opening", "complete_opening", "login", "verify_login_otp")}
    jobs = {name: importlib.import_module(f"{PACKAGE}.api.jobs.{name}")
            for name in ("search_jobs", "get_job", "add_favourite", "list_favourites")}
    models = importlib.import_module(f"{PACKAGE}.models")
    anyone = package.Client(base_url=system.url, raise_on_unexpected_status=True)

    # A2–A6: agree to the current terms, ask for the key mail, open with the key
    terms = auth["get_terms"].sync(client=anyone)
    opening = models.Opening(email=email, birth_date=datetime.date.fromisoformat(BIRTH_DATE),
                             terms_version=terms.terms_version, privacy_version=terms.privacy_version)
    tried, asked_at = mail_ids(system), float("-inf")

    def opened() -> bool:
        nonlocal asked_at
        mail = new_mail(system, email, KEY_MAIL, tried)
        if mail is None:
            if time.monotonic() - asked_at > KEY_MAIL_PATIENCE:
                assert auth["request_opening"].sync_detailed(client=anyone, body=opening).status_code == 202
                asked_at = time.monotonic()
            return False
        tried.add(mail.id)
        completion = models.KeyCompletion(email=email, auth_key=KEY_LINE.search(mail.text).group(1), password=PASSWORD)
        answer = auth["complete_opening"].sync_detailed(client=anyone, body=completion)
        assert answer.status_code in (201, 400), answer.content  # a newer key voids an older one (A3)
        return answer.status_code == 201

    eventually(opened, timeout=60, interval=0.1, message="the My Page to open with the mailed key")

    # A7: password, then the mailed one-time password; a mobile client keeps its refresh token itself
    seen = mail_ids(system)
    ticket = auth["login"].sync(client=anyone, body=models.Login(email=email, password=PASSWORD))
    assert isinstance(ticket, models.LoginResult) and ticket.otp_required is True
    mail = eventually(lambda: new_mail(system, email, OTP_MAIL, seen), timeout=20, message="the OTP mail")
    entered = models.Otp(login_ticket=ticket.login_ticket, otp=OTP_LINE.search(mail.text).group(1),
                         client=models.OtpClient.MOBILE)
    # the mail may be here a moment before auth counts the OTP as sent (kit.testing.e2e.login): 401, try again
    tokens = eventually(lambda: _accepted(auth["verify_login_otp"].sync_detailed(client=anyone, body=entered)),
                        timeout=OTP_SENT_PATIENCE, interval=0.05, message="the mailed OTP accepted")
    assert tokens.token_type == "Bearer" and tokens.expires_in > 0
    seeker = package.AuthenticatedClient(base_url=system.url, token=tokens.access_token,
                                         raise_on_unexpected_status=True)

    # J2: search; J1: the posting; J4: keep it, once jobs has heard of the registration
    eventually(lambda: call("GET", "/api/v1/me/favourites", token=tokens.access_token).status == 200, timeout=20,
               message="jobs to hear of the registration")
    page = jobs["search_jobs"].sync(client=seeker, prefecture=["11"], sort=models.SearchJobsSort.RECEIVED)
    assert isinstance(page, models.JobPage) and page.total > 0, page
    first = page.items[0]
    assert first.location.prefecture == "埼玉県"
    assert jobs["get_job"].sync(client=seeker, job_number=first.job_number).title == first.title
    assert jobs["add_favourite"].sync_detailed(job_number=first.job_number, client=seeker).status_code == 204
    favourites = jobs["list_favourites"].sync(client=seeker)
    assert [favourite.job_number for favourite in favourites.items] == [first.job_number]


def _accepted(answer):
    if answer.status_code == 401:
        return None
    assert answer.status_code == 200, answer.content
    return answer.parsed
