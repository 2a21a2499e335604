"""A5/S4: the password rule exactly, each failed part named (Japanese, English on request), a blocklist."""

from __future__ import annotations

import pytest

from services.auth.domain import PASSWORD_SYMBOLS, password_failures


def codes(password: str) -> list[str]:
    return [rule.code for rule in password_failures(password, frozenset())]


@pytest.mark.parametrize(("password", "expected"), [
    ("ab@1234", ["length"]),                       # 7 characters
    ("abc@1234", []),                              # 8
    ("a@" + "1" * 30, []),                         # 32
    ("a@" + "1" * 31, ["length"]),                 # 33
    ("@abcd1234", []),                             # the flyer's example
    ("ａｂｃｄ@1234", ["full_width", "letter"]),     # full-width letters
    ("abcd@１２３４", ["full_width", "digit"]),     # full-width digits
    ("＠abcd1234", ["full_width", "symbol"]),       # full-width symbol
    ("パスワード@1234", ["full_width", "letter"]),  # kana
    ("abcd!1234", ["characters", "symbol"]),        # a symbol not in the set
    ("abcd_1234@", ["characters"]),
    ("abcd 1234@", ["space"]),
    ("abcd1234@\u3000", ["full_width", "space"]),   # the full-width space
    ("abcd1234@\t", ["space"]),
    ("abcd1234@😀", ["characters"]),                # emoji
    ("abcdefgh@", ["digit"]),
    ("12345678@", ["letter"]),
    ("abcd12345", ["symbol"]),
    ("abc", ["length", "digit", "symbol"]),
    ("", ["length", "digit", "letter", "symbol"]),
])
def test_a5_password_rule(password, expected):
    assert codes(password) == expected


@pytest.mark.parametrize("symbol", list(PASSWORD_SYMBOLS))
def test_a5_each_allowed_symbol_is_accepted(symbol):
    assert codes(f"abcd123{symbol}") == []


@pytest.mark.parametrize("symbol", list("!\"'^_`{|}~[]\\,"))
def test_a5_each_other_ascii_symbol_is_refused(symbol):
    assert "characters" in codes(f"abcd123@{symbol}")


def test_a5_never_truncated_a_33rd_character_is_not_ignored():
    assert codes("abcd@123" * 4) == []
    assert codes("abcd@123" * 4 + "x") == ["length"]


def test_s4_common_passwords_are_refused_on_top_of_the_rule():
    assert [r.code for r in password_failures("P@ssw0rd")] == ["common"]
    assert [r.code for r in password_failures("hellowork@1")] == ["common"]
    assert password_failures("@abcd1234") == []  # SPEC A5's "example valid" stays valid
    assert password_failures("Kosh1gaya#Work") == []


@pytest.fixture
def key_for(world):
    def make():
        seeker = world.register()
        world.request_opening(seeker["email"])
        world.deliver_mail()
        return seeker["email"], world.mailbox.last_key(seeker["email"])
    return make


def test_a5_the_api_names_each_failed_part_in_japanese(world, key_for):
    email, key = key_for()
    response = world.complete_opening(email, key, password="ａｂｃ 1")
    assert response.status_code == 422
    assert response.json["password_rules"] == ["length", "full_width", "space", "letter", "symbol"]
    [error] = response.json["errors"]
    assert error["field"] == "password"
    assert error["messages"][0] == "パスワードは8文字以上32文字以内で入力してください。"
    assert any("全角文字は使用できません" in m for m in error["messages"])
    assert any("空白" in m for m in error["messages"])
    assert any("記号" in m for m in error["messages"])


def test_a5_the_api_names_each_failed_part_in_english_on_request(world, key_for):
    email, key = key_for()
    response = world.complete_opening(email, key, password="abcd!1234", **{"Accept-Language": "en"})
    assert response.status_code == 422
    messages = response.json["errors"][0]["messages"]
    assert messages[0].startswith("The password contains a character that is not allowed")
    assert messages[1] == "Include at least one half-width symbol (@#$%&()*+-./:;<=>?)."


def test_s4_a_common_password_is_refused_by_the_api(world, key_for):
    email, key = key_for()
    response = world.complete_opening(email, key, password="p@ssw0rd")
    assert response.status_code == 422 and response.json["password_rules"] == ["common"]
    assert world.complete_opening(email, key, password="Kosh1gaya#Work").status_code == 201
