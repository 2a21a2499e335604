"""Demo data of the embedded mode (DESIGN §4, issue 12): 求職 太郎's inbox and messages in use."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from kit.runtime import Runtime
from services.messaging import commands, domain
from services.messaging.models import Notice, SeekerStatusRow

# The demo seeker's opaque id (services/profile/demo.py) and the application jobs' demo makes for
# them (services/jobs/demo.py); tests/component/services/test_demo_activity.py checks they agree.
DEMO_SEEKER_ID = "8f3b2c5e-6a1d-4e7b-9c0f-2d4a6b8e1f37"
DEMO_SEEKER_NUMBER = "11040-12345678"
DEMO_APPLICATION_ID = "c4a1e7f25b3d4c8e9a0f1e2d3c4b5a69"
POSTED_BY = "counter"  # the development staff system (services/auth/config.py)
NOTICES = (
    ("職業相談のご予約について",
     "職業相談は、お電話または窓口でご予約いただけます。求人への応募や書類の書き方など、"
     "お気軽にご相談ください。ご来所をお待ちしております。\n越谷公共職業安定所"),
    ("年末年始の閉庁のお知らせ",
     "12月29日から1月3日までは閉庁いたします。この間もマイページはご利用いただけます。"
     "ご不便をおかけしますが、ご了承くださいますようお願いいたします。"),
)
EMPLOYER_MESSAGE = ("このたびはご応募いただき、誠にありがとうございます。応募書類を拝見いたしました。"
                    "面接の日程についてご相談させてください。ご都合のよい日時を2〜3候補お知らせいただけますと幸いです。")


def load_activity(runtime: Runtime) -> bool:
    """Two お知らせ from Hello Work (one read) and the establishment's unread reply in the
    thread of the demo application. Once: nothing when the seeker already has a notice; True if
    loaded now. The thread may open here or from jobs' event, whichever comes first (M1)."""
    for _attempt in range(2):  # jobs' event may open the thread between our read and our insert
        try:
            return _load_activity(runtime)
        except IntegrityError:
            continue
    return False


def _load_activity(runtime: Runtime) -> bool:
    with runtime.uow() as uow:
        if uow.session.scalar(select(exists().where(Notice.seeker_id == DEMO_SEEKER_ID,
                                                    Notice.kind == domain.NOTICE))):
            return False
        if uow.session.get(SeekerStatusRow, DEMO_SEEKER_ID) is None:  # profile's events fill in the rest
            uow.session.add(SeekerStatusRow(seeker_id=DEMO_SEEKER_ID, seeker_number=DEMO_SEEKER_NUMBER, usable=True,
                                            updated_at=uow.clock.now()))
        posted = [commands.post_notice(uow, {"seeker_id": DEMO_SEEKER_ID, "title": title, "body": body}, POSTED_BY)[0]
                  for title, body in reversed(NOTICES)]
        posted[0].read_at = uow.clock.now()  # 年末年始の閉庁 was read; 職業相談 stays unread
        thread = commands.open_thread(uow, DEMO_SEEKER_ID, application_id=DEMO_APPLICATION_ID)
        commands.receive_message(uow, thread.id, EMPLOYER_MESSAGE)
        uow.commit()
    return True
