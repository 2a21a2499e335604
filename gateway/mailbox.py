"""/dev/mail: the development mailbox (DESIGN §4) — what the local SMTP sink received.

A Japanese, mobile-friendly page (newest first: time, recipient, subject, readable body),
/dev/mail.json for tests, and /dev/mail/<id>.eml for the raw message. Development only:
in production (C4: any MYPAGE_ENV but dev, development or test) every /dev path answers a 404 problem.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, send_file

from kit.clock import JST
from kit.devmail import mail_path, read_mailbox
from kit.problem import Problem


def create_mailbox_blueprint(mail_dir: Path) -> Blueprint:
    blueprint = Blueprint("dev_mail", __name__, url_prefix="/dev")

    @blueprint.before_request
    def _development_only() -> None:
        if current_app.extensions["settings"].production:
            raise Problem("not-found")

    @blueprint.get("/mail")
    def mailbox_page() -> str:
        mails = read_mailbox(mail_dir)
        return render_template("dev_mail.html", mails=mails, jst=JST, mail_dir=mail_dir)

    @blueprint.get("/mail.json")
    def mailbox_json() -> Response:
        mails = [mail.to_dict() for mail in read_mailbox(mail_dir)]
        return jsonify(items=mails, total=len(mails))

    @blueprint.get("/mail/<mail_id>.eml")
    def raw_mail(mail_id: str) -> Response:
        path = mail_path(mail_dir, mail_id)
        if path is None:
            raise Problem("not-found")
        return send_file(path, mimetype="message/rfc822", as_attachment=True, download_name=path.name)

    return blueprint
