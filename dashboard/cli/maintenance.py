"""Maintenance commands: check (the history invariants)."""

from __future__ import annotations

import click

from dashboard.cli.base import engine, main


@main.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """检查历史记录的一致性（当前值唯一、撤销与审计记录完整、数据库自检）；发现问题时退出状态为 1。"""
    from dashboard.services.integrity import check_history

    problems = check_history(engine(ctx))
    if not problems:
        click.echo("检查通过：历史记录一致，数据库自检正常")
        return
    for problem in problems:
        click.echo(f"✗ {problem}")
    click.echo(f"发现 {len(problems)} 个问题")
    ctx.exit(1)
