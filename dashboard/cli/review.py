"""Review commands (填报→审核→发布): ``kpi review list/approve/return``, ``kpi status``, ``kpi period``."""

from __future__ import annotations

import json

import click

from dashboard.cli.base import engine, main


@main.group()
def review() -> None:
    """审核区县提交的数据：列出待审核、审核通过（发布）、退回。"""


def _reviewer(ctx: click.Context, username: str):  # type: ignore[no-untyped-def]
    from dashboard.services import accounts

    return accounts.acting_as(engine(ctx), username)


@review.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """列出待审核的提交（编号、报送人、时间、内容）。"""
    from dashboard.auth import SYSTEM
    from dashboard.services import review as review_service

    items = review_service.review_queue(engine(ctx), SYSTEM)
    if as_json:
        click.echo(json.dumps([item.to_dict() for item in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("没有待审核的提交")
    for item in items:
        click.echo(f"#{item.id}\t{item.state_text}\t{item.to_dict()['created_at']}\t{item.actor}\t"
                   f"{item.file_name or ''}\t新增 {item.n_new} 修改 {item.n_changed}\t"
                   f"{'、'.join(item.regions)}\t{'、'.join(item.indicators)}")


@review.command()
@click.argument("submission_id", type=int)
@click.option("--as", "as_user", required=True, help="审核人账号（市统计员或管理员）")
@click.pass_context
def approve(ctx: click.Context, submission_id: int, as_user: str) -> None:
    """审核通过并发布一次提交。"""
    from dashboard.services import review as review_service

    item = review_service.approve(engine(ctx), _reviewer(ctx, as_user), submission_id)
    click.echo(f"提交 #{item.id}：{item.state_text}（审核人 {item.reviewed_by}）")


@review.command(name="return")
@click.argument("submission_id", type=int)
@click.option("--as", "as_user", required=True, help="审核人账号（市统计员或管理员）")
@click.option("--reason", required=True, help="退回原因（区县据此修改后重新报送）")
@click.pass_context
def return_(ctx: click.Context, submission_id: int, as_user: str, reason: str) -> None:
    """退回一次提交并说明原因；退回的数值不会发布。"""
    from dashboard.services import review as review_service

    item = review_service.return_submission(engine(ctx), _reviewer(ctx, as_user), submission_id, reason)
    click.echo(f"提交 #{item.id}：{item.state_text}，原因：{item.reason}")


@main.command()
@click.option("--year", type=int, required=True, help="报送年份")
@click.option("--month", type=click.IntRange(1, 12), default=12, show_default=True,
              help="1–11：1–N月累计；12：全年")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
@click.pass_context
def status(ctx: click.Context, year: int, month: int, as_json: bool) -> None:
    """报送情况：各指标 × 各地区 已发布 / 待审核 / 已退回 / 未报 / 逾期。"""
    from dashboard.services import reporting

    grid = reporting.status_grid(engine(ctx), year, month)
    if as_json:
        click.echo(json.dumps(grid.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"报送情况：{grid.label}（截至 {grid.today.isoformat()}）")
    click.echo("\t".join(reporting.status_header(grid)))
    for row in reporting.status_rows(grid):
        click.echo("\t".join(row))
    chase = grid.to_chase()
    click.echo(f"需催报 {len(chase)} 项" if chase else "无需催报")


@main.group()
def period() -> None:
    """报送期：设置各指标（或全部指标）的报送期和截止日期。"""


@period.command(name="set")
@click.option("--year", type=int, required=True, help="报送年份")
@click.option("--month", type=click.IntRange(1, 12), default=12, show_default=True,
              help="1–11：1–N月累计；12：全年")
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="截止日期 YYYY-MM-DD（默认：年度数据次年3月15日，1–N月累计次月15日）")
@click.option("--indicator", default=None, help="指标代码或名称（默认：全部指标）")
@click.pass_context
def period_set(ctx: click.Context, year: int, month: int, deadline, indicator: str | None) -> None:  # type: ignore[no-untyped-def]
    """设置（或修改）一个报送期的截止日期。"""
    from dashboard.auth import SYSTEM
    from dashboard.reporting import default_deadline
    from dashboard.services import reporting

    day = default_deadline(year, month) if deadline is None else deadline.date()
    row = reporting.define_period(engine(ctx), SYSTEM, year, month, day, indicator)
    click.echo(f"已设置报送期：{row.indicator}｜{row.label}｜截止 {row.deadline.isoformat()}")


@period.command(name="list")
@click.pass_context
def period_list(ctx: click.Context) -> None:
    """列出已设置的报送期。"""
    from dashboard.services import reporting

    rows = reporting.list_periods(engine(ctx))
    if not rows:
        click.echo("尚未设置报送期")
    for row in rows:
        click.echo(f"{row.label}\t{row.indicator}\t截止 {row.deadline.isoformat()}\t{row.created_by}")
