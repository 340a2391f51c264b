"""``kpi outlook``: the year-end outlook (预计全年) of the latest 1–N月, or its backtest."""

from __future__ import annotations

import dataclasses
import json

import click

from dashboard.cli.base import engine, main
from dashboard.formatting import percent
from dashboard.plan import DEFAULT_PLAN_CODE


@main.command()
@click.option("--backtest", is_flag=True, help="回测：每个往年只用更早年份的规律预测，与当年实际比较")
@click.option("--year", type=int, default=None, help="年份（默认：有数据的最新年份）")
@click.option("--month", type=click.IntRange(1, 11), default=None, help="月份 N（默认：该年有数据的最新月份）")
@click.option("--region", default=None, help="地区代码或名称（默认：全市）")
@click.option("--indicator", default=None, help="指标代码或名称（默认：全部）")
@click.option("--plan", "plan_code", default=DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def outlook(ctx: click.Context, backtest: bool, year: int | None, month: int | None, region: str | None,
            indicator: str | None, plan_code: str, as_json: bool) -> None:
    """预计全年：按往年同期占全年比重推算全年及区间；--backtest 给出各指标、各月的回测误差与区间命中率。"""
    if backtest:
        _echo_backtest(ctx, region, indicator, plan_code, as_json)
        return
    from dashboard.monthly import period_label
    from dashboard.outlook import outlook_sentence, remaining_sentence
    from dashboard.services import monthly as monthly_service

    if year is None or month is None:
        period = monthly_service.latest_period(engine(ctx), plan_code)
        year = year or (period[0] if period else None)
        month = month or (monthly_service.latest_month(engine(ctx), year, plan_code) if year else None)
    if year is None or month is None or month == 12:
        raise click.ClickException("没有可推算的 1–N月数据（N 为 1–11）；请用 --year 与 --month 指定")
    rows = monthly_service.month_progress(engine(ctx), year, month, region=region or None, indicator=indicator,
                                          plan_code=plan_code)
    rows = [r for r in rows if region is not None or r.region.parent_code is None]  # default: the city only
    if as_json:
        click.echo(json.dumps(monthly_service.rows_to_dicts(rows), ensure_ascii=False, indent=2))
        return
    click.echo(f"{year}年{period_label(month)}：预计全年")
    for row in rows:
        ind, o = row.indicator, row.outlook
        words = [w for w in (outlook_sentence(o, ind.unit, ind.decimals),
                             remaining_sentence(o, month, ind.direction)) if w]
        click.echo(f"{ind.name}｜{row.region.name}｜{'；'.join(words) or '暂无数据，无法推算'}")


def _echo_backtest(ctx: click.Context, region: str | None, indicator: str | None, plan_code: str,
                   as_json: bool) -> None:
    from dashboard.services import outlook as outlook_service

    results = outlook_service.backtest(engine(ctx), region, indicator, plan_code)
    if as_json:
        click.echo(json.dumps([{"indicator": r.code, "name": r.name, "kind": r.kind, "region": r.region,
                                "months": [dataclasses.asdict(s) for s in r.summary],
                                "points": [dataclasses.asdict(p) for p in r.points]} for r in results],
                              ensure_ascii=False, indent=2))
        return
    click.echo("预计全年回测（每个往年只用更早年份的规律；误差 = |预测 − 实际| ÷ 实际 的平均）")
    for r in results:
        for s in r.summary:
            click.echo(f"{r.name}｜{r.region}｜{s.month}月｜检验{s.years}年｜平均误差{percent(s.mape)}"
                       f"（按时间均匀推算{percent(s.mape_uniform)}）｜实际落在区间内{percent(s.inside)}")
    untested = [r.name for r in results if not r.summary]
    if untested:  # one line, not one per indicator: most measure-level indicators have no month figures
        click.echo(f"往年逐月数据不足、无法回测的指标 {len(untested)} 个：{'、'.join(untested)}")
