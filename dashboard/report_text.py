"""The 通报's fixed phrases: one function per kind of paragraph, pure (no SQL, no python-docx).

The input is what ``kpi progress --month N --json`` and ``kpi rank --json`` print — the month rows of
:mod:`dashboard.services.monthly` (anything with the same attributes, see :class:`ReportRow`) and
:class:`dashboard.ranking.IndicatorRank` records — so every number in the document is a number of those
two commands, written by the one rounding rule of :mod:`dashboard.formatting`.

A clause whose figure is missing is left out; no sentence prints a placeholder ("—", "None", "（）").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from dashboard.aggregation import DERIVED, PARTIAL, PRELIMINARY
from dashboard.briefing import BEHIND_STATUSES, BehindItem, IndicatorLike, by_lead_unit
from dashboard.formatting import figure, percent, round_half_up
from dashboard.month_briefing import MonthRowLike
from dashboard.monthly import (FLOW, INCOMPLETE, TRAJECTORY, MonthAssessment, at_pace, growth_phrase, period_label,
                               shown_gap, shown_rate)
from dashboard.outlook import outlook_line
from dashboard.progress import STATUS_LABELS
from dashboard.ranking import PEER_COUNT, IndicatorRank
from dashboard.wording import province_gap_phrase, rank_phrase

PRODUCT = "平台经济“1215”目标监测通报"
NO_LEAD_UNIT = "—"  # what month_behind_items puts for an indicator without a lead unit


class ReportIndicator(IndicatorLike, Protocol):
    kind: str  # "flow" | "stock" | "cumulative"


class ReportRow(MonthRowLike, Protocol):
    """What the 通报 reads of :class:`dashboard.services.monthly.MonthRow`: the month deck's fields and more."""

    indicator: ReportIndicator
    yoy_growth_source: str | None


# ------------------------------------------------------------------------------------ small words

CHINESE_NUMERALS = "一二三四五六七八九十"


def sub_number(k: int) -> str:
    """"（一）" … "（十）", then "（11）": the second-level numbering of 公文 (``k`` from 0)."""
    return f"（{CHINESE_NUMERALS[k]}）" if k < len(CHINESE_NUMERALS) else f"（{k + 1}）"


def period_words(year: int, month: int) -> str:
    """"2026年1–9月", or "2026年" for the whole year."""
    return f"{year}年" if month == 12 else f"{year}年{period_label(month)}"


def title(city_name: str, year: int, month: int) -> str:
    """"绍兴市平台经济“1215”目标监测通报", then on a second line "（2026年1–9月）"."""
    return f"{city_name}{PRODUCT}\n（{period_words(year, month)}）"


def as_of_line(year: int, month: int, updated: date | None) -> str:
    """"（数据截至2026年9月，2026年10月15日更新）" under the title; ``updated`` None: nothing was reported yet."""
    period = f"{year}年{month}月" if month < 12 else f"{year}年末"
    if updated is None:
        return "（尚无统计人员上报的数据，仅含计划公布数）"
    return f"（数据截至{period}，{updated.year}年{updated.month}月{updated.day}日更新）"


def _when(kind: str, month: int) -> str:
    """When a figure stands: a flow is "1–9月" (累计), a stock "9月末"; the whole year "全年" / "年末"."""
    if kind == FLOW:
        return period_label(month)
    return "年末" if month == 12 else f"{month}月末"


def _pp(value: float | Decimal) -> str:
    return round_half_up(float(abs(value)), 1)


def pace_clause(a: MonthAssessment) -> str | None:
    """"完成全年目标的77.9%，快于序时进度（75%）2.9个百分点"; None without a target or a ratio.

    A target reached is said so instead of a gap; a target that is no published or allocated figure
    says where it came from. A gap whose two figures print alike is "不足0.1个百分点", never "持平".
    """
    rate = shown_rate(a)
    if rate is None:
        return None
    origin = {"estimated": "（估算）", TRAJECTORY: "（按计划轨迹推算）"}.get(a.annual_target_origin or "", "")
    head = f"完成全年目标{origin}的{rate}"
    if a.status == "achieved":
        return head + ("，已完成全年目标" if a.month == 12 else "，已提前完成全年目标")
    if a.status == "missed":
        return head + "，未完成全年目标"
    gap = shown_gap(a)
    if gap is None:
        return head
    elapsed = percent(a.time_elapsed)
    if at_pace(a):
        return head + f"，与序时进度（{elapsed}）持平"
    amount = f"{_pp(gap)}个百分点" if gap else "不足0.1个百分点"
    return head + f"，{'快于' if a.gap_pp > 0 else '慢于'}序时进度（{elapsed}）{amount}"


def rank_clause(rank: IndicatorRank | None) -> str | None:
    """"高于全省1.2个百分点，增速全省第2位（进1位）", "位次数据不全（9/11）"; None without a rank record or peer figure.

    The words are the pages' and the deck's (:func:`dashboard.wording.province_gap_phrase`,
    :func:`dashboard.wording.rank_phrase`): the comparison with the province only where the province's rate
    is uploaded, a rank only when all 11 设区市 reported.
    """
    if rank is None:
        return None
    return "，".join(p for p in (province_gap_phrase(rank), rank_phrase(rank)) if p) or None


def figure_mark(row: ReportRow) -> str:
    """"（初步数）", "（区县合计）"…: what kind of figure it is, unless it is the region's own final figure."""
    preliminary = row.ytd_status == PRELIMINARY
    if row.ytd_source == DERIVED:
        return "（区县合计，含初步数）" if preliminary else "（区县合计）"
    return "（初步数）" if preliminary else ""


# --------------------------------------------------------------------------------- paragraphs

def indicator_paragraph(row: ReportRow, rank: IndicatorRank | None, district_names: Mapping[str, str],
                        n_districts: int) -> str:
    """二、分指标情况: one indicator of the city in the fixed phrases, e.g.

    "1–9月，全市网络零售额完成1,012亿元，同比增长9.4%，高于全省1.2个百分点，增速全省第2位；完成全年目标的
    77.9%，快于序时进度（75%）2.9个百分点。预计全年1,380亿元（1,350–1,410），有望完成；后3个月需同比增长6.2%。"
    """
    ind, a = row.indicator, row.assessment
    when = _when(ind.kind, a.month)
    if a.ytd is None:
        return f"{when}，全市{ind.name}暂无本期数据。"
    value = f"{figure(a.ytd, ind.decimals)}{ind.unit}"
    if a.status == INCOMPLETE or row.ytd_source == PARTIAL:
        missing = "、".join(district_names.get(c, c) for c in row.missing_districts)
        reported = n_districts - len(row.missing_districts)
        gaps = f"，尚缺{missing}" if missing else ""
        return (f"{when}，全市{ind.name}数据不全（{reported}/{n_districts}个区县已报{gaps}），"
                f"已报区县合计{value}，暂不评价。")
    verb = "完成" if ind.kind == FLOW else "达"
    first = [f"{when}，全市{ind.name}{verb}{value}{figure_mark(row)}"]
    if (growth := growth_phrase(a.yoy_growth)) is not None:
        first.append(f"同比{growth}")
    if (ranked := rank_clause(rank)) is not None:
        first.append(ranked)
    clauses = ["，".join(first)]
    if (pace := pace_clause(a)) is not None:
        clauses.append(pace)
    text = "；".join(clauses) + "。"
    if a.month < 12 and (outlook := outlook_line(row.outlook, a.month, ind.unit, ind.decimals,
                                                 ind.direction)) is not None:
        text += outlook + "。"
    return text


def _names(rows: Iterable[ReportRow]) -> str:
    return "、".join(r.indicator.name for r in rows)


def _group(rows: Sequence[ReportRow], words: str) -> str | None:
    return f"{len(rows)}项{words}（{_names(rows)}）" if rows else None


def overview_paragraph(city_rows: Sequence[ReportRow], month: int) -> str:
    """一、总体情况: how many core indicators are ahead of, level with or behind 序时进度, each named."""
    period = period_label(month)
    if not city_rows:
        return f"{period}，本计划没有核心指标。"
    if all(r.assessment.ytd is None for r in city_rows):
        return f"{period}，纳入监测的{len(city_rows)}项核心指标暂无本期数据。"
    groups: dict[str, list[ReportRow]] = {k: [] for k in
                                          ("achieved", "ahead", "level", "behind", "missed", INCOMPLETE, "unjudged",
                                           "no_data")}
    for row in city_rows:
        a = row.assessment
        if a.ytd is None:
            groups["no_data"].append(row)
        elif a.status in ("achieved", "missed", INCOMPLETE):
            groups[a.status].append(row)
        elif a.gap_pp is None:
            groups["unjudged"].append(row)
        else:
            groups["level" if at_pace(a) else "ahead" if a.gap_pp > 0 else "behind"].append(row)
    words = {"achieved": "已完成全年目标", "ahead": "快于序时进度", "level": "与序时进度持平",
             "behind": "慢于序时进度", "missed": "未完成全年目标", INCOMPLETE: "数据不全、暂不评价",
             "unjudged": "暂不对照序时进度（未设年度目标或缺少上年末数）", "no_data": "暂无本期数据"}
    parts = [text for key, rows in groups.items() if (text := _group(rows, words[key])) is not None]
    text = f"{period}，纳入监测的{len(city_rows)}项核心指标中，" + "；".join(parts) + "。"
    behind = groups["behind"]
    if behind:
        bands = [f"{STATUS_LABELS[s][1]}{len(rows)}项（{_names(rows)}）"
                 for s in ("severe", "behind", "at_risk")
                 if (rows := [r for r in behind if r.assessment.status == s])]
        if bands:
            text += "慢于序时进度的指标中，" + "，".join(bands) + "。"
    return text


def _item_words(item: BehindItem) -> str:
    """One lagging item: "慢于序时进度10.9个百分点（明显滞后）" or "未完成全年目标"."""
    if item.status == "missed" or item.gap_pp is None:
        return _status_word(item.status)
    return f"慢于序时进度{_pp(item.gap_pp)}个百分点（{_status_word(item.status)}）"


def district_paragraphs(district_rows: Sequence[ReportRow], behind: Sequence[BehindItem],
                        month: int) -> list[tuple[str, str]]:
    """三、分地区情况 as (lead, text) pairs: the districts with items behind 序时进度, worst first, each led by
    "（一）越城区。", then the others in one line without a lead.

    ``behind`` is :func:`dashboard.month_briefing.month_behind_items` of the rows (largest gap first).
    """
    if not district_rows:
        return [("", "本计划没有按区县统计的指标。")]
    districts: dict[str, list[BehindItem]] = {}
    for item in behind:
        if item.region in {r.region.name for r in district_rows}:
            districts.setdefault(item.region, []).append(item)  # first seen = worst gap first
    paragraphs = [(f"{sub_number(k)}{region}。", "；".join(f"{i.indicator}{_item_words(i)}" for i in items) + "。")
                  for k, (region, items) in enumerate(districts.items())]
    order = list(dict.fromkeys(r.region.name for r in district_rows))
    reported = {r.region.name for r in district_rows if r.assessment.ytd is not None}
    fine = [d for d in order if d not in districts and d in reported]
    silent = [d for d in order if d not in reported]
    tail = []
    if fine:  # every district not named above and not silent: "其余区县", else name them
        tail.append(f"{'、'.join(fine) if silent else '其余区县' if districts else '各区县'}已报指标未见滞后")
    if silent:
        tail.append(f"{'、'.join(silent)}暂无{period_label(month)}数据")
    if tail:
        paragraphs.append(("", "；".join(tail) + "。"))
    return paragraphs


def _status_word(status: str) -> str:
    return "未完成全年目标" if status == "missed" else STATUS_LABELS[status][1]


def problem_paragraphs(behind: Sequence[BehindItem], city_name: str) -> list[tuple[str, str]]:
    """四、存在问题: lagging items grouped by 牵头单位 (worst group first), as (lead words, text) pairs, e.g.
    ("市商务局牵头", "网络零售额全市明显滞后（慢于序时进度10.9个百分点），越城区、上虞区明显滞后，柯桥区略低于序时。").

    The city's gap is stated; the districts are named by status word (their gaps are in 三、分地区情况).
    ``behind`` is :func:`dashboard.month_briefing.month_behind_items` of every row, city and districts.
    """
    out = []
    for unit, items in by_lead_unit(behind):
        by_indicator: dict[str, list[BehindItem]] = {}
        for item in items:
            by_indicator.setdefault(item.indicator, []).append(item)
        sentences = []
        for name, group in by_indicator.items():
            parts = [f"全市{_item_words(i)}" for i in group if i.region == city_name]
            districts = [i for i in group if i.region != city_name]
            parts += [f"{'、'.join(i.region for i in districts if i.status == s)}{_status_word(s)}"
                      for s in BEHIND_STATUSES if any(i.status == s for i in districts)]
            sentences.append(name + "，".join(parts))
        lead = "未明确牵头单位的指标" if unit == NO_LEAD_UNIT else f"{unit}牵头"
        out.append((lead, "；".join(sentences) + "。"))
    return out


PROBLEMS_CLOSING = "请上述牵头单位会同各区、县（市）分析滞后原因，明确推进措施，加快工作进度。"


def no_problems_sentence(rows: Sequence[ReportRow]) -> str:
    """四、存在问题 when nothing lags: say whether that is because all is on pace or nothing is judged."""
    judged = any(r.assessment.status not in ("no_data", INCOMPLETE) for r in rows)
    return "各项指标均快于或符合序时进度，暂无滞后事项。" if judged else "本期暂无可评估的数据，暂无滞后事项。"


def notes(rows: Sequence[ReportRow], month: int, ranks: Mapping[str, IndicatorRank] | None, demo: bool) -> list[str]:
    """说明: only the notes that apply to the figures in this document."""
    out = [f"序时进度按时间进度计算，即{month}/12（{percent(month / 12)}）；完成全年目标比例，流量指标为累计数除以年度目标，"
           "存量指标为年内增量除以年度计划增量。"]
    if any(r.ytd_status == PRELIMINARY for r in rows):
        out.append("标注“初步数”的为快报数据（据初步数），核实后可能调整。")
    if any(r.assessment.annual_target_origin == "estimated" for r in rows):
        out.append("标注“估算”的目标按基期占比估算，不是正式分解目标。")
    if any(r.assessment.annual_target_origin == TRAJECTORY for r in rows):
        out.append("未单独下达年度目标的，年度目标按计划目标的轨迹推算。")
    if any(r.ytd_source == PARTIAL for r in rows):
        out.append("部分区县未报送的指标，已报区县合计不是全市数，仅供参考，不作评价。")
    if any(r.ytd_source == DERIVED for r in rows):
        out.append("标注“区县合计”的全市数由各区县数据加总，未经全市口径核定。")
    out.append("同比增速按可比口径计算：统计部门公布增速的，采用公布的增速；未公布的，按本期数与上年同期数计算。")
    if any(r.assessment.month < 12 and r.outlook.forecast is not None for r in rows):
        out.append("“预计全年”按往年同期占全年的比重推算，括号内为按各年规律推算的区间，仅供参考。")
    if ranks and any(r.cities_reported for r in ranks.values()):
        out.append(f"全省位次为全省{PEER_COUNT}个设区市同比增速（无增速时为总量）的位次，并列同位次；"
                   f"{PEER_COUNT}个设区市未报齐时不排位，注明“位次数据不全”。")
    if demo:
        out.append("本通报使用演示数据（合成样例），不是统计数据，不得对外使用。")
    return out
