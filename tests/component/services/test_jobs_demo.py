"""The demo postings: realistic, deterministic, valid against kit.codes, and loaded once."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from kit import codes
from kit.clock import FrozenClock
from kit.testing.services import migrated_runtime
from services.jobs.app import build_runtime
from services.jobs.demo import generate_postings, load_demo
from services.jobs.models import posting_row, postings
from tests.component.jobs.conftest import POSTING

START = date(2026, 11, 26)
JOB_NUMBER = re.compile(r"^\d{5}-\d{8}$")
ESTABLISHMENT_NUMBER = re.compile(r"^\d{4}-\d{6}-\d$")
FULL_TIME_TYPES = {"正社員", "正社員以外", "有期雇用派遣労働者", "無期雇用派遣労働者"}  # SPEC J2
PART_TIME_TYPES = {"パート労働者", "有期雇用派遣パート", "無期雇用派遣パート"}
CATEGORIES = {"一般", "新卒・既卒", "季節", "出稼ぎ", "障害のある方"}
CORPORATE_FORMS = ("株式会社", "有限会社", "合同会社", "医療法人", "社会福祉法人", "学校法人")
# SPEC "Employers publish a posting" without the fields that go into the posting's document
SPEC_PAYLOAD = {key: value for key, value in POSTING.items() if key not in ("insurance", "contact")}


@pytest.fixture(scope="module")
def sample():
    return list(generate_postings(5000, seed=0, start=START))


def test_the_generator_is_deterministic_and_prefix_stable():
    first = list(generate_postings(300, seed=7, start=START))
    assert first == list(generate_postings(300, seed=7, start=START))
    assert first[:100] == list(generate_postings(100, seed=7, start=START))
    assert first != list(generate_postings(300, seed=8, start=START))


def test_the_generator_streams():
    stream = generate_postings(10**9, start=START)
    assert JOB_NUMBER.match(next(stream)["job_number"])


def test_payloads_have_the_shape_of_the_employer_api(sample):
    for payload in sample[:50]:
        assert set(SPEC_PAYLOAD) <= set(payload)
        for key in ("establishment", "location", "wage", "holidays"):
            assert set(SPEC_PAYLOAD[key]) == set(payload[key])


def test_job_numbers_are_unique_over_100000():
    numbers = [payload["job_number"] for payload in generate_postings(100_000, seed=0, start=START)]
    assert len(set(numbers)) == 100_000
    assert all(JOB_NUMBER.match(number) for number in numbers)


def test_places_and_occupations_are_real(sample):
    for payload in sample:
        location = payload["location"]
        place = codes.find_municipality(location["prefecture"], location["municipality"])
        assert place is not None and place.name == location["municipality"]
        assert payload["job_number"][:2] == place.prefecture_code  # the office is in the prefecture
        assert location["station"].endswith("駅")
        occupation = codes.occupation(payload["occupation_code"])
        assert occupation is not None and occupation.level == "detailed"
        assert ESTABLISHMENT_NUMBER.match(payload["establishment"]["number"])
        assert any(form in payload["establishment"]["name"] for form in CORPORATE_FORMS) or \
            payload["establishment"]["name"].endswith("工務店")


def test_saitama_around_koshigaya_dominates_with_some_of_kanto(sample):
    prefectures = Counter(payload["location"]["prefecture"] for payload in sample)
    municipalities = Counter(payload["location"]["municipality"] for payload in sample)
    assert prefectures["埼玉県"] / len(sample) > 0.7
    assert {"東京都", "千葉県", "神奈川県"} <= set(prefectures)
    assert municipalities.most_common(1)[0][0] == "越谷市"
    assert sum(payload["job_number"].startswith("11040-") for payload in sample) / len(sample) > 0.3


def test_categories_and_employment_types_follow_spec_j2(sample):
    for payload in sample:
        assert payload["category"] in CATEGORIES
        assert payload["employment_type"] in (FULL_TIME_TYPES if payload["full_time"] else PART_TIME_TYPES)
        if payload["category"] == "新卒・既卒":
            assert payload["employment_type"] == "正社員"
    assert Counter(payload["category"] for payload in sample).most_common(1)[0][0] == "一般"
    assert {payload["employment_type"] for payload in sample} == FULL_TIME_TYPES | PART_TIME_TYPES


def test_wages_are_plausible_for_the_employment_type(sample):
    for payload in sample:
        wage = payload["wage"]
        assert wage["min"] <= wage["max"]
        if payload["employment_type"] == "正社員":
            assert wage["type"] == "monthly" and wage["min"] >= 180_000 and wage["max"] <= 400_000
        if payload["employment_type"] == "パート労働者":
            assert wage["type"] == "hourly" and wage["min"] >= 1_030 and wage["max"] <= 1_800
        if wage["type"] == "hourly":
            assert wage["min"] >= 1_030


def test_publication_scopes_are_mostly_public(sample):
    scopes = Counter(payload["publication_scope"] for payload in sample)
    assert set(scopes) <= {1, 2, 3, 4} and scopes[1] / len(sample) > 0.7
    assert not any(payload["online_application"] for payload in sample if payload["publication_scope"] == 4)
    assert any(payload["online_application"] for payload in sample)


def test_received_within_60_days_and_deadlines_later(sample):
    for payload in sample:
        received = date.fromisoformat(payload["received_on"])
        deadline = date.fromisoformat(payload["deadline"])
        assert START - timedelta(days=59) <= received <= START
        assert deadline > received and (deadline + timedelta(days=1)).day == 1  # the end of a month


@pytest.mark.parametrize("word", ["介護", "事務", "経理", "運転", "製造", "販売", "清掃", "警備", "保育"])
def test_descriptions_carry_two_character_search_words(sample, word):
    assert sum(word in payload["description"] for payload in sample) >= 10


def test_descriptions_are_japanese_sentences(sample):
    for payload in sample[:200]:
        text = payload["description"]
        assert text.endswith("。") and "{" not in text and len(text) >= 40


def test_posting_row_maps_the_spec_example():
    now = FrozenClock().now()
    row = posting_row(SPEC_PAYLOAD | {"insurance": ["雇用", "労災"]}, now=now)
    assert row["prefecture_code"] == "11" and row["municipality_code"] == "11222"
    assert row["occupation_code"] == "361-01" and row["received_on"] == date(2026, 11, 2)
    assert row["wage_type"] == "monthly" and row["annual_holidays"] == 120 and row["closed"] is False
    assert row["document"] == {"insurance": ["雇用", "労災"]}
    with pytest.raises(ValueError):
        posting_row(SPEC_PAYLOAD | {"location": {"prefecture": "埼玉県", "municipality": "新宿区"}}, now=now)


@pytest.fixture
def runtime():
    with migrated_runtime(build_runtime, "jobs", FrozenClock("2026-11-30T16:00:00+00:00")) as runtime:  # 12-01 JST
        yield runtime


def _count(runtime) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(postings))


def test_load_demo_fills_an_empty_table_once(runtime):
    assert load_demo(runtime, count=2500) == 2500
    assert load_demo(runtime, count=2500) == 0
    assert _count(runtime) == 2500
    with runtime.engine.connect() as connection:
        newest = connection.scalar(select(func.max(postings.c.received_on)))
        outbox = connection.scalar(select(func.count()).select_from(runtime.outbox))
    assert newest == date(2026, 12, 1)  # received dates count back from today in Japan
    assert outbox == 0  # the demo load publishes nothing


def test_load_demo_leaves_a_table_with_postings_alone(runtime):
    with runtime.engine.begin() as connection:
        connection.execute(insert(postings), [posting_row(SPEC_PAYLOAD, now=runtime.clock.now())])
    assert load_demo(runtime) == 0
    assert _count(runtime) == 1
