"""kit.codes: the reference code lists (prefectures, municipalities, occupations) of Hello Work's search."""

import json
from importlib import resources

import pytest

from kit import codes


def test_there_are_47_prefectures_in_jis_order():
    prefectures = codes.prefectures()
    assert len(prefectures) == 47
    assert list(prefectures) == [f"{n:02d}" for n in range(1, 48)]
    assert prefectures["11"] == "埼玉県" and prefectures["13"] == "東京都" and prefectures["01"] == "北海道"


def test_overseas_is_not_a_prefecture():
    assert codes.OVERSEAS == ("59", "海外")
    assert "59" not in codes.prefectures()
    assert codes.prefecture_code("海外") is None


@pytest.mark.parametrize("given", ["埼玉県", "埼玉", "11", "埼玉県 ", "１１"])
def test_prefecture_lookup_by_name_or_code(given):
    assert codes.prefecture_code(given) == "11"


def test_prefecture_name_and_unknown_names():
    assert codes.prefecture_name("11") == "埼玉県"
    assert codes.prefecture_name("48") is None
    assert codes.prefecture_code("北海") is None
    assert codes.prefecture_code("北海道") == "01"
    assert codes.prefecture_code("大阪") == "27"


def test_1902_municipalities_in_all_with_5_digit_codes():
    municipalities = codes.all_municipalities()
    assert len(municipalities) == 1902
    assert all(len(code) == 5 and code.isdigit() for code in municipalities)
    assert all(code[:2] == item.prefecture_code for code, item in municipalities.items())
    assert sum(len(codes.municipalities(code)) for code in codes.prefectures()) == 1902


def test_koshigaya_is_11222_in_saitama():
    koshigaya = codes.municipality("11222")
    assert koshigaya == codes.Municipality("11222", "越谷市", "11", "埼玉県")
    assert codes.find_municipality("埼玉県", "越谷市") == koshigaya
    assert codes.find_municipality("11", "越谷市") == koshigaya
    assert codes.municipalities("11")["11222"] == "越谷市"
    assert codes.municipalities("埼玉県") == codes.municipalities("11")


def test_designated_city_wards_and_towns_in_a_district():
    assert codes.find_municipality("埼玉県", "さいたま市浦和区").code == "11107"
    assert codes.find_municipality("埼玉県", "北葛飾郡松伏町").code == "11465"
    assert codes.find_municipality("埼玉県", "松伏町").code == "11465"  # without its 郡


def test_unknown_places():
    assert codes.municipality("99999") is None
    assert codes.find_municipality("埼玉県", "新宿区") is None
    assert codes.find_municipality("どこか県", "越谷市") is None
    assert codes.municipalities("99") == {}


def test_occupation_361_is_facility_care_worker():
    assert codes.occupation("361") == codes.Occupation("361", "施設介護員", "minor", "36")
    assert codes.occupation("361-01") == codes.Occupation("361-01", "施設介護員", "detailed", "361")
    assert codes.occupation("36101") == codes.occupation("361-01")
    assert codes.occupation("36").name == "介護サービスの職業"
    assert codes.occupation("E").level == "major"
    assert codes.occupation("999") is None


def test_occupation_levels_and_parents_form_one_tree():
    occupations = codes.occupations()
    levels = {}
    for occupation in occupations.values():
        levels[occupation.level] = levels.get(occupation.level, 0) + 1
        if occupation.parent is not None:
            assert occupations[occupation.parent].code == occupation.parent
    assert levels == {"major": 11, "middle": 73, "minor": 369, "detailed": 892}
    assert codes.normalise_occupation_code("36101") == "361-01"
    assert codes.normalise_occupation_code("361") == "361"


def test_occupation_titles_list_the_jobs_under_a_code():
    titles = codes.occupation_titles("361-01")
    assert "介護職員(福祉施設)" in titles
    assert set(titles) <= set(codes.occupation_titles("361"))
    assert codes.occupation_titles("nope") == ()


def test_the_14_groups_of_the_occupation_picker():
    groups = codes.occupation_groups()
    assert len(groups) == 14 and groups["05"] == "介護、福祉"
    assert codes.occupation_details("05")[0] == "施設介護員"
    assert codes.occupation_details("99") == ()


def test_results_are_cached_and_read_only():
    assert codes.prefectures() is codes.prefectures()
    with pytest.raises(TypeError):
        codes.prefectures()["99"] = "どこか"  # type: ignore[index]


def test_the_data_ships_with_the_package_and_names_its_source():
    data = resources.files("kit.codes").joinpath("data")
    readme = data.joinpath("README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "hellowork-mhlw" in readme
    for name in ("prefectures", "municipalities", "occupation_groups", "occupation_details",
                 "occupation_classification"):
        assert json.loads(data.joinpath(f"{name}.json").read_text(encoding="utf-8"))
