"""全省位次: where the home city stands among Zhejiang's 11 设区市, per indicator and period.

Plain Python (no SQL, no Streamlit). :class:`IndicatorRank` is the record ``kpi rank --json`` prints
(one object per indicator, exactly these keys) and what the 通报 and the pages read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

# Peer regions of the provincial comparison: the province and its 11 设区市, in official order.
PROVINCE_CODE = "330000"
PROVINCE_NAME = "浙江省"
PEER_CITIES: tuple[tuple[str, str], ...] = (
    ("330100", "杭州市"), ("330200", "宁波市"), ("330300", "温州市"), ("330400", "嘉兴市"),
    ("330500", "湖州市"), ("330600", "绍兴市"), ("330700", "金华市"), ("330800", "衢州市"),
    ("330900", "舟山市"), ("331000", "台州市"), ("331100", "丽水市"),
)


@dataclass(frozen=True)
class IndicatorRank:
    """The home city's standing on one indicator in one period.

    ``growth`` / ``province_growth`` are in percent as published (9.4 means 9.4%); ranks use competition
    ranking (1, 2, 2, 4); ``rank_change`` is positive for 进位 (rose), negative for 退位, None without a
    rank in the previous period of the same kind. Ranks are None when fewer than all 11 cities reported.
    """

    indicator: str  # indicator code
    year: int
    month: int | None  # None: the annual comparison
    value: float | None
    value_rank: int | None
    growth: float | None
    growth_rank: int | None
    rank_change: int | None
    province_growth: float | None
    gap_to_province_pp: float | None
    cities_reported: int


def rank_to_dict(rank: IndicatorRank) -> dict:
    """The JSON object of ``kpi rank --json``."""
    return asdict(rank)


PEER_COUNT = len(PEER_CITIES)
_PEER_CODES = frozenset(code for code, _ in PEER_CITIES)
HOME_CODE = "330600"  # 绍兴市: the city whose standing is reported (the plan's home region)
# Computed 同比 is kept at the precision statistics offices publish rates at, so that the rate shown
# is the rate ranked (two cities shown at 9.4% share a place; 9.43 vs 9.41 would not).
GROWTH_DECIMALS = 1


@dataclass(frozen=True)
class PeerFigure:
    """One region's figure for one indicator and period, with what its 同比 is computed from.

    ``growth`` is the published 同比增速 in percent (可比口径), None when not given; ``last_year`` is the
    same period of the previous year (from which a growth is computed when none was published).
    """

    value: float | None
    growth: float | None = None
    last_year: float | None = None


def effective_growth(figure: PeerFigure | None) -> float | None:
    """The 同比增速 (%) to rank and show: the published rate where given, else this ÷ last year − 1.

    Undefined (None) without this year's figure, or with no published rate and no positive base.
    """
    from dashboard.formatting import round_value  # the one rounding rule (half up)

    if figure is None or figure.value is None:
        return None
    if figure.growth is not None:
        return figure.growth
    if figure.last_year is None or figure.last_year <= 0:
        return None
    return round_value(100 * (figure.value / figure.last_year - 1), GROWTH_DECIMALS)


def competition_ranks(scores: Mapping[str, float], lower_is_better: bool = False) -> dict[str, int]:
    """Standard competition ranking ("1224"): equal scores share a place and the next place is skipped.

    Best first: the highest score, or the lowest when ``lower_is_better``.
    """
    sign = 1 if lower_is_better else -1
    ordered = sorted(sign * s for s in scores.values())
    first_place = {}
    for place, key in enumerate(ordered, start=1):
        first_place.setdefault(key, place)
    return {code: first_place[sign * s] for code, s in scores.items()}


def complete_rank(scores: Mapping[str, float | None], home: str = HOME_CODE,
                  lower_is_better: bool = False) -> int | None:
    """``home``'s place among the 11 cities — only when every one of them has a score (None otherwise).

    A rank among the cities that happened to report is no 全省位次: a missing city may rank anywhere.
    """
    known = {code: s for code, s in scores.items() if s is not None and code in _PEER_CODES}
    if len(known) < PEER_COUNT or home not in known:
        return None
    return competition_ranks(known, lower_is_better)[home]


def rank_change(current: int | None, previous: int | None) -> int | None:
    """进位 (positive) or 退位 (negative) from ``previous`` to ``current``; None unless both are known."""
    if current is None or previous is None:
        return None
    return previous - current


def gap_to_province(growth: float | None, province_growth: float | None) -> float | None:
    """How many percentage points ``growth`` is above (positive) or below the province's; None without either.

    Only an uploaded 浙江省 figure counts: an average of the cities is not the province's rate.
    """
    from dashboard.formatting import round_value

    if growth is None or province_growth is None:
        return None
    return round_value(growth - province_growth, 2)  # two 1-decimal rates: exact, without float noise


def cities_reported(figures: Mapping[str, PeerFigure]) -> int:
    """How many of the 11 cities have a figure."""
    return sum(1 for code in _PEER_CODES if (f := figures.get(code)) is not None and f.value is not None)


def previous_period(year: int, month: int | None) -> tuple[int, int | None] | None:
    """The previous period of the same kind: 1–(N−1)月 for 1–N月, the previous year for a year; None for 1月."""
    if month is None:
        return year - 1, None
    return None if month <= 1 else (year, month - 1)


def growth_rank(figures: Mapping[str, PeerFigure], home: str = HOME_CODE,
                lower_is_better: bool = False) -> int | None:
    """``home``'s 增速 place among the 11 cities, or None unless all 11 have a growth."""
    return complete_rank({c: effective_growth(f) for c, f in figures.items()}, home, lower_is_better)


def indicator_rank(indicator: str, year: int, month: int | None, figures: Mapping[str, PeerFigure],
                   previous: Mapping[str, PeerFigure] | None = None, home: str = HOME_CODE,
                   lower_is_better: bool = False) -> IndicatorRank:
    """The home city's standing on one indicator in one period.

    ``figures`` maps region codes (the 11 cities, and 浙江省 when uploaded) to their figures of the
    period; ``previous`` holds those of the previous period of the same kind (for ``rank_change``,
    which follows the growth rank: the rank a 通报 quotes as 增速全省第N位).
    """
    own = figures.get(home)
    growth = effective_growth(own)
    province = figures.get(PROVINCE_CODE)
    province_growth = effective_growth(province)
    this_rank = growth_rank(figures, home, lower_is_better)
    before = None if previous is None else growth_rank(previous, home, lower_is_better)
    return IndicatorRank(
        indicator=indicator, year=year, month=month, value=None if own is None else own.value,
        value_rank=complete_rank({c: f.value for c, f in figures.items()}, home, lower_is_better),
        growth=growth, growth_rank=this_rank, rank_change=rank_change(this_rank, before),
        province_growth=province_growth, gap_to_province_pp=gap_to_province(growth, province_growth),
        cities_reported=cities_reported(figures),
    )

