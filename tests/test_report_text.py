"""The 通报's fixed phrases, one test per status and data state (issue 17).

Rows are built by hand with the month formulas (dashboard.monthly.assess_month), ranks as
:class:`IndicatorRank` records, so each phrase is checked on figures whose rounding is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from dashboard import report_text as t
from dashboard.briefing import BehindItem
from dashboard.month_briefing import month_behind_items
from dashboard.monthly import MonthAssessment, MonthInput, assess_month
from dashboard.outlook import NO_OUTLOOK, Outlook
from dashboard.ranking import IndicatorRank
from dashboard.report import build_report

NAMES = {"330602": "越城区", "330603": "柯桥区", "330604": "上虞区", "330624": "新昌县", "330681": "诸暨市",
         "330683": "嵊州市"}
PLACEHOLDERS = ("None", "nan", "（）", "()", "—%", "null")


@dataclass(frozen=True)
class Ind:
    code: str = "SX01"
    name: str = "网络零售额"
    unit: str = "亿元"
    decimals: int = 0
    direction: str = "higher"
    aggregation: str = "additive"
    lead_unit: str | None = "市商务局"
    kind: str = "flow"


@dataclass(frozen=True)
class Reg:
    code: str = "330600"
    name: str = "绍兴市"


@dataclass(frozen=True)
class Row:
    indicator: Ind
    region: Reg
    assessment: MonthAssessment
    ytd_source: str | None = "reported"
    ytd_status: str | None = "final"
    missing_districts: tuple[str, ...] = ()
    outlook: Outlook = NO_OUTLOOK
    yoy_growth_source: str | None = "computed"
    extra: dict = field(default_factory=dict)


def row(ytd: float | None, target: float | None = 1300, month: int = 9, prior: float | None = 925,
        ind: Ind = Ind(), reg: Reg = Reg(), **kw: object) -> Row:
    complete = kw.pop("complete", True)
    a = assess_month(MonthInput(kind=ind.kind, direction=ind.direction, year=2026, month=month, ytd=ytd,
                                ytd_prior=prior, prior_year_annual=1200, annual_target=target,
                                annual_target_origin=kw.pop("origin", "published") if target else None,
                                complete=complete))  # type: ignore[arg-type]
    return Row(ind, reg, a, **kw)  # type: ignore[arg-type]


def rank(**kw: object) -> IndicatorRank:
    base = dict(indicator="SX01", year=2026, month=9, value=1012.0, value_rank=4, growth=9.4, growth_rank=2,
                rank_change=None, province_growth=8.2, gap_to_province_pp=1.2, cities_reported=11)
    base.update(kw)
    return IndicatorRank(**base)  # type: ignore[arg-type]


def para(r: Row, rk: IndicatorRank | None = None) -> str:
    text = t.indicator_paragraph(r, rk, NAMES, 6)
    assert not any(p in text for p in PLACEHOLDERS), text
    return text


def test_ahead_reads_like_the_issue_example() -> None:
    # 1012 / 925 − 1 = 9.4%; 1012 / 1300 = 77.8% (77.85 → half up at one decimal: 77.8); 77.8 − 75 = 2.8.
    assert para(row(1012), rank()) == ("1–9月，全市网络零售额完成1,012亿元，同比增长9.4%，高于全省1.2个百分点，增速全省第2位；"
                                       "完成全年目标的77.8%，快于序时进度（75%）2.8个百分点。")


def test_behind_names_both_figures_and_the_gap_adds_up() -> None:
    text = para(row(900))  # 900 / 1300 = 69.2%
    assert "完成全年目标的69.2%，慢于序时进度（75%）5.8个百分点" in text


def test_gap_is_the_difference_of_the_figures_shown() -> None:
    # Month 5: 序时进度 41.7%; 548 / 1300 = 42.15% → 42.2%; the raw gap 0.487 would round to 0.5 as well, but
    # 547.9 / 1300 = 42.146% → 42.1% beside 41.7%: the sentence must say 0.4, not the raw 0.48 → 0.5.
    text = para(row(547.9, month=5))
    assert "完成全年目标的42.1%，快于序时进度（41.7%）0.4个百分点" in text


def test_level_with_pace() -> None:
    assert "完成全年目标的75%，与序时进度（75%）持平" in para(row(975))
    # 975.4 / 1300 = 75.03%: printed 75% beside 75%, yet ahead: never "持平" for a gap that is not 0.
    assert "完成全年目标的75%，快于序时进度（75%）不足0.1个百分点" in para(row(975.4))


def test_lower_is_better_flow_is_ahead_when_spending_slower_than_time() -> None:
    cap = Ind(code="L", name="能耗", unit="万吨", direction="lower")
    assert "完成全年目标的69.2%，快于序时进度（75%）5.8个百分点" in para(row(900, ind=cap))


def test_achieved_early_and_at_year_end_and_missed() -> None:
    assert "完成全年目标的107.7%，已提前完成全年目标" in para(row(1400))
    assert "已完成全年目标" in para(row(1400, month=12)) and "提前" not in para(row(1400, month=12))
    missed = para(row(1290, month=12))
    assert missed.startswith("全年，全市网络零售额完成1,290亿元") and "完成全年目标的99.2%，未完成全年目标" in missed


def test_no_data_says_so_without_any_clause() -> None:
    assert para(row(None)) == "1–9月，全市网络零售额暂无本期数据。"


def test_incomplete_names_missing_districts_and_is_not_judged() -> None:
    r = row(800, ytd_source="partial", missing_districts=("330624",), complete=False)
    text = para(r)
    assert text == "1–9月，全市网络零售额数据不全（5/6个区县已报，尚缺新昌县），已报区县合计800亿元，暂不评价。"


def test_preliminary_and_district_sum_are_marked() -> None:
    assert "完成1,012亿元（初步数），同比" in para(row(1012, ytd_status="preliminary"))
    assert "（区县合计，含初步数）" in para(row(1012, ytd_source="derived", ytd_status="preliminary"))
    assert "（区县合计）" in para(row(1012, ytd_source="derived"))


def test_no_province_figure_keeps_the_rank_only() -> None:
    text = para(row(1012), rank(province_growth=None, gap_to_province_pp=None))
    assert "同比增长9.4%，增速全省第2位；" in text and "全省1.2" not in text


def test_ranks_incomplete_say_how_many_cities_reported() -> None:
    text = para(row(1012), rank(cities_reported=9, growth_rank=None, value_rank=None))
    assert "高于全省1.2个百分点，位次数据不全（9/11）；" in text and "全省第" not in text


def test_rank_change_and_below_province() -> None:
    assert "低于全省0.5个百分点，增速全省第3位（进1位）" in para(row(1012), rank(gap_to_province_pp=-0.5, growth_rank=3,
                                                                                 rank_change=1))
    assert "总量全省第4位" in para(row(1012), rank(growth=None, growth_rank=None, gap_to_province_pp=None))
    assert t.rank_clause(rank(cities_reported=0, growth_rank=None, value_rank=None, province_growth=None,
                              gap_to_province_pp=None)) is None
    assert "（退2位）" in para(row(1012), rank(rank_change=-2))
    assert t.rank_clause(None) is None


def test_no_growth_and_no_target_leave_their_clauses_out() -> None:
    text = para(row(1012, target=None, prior=None))
    assert text == "1–9月，全市网络零售额完成1,012亿元。"


def test_estimated_and_trajectory_targets_say_so() -> None:
    assert "完成全年目标（估算）的" in para(row(1012, origin="estimated"))
    assert "完成全年目标（按计划轨迹推算）的" in para(row(1012, origin="trajectory"))


def test_stock_is_a_month_end_position() -> None:
    stock = Ind(code="SX02", name="网络经营主体", unit="万家", decimals=1, kind="stock")
    a = assess_month(MonthInput("stock", "higher", 2026, 9, 15.0, 13.3, 13.6, 16.0, "published"))
    text = para(Row(stock, Reg(), a))
    assert text.startswith("9月末，全市网络经营主体达15.0万家，同比增长12.8%；完成全年目标的58.3%，慢于序时进度（75%）16.7个百分点")


def test_outlook_sentence_follows_when_there_is_one() -> None:
    outlook = Outlook(1380.0, 1350.0, 1410.0, (2024, 2025), "seasonal_share", "possible", 0.062, 0.7, False, ())
    r = row(1012, outlook=outlook)
    assert para(r).endswith("。预计全年1,380亿元（1,350–1,410），有望完成；后3个月需同比增长6.2%。")


def test_overview_counts_and_names_each_group() -> None:
    rows = [row(1012), row(975, ind=Ind(code="B", name="乙")), row(700, ind=Ind(code="C", name="丙")),
            row(None, ind=Ind(code="D", name="丁")), row(1400, ind=Ind(code="E", name="戊"))]
    text = t.overview_paragraph(rows, 9)
    assert text == ("1–9月，纳入监测的5项核心指标中，1项已完成全年目标（戊）；1项快于序时进度（网络零售额）；"
                    "1项与序时进度持平（乙）；1项慢于序时进度（丙）；1项暂无本期数据（丁）。"
                    "慢于序时进度的指标中，明显滞后1项（丙）。")
    assert t.overview_paragraph([row(None)], 9) == "1–9月，纳入监测的1项核心指标暂无本期数据。"


def test_sub_numbers() -> None:
    assert [t.sub_number(k) for k in (0, 9, 10)] == ["（一）", "（十）", "（11）"]


def test_districts_worst_first_and_problems_by_lead_unit() -> None:
    districts = [row(700, reg=Reg("330602", "越城区")), row(950, reg=Reg("330603", "柯桥区")),
                 row(1000, reg=Reg("330604", "上虞区")), row(None, reg=Reg("330624", "新昌县"))]
    city = row(900)
    behind = month_behind_items([city, *districts])
    paragraphs = t.district_paragraphs(districts, behind, 9)
    assert paragraphs == [("（一）越城区。", "网络零售额慢于序时进度21.2个百分点（明显滞后）。"),
                          ("（二）柯桥区。", "网络零售额慢于序时进度1.9个百分点（略低于序时）。"),
                          ("", "上虞区已报指标未见滞后；新昌县暂无1–9月数据。")]
    problems = t.problem_paragraphs(behind, "绍兴市")
    assert problems == [("市商务局牵头", "网络零售额越城区明显滞后，全市慢于序时进度5.8个百分点（略低于序时），柯桥区略低于序时。")] or \
        problems == [("市商务局牵头", "网络零售额全市慢于序时进度5.8个百分点（略低于序时），越城区明显滞后，柯桥区略低于序时。")]
    assert t.problem_paragraphs([], "绍兴市") == []
    no_unit = BehindItem("甲", "越城区", "behind", "", "50%", "-20", -20.0, "—")
    assert t.problem_paragraphs([no_unit], "绍兴市")[0][0] == "未明确牵头单位的指标"


def test_notes_only_those_that_apply() -> None:
    plain = t.notes([row(1012)], 9, None, demo=False)
    assert not any("初步数" in n or "估算" in n or "位次" in n or "演示" in n for n in plain)
    full = t.notes([row(1012, ytd_status="preliminary", origin="estimated"),
                    row(800, ytd_source="partial", complete=False)], 9, {"SX01": rank()}, demo=True)
    for word in ("初步数", "估算", "已报区县合计", "可比口径", "位次", "演示数据"):
        assert any(word in n for n in full), word


@pytest.mark.parametrize("month", [1, 9, 12])
def test_whole_document_has_no_placeholder(month: int) -> None:
    rows = [row(1012, month=month), row(None, month=month, ind=Ind(code="B", name="乙")),
            row(600, month=month, reg=Reg("330602", "越城区")), row(None, month=month, reg=Reg("330603", "柯桥区"))]
    report = build_report("330600", "绍兴市", 2026, month, rows, {"SX01": rank()})
    texts = [report.title, report.as_of, *report.notes,
             *(p.lead + p.text for s in report.sections for p in s.paragraphs)]
    for text in texts:
        assert not any(p in text for p in PLACEHOLDERS), text
        assert not re.search(r"[，；、]{2}|[，；]。", text), text
    assert report.title == f"绍兴市平台经济“1215”目标监测通报\n（2026年{'' if month == 12 else '1月' if month == 1 else '1–9月'}）"
