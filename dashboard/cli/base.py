"""The ``kpi`` group itself: the shared ``--database`` option, error handling and small helpers.

Kept light on purpose: subcommand modules import services (openpyxl, python-pptx, pandas …)
inside the command bodies, so ``kpi --help`` or ``kpi user list`` never pay for them.
"""

from __future__ import annotations

import getpass
from typing import Any

import click

from dashboard.cli import i18n
from dashboard.errors import KpiError

DATABASE_HELP = "数据库地址（默认内置 SQLite；也可用环境变量 KPI_DATABASE_URL）；可写在子命令前或后"

i18n.install()


def fail(error: KpiError) -> click.ClickException:
    """A project error as a click error: its Chinese message, exit status 1."""
    exception = click.ClickException(str(error))
    exception.exit_code = 1
    return exception


def _set_database(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    # The group's callback has already stored the group-level value (or the environment's); a
    # value given after the subcommand wins because it is the more specific one.
    if value:
        ctx.ensure_object(dict)["url"] = value


class KpiCommand(click.Command):
    """A subcommand that also accepts ``--database`` after its name (``kpi progress --database …``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not any("--database" in getattr(p, "opts", ()) for p in self.params):
            self.params.append(click.Option(["--database"], expose_value=False, callback=_set_database,
                                            is_eager=True, help=DATABASE_HELP))


class KpiGroup(click.Group):
    """Turns the project's own errors into clean messages (exit 1) for every subcommand."""

    command_class = KpiCommand
    group_class = type  # subgroups (``kpi user``) behave the same

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KpiError as error:
            raise fail(error) from error
        except Exception as error:
            # A database that goes away mid-command: the same message as at start, exit status 1.
            # Imported here: the storage layer pulls in SQLAlchemy, which ``kpi --help`` never needs.
            from dashboard.storage.db import as_unavailable

            unavailable = as_unavailable(error, database_url_of(ctx))
            if unavailable is None:
                raise
            raise fail(unavailable) from error


@click.group(cls=KpiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--database", "url", envvar="KPI_DATABASE_URL", help=DATABASE_HELP)
@click.pass_context
def main(ctx: click.Context, url: str | None) -> None:
    """绍兴市平台经济“1215”目标监测：命令行工具。"""
    ctx.ensure_object(dict)["url"] = url or None


def database_url_of(ctx: click.Context) -> str | None:
    """The database URL chosen on the command line or in the environment (None = the default)."""
    return ctx.ensure_object(dict).get("url")


def typed_database(ctx: click.Context) -> str | None:
    """The group's ``--database`` when typed on the command line (``kpi --database URL demo``), not taken
    from KPI_DATABASE_URL: for commands that must not fall back to the configured (real) database."""
    root = ctx.find_root()
    if root.get_parameter_source("url") == click.core.ParameterSource.COMMANDLINE:
        return root.params.get("url")
    return None


def engine(ctx: click.Context):  # type: ignore[no-untyped-def]
    """The migrated database engine for this invocation."""
    from dashboard.services.plans import open_database

    return open_database(database_url_of(ctx))


def actor() -> str:
    """Who runs the command line, for the submission history."""
    try:
        return f"命令行：{getpass.getuser()}"
    except (KeyError, OSError):
        return "命令行"

