"""Month-level commands: ``kpi progress --month N`` output and ``kpi annual-target``."""

from __future__ import annotations

import json

import click

from dashboard.cli.base import actor, engine, main


def echo_month_progress(ctx: click.Context, year: int, month: int, region: str | None, indicator: str | None,
                        plan_code: str, as_json: bool) -> None:
    """Print 1–N月 progress as JSON (keys in the README) or one 通报 phrase per indicator × region."""
    from dashboard.monthly import month_sentence, period_label, status_label
    from dashboard.outlook import outlook_line
    from dashboard.services import monthly as monthly_service

    rows = monthly_service.month_progress(engine(ctx), year, month, region=region, indicator=indicator,
                                          plan_code=plan_code)
    if as_json:
        click.echo(json.dumps(monthly_service.rows_to_dicts(rows), ensure_ascii=False, indent=2))
        return
    click.echo(f"{year}年{period_label(month)}主要指标完成情况（序时进度 {month}/12）")
    for row in rows:
        icon, word = status_label(row.assessment.status)
        ind = row.indicator
        sentence = month_sentence(ind.name, ind.unit, ind.decimals, row.assessment)
        outlook = outlook_line(row.outlook, month, ind.unit, ind.decimals, ind.direction)
        click.echo(f"{row.region.name}｜{icon}{word}｜{sentence}" + (f"｜{outlook}" if outlook else ""))


@main.command(name="annual-target")
@click.option("--indicator", required=True, help="指标代码或名称")
@click.option("--region", default="330600", show_default=True, help="地区代码或名称")
@click.option("--year", type=int, required=True, help="年份")
@click.option("--value", type=float, required=True, help="该年年度目标值（按指标单位）")
@click.option("--note", default=None, help="说明，如文件依据")
@click.pass_context
def annual_target(ctx: click.Context, indicator: str, region: str, year: int, value: float, note: str | None) -> None:
    """设定某年的年度目标（非方案里程碑年份；月度进度按它评价，来源记为 annual）。"""
    from dashboard.services import monthly as monthly_service
    from dashboard.services.importer import as_actor

    # Whoever runs the command line holds the database: recorded by name, with the admin's rights.
    submission = monthly_service.set_annual_target(engine(ctx), as_actor(actor()), indicator, region, year, value,
                                                   note)
    if submission is None:
        click.echo("年度目标未变化，未写入")
    else:
        click.echo(f"已设定 {year} 年年度目标（提交 #{submission}）")
