"""Data commands: init, import, template, history, rollback, export, backup (restore is in maintenance)."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.base import actor, database_url_of, engine, main


@main.command()
@click.option("--plan", "plan_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="另外载入的计划定义文件（YAML），可重复")
@click.pass_context
def init(ctx: click.Context, plan_files: tuple[Path, ...]) -> None:
    """创建或升级数据库并载入计划；重复运行不会改变任何内容。"""
    from dashboard.plan import DEFAULT_PLAN_FILE, load_plan_file
    from dashboard.services.plans import load_plan, open_database
    from dashboard.storage.db import database_url

    db = open_database(database_url_of(ctx), load_default_plan=False)
    for path in (DEFAULT_PLAN_FILE, *plan_files):
        report = load_plan(db, load_plan_file(path))
        state = "已更新" if report.changed else "无变化"
        click.echo(f"计划 {report.plan_code}：{state}（元数据变更 {report.metadata_changes} 项，写入数值 {report.values_written} 个）")
    click.echo(f"数据库：{database_url(database_url_of(ctx))}")


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只校验并预览变化，不写入")
@click.option("--actor", "actor_name", default=None, help="记录在提交历史中的操作人")
@click.option("--accept-warnings", is_flag=True, help="确认提醒（如疑似单位填错、同比变化过大）后仍然导入")
@click.option("--as", "as_user", default=None, help="以该账号的角色和区县导入（区县统计员的提交待审核后发布）")
@click.pass_context
def import_(ctx: click.Context, file: Path, dry_run: bool, actor_name: str | None, accept_warnings: bool,
            as_user: str | None) -> None:
    """导入长表格式的 CSV 或 XLSX（列：indicator, region, year, value，可选 month, status, note）。"""
    from dashboard.services import accounts, exporter, importer

    db = engine(ctx)
    data = file.read_bytes()
    who = accounts.acting_as(db, as_user) if as_user else (actor_name or actor())
    result = None
    if dry_run:
        preview = importer.preview_import(db, file.name, data)
    else:
        result = importer.commit_import(db, file.name, data, who, accept_warnings=accept_warnings)
        preview = result.preview
    for change in preview.changes:
        if change.kind == "unchanged":
            continue
        old = "" if change.old_value is None else f"{exporter.format_number(change.old_value)} → "
        r = change.record
        click.echo(f"  {importer.CHANGE_LABELS[change.kind]}  {change.indicator_name} {change.region_name} "
                   f"{r.year}年{'' if r.month == 12 else f'1-{r.month}月'} {r.status}: "
                   f"{old}{exporter.format_number(r.value)} {change.unit}")
    counts = "，".join(f"{importer.CHANGE_LABELS[k]} {preview.count(k)} 个" for k in importer.CHANGE_KINDS)
    verb = "预览（未写入）" if dry_run else "已导入"
    click.echo(f"{verb}“{file.name}”：{counts}；空白未填 {preview.skipped_blank} 个")
    if result is not None and result.submission_id is not None:
        from dashboard.services import review

        state = review.PENDING if result.pending else review.PUBLISHED
        click.echo(f"提交 #{result.submission_id}：{review.state_text(state)}"
                   + ("（审核通过后发布）" if result.pending else ""))
    if preview.warnings:
        action = "导入时需加 --accept-warnings 确认" if dry_run else "已确认"
        click.echo(f"提醒 {len(preview.warnings)} 条（{action}）：")
        for warning in preview.warnings:
            click.echo(f"  ⚠️ {warning}")


@main.command()
@click.option("--year", type=int, required=True, help="填报年份")
@click.option("--month", type=click.IntRange(1, 12), default=12, show_default=True,
              help="月份 N：填报 1–N月累计（流量）或 N月末数（存量）；12 为全年")
@click.option("--region", default=None, help="区县代码或名称（默认：全市）；“全省对比”：浙江省及11个设区市的对比表")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.pass_context
def template(ctx: click.Context, year: int, month: int, region: str | None, file: Path | None) -> None:
    """生成 Excel 填报模板（预填当前数值）。"""
    from dashboard.services import template as template_service

    made = template_service.build_template(engine(ctx), year, region, month)
    path = file or Path(made.file_name)
    path.write_bytes(made.data)
    click.echo(f"已生成填报模板“{path}”（{made.rows} 个指标）")


def _value_text(value: float | None) -> str:
    from dashboard.services import exporter

    return "—" if value is None else exporter.format_number(value)


@main.command()
@click.option("--submission", "submission_id", type=int, default=None, help="查看某次提交写入的数值")
@click.option("--indicator", default=None, help="指标代码或名称（查看数值历史）")
@click.option("--region", default=None, help="地区代码或名称（查看数值历史）")
@click.option("--year", type=int, default=None, help="年份（查看数值历史）")
@click.option("--limit", type=int, default=50, show_default=True, help="列出的提交数")
@click.pass_context
def history(ctx: click.Context, submission_id: int | None, indicator: str | None, region: str | None,
            year: int | None, limit: int) -> None:
    """提交记录；--submission N 查看一次提交；--indicator X --region Y --year Z 查看数值的全部历史。"""
    from dashboard.services import history as history_service

    db = engine(ctx)
    if submission_id is not None:
        detail = history_service.submission_detail(db, submission_id)
        s = detail.submission
        click.echo(f"提交 #{s.id}｜{s.kind_label}｜{s.actor}｜{history_service.format_time(s.created_at)}｜{s.file_name or ''}"
                   f"{'｜已被提交 #' + str(s.rolled_back_by_id) + ' 撤销' if s.rolled_back_by_id else ''}")
        for v in detail.written:
            click.echo(f"  {v.label()}：{_value_text(v.previous_value)} → {_value_text(v.value)} {v.unit}")
        for v in detail.retired:
            click.echo(f"  {v.label()}：撤回 {_value_text(v.value)} {v.unit}")
        return
    if indicator or region or year is not None:
        if not (indicator and region and year is not None):
            raise click.UsageError("查看数值历史需要同时给出 --indicator、--region 和 --year")
        versions = history_service.value_history(db, indicator, region, year)
        subs = history_service.submissions_by_id(db, {v.submission_id for v in versions})
        for v in versions:
            s = subs[v.submission_id]
            state = "当前" if v.is_current else f"已被提交 #{v.retired_by_id} 替换"
            click.echo(f"{v.label()}｜{_value_text(v.value)} {v.unit}｜提交 #{s.id} {s.kind_label}｜{s.actor}｜"
                       f"{history_service.format_time(s.created_at)}｜{s.file_name or ''}｜{state}")
        if not versions:
            click.echo("没有该数值的记录")
        return
    for s in history_service.list_submissions(db, limit=limit):
        state = f"已被提交 #{s.rolled_back_by_id} 撤销" if s.rolled_back_by_id else ""
        click.echo(f"#{s.id}\t{s.kind_label}\t{history_service.format_time(s.created_at)}\t{s.actor}\t{s.file_name or ''}\t"
                   f"新增 {s.n_new} 修改 {s.n_changed} 不变 {s.n_unchanged}\t{s.note or ''}\t{state}")


@main.command()
@click.argument("submission_id", type=int)
@click.option("--actor", "actor_name", default=None, help="记录在提交历史中的操作人")
@click.pass_context
def rollback(ctx: click.Context, submission_id: int, actor_name: str | None) -> None:
    """撤销一次数据提交：恢复原值并撤回新增的数值（撤销本身也记录为一次提交）。"""
    from dashboard.services import history as history_service

    result = history_service.rollback_submission(engine(ctx), submission_id, actor_name or actor())
    click.echo(f"已撤销提交 #{result.rolled_back_id}（撤销记录为提交 #{result.submission_id}）："
               f"恢复原值 {result.restored} 个，撤回新增 {result.withdrawn} 个")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def export(ctx: click.Context, file: Path) -> None:
    """导出全部当前数值（按扩展名为 CSV 或 XLSX），格式与导入相同。"""
    from dashboard.services import exporter

    count = exporter.export_file(engine(ctx), file)
    click.echo(f"已导出 {count} 个数值到“{file}”")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, file: Path) -> None:
    """备份数据库（应用运行时也可安全执行）：FILE 以 .zip 结尾时为可移植备份（SQLite 与 PostgreSQL 通用），否则为 SQLite 文件副本。"""
    from dashboard.services import backup as backup_service

    path = backup_service.backup(engine(ctx), file)
    click.echo(f"已备份到“{path}”")
