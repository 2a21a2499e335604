"""Demo postings: a deterministic, streaming generator of realistic 求人 and the embedded-mode loader.

    for payload in generate_postings(1_000_000, seed=0, start=date(2026, 11, 26)):
        ...  # each payload is shaped like SPEC's POST /api/v1/employer/jobs

The same (count, seed, start) always yields the same postings, and a shorter run is a
prefix of a longer one. Places, stations and occupation codes are real; establishments are
invented (tables in demo_data.py).
"""

from __future__ import annotations

import calendar
import random
import re
from bisect import bisect
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, islice
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError

from kit import codes
from kit.clock import today_in_japan
from kit.runtime import Runtime
from services.jobs import commands, domain, seekers
from services.jobs import demo_data as data
from services.jobs.commands import applications, direct_requests
from services.jobs.events import POSTING_MATCHED
from services.jobs.models import matches, posting_row, postings, referrals
from services.jobs.schemas.criteria import CriteriaSchema

DEMO_POSTINGS = 3000  # DESIGN §4: "a few thousand postings"
BATCH = 1000
ESTABLISHMENTS = 20_000  # size of the invented establishment pool (popularity is skewed)
RECEIVED_WITHIN_DAYS = 60
_JOB_SERIAL_STEP = 48_271_417  # odd and not a multiple of 5: i -> step*i mod 10^8 is a bijection
GENERIC_WAGE = ((180000, 260000), (1100, 1350))  # (正社員 monthly), (hourly) of other trades
GENERIC_FULL_TIME = 0.6
DAILY_WAGE_INDUSTRIES = ("construction", "security")  # 日給 is common for their non-regular staff
_PARENTHESES = re.compile(r"（.*?）|\(.*?\)")


class _Weighted:
    """A weighted choice driven by one `random()` draw (stable across Python versions)."""

    __slots__ = ("values", "cumulative", "total")

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.cumulative[-1] = float("inf")  # r * total may round up to total itself
        self.total = sum(weight for _, weight in pairs)

    def pick(self, r: float) -> Any:
        return self.values[bisect(self.cumulative, r * self.total)]


class _Job:
    """One occupation of an industry, prepared for fast use."""

    __slots__ = ("code", "titles", "base_titles", "tasks", "licences", "settings", "wage")

    def __init__(self, code: str, titles, tasks, licences, settings, wage) -> None:
        self.code = _check_code(code)
        self.wage = data.JOB_WAGES.get(self.code, wage)
        self.titles = titles
        self.base_titles = tuple(_PARENTHESES.sub("", title) for title in titles)
        self.tasks = tasks
        self.licences = licences
        self.settings = settings


class _Industry:
    __slots__ = ("key", "full_time", "forms", "jobs", "perks")

    def __init__(self, spec: dict, jobs: _Weighted) -> None:
        self.key = spec["key"]
        self.full_time = spec["full_time"]
        self.forms = _Weighted(spec["forms"])
        self.jobs = jobs
        self.perks = spec["perks"]


def _check_code(code: str) -> str:
    found = codes.occupation(code)
    if found is None or found.level != "detailed":
        raise ValueError(f"demo occupation {code} is not a 細分類 of the classification")
    return found.code


def _short_place_name(name: str) -> str | None:
    """越谷市 → 越谷, さいたま市大宮区 → さいたま, 北葛飾郡松伏町 → 松伏; None if too short for a name."""
    ward = re.match(r"^(.+?)市.+区$", name)
    stem = ward.group(1) if ward else re.sub(r"[市区町村]$", "", re.sub(r"^.+?郡", "", name))
    return stem if len(stem) >= 2 else None


def _deadline(received: date) -> date:
    """紹介期限日: the end of the month after next from the month the posting was received."""
    index = received.year * 12 + received.month + 1  # month after next, 0-based month
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


class _Generator:
    def __init__(self, seed: int, start: date) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.places = self._places()
        industries = []
        for spec in data.INDUSTRIES:
            jobs = []
            for code, weight, titles, tasks, licences, *settings in spec["occupations"]:
                places = settings[0] if settings else spec["settings"]
                jobs.append((_Job(code, titles, tasks, licences, places, spec["wage"]), weight))
            industries.append((_Industry(spec, _Weighted(jobs)), spec["weight"]))
        self.industries = _Weighted(industries + [(None, data.OTHER_INDUSTRY_WEIGHT)])
        self.generic = [occupation for occupation in codes.occupations().values()
                        if occupation.level == "detailed" and occupation.code[:3] not in data.EXCLUDED_MINORS
                        and not occupation.name.startswith("他に分類されない")]
        self.full_time_types = _Weighted(data.FULL_TIME_TYPES)
        self.part_time_types = _Weighted(data.PART_TIME_TYPES)
        self.categories = _Weighted(data.CATEGORIES)
        self.scopes = _Weighted(data.PUBLICATION_SCOPES)
        self.full_time_hours = _Weighted(data.FULL_TIME_HOURS)
        self.part_time_hours = _Weighted(data.PART_TIME_HOURS)
        self.two_days = _Weighted(data.TWO_DAYS_WEEKLY)
        self.experience = _Weighted(data.EXPERIENCE)
        self.dates = []
        for days_ago in range(RECEIVED_WITHIN_DAYS):
            received = start - timedelta(days=days_ago)
            self.dates.append((received.isoformat(), _deadline(received).isoformat()))
        self.establishments: dict[int, tuple] = {}
        self.serial_offset = (seed * 7_919_993 + 20_261_126) % 100_000_000

    @staticmethod
    def _places() -> _Weighted:
        pairs = []
        for places, share in data.AREA_SHARES:
            total = sum(place[2] for place in places)
            for prefecture, name, weight, office, stations in places:
                found = codes.find_municipality(prefecture, name)
                if found is None or found.name != name:
                    raise ValueError(f"demo place {prefecture} {name} is not in kit.codes")
                minimum = data.MINIMUM_WAGE[found.prefecture_code]
                place = (found, office, stations, _short_place_name(name), minimum)
                pairs.append((place, share * weight / total))
        return _Weighted(pairs)

    def establishment(self, index: int) -> tuple:
        """事業所 number `index` of the pool, built on first use from its own random stream."""
        found = self.establishments.get(index)
        if found is not None:
            return found
        rng = random.Random(self.seed * 1_000_003 + index)
        place, office, stations, place_stem, minimum = self.places.pick(rng.random())
        industry = self.industries.pick(rng.random())
        r = rng.random()
        if r < 0.4:
            stem = data.SURNAMES[int(rng.random() * len(data.SURNAMES))]
        elif r < 0.75 or place_stem is None:
            stem = data.STEMS[int(rng.random() * len(data.STEMS))]
        else:
            stem = place_stem + data.PLACE_SUFFIXES[int(rng.random() * len(data.PLACE_SUFFIXES))]
        if industry is None:  # an establishment of any other trade, with one occupation
            occupation = self.generic[int(rng.random() * len(self.generic))]
            form = ("株式会社{stem}", "{stem}株式会社", "有限会社{stem}")[int(rng.random() * 3)]
            tasks = tuple(task.format(name=occupation.name) for task in data.GENERIC_TASKS)
            job = _Job(occupation.code, (occupation.name,), tasks, (), ("事業所",), GENERIC_WAGE)
        else:
            form, job = industry.forms.pick(rng.random()), None
        serial = (index * 7919 + self.seed * 104_729) % 1_000_000
        number = f"{office[:4]}-{serial:06d}-{sum(int(digit) for digit in f'{office[:4]}{serial:06d}') % 10}"
        station = stations[int(rng.random() * len(stations))]
        minutes = 3 + int(rng.random() * 18)
        way = "徒歩" if rng.random() < 0.75 else "バス"
        access = f"{station}から{way}{minutes}分。"
        found = (number, form.format(stem=stem), industry, job, place, office, station, access, minimum)
        self.establishments[index] = found
        return found

    def posting(self, i: int) -> dict[str, Any]:
        random_ = self.rng.random
        number, name, industry, job, place, office, station, access, minimum = self.establishment(
            int(ESTABLISHMENTS * random_() ** 2))
        if industry is None:
            full_time_share, perks = GENERIC_FULL_TIME, data.GENERAL_PERKS
        else:
            job = industry.jobs.pick(random_())
            full_time_share, perks = industry.full_time, industry.perks
        full_time = random_() < full_time_share
        category = self.categories.pick(random_())
        if full_time:
            employment_type = "正社員" if category == "新卒・既卒" else self.full_time_types.pick(random_())
        else:
            employment_type = self.part_time_types.pick(random_())
            if category in ("新卒・既卒", "出稼ぎ"):
                category = "一般"
        wage = self.wage(employment_type, job, minimum, industry)
        title_index = int(random_() * len(job.titles))
        tasks = job.tasks
        first = int(random_() * len(tasks))
        second = (first + 1 + int(random_() * (len(tasks) - 1))) % len(tasks) if len(tasks) > 1 else first
        setting = job.settings[int(random_() * len(job.settings))]
        base_title = job.base_titles[title_index]
        shape = random_()
        if shape < 0.4:
            text = f"{setting}での{base_title}のお仕事です。"
            text += f"{tasks[first]}、{tasks[second]}などをお願いします。"
        elif shape < 0.7:
            text = f"{setting}にて{tasks[first]}、{tasks[second]}を担当していただきます。"
        else:
            text = f"{base_title}として、{setting}で{tasks[first]}、{tasks[second]}などを行います。"
        text += perks[int(random_() * len(perks))]
        if random_() < 0.5:
            text += data.GENERAL_PERKS[int(random_() * len(data.GENERAL_PERKS))]
        text += access
        two_days = self.two_days.pick(random_())
        annual = (105 if two_days == "毎週" else 90 if two_days == "その他" else 80) + int(random_() * 21)
        scope = self.scopes.pick(random_())
        received_on, deadline = self.dates[int(random_() * RECEIVED_WITHIN_DAYS)]
        licences = []
        if job.licences and random_() < 0.6:
            licences.append(job.licences[int(random_() * len(job.licences))])
        if full_time or random_() < 0.5:
            insurance = ["雇用", "労災", "健康", "厚生"]
            if full_time and random_() < 0.2:
                insurance.append("財形")
        else:
            insurance = ["雇用", "労災"]
        serial = (_JOB_SERIAL_STEP * i + self.serial_offset) % 100_000_000
        return {
            "job_number": f"{office}-{serial:08d}",
            "establishment": {"number": number, "name": name},
            "title": job.titles[title_index],
            "occupation_code": job.code,
            "description": text,
            "category": category,
            "full_time": full_time,
            "employment_type": employment_type,
            "location": {"prefecture": place.prefecture_name, "municipality": place.name, "station": station},
            "wage": wage,
            "hours": (self.full_time_hours if full_time else self.part_time_hours).pick(random_()),
            "holidays": {"two_days_weekly": two_days, "annual_days": annual},
            "publication_scope": scope,
            "online_application": scope != 4 and random_() < 0.45,
            "received_on": received_on,
            "deadline": deadline,
            "insurance": insurance,
            "requirements": {"experience": self.experience.pick(random_()), "licenses": licences},
        }

    def wage(self, employment_type: str, job: _Job, minimum: int, industry) -> dict[str, Any]:
        """Monthly for 正社員; monthly, hourly or daily for 正社員以外; hourly for 派遣 and パート."""
        random_ = self.rng.random
        monthly, hourly = job.wage
        if employment_type == "正社員" or (employment_type == "正社員以外" and random_() < 0.6):
            scale = 1.0 if employment_type == "正社員" else 0.9
            low = round((monthly[0] + random_() * (monthly[1] - monthly[0])) * scale, -3)
            high = min(400_000, round(low * (1 + random_() * 0.35), -3))
            return {"type": "monthly", "min": int(low), "max": int(max(low, high))}
        if employment_type == "正社員以外" and industry is not None and industry.key in DAILY_WAGE_INDUSTRIES:
            low = 9000 + 500 * int(random_() * 15)
            return {"type": "daily", "min": low, "max": low + 500 * int(random_() * 7)}
        if "派遣" in employment_type:
            lo, hi = 1300, 1700
        else:
            lo, hi = hourly
        low = max(minimum, int(round(lo + random_() * (hi - lo), -1)))
        high = min(1800, low + 10 * int(random_() * 31))
        return {"type": "hourly", "min": low, "max": max(low, high)}


def generate_postings(count: int, *, start: date, seed: int = 0) -> Iterator[dict[str, Any]]:
    """Yield `count` demo postings shaped like `POST /api/v1/employer/jobs` (SPEC J1), lazily.

    Received dates fall within the 60 days up to `start` (the caller's today in Japan), deadlines
    at the end of the month after next; job numbers are unique for up to 10^8 postings.
    """
    generator = _Generator(seed, start)
    for i in range(count):
        yield generator.posting(i)


def load_demo(runtime: Runtime, count: int = DEMO_POSTINGS) -> int:
    """Insert `count` demo postings if the postings table is empty; returns how many were inserted.

    One transaction, executemany batches of 1,000; no events (the demo is the jobs service's
    own seed data). Idempotent: a second call, or one racing another, inserts nothing.
    """
    now = runtime.clock.now()
    payloads = generate_postings(count, start=today_in_japan(now))
    inserted = 0
    try:
        with runtime.engine.begin() as connection:
            if connection.scalar(select(exists().select_from(postings))):
                return 0
            while batch := list(islice(payloads, BATCH)):
                connection.execute(insert(postings), [posting_row(payload, now=now) for payload in batch])
                inserted += len(batch)
    except IntegrityError:  # loaded concurrently by another process
        return 0
    return inserted


def demo_needed(runtime: Runtime) -> bool:
    """The embedded mode loads the demo postings when there are none (the seeker_status projection
    may already hold rows from profile's events by then)."""
    with runtime.engine.connect() as connection:
        return not connection.scalar(select(exists().select_from(postings)))


# -- the demo seeker's My Page in use: something on every screen ----------------------------------------

# services/profile/demo.py registers 求職 太郎 under this id (tests/component/services/test_demo_activity.py
# checks the three demo modules agree); messaging's demo writes the employer's message into the
# thread of this application.
DEMO_SEEKER_ID = "8f3b2c5e-6a1d-4e7b-9c0f-2d4a6b8e1f37"
DEMO_SEEKER_NUMBER = "11040-12345678"
DEMO_APPLICATION_ID = "c4a1e7f25b3d4c8e9a0f1e2d3c4b5a69"
DEMO_PUBLIC_REF = "3b9d6f0a2c4e48a1b7d5e9f1a3c5e7b9"  # profile's demo discloses the seeker under it (J8a)
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # profile's own events about the seeker are newer
_RESUME = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
           b"trailer<</Root 1 0 R>>\n%%EOF\n")


def load_activity(runtime: Runtime) -> bool:
    """求職 太郎's My Page as a seeker who has used it: 2 お気に入り, a saved search, a 紹介 with its 紹介状,
    a recommended posting, an application with its 志望動機 and a PDF, 2 matching new postings —
    through the same commands as the API, so the events go out and messaging opens the threads and
    inbox entries. The seeker is made known here as a valid 利用登録者 (profile's events, newer,
    set the rest). Once: nothing when the seeker already has a referral; True if loaded now."""
    with runtime.uow() as uow:
        if uow.session.scalar(select(exists().where(referrals.c.seeker_id == DEMO_SEEKER_ID))):
            return False
        seekers.change(uow, DEMO_SEEKER_ID, lambda status: domain.registration_changed(
            status, _LONG_AGO, registration=domain.VALID, kind="registered"), seeker_number=DEMO_SEEKER_NUMBER)
        care, other = _demo_postings(uow)
        if len(care) < 6 or len(other) < 2:
            return False
        seeker = {"seeker_id": DEMO_SEEKER_ID}
        commands.record_referral(uow, seeker | {"job_number": care[0], "letter": {
            "office": "越谷公共職業安定所", "seeker_name": "求職 太郎", "interview_place": "本社（越谷市）",
            "interview_date": commands.today(uow) + timedelta(days=7),
            "note": "面接には履歴書と職務経歴書をお持ちください。"}})
        commands.recommend(uow, seeker | {"job_number": care[1],
                                          "comment": "介護福祉士の資格とご経験を活かせる求人です。"})
        for job_number in (care[2], other[0]):
            commands.add_favourite(uow, DEMO_SEEKER_ID, job_number)
        criteria = CriteriaSchema().load({"q": "介護", "prefecture": "11", "municipality": "11222"})
        commands.create_saved_search(uow, DEMO_SEEKER_ID, {"name": "越谷の介護", "criteria": criteria})
        applications.apply(uow, DEMO_SEEKER_ID, {
            "job_number": care[3], "motivation": "特別養護老人ホームで10年間介護に携わってきました。"
            "利用者様お一人おひとりに寄り添う貴施設の方針に共感し、応募いたしました。",
            "documents": [{"filename": "履歴書.pdf", "content": _RESUME}]}, application_id=DEMO_APPLICATION_ID)
        # J8a: an employer's direct request to the disclosed seeker (profile's event, newer, says the same)
        direct_requests.record_disclosure(uow, DEMO_SEEKER_ID, True, DEMO_PUBLIC_REF, _LONG_AGO)
        direct_requests.send(uow, None, {"job_number": other[1], "seeker_ref": DEMO_PUBLIC_REF,
                                         "message": "求職情報を拝見し、ぜひ一度お話を伺いたくご連絡いたしました。"})
        now = uow.clock.now()
        for job_number in care[4:6]:  # J6: new postings that match the desired conditions
            uow.session.execute(insert(matches).values(seeker_id=DEMO_SEEKER_ID, job_number=job_number,
                                                       matched_at=now))
            uow.publish(POSTING_MATCHED, {"seeker_id": DEMO_SEEKER_ID, "job_number": job_number},
                        subject=DEMO_SEEKER_ID)
        uow.commit()
    return True


def _demo_postings(uow) -> tuple[list[str], list[str]]:
    """Open postings in 越谷市 that name their establishment and take online applications: 介護 ones
    (職業分類 36, 介護サービスの職業) and others, by 求人番号."""
    day = commands.today(uow)
    rows = uow.session.execute(
        select(postings.c.job_number, postings.c.occupation_code)
        .where(postings.c.municipality_code == "11222", postings.c.publication_scope == 1,
               postings.c.online_application.is_(True), postings.c.closed.is_(False), postings.c.deadline >= day)
        .order_by(postings.c.job_number)).all()
    care = [row.job_number for row in rows if row.occupation_code.startswith("36")]
    return care, [row.job_number for row in rows if not row.occupation_code.startswith("36")]
