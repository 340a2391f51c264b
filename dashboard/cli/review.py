"""Review commands: ``kpi review list/approve/return`` (填报→审核→发布)."""

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
