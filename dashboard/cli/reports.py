"""Reporting commands: progress, brief, demo."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dashboard.cli.base import engine, main, percent
from dashboard.plan import DEFAULT_PLAN_CODE


@main.command()
@click.option("--year", type=int, required=True, help="评估年份")
@click.option("--region", default=None, help="地区代码或名称（默认：全市及各区县）")
@click.option("--indicator", default=None, help="指标代码或名称（默认：全部）")
@click.option("--plan", "plan_code", default=DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（键见 README）")
@click.option("--include-pending", is_flag=True, help="含待审核的数值（标注“待审核”）；默认只用已发布的数值")
@click.pass_context
def progress(ctx: click.Context, year: int, region: str | None, indicator: str | None, plan_code: str,
             as_json: bool, include_pending: bool) -> None:
    """各指标、各地区的完成率、目标进度与时序进度（默认只用已发布的数值）。"""
    from dashboard.progress import STATUS_LABELS
    from dashboard.services import exporter
    from dashboard.services import progress as progress_service
    from dashboard.services.review import PENDING_MARK

    rows = progress_service.progress(engine(ctx), year, region=region, indicator=indicator, plan_code=plan_code,
                                     include_pending=include_pending)
    if as_json:
        click.echo(json.dumps([progress_service.row_to_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    scope = "，含待审核数值" if include_pending else ""
    click.echo(f"{year}年目标进度（完成率 / 目标进度 / 时序进度 / 状态{scope}）")
    for row in rows:
        a = row.assessment
        actual = "暂无数据" if a.actual is None else f"{exporter.format_number(a.actual)}{row.indicator.unit}"
        source = {"derived": "（区县合计）", "partial": "（部分区县合计）"}.get(row.actual_source or "", "")
        source += PENDING_MARK if row.actual_pending else ""
        parts = []
        for m in a.milestones:
            icon, word = STATUS_LABELS[m.status]
            parts.append(f"{m.year}年目标{exporter.format_number(m.target)}：完成率{percent(m.attainment)}，"
                         f"目标进度{percent(m.progress)}，时序进度{percent(m.time_elapsed)}，{icon}{word}")
        targets = "；".join(parts) if parts else "未设定目标"
        click.echo(f"{row.indicator.name}｜{row.region.name}｜{actual}{source}｜{targets}")


@main.command()
@click.option("--year", type=int, required=True, help="汇报年份")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出的 .pptx 文件")
@click.option("--plan", "plan_code", default=DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.pass_context
def brief(ctx: click.Context, year: int, out: Path, plan_code: str) -> None:
    """生成汇报PPT（16:9，图表可在 PowerPoint 中编辑）。"""
    from dashboard.services import deck as deck_service

    slides = deck_service.write_deck(engine(ctx), year, out, plan_code)
    click.echo(f"已生成“{out}”：{slides} 页")


@main.command()
@click.option("--database", "demo_database", default=None,
              help="演示数据库地址（默认 instance/demo.sqlite3；不使用 KPI_DATABASE_URL，以免混入真实数据）")
@click.option("--seed", type=int, default=2023, show_default=True, help="随机种子（相同种子生成相同数据）")
def demo(demo_database: str | None, seed: int) -> None:
    """生成单独的演示数据库：合成的区县 2022—2025 年数据和估算的区县目标，均标注“演示数据”。"""
    from dashboard.services import demo as demo_service

    url, report = demo_service.create_demo_database(demo_database, seed)
    if report.submission_id is None:
        click.echo(f"演示数据已是最新，未写入：{url}")
    else:
        click.echo(f"已写入演示数据（非真实统计）：数值 {report.observations} 个，估算区县目标 {report.targets} 个 → {url}")
    click.echo(f"用演示数据启动：KPI_DATABASE_URL={url} bash scripts/start.sh")
