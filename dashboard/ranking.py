"""全省位次: where the home city stands among Zhejiang's 11 设区市, per indicator and period.

Plain Python (no SQL, no Streamlit). :class:`IndicatorRank` is the record ``kpi rank --json`` prints
(one object per indicator, exactly these keys) and what the 通报 and the pages read.
"""

from __future__ import annotations

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
