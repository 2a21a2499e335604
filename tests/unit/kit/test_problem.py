"""problem+json: Japanese by default, English on request, field names for validation errors."""

import pytest

from kit.problem import Problem, flatten_errors, msg, prefers_english


@pytest.mark.parametrize(
    ("header", "english"),
    [
        (None, False),
        ("", False),
        ("ja", False),
        ("en", True),
        ("en-US,en;q=0.9", True),
        ("ja,en;q=0.8", False),
        ("en;q=0.5,ja;q=0.9", False),
        ("fr,en;q=0.4", True),
        ("en;q=bogus,ja", False),
    ],
)
def test_language_negotiation(header, english):
    assert prefers_english(header) is english


def test_problem_titles_follow_language():
    problem = Problem("limit-reached", detail_ja="お気に入りは300件までです。", detail_en="At most 300 favourites.")
    ja = problem.to_dict(english=False, instance="/api/v1/me/favourites/x")
    en = problem.to_dict(english=True)
    assert ja["title"] == "登録できる上限に達しています"
    assert ja["detail"] == "お気に入りは300件までです。"
    assert ja["status"] == 409
    assert ja["type"].endswith("/limit-reached")
    assert ja["instance"] == "/api/v1/me/favourites/x"
    assert en["title"] == "The limit has been reached"
    assert en["detail"] == "At most 300 favourites."


def test_field_errors_are_named_and_translated():
    problem = Problem("validation-failed", fields={
        "email": ["Missing data for required field."],
        "password": [msg("8文字以上で入力してください。", "Use at least 8 characters.")],
    })
    ja = problem.to_dict()
    en = problem.to_dict(english=True)
    assert ja["errors"] == [
        {"field": "email", "messages": ["必須項目です。"]},
        {"field": "password", "messages": ["8文字以上で入力してください。"]},
    ]
    assert en["errors"][0]["messages"] == ["Missing data for required field."]
    assert en["errors"][1]["messages"] == ["Use at least 8 characters."]


def test_nested_marshmallow_errors_flatten_to_dotted_names():
    errors = {"address": {"postal_code": ["bad"]}, "desired": {"occupations": {0: ["x"]}}, "name": ["y"]}
    assert flatten_errors(errors) == {
        "address.postal_code": ["bad"],
        "desired.occupations.0": ["x"],
        "name": ["y"],
    }


def test_unknown_problem_key_is_a_programming_error():
    with pytest.raises(ValueError):
        Problem("no-such-problem")
