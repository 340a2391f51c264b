"""Account commands: ``kpi user add/list/disable/enable/passwd``."""

from __future__ import annotations

import sys

import click

from dashboard.cli.base import engine, main

# Role keys and labels, kept here so that ``kpi user --help`` needs no service import.
from dashboard.auth import ROLE_LABELS, SYSTEM  # noqa: E402


@main.group()
def user() -> None:
    """本地账号管理（在服务器上运行命令行的人即管理员）。"""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


@user.command(name="add")
@click.argument("username")
@click.option("--role", type=click.Choice(list(ROLE_LABELS)), required=True, help="角色")
@click.option("--name", "display_name", default="", help="显示名称，如“张三”")
@click.option("--region", "region_code", default=None, help="区县统计员所属区县代码")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（供脚本使用）")
@click.pass_context
def user_add(ctx: click.Context, username: str, role: str, display_name: str, region_code: str | None,
             password_stdin: bool) -> None:
    """新增账号，例如第一个管理员：kpi user add admin --role admin"""
    from dashboard.services import accounts

    summary = accounts.add_user(engine(ctx), SYSTEM, username, _read_password(password_stdin), role,
                                display_name=display_name, region_code=region_code)
    click.echo(f"已创建账号“{summary.username}”（{ROLE_LABELS[summary.role]}）")


@user.command(name="list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """列出全部账号。"""
    from dashboard.services import accounts

    for u in accounts.list_users(engine(ctx), SYSTEM):
        state = "启用" if u.is_active else "停用"
        click.echo(f"{u.username}\t{u.display_name}\t{ROLE_LABELS[u.role]}\t{u.region_code or ''}\t{state}")


@user.command(name="disable")
@click.argument("username")
@click.pass_context
def user_disable(ctx: click.Context, username: str) -> None:
    """停用账号。"""
    from dashboard.services import accounts

    accounts.set_active(engine(ctx), SYSTEM, username, False)
    click.echo(f"已停用“{username}”")


@user.command(name="enable")
@click.argument("username")
@click.pass_context
def user_enable(ctx: click.Context, username: str) -> None:
    """启用账号并解除锁定。"""
    from dashboard.services import accounts

    accounts.set_active(engine(ctx), SYSTEM, username, True)
    click.echo(f"已启用并解锁“{username}”")


@user.command(name="passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
@click.pass_context
def user_passwd(ctx: click.Context, username: str, password_stdin: bool) -> None:
    """重设账号密码。"""
    from dashboard.services import accounts

    accounts.change_password(engine(ctx), SYSTEM, username, _read_password(password_stdin))
    click.echo(f"已重设“{username}”的密码")
