"""Reporting commands: progress, brief, demo."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dashboard.cli.base import engine, main, typed_database
from dashboard.formatting import percent
from dashboard.plan import DEFAULT_PLAN_CODE


@main.command()
@click.option("--year", type=int, required=True, help="评估年份")
@click.option("--month", type=click.IntRange(1, 12), default=None, help="月份 N：按 1–N月累计评价（同比、序时进度 N/12）")
@click.option("--region", default=None, help="地区代码或名称（默认：全市及各区县）")
@click.option("--indicator", default=None, help="指标代码或名称（默认：全部）")
@click.option("--plan", "plan_code", default=DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（键见 README）")
@click.option("--include-pending", is_flag=True, help="含待审核的数值（标注“待审核”）；默认只用已发布的数值")
@click.pass_context
def progress(ctx: click.Context, year: int, month: int | None, region: str | None, indicator: str | None,
             plan_code: str, as_json: bool, include_pending: bool) -> None:
    """各指标、各地区的完成率、目标进度与序时进度；加 --month N 为 1–N月累计的同比与序时进度（默认只用已发布的数值）。"""
    if month is not None:
        from dashboard.cli.monthly import echo_month_progress

        echo_month_progress(ctx, year, month, region, indicator, plan_code, as_json)
        return
    from dashboard.aggregation import partial_label, source_label
    from dashboard.formatting import figure
    from dashboard.wording import attainment_text, progress_text, status_text
    from dashboard.services import progress as progress_service
    from dashboard.services.review import PENDING_MARK

    rows = progress_service.progress(engine(ctx), year, region=region, indicator=indicator, plan_code=plan_code,
                                     include_pending=include_pending)
    if as_json:
        click.echo(json.dumps([progress_service.row_to_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    names = {r.region.code: r.region.name for r in rows}
    scope = "，含待审核数值" if include_pending else ""
    click.echo(f"{year}年目标进度（完成率 / 目标进度 / 序时进度 / 状态{scope}）")
    for row in rows:
        a, decimals, unit = row.assessment, row.indicator.decimals, row.indicator.unit
        # Every figure by the product's one half-up rule, at the indicator's decimals.
        if row.actual_source == "partial" and row.city is not None:
            actual = (f"暂无全市数；{partial_label(row.city, names)}"
                      f"{figure(row.city.district_sum, decimals)}{unit}，数据不全，不作评价")
        elif a.actual is None:
            actual = "暂无数据"
        else:
            actual = f"{figure(a.actual, decimals)}{unit}（{source_label(row.actual_source, row.actual_status)}）"
        actual += PENDING_MARK if row.actual_pending else ""
        parts = []
        for m in a.milestones:
            judged = f"（按{m.actual_year}年实际值）" if m.actual_year != year else ""
            parts.append(f"{m.year}年目标{figure(m.target, decimals)}{judged}：完成率{attainment_text(m)}，"
                         f"目标进度{progress_text(m)}，序时进度{percent(m.time_elapsed)}，{status_text(m)}")
        targets = "；".join(parts) if parts else "未设定目标"
        click.echo(f"{row.indicator.name}｜{row.region.name}｜{actual}｜{targets}")


@main.command()
@click.option("--year", type=int, required=True, help="汇报年份")
@click.option("--month", type=click.IntRange(1, 12), default=12, show_default=True,
              help="月份 N：生成 1–N月 的月度/季度通报版（12 为年度汇报）")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出的 .pptx 文件")
@click.option("--plan", "plan_code", default=DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.pass_context
def brief(ctx: click.Context, year: int, month: int, out: Path, plan_code: str) -> None:
    """生成汇报PPT（16:9，图表可在 PowerPoint 中编辑）；--month N 为“1–N月”通报版。"""
    from dashboard.services import deck as deck_service

    slides = deck_service.write_deck(engine(ctx), year, out, plan_code, month)
    click.echo(f"已生成“{out}”：{slides} 页")


@main.command()
@click.option("--database", "demo_database", default=None,
              help="演示数据库地址（默认 instance/demo.sqlite3；不使用 KPI_DATABASE_URL，以免混入真实数据）")
@click.option("--seed", type=int, default=2023, show_default=True, help="随机种子（相同种子生成相同数据）")
@click.pass_context
def demo(ctx: click.Context, demo_database: str | None, seed: int) -> None:
    """生成单独的演示数据库：合成的区县 2022—2025 年数据（2023—2025 年含逐月数据）和估算的区县目标，均标注“演示数据”。"""
    from dashboard.services import demo as demo_service

    # `kpi --database URL demo` means that database too (it was silently ignored); KPI_DATABASE_URL never does.
    url, report = demo_service.create_demo_database(demo_database or typed_database(ctx), seed)
    if report.submission_id is None:
        click.echo(f"演示数据已是最新，未写入：{url}")
    else:
        click.echo(f"已写入演示数据（非真实统计）：数值 {report.observations} 个，估算区县目标 {report.targets} 个 → {url}")
    click.echo(f"用演示数据启动：KPI_DATABASE_URL={url} bash scripts/start.sh")


@main.command()
@click.option("--year", type=int, required=True, help="通报年份")
@click.option("--month", type=click.IntRange(1, 12), default=None,
              help="月份 N：1–N月 通报（12 为全年）；默认为该年有数据的最近月份")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出的 .docx 文件")
@click.option("--plan", "plan_code", default=DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.pass_context
def report(ctx: click.Context, year: int, month: int | None, out: Path, plan_code: str) -> None:
    """生成目标监测通报（Word，公文格式 GB/T 9704）：数字与 kpi progress --month N、kpi rank 一致。"""
    from dashboard.monthly import period_label
    from dashboard.services import report as report_service

    month = report_service.write_report(engine(ctx), year, out, month, plan_code)
    click.echo(f"已生成“{out}”：{year}年{period_label(month)}通报")
