"""``kpi rank``: the home city's 全省位次 among Zhejiang's 11 设区市, per core indicator."""

from __future__ import annotations

import json

import click

from dashboard.cli.base import engine, main
from dashboard.plan import DEFAULT_PLAN_CODE


@main.command()
@click.option("--year", type=int, required=True, help="年份")
@click.option("--month", type=click.IntRange(1, 12), default=None, help="月份 N：按 1–N月比较（默认：全年）")
@click.option("--indicator", default=None, help="核心指标代码或名称（默认：全部核心指标）")
@click.option("--plan", "plan_code", default=DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（键见 README）")
@click.option("--include-pending", is_flag=True, help="含待审核的数值；默认只用已发布的数值")
@click.pass_context
def rank(ctx: click.Context, year: int, month: int | None, indicator: str | None, plan_code: str, as_json: bool,
         include_pending: bool) -> None:
    """全省位次：本市各核心指标在全省11个设区市中的总量和增速位次、进退位、与全省增速之差。"""
    from dashboard.formatting import figure
    from dashboard.monthly import growth_phrase, period_label
    from dashboard.ranking import rank_to_dict
    from dashboard.services import ranking as ranking_service
    from dashboard.wording import province_gap_phrase, rank_phrase

    ranks = ranking_service.indicator_ranks(engine(ctx), year, month, indicator, plan_code, include_pending)
    if as_json:
        click.echo(json.dumps([rank_to_dict(r) for r in ranks], ensure_ascii=False, indent=2))
        return
    period = f"{year}年" if month in (None, 12) else f"{year}年{period_label(month)}"
    click.echo(f"{period}全省位次（11个设区市）")
    names = {i.code: i for i in ranking_service.core_indicators(engine(ctx), plan_code)}
    for r in ranks:
        ind = names[r.indicator]
        value = "—" if r.value is None else f"{figure(r.value, ind.decimals)}{ind.unit}"
        growth = "—" if r.growth is None else growth_phrase(r.growth / 100)
        words = [w for w in (rank_phrase(r), province_gap_phrase(r)) if w] or ["暂无全省对比数据"]
        click.echo(f"{ind.name}｜{value}｜同比{growth}｜{'，'.join(words)}")
