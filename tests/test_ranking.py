"""The ranking rules of 全省位次 (dashboard.ranking) and their wording: pure functions, no store."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ranking import (
    HOME_CODE,
    PEER_CITIES,
    PROVINCE_CODE,
    IndicatorRank,
    PeerFigure,
    competition_ranks,
    complete_rank,
    effective_growth,
    gap_to_province,
    indicator_rank,
    previous_period,
    rank_change,
    rank_to_dict,
)
from dashboard.wording import province_gap_phrase, rank_phrase

CODES = [code for code, _ in PEER_CITIES]
OTHERS = [code for code in CODES if code != HOME_CODE]


def cities(home_growth: float, others: list[float], value: float = 100.0) -> dict[str, PeerFigure]:
    """Eleven cities with published growth: the home city's and the ten others' in official order."""
    figures = {code: PeerFigure(value, g) for code, g in zip(OTHERS, others)}
    figures[HOME_CODE] = PeerFigure(value, home_growth)
    return figures


def test_competition_ranking_shares_places_and_skips_the_next() -> None:
    assert competition_ranks({"a": 9.0, "b": 7.0, "c": 7.0, "d": 5.0}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert competition_ranks({"a": 1.0, "b": 1.0, "c": 1.0}) == {"a": 1, "b": 1, "c": 1}


def test_lower_is_better_ranks_the_smallest_first() -> None:
    assert competition_ranks({"a": 9.0, "b": 7.0, "c": 7.0, "d": 5.0}, lower_is_better=True) == \
        {"a": 4, "b": 2, "c": 2, "d": 1}
    figures = cities(2.0, [float(n) for n in range(3, 13)])  # the home city's growth is the lowest
    assert indicator_rank("X", 2026, 9, figures).growth_rank == 11
    assert indicator_rank("X", 2026, 9, figures, lower_is_better=True).growth_rank == 1


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=15))
def test_a_rank_is_one_plus_the_number_strictly_better(scores: list[int]) -> None:
    ranked = competition_ranks({str(n): float(s) for n, s in enumerate(scores)})
    for n, s in enumerate(scores):
        assert ranked[str(n)] == 1 + sum(1 for other in scores if other > s)


def test_a_tie_with_the_home_city_shares_its_place() -> None:
    others = [12.0, 9.4, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]  # one city above, one tied at 9.4
    rank = indicator_rank("X", 2026, 9, cities(9.4, others))
    assert rank.growth_rank == 2
    assert competition_ranks({c: effective_growth(f) for c, f in cities(9.4, others).items()})[OTHERS[2]] == 4


def test_missing_cities_give_no_rank_but_say_how_many_reported() -> None:
    figures = cities(9.4, [float(n) for n in range(10)])
    for dropped in random.Random(17).sample(OTHERS, 2):
        del figures[dropped]
    rank = indicator_rank("X", 2026, 9, figures)
    assert (rank.value_rank, rank.growth_rank, rank.rank_change, rank.cities_reported) == (None, None, None, 9)
    assert rank.value == 100.0 and rank.growth == 9.4  # the figure itself is still reported
    assert rank_phrase(rank) == "位次数据不全（9/11）"


def test_the_home_city_missing_gives_no_rank() -> None:
    figures = cities(9.4, [float(n) for n in range(10)])
    figures[HOME_CODE] = PeerFigure(None)
    assert complete_rank({c: effective_growth(f) for c, f in figures.items()}) is None
    assert indicator_rank("X", 2026, 9, figures).cities_reported == 10


def test_a_city_without_any_growth_leaves_only_the_value_rank() -> None:
    figures = cities(9.4, [float(n) for n in range(10)], value=50.0)
    figures[OTHERS[0]] = PeerFigure(80.0)  # no published rate and no figure a year earlier
    figures[HOME_CODE] = PeerFigure(60.0, 9.4)
    rank = indicator_rank("X", 2026, 9, figures)
    assert (rank.value_rank, rank.growth_rank, rank.cities_reported) == (2, None, 11)
    assert rank_phrase(rank) == "总量全省第2位"


def test_published_growth_wins_over_the_computed_one() -> None:
    assert effective_growth(PeerFigure(110.0, growth=12.5, last_year=100.0)) == 12.5
    assert effective_growth(PeerFigure(110.0, last_year=100.0)) == 10.0
    assert effective_growth(PeerFigure(100.0, last_year=94.0)) == 6.4  # 6.383…: kept at one decimal, half up
    assert effective_growth(PeerFigure(110.0, last_year=0.0)) is None  # no rate from a zero base
    assert effective_growth(PeerFigure(None, growth=3.0)) is None
    assert effective_growth(None) is None


def test_computed_growth_ranks_like_published() -> None:
    figures = {code: PeerFigure(100.0 + n, last_year=100.0) for n, code in enumerate(CODES)}  # 0%, 1%, … 10%
    rank = indicator_rank("X", 2026, None, figures)
    assert rank.growth == 5.0 and rank.growth_rank == 6 and rank.value_rank == 6


@pytest.mark.parametrize(("before", "now", "change", "words"), [
    (3, 2, 1, "增速全省第2位（进1位）"),
    (2, 4, -2, "增速全省第4位（退2位）"),
    (5, 5, 0, "增速全省第5位（位次不变）"),
])
def test_rank_change_both_ways_and_none(before: int, now: int, change: int, words: str) -> None:
    def placed(place: int) -> dict[str, PeerFigure]:
        others = [20.0 - n for n in range(10)]  # 20, 19, … 11
        return cities(others[place - 1] + 0.5, others)  # just above the city placed ``place`` so far

    rank = indicator_rank("X", 2026, 9, placed(now), previous=placed(before))
    assert (rank.growth_rank, rank.rank_change) == (now, change)
    assert rank_phrase(rank) == words


def test_no_previous_rank_gives_no_change() -> None:
    now = cities(9.4, [float(n) for n in range(10)])
    incomplete = {c: f for c, f in now.items() if c != OTHERS[0]}
    assert indicator_rank("X", 2026, 9, now, previous=incomplete).rank_change is None
    assert indicator_rank("X", 2026, 9, now, previous=None).rank_change is None
    assert rank_phrase(indicator_rank("X", 2026, 9, now)) == "增速全省第1位"
    assert rank_change(None, 3) is None and rank_change(3, None) is None and rank_change(2, 5) == 3


def test_previous_period_of_the_same_kind() -> None:
    assert previous_period(2026, 9) == (2026, 8)
    assert previous_period(2026, None) == (2025, None)
    assert previous_period(2026, 1) is None  # 1月 has no earlier 1–N月 of the year


def test_no_province_figure_gives_no_province_growth_nor_gap() -> None:
    figures = cities(9.4, [float(n) for n in range(10)])
    rank = indicator_rank("X", 2026, 9, figures)
    assert (rank.province_growth, rank.gap_to_province_pp) == (None, None)
    assert province_gap_phrase(rank) is None
    # Never an average of the cities standing in for the province.
    figures[PROVINCE_CODE] = PeerFigure(9000.0, 8.2)
    rank = indicator_rank("X", 2026, 9, figures)
    assert (rank.province_growth, rank.gap_to_province_pp) == (8.2, 1.2)
    assert province_gap_phrase(rank) == "高于全省1.2个百分点"


@pytest.mark.parametrize(("growth", "province", "gap", "words"), [
    (7.7, 8.2, -0.5, "低于全省0.5个百分点"), (8.2, 8.2, 0.0, "与全省持平"), (9.45, 8.2, 1.25, "高于全省1.3个百分点")])
def test_gap_to_province(growth: float, province: float, gap: float, words: str) -> None:
    assert gap_to_province(growth, province) == gap
    rank = IndicatorRank("X", 2026, 9, 1.0, 1, growth, 1, None, province, gap, 11)
    assert province_gap_phrase(rank) == words
    assert gap_to_province(None, province) is None and gap_to_province(growth, None) is None


def test_no_peer_figure_at_all_says_nothing() -> None:
    rank = indicator_rank("X", 2026, 9, {})
    assert rank == IndicatorRank("X", 2026, 9, None, None, None, None, None, None, None, 0)
    assert rank_phrase(rank) is None


def test_the_json_record_has_exactly_the_documented_keys() -> None:
    rank = indicator_rank("SX01", 2026, 9, cities(9.4, [float(n) for n in range(10)]))
    assert list(rank_to_dict(rank)) == ["indicator", "year", "month", "value", "value_rank", "growth", "growth_rank",
                                        "rank_change", "province_growth", "gap_to_province_pp", "cities_reported"]
