"""求人検索 in the browser (issue 12, defects 4–8): nothing typed is dropped quietly, an empty result
says what to try, the results say what was searched with sort, page size and numbered pages beside
them, a page past the end is handled, the back button restores the scroll position, the phone form
is short with 検索する in reach and the details in a drawer, and errors show where they can be seen.

Playwright drives the system Chromium (kit.testing.browser) against this module's embedded system.
"""

from __future__ import annotations

import re

from kit.testing.browser import DESKTOP, PHONE, goto, new_page, settle

NOTHING = "該当しないはずの語ぴよぴよ"


def total_of(page) -> int:
    text = page.locator(".results .total").inner_text()
    return int(re.search(r"検索結果 ([\d,]+)件", text).group(1).replace(",", ""))


def test_a_typed_occupation_that_is_not_a_suggestion_is_an_error_not_dropped(page):
    """Defect 5: 「介護」 typed as 職種 (no suggestion picked) is not searched as "any 職種": the field says
    why and names suggestions; a suggestion searches by its code and reads as a name."""
    goto(page, "/search")
    page.get_by_label("職種", exact=True).fill("介護")
    page.get_by_role("button", name="検索する", exact=True).click()
    error = page.locator('[data-error-for="occupation"]')
    error.wait_for(state="visible")
    assert "職種「介護」は候補にありません" in error.inner_text()
    assert "361 施設介護員" in error.inner_text()
    assert page.url.endswith("#/search")  # nothing was searched
    assert page.evaluate("document.activeElement.name") == "occupation"

    page.get_by_label("職種", exact=True).fill("361 施設介護員")
    page.get_by_role("button", name="検索する", exact=True).click()
    page.wait_for_function("() => location.hash.includes('occupation=361')")
    settle(page)
    chips = page.get_by_role("list", name="検索条件")
    assert chips.inner_text().replace("\n", "").startswith("職種：施設介護員（361）")
    assert page.get_by_label("職種", exact=True).input_value() == "361 施設介護員"


def test_too_many_municipalities_are_refused_not_cut(page):
    """Defect 5: a fourth 市区町村 is an error beside the field (it was silently cut to three)."""
    goto(page, "/search")
    page.get_by_label("市区町村", exact=True).fill("越谷市、草加市、春日部市、八潮市")
    page.get_by_role("button", name="検索する", exact=True).click()
    error = page.locator('[data-error-for="municipality"]')
    error.wait_for(state="visible")
    assert error.inner_text() == "市区町村は3つまで指定できます（4つ入力されています）。"
    assert page.url.endswith("#/search")


def test_an_empty_result_gives_hints_and_each_condition_can_be_removed(page):
    """Defect 5: no result says so with what to try; a condition's × searches again without it."""
    goto(page, f"/search?q={NOTHING}&prefecture=%E5%9F%BC%E7%8E%89%E7%9C%8C&page=1")
    assert total_of(page) == 0
    hint = page.locator(".empty-hint")
    assert "条件に合う求人はありませんでした。" in hint.inner_text()
    assert "フリーワードを短くするか" in hint.inner_text()
    chips = page.get_by_role("list", name="検索条件")
    assert [chip.inner_text().replace("\n", "") for chip in chips.get_by_role("listitem").all()] == [
        f"フリーワード：{NOTHING}×", "都道府県：埼玉県×"]
    chips.get_by_role("link", name=f"「フリーワード：{NOTHING}」を外して検索").click()
    settle(page)
    assert "q=" not in page.url and "prefecture=" in page.url
    assert total_of(page) > 0


def test_results_have_sort_and_page_size_beside_them_and_numbered_pages(page):
    """Defect 6: 表示件数 and 並び順 next to the results; numbered pages with the current one marked."""
    goto(page, "/search?q=%E4%BA%8B%E5%8B%99&page=1")
    total = total_of(page)
    assert total > 50, "the demo data has many 事務 postings"
    head = page.locator(".results-head")
    head.get_by_label("表示件数", exact=True).select_option("10")
    page.wait_for_function("() => location.hash.includes('per_page=10')")
    settle(page)
    assert page.locator(".job-card").count() == 10
    pager = page.get_by_role("navigation", name=re.compile(r"ページ送り（全\d+ページ）"))
    pager.get_by_role("link", name="3ページ目", exact=True).click()
    settle(page)
    assert "page=3" in page.url
    assert page.locator(".results .total").inner_text() == f"検索結果 {total:,}件（21〜30件目）"
    assert pager.locator("[aria-current=page]").inner_text() == "3"
    last = -(-total // 10)
    assert pager.get_by_role("link", name=f"{last}ページ目", exact=True).count() == 1  # the last is always linked

    head.get_by_label("並び順", exact=True).select_option("deadline")
    page.wait_for_function("() => location.hash.includes('sort=deadline')")
    settle(page)
    assert "page=1" in page.url and "per_page=10" in page.url


def test_refinement_chips_narrow_the_result_to_their_count(page):
    """J2b: the facets as chips with counts; a chip narrows the result to exactly its count, and a facet
    the criteria fix is no longer offered."""
    goto(page, "/search?q=%E4%BA%8B%E5%8B%99&page=1")
    total = total_of(page)
    page.locator(".refine summary").click()
    refine = page.get_by_role("navigation", name="絞り込み")
    chip = refine.get_by_role("link", name=re.compile(r"^正社員\s*[\d,]+\s*件（雇用形態で絞り込む）$"))
    count = int(chip.locator(".chip-count").inner_text().replace(",", ""))
    assert 0 < count < total
    chip.click()
    settle(page)
    assert "employment_type=%E6%AD%A3%E7%A4%BE%E5%93%A1" in page.url and "page=1" in page.url
    assert total_of(page) == count
    assert "雇用形態：正社員" in page.get_by_role("list", name="検索条件").inner_text()
    page.locator(".refine summary").click()
    assert refine.get_by_text("雇用形態", exact=True).count() == 0
    group = refine.get_by_role("link", name=re.compile(r"件（職種（大分類）で絞り込む）$"))
    assert group.count() > 1


def test_a_page_past_the_end_shows_the_last_page(page):
    """Defect 6: page 999 of a shorter result shows its last page and says so (it showed 「9981〜427件目」
    with 次へ); a page beyond the API's 1,000 as well."""
    for asked in (999, 5000):
        goto(page, f"/search?q=%E4%BA%8B%E5%8B%99&per_page=10&page={asked}")
        total = total_of(page)
        last = -(-total // 10)
        assert f"{asked:,}ページ目はありません（全{last}ページ）。最後のページを表示しています。" in page.locator(
            ".results-section .message").inner_text()
        first = (last - 1) * 10 + 1
        assert page.locator(".results .total").inner_text() == f"検索結果 {total:,}件（{first:,}〜{total:,}件目）"
        assert page.locator(".pager a[rel=next]").count() == 0
        assert page.locator(".job-card").count() == total - (last - 1) * 10


def test_back_from_a_posting_returns_to_the_same_place_in_the_results(page):
    """Defect 6: returning from a 求人票 restores the criteria and the scroll position."""
    goto(page, "/search?q=%E4%BA%8B%E5%8B%99&per_page=30&page=2")
    card = page.locator(".job-card").nth(20)
    card.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 100)")
    left_at = page.evaluate("window.scrollY")
    assert left_at > 1000
    title = card.locator("h3").inner_text()
    card.locator("h3 a").click()
    settle(page)
    assert page.locator("main h1").inner_text() == title
    assert page.evaluate("window.scrollY") == 0  # a new screen starts at the top
    page.go_back()
    settle(page)
    assert "page=2" in page.url and "per_page=30" in page.url
    assert abs(page.evaluate("window.scrollY") - left_at) <= 1
    assert card.is_visible() and card.locator("h3").inner_text() == title


def test_the_phone_form_is_short_with_search_in_reach_and_details_in_a_drawer(page):
    """Defect 7: at 390×844 the form (it was 2,493 px) fits the screen with 検索する on it; the other
    criteria open in a drawer, which says how many are set."""
    goto(page, "/search")
    button = page.get_by_role("button", name="検索する", exact=True).bounding_box()
    assert button["y"] + button["height"] <= PHONE["height"]
    assert page.locator(".search-form").bounding_box()["height"] < 600
    assert page.get_by_label("正社員", exact=True).is_hidden()
    page.get_by_role("button", name="詳しい条件").click()
    drawer = page.get_by_role("dialog", name="詳しい条件")
    drawer.get_by_label("正社員", exact=True).check()
    drawer.get_by_label("年間休日数（以上）", exact=True).fill("120")
    drawer.get_by_role("button", name="この条件で検索する").click()
    settle(page)
    assert drawer.is_hidden()
    assert "employment_type=%E6%AD%A3%E7%A4%BE%E5%93%A1" in page.url and "annual_holidays_min=120" in page.url
    assert page.get_by_role("button", name="詳しい条件").inner_text().replace("\n", "") == "詳しい条件2件指定中"
    chips = page.get_by_role("list", name="検索条件").inner_text()
    assert "雇用形態：正社員" in chips and "年間休日数：120日以上" in chips


def test_an_error_in_the_drawer_opens_it_at_the_field(page):
    """Defect 8: the API's refusal of 年間休日数 (400) shows beside the field inside the drawer, opened."""
    goto(page, "/search")
    page.get_by_role("button", name="詳しい条件").click()
    drawer = page.get_by_role("dialog", name="詳しい条件")
    drawer.get_by_label("年間休日数（以上）", exact=True).fill("400")
    drawer.get_by_role("button", name="この条件で検索する").click()
    page.wait_for_function("() => location.hash.includes('annual_holidays_min=400')")
    settle(page)
    error = drawer.locator('[data-error-for="annual_holidays_min"]')
    error.wait_for(state="visible")
    assert "年間休日数は0以上366以下" in error.inner_text()
    assert page.evaluate("document.activeElement.name") == "annual_holidays_min"


def test_a_wide_screen_shows_the_form_beside_the_results_and_the_drawer_at_the_side(browser, system):
    """Defect 7 on a desktop (1280 px): the form beside the results (it was one narrow column, ~3 results
    a screen), two cards a row; the drawer opens at the right."""
    wide, errors = new_page(browser, system.url, DESKTOP)
    try:
        goto(wide, "/search?q=%E4%BA%8B%E5%8B%99&page=1")
        form, results = wide.locator(".search-form").bounding_box(), wide.locator(".results-section").bounding_box()
        assert form["x"] + form["width"] <= results["x"] and results["y"] < form["y"] + form["height"]  # side by side
        cards = [card.bounding_box() for card in wide.locator(".job-card").all()[:2]]
        assert cards[0]["y"] == cards[1]["y"]  # two a row
        wide.get_by_role("button", name="詳しい条件").click()
        box = wide.get_by_role("dialog", name="詳しい条件").bounding_box()
        assert box["width"] <= 460 and box["x"] + box["width"] >= DESKTOP["width"] - 1
        assert errors == []
    finally:
        wide.context.close()
