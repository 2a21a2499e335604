"""J3 saved search conditions and J4 favourites: the two limits of the flyer."""

from __future__ import annotations

from services.jobs.domain.refused import Refused

MAX_FAVOURITES = 300  # SPEC J4 (flyer: 300件まで)
MAX_SAVED_SEARCHES = 3  # SPEC J3 (flyer: 検索条件は３件まで保存できます)
SAVED_SEARCH_NAME_MAX = 50


def check_room_for_favourite(count: int) -> None:
    """J4: at most 300 favourites; the 301st is refused with a clear message."""
    if count >= MAX_FAVOURITES:
        raise Refused("limit_reached", ja=f"お気に入りは{MAX_FAVOURITES}件までです。",
                      en=f"You can keep at most {MAX_FAVOURITES} favourites.",
                      data={"limit": MAX_FAVOURITES})


def check_room_for_saved_search(count: int) -> None:
    """J3: at most 3 saved search conditions; the 4th is refused with a clear message."""
    if count >= MAX_SAVED_SEARCHES:
        raise Refused("limit_reached", ja=f"検索条件は{MAX_SAVED_SEARCHES}件まで保存できます。",
                      en=f"You can save at most {MAX_SAVED_SEARCHES} search conditions.",
                      data={"limit": MAX_SAVED_SEARCHES})
