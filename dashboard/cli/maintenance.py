"""Maintenance commands: check (the history invariants) and restore (from a backup)."""

from __future__ import annotations

import click

from pathlib import Path

from dashboard.cli.base import database_url_of, engine, main


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


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore(ctx: click.Context, file: Path) -> None:
    """从备份恢复：.zip 备份恢复到空数据库（SQLite 或 PostgreSQL）；SQLite 文件副本替换内置数据库（须先停止应用）。"""
    from dashboard.services import backup as backup_service
    from dashboard.services.integrity import check_history
    from dashboard.storage.db import make_engine, shown_address

    # Not engine(ctx): opening the usual way would load the plan into the database being restored.
    target = make_engine(database_url_of(ctx))
    if file.suffix.lower() == ".zip":
        report = backup_service.restore_archive(target, file)
        click.echo(f"已从“{file}”恢复 {report.total} 行到 {shown_address(database_url_of(ctx))}")
    else:
        path = backup_service.restore_sqlite(target, file)
        target = make_engine(database_url_of(ctx))
        click.echo(f"已用“{file}”替换数据库“{path}”（原文件已改名保留，后缀 .before-restore-…）")
    problems = check_history(target)
    for problem in problems:
        click.echo(f"✗ {problem}")
    if problems:
        ctx.exit(1)
    click.echo("完整性检查通过")
