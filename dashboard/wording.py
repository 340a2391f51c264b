"""How an assessment is put into words and figures for people: one place for every surface.

Pages, the deck, presentation mode and the CLI all use these functions, so a 完成率, a gap or a
verdict reads the same everywhere. Pure functions over :mod:`dashboard.progress` results; every
number goes through the one rounding rule of :mod:`dashboard.formatting`.
"""

from __future__ import annotations

from decimal import Decimal

from dashboard.formatting import PERCENT_DECIMALS, percent, percent_short_of_target, round_half_up, rounded
from dashboard.progress import (
    EPS,
    ATTAINMENT,
    STATUS_LABELS,
    TRAJECTORY,
    Assessment,
    MilestoneAssessment,
    pace_pp,
)
from dashboard.ranking import PEER_COUNT, IndicatorRank

# Why a milestone is not judged on 目标进度 vs 序时进度 (see progress.MilestoneAssessment.basis).
BASIS_NOTES = {
    ATTAINMENT: "目标不高于基期，目标进度无意义，仅按完成率判断",
    TRAJECTORY: "基期未知，按计划轨迹预期值判断",
}


def attainment_text(m: MilestoneAssessment) -> str:
    """完成率 as shown everywhere: one decimal half up, but never 100% beside a target not reached."""
    if m.attainment is None:
        return "—"
    return percent(m.attainment) if m.status == "achieved" else percent_short_of_target(m.attainment)


PRELIMINARY_VERDICT = "（据初步数）"
# Where "（据初步数）" does not fit (a grid or heat-map cell): the mark after the word, explained in a caption.
PRELIMINARY_MARK = "*"
PRELIMINARY_MARK_NOTE = f"状态后带 {PRELIMINARY_MARK} 的，据初步数判断。"


def status_text(m: MilestoneAssessment, icon: str | None = None) -> str:
    """Icon and word of a milestone's status, e.g. "✅ 已完成（据初步数）".

    A final verdict (已完成 / 未完成) decided on a preliminary figure says so on every surface.
    ``icon`` replaces the emoji (the deck uses plain shapes).
    """
    emoji, word = STATUS_LABELS[m.status]
    return f"{icon or emoji} {word}" + verdict_note(m)


def verdict_note(m: MilestoneAssessment) -> str:
    """"（据初步数）" when a final verdict (已完成 / 未完成) rests on a preliminary figure, else ""."""
    return PRELIMINARY_VERDICT if m.status in ("achieved", "missed") and m.preliminary else ""


def progress_text(m: MilestoneAssessment) -> str:
    """目标进度 as shown in tables, saying why it is absent when the milestone is not judged on it."""
    if m.basis == ATTAINMENT:
        return "不适用（目标不高于基期，按完成率判断）"
    if m.basis == TRAJECTORY:
        return "—（基期未知）"
    return percent(m.progress)


def gap_points(m: MilestoneAssessment) -> Decimal | None:
    """进度差 as shown: 目标进度 minus 序时进度, each as shown (one decimal, half up).

    Every surface states the gap as the difference of the two figures it prints beside it, so
    "目标进度64.2%，慢于序时进度（66.7%）2.5个百分点" always adds up. Rounding is monotone, so
    the sign never flips; it may only reach 0 (see :func:`conclusion_sentence`).
    """
    if m.progress is None:
        return None
    return rounded(100 * m.progress, PERCENT_DECIMALS) - rounded(100 * m.time_elapsed, PERCENT_DECIMALS)


def _pace_words(m: MilestoneAssessment) -> str:
    if m.basis == ATTAINMENT:
        return BASIS_NOTES[ATTAINMENT]
    if m.basis == TRAJECTORY:
        pace = pace_pp(m)
        if pace is None:
            return "缺少基期值和计划轨迹，无法判断序时进度"
        return f"达到计划轨迹预期值的{percent(m.vs_expected)}（{BASIS_NOTES[TRAJECTORY]}）"
    compared = f"目标进度{percent(m.progress)}，"
    diff = gap_points(m)
    if m.gap_pp is None or diff is None:
        return "无法计算目标进度"
    if abs(m.gap_pp) <= EPS:
        return compared + f"与序时进度（{percent(m.time_elapsed)}）持平"
    word = "快于" if m.gap_pp > 0 else "慢于"
    amount = f"{round_half_up(float(abs(diff)), 1)}个百分点" if diff else "不足0.1个百分点"  # never "持平"
    return compared + f"{word}序时进度（{percent(m.time_elapsed)}）{amount}"


def conclusion_sentence(indicator_name: str, assessment: Assessment, milestone_year: int) -> str:
    """One Chinese sentence for briefings, pairing only figures that belong together, e.g.
    "网络零售额完成2025年目标的91.7%，目标进度64.2%，慢于序时进度（66.7%）2.5个百分点".

    A gap is always stated with the two figures it compares (目标进度 and 序时进度), never beside
    完成率 alone; a verdict decided on a preliminary figure says 据初步数.
    """
    m = assessment.milestone(milestone_year)
    if m.status == "incomplete":
        return f"{indicator_name}{m.actual_year}年数据不全（仅部分区县报送，无全市数），暂不评估"
    if m.actual is None:
        return f"{indicator_name}{m.actual_year}年暂无数据"
    rate = None if m.attainment is None else attainment_text(m)
    if m.status in ("achieved", "missed"):
        verb = "已完成" if m.status == "achieved" else "未完成"
        sentence = f"{indicator_name}{verb}{milestone_year}年目标"
        if m.preliminary:
            return sentence + PRELIMINARY_VERDICT + (f"，完成率{rate}" if rate else "")
        return sentence + (f"（完成率{rate}）" if rate else "")
    parts = [f"完成{milestone_year}年目标的{rate}"] if rate else []
    parts.append(_pace_words(m))
    return indicator_name + "，".join(parts)


# --- 全省位次 (issue 17) ----------------------------------------------------------------------


def rank_change_words(change: int | None) -> str:
    """"（进1位）" / "（退2位）" / "（位次不变）"; "" without a rank in the previous period."""
    if change is None:
        return ""
    if change == 0:
        return "（位次不变）"
    return f"（{'进' if change > 0 else '退'}{abs(change)}位）"


def place_words(place: int, change: int | None = None) -> str:
    """"第2位（进1位）": a place among the 11 cities, with its change when known."""
    return f"第{place}位{rank_change_words(change)}"


def ranks_incomplete(rank: IndicatorRank) -> str | None:
    """"位次数据不全（9/11）" while some (not all, not none) of the 11 cities have reported; None otherwise."""
    if 0 < rank.cities_reported < PEER_COUNT:
        return f"位次数据不全（{rank.cities_reported}/{PEER_COUNT}）"
    return None


def rank_phrase(rank: IndicatorRank) -> str | None:
    """The rank as a 通报 quotes it: "增速全省第2位（进1位）"; "总量全省第3位" when only the level ranks;
    "位次数据不全（9/11）" when some cities have not reported; None with no peer figure at all.

    The growth rank comes first (leaders judge a figure by its 增速 rank); a rank change follows it.
    """
    if rank.growth_rank is not None:
        return "增速全省" + place_words(rank.growth_rank, rank.rank_change)
    if rank.value_rank is not None:
        return "总量全省" + place_words(rank.value_rank)
    return ranks_incomplete(rank)


def province_gap_phrase(rank: IndicatorRank, versus: str = "全省") -> str | None:
    """"高于全省1.2个百分点" / "低于全省0.5个百分点" / "与全省持平" (``versus`` "" under a 与全省比较 heading:
    "高于1.2个百分点" / "持平"); None without an uploaded 浙江省 rate."""
    gap = rank.gap_to_province_pp
    if gap is None:
        return None
    points = round_half_up(abs(gap), 1)
    if points == "0":
        return f"与{versus}持平" if versus else "持平"
    return f"{'高于' if gap > 0 else '低于'}{versus}{points}个百分点"
