"""The ``kpi`` command line, over the same services as the app.

Errors of the project's own types become a message and exit status 1; nothing else is caught.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from dashboard import auth
from dashboard.errors import KpiError
from dashboard.plan import DEFAULT_PLAN_FILE, load_plan_file
from dashboard.services import backup as backup_service
from dashboard.services import deck as deck_service
from dashboard.services import history as history_service
from dashboard.services import template as template_service
from dashboard.progress import STATUS_LABELS
from dashboard.services import accounts, exporter, importer
from dashboard.services import progress as progress_service
from dashboard.services.plans import load_plan, open_database
from dashboard.storage.db import database_url


def _fail(error: KpiError) -> click.ClickException:
    exception = click.ClickException(str(error))
    exception.exit_code = 1
    return exception


class _KpiGroup(click.Group):
    """Turns the project's own errors into clean messages (exit 1) for every subcommand."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except KpiError as error:
            raise _fail(error) from error


def _actor() -> str:
    try:
        return f"命令行：{getpass.getuser()}"
    except (KeyError, OSError):
        return "命令行"


@click.group(cls=_KpiGroup)
@click.option("--database", "url", envvar="KPI_DATABASE_URL", help="数据库地址（默认内置 SQLite；也可用环境变量 KPI_DATABASE_URL）")
@click.pass_context
def main(ctx: click.Context, url: str | None) -> None:
    """绍兴市平台经济“1215”目标监测：命令行工具。"""
    ctx.obj = {"url": url or None}


def _engine(ctx: click.Context):  # type: ignore[no-untyped-def]
    return open_database(ctx.obj["url"])


@main.command()
@click.option("--plan", "plan_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="另外载入的计划定义文件（YAML），可重复")
@click.pass_context
def init(ctx: click.Context, plan_files: tuple[Path, ...]) -> None:
    """创建或升级数据库并载入计划；重复运行不会改变任何内容。"""
    engine = open_database(ctx.obj["url"], load_default_plan=False)
    for path in (DEFAULT_PLAN_FILE, *plan_files):
        report = load_plan(engine, load_plan_file(path))
        state = "已更新" if report.changed else "无变化"
        click.echo(f"计划 {report.plan_code}：{state}（元数据变更 {report.metadata_changes} 项，写入数值 {report.values_written} 个）")
    click.echo(f"数据库：{database_url(ctx.obj['url'])}")


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只校验并预览变化，不写入")
@click.option("--actor", default=None, help="记录在提交历史中的操作人")
@click.option("--accept-warnings", is_flag=True, help="确认提醒（如疑似单位填错、同比变化过大）后仍然导入")
@click.pass_context
def import_(ctx: click.Context, file: Path, dry_run: bool, actor: str | None, accept_warnings: bool) -> None:
    """导入长表格式的 CSV 或 XLSX（列：indicator, region, year, value，可选 month, status, note）。"""
    engine = _engine(ctx)
    data = file.read_bytes()
    if dry_run:
        preview = importer.preview_import(engine, file.name, data)
    else:
        preview = importer.commit_import(engine, file.name, data, actor or _actor(),
                                         accept_warnings=accept_warnings).preview
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
    if preview.warnings:
        action = "导入时需加 --accept-warnings 确认" if dry_run else "已确认"
        click.echo(f"提醒 {len(preview.warnings)} 条（{action}）：")
        for warning in preview.warnings:
            click.echo(f"  ⚠️ {warning}")


@main.command()
@click.option("--year", type=int, required=True, help="填报年份")
@click.option("--region", default=None, help="区县代码或名称（默认：全市）")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.pass_context
def template(ctx: click.Context, year: int, region: str | None, file: Path | None) -> None:
    """生成 Excel 填报模板（预填当前数值）。"""
    made = template_service.build_template(_engine(ctx), year, region)
    path = file or Path(made.file_name)
    path.write_bytes(made.data)
    click.echo(f"已生成填报模板“{path}”（{made.rows} 个指标）")


def _value_text(value: float | None) -> str:
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
    engine = _engine(ctx)
    if submission_id is not None:
        detail = history_service.submission_detail(engine, submission_id)
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
        versions = history_service.value_history(engine, indicator, region, year)
        subs = history_service.submissions_by_id(engine, {v.submission_id for v in versions})
        for v in versions:
            s = subs[v.submission_id]
            state = "当前" if v.is_current else f"已被提交 #{v.retired_by_id} 替换"
            click.echo(f"{v.label()}｜{_value_text(v.value)} {v.unit}｜提交 #{s.id} {s.kind_label}｜{s.actor}｜"
                       f"{history_service.format_time(s.created_at)}｜{s.file_name or ''}｜{state}")
        if not versions:
            click.echo("没有该数值的记录")
        return
    for s in history_service.list_submissions(engine, limit=limit):
        state = f"已被提交 #{s.rolled_back_by_id} 撤销" if s.rolled_back_by_id else ""
        click.echo(f"#{s.id}\t{s.kind_label}\t{history_service.format_time(s.created_at)}\t{s.actor}\t{s.file_name or ''}\t"
                   f"新增 {s.n_new} 修改 {s.n_changed} 不变 {s.n_unchanged}\t{s.note or ''}\t{state}")


@main.command()
@click.argument("submission_id", type=int)
@click.option("--actor", default=None, help="记录在提交历史中的操作人")
@click.pass_context
def rollback(ctx: click.Context, submission_id: int, actor: str | None) -> None:
    """撤销一次数据提交：恢复原值并撤回新增的数值（撤销本身也记录为一次提交）。"""
    result = history_service.rollback_submission(_engine(ctx), submission_id, actor or _actor())
    click.echo(f"已撤销提交 #{result.rolled_back_id}（撤销记录为提交 #{result.submission_id}）："
               f"恢复原值 {result.restored} 个，撤回新增 {result.withdrawn} 个")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def export(ctx: click.Context, file: Path) -> None:
    """导出全部当前数值（按扩展名为 CSV 或 XLSX），格式与导入相同。"""
    count = exporter.export_file(_engine(ctx), file)
    click.echo(f"已导出 {count} 个数值到“{file}”")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, file: Path) -> None:
    """备份内置 SQLite 数据库（应用运行时也可安全执行）。"""
    path = backup_service.backup_sqlite(_engine(ctx), file)
    click.echo(f"已备份到“{path}”")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


@main.command()
@click.option("--year", type=int, required=True, help="评估年份")
@click.option("--region", default=None, help="地区代码或名称（默认：全市及各区县）")
@click.option("--indicator", default=None, help="指标代码或名称（默认：全部）")
@click.option("--plan", "plan_code", default=progress_service.DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（键见 README）")
@click.pass_context
def progress(ctx: click.Context, year: int, region: str | None, indicator: str | None, plan_code: str,
             as_json: bool) -> None:
    """各指标、各地区的完成率、目标进度与时序进度。"""
    rows = progress_service.progress(_engine(ctx), year, region=region, indicator=indicator, plan_code=plan_code)
    if as_json:
        click.echo(json.dumps([progress_service.row_to_dict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    click.echo(f"{year}年目标进度（完成率 / 目标进度 / 时序进度 / 状态）")
    for row in rows:
        a = row.assessment
        actual = "暂无数据" if a.actual is None else f"{exporter.format_number(a.actual)}{row.indicator.unit}"
        source = {"derived": "（区县合计）", "partial": "（部分区县合计）"}.get(row.actual_source or "", "")
        parts = []
        for m in a.milestones:
            icon, word = STATUS_LABELS[m.status]
            parts.append(f"{m.year}年目标{exporter.format_number(m.target)}：完成率{_percent(m.attainment)}，"
                         f"目标进度{_percent(m.progress)}，时序进度{_percent(m.time_elapsed)}，{icon}{word}")
        targets = "；".join(parts) if parts else "未设定目标"
        click.echo(f"{row.indicator.name}｜{row.region.name}｜{actual}{source}｜{targets}")


@main.command()
@click.option("--year", type=int, required=True, help="汇报年份")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="输出的 .pptx 文件")
@click.option("--plan", "plan_code", default=progress_service.DEFAULT_PLAN_CODE, show_default=True, help="计划代码")
@click.pass_context
def brief(ctx: click.Context, year: int, out: Path, plan_code: str) -> None:
    """生成汇报PPT（16:9，图表可在 PowerPoint 中编辑）。"""
    slides = deck_service.write_deck(_engine(ctx), year, out, plan_code)
    click.echo(f"已生成“{out}”：{slides} 页")


@main.group()
def user() -> None:
    """本地账号管理（在服务器上运行命令行的人即管理员）。"""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@user.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(list(auth.ROLE_LABELS)), required=True, help="角色")
@click.option("--name", "display_name", default="", help="显示名称，如“张三”")
@click.option("--region", "region_code", default=None, help="区县统计员所属区县代码")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（供脚本使用）")
@click.pass_context
def user_add(ctx: click.Context, username: str, role: str, display_name: str, region_code: str | None,
             password_stdin: bool) -> None:
    """新增账号，例如第一个管理员：kpi user add admin --role admin"""
    engine = _engine(ctx)
    summary = accounts.add_user(engine, auth.SYSTEM, username, _read_password(password_stdin), role,
                                display_name=display_name, region_code=region_code)
    click.echo(f"已创建账号“{summary.username}”（{auth.ROLE_LABELS[summary.role]}）")


@user.command(name="list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """列出全部账号。"""
    for u in accounts.list_users(_engine(ctx), auth.SYSTEM):
        state = "启用" if u.is_active else "停用"
        click.echo(f"{u.username}\t{u.display_name}\t{auth.ROLE_LABELS[u.role]}\t{u.region_code or ''}\t{state}")


@user.command(name="disable")
@click.argument("username")
@click.pass_context
def user_disable(ctx: click.Context, username: str) -> None:
    """停用账号。"""
    accounts.set_active(_engine(ctx), auth.SYSTEM, username, False)
    click.echo(f"已停用“{username}”")


@user.command(name="enable")
@click.argument("username")
@click.pass_context
def user_enable(ctx: click.Context, username: str) -> None:
    """启用账号并解除锁定。"""
    accounts.set_active(_engine(ctx), auth.SYSTEM, username, True)
    click.echo(f"已启用并解锁“{username}”")


@user.command(name="passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
@click.pass_context
def user_passwd(ctx: click.Context, username: str, password_stdin: bool) -> None:
    """重设账号密码。"""
    accounts.change_password(_engine(ctx), auth.SYSTEM, username, _read_password(password_stdin))
    click.echo(f"已重设“{username}”的密码")


@main.command()
@click.option("--database", "demo_database", default=None,
              help="演示数据库地址（默认 instance/demo.sqlite3；不使用 KPI_DATABASE_URL，以免混入真实数据）")
@click.option("--seed", type=int, default=2023, show_default=True, help="随机种子（相同种子生成相同数据）")
def demo(demo_database: str | None, seed: int) -> None:
    """生成单独的演示数据库：合成的区县 2022—2025 年数据和估算的区县目标，均标注“演示数据”。"""
    from dashboard.services import demo as demo_service  # only this command needs it

    url, report = demo_service.create_demo_database(demo_database, seed)
    if report.submission_id is None:
        click.echo(f"演示数据已是最新，未写入：{url}")
    else:
        click.echo(f"已写入演示数据（非真实统计）：数值 {report.observations} 个，估算区县目标 {report.targets} 个 → {url}")
    click.echo(f"用演示数据启动：KPI_DATABASE_URL={url} bash scripts/start.sh")


if __name__ == "__main__":  # pragma: no cover
    main()
