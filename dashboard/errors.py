"""Typed errors of the domain core.

The core raises these; only the edges (the ``kpi`` command line and the Streamlit pages) turn them
into messages for people. Every message is plain Chinese because the users read Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem found in user input, located as precisely as we can.

    ``row`` is the 1-based row number as the user sees it (the Excel row, or the CSV line);
    ``column`` is the column header as written in the file (or the Excel column letter when the
    header is unknown). Any of the location fields may be ``None`` when it does not apply.
    """

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    severity: str = "error"  # "error" blocks the import; "warning" needs the user's confirmation

    def location(self) -> str:
        """The location as Chinese text, e.g. ``文件“a.xlsx”，工作表“Sheet1”，第 5 行，“数值”列``."""
        parts: list[str] = []
        if self.file:
            parts.append(f"文件“{self.file}”")
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "，".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}：{self.message}" if where else self.message


class KpiError(Exception):
    """Base class of every error this project raises on purpose."""


class InputError(KpiError):
    """User input (a file, an argument) was rejected; ``issues`` says exactly where and why."""

    def __init__(self, issues: list[Issue] | Issue | str):
        if isinstance(issues, str):
            issues = [Issue(issues)]
        elif isinstance(issues, Issue):
            issues = [issues]
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class NotFoundError(KpiError):
    """A named thing (indicator, region, submission, plan) does not exist."""


class PermissionDenied(KpiError):
    """The acting user may not perform this operation."""


class PlanDefinitionError(KpiError):
    """A plan definition file under ``data/`` is malformed."""


class WriteLockTimeout(KpiError):
    """Another writer held the database-wide write lock for longer than the timeout; nothing was written."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"另一项写入（导入、撤销或目标修改）正在进行，等待 {seconds:g} 秒后仍未结束；"
                         "本次未写入任何数据，请稍后重试")


class DatabaseUnavailable(KpiError):
    """The database cannot be reached (server down, wrong address, unreadable file)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__(f"数据库无法连接（地址：{address}）。请确认数据库服务已启动、地址和账号正确，然后重试")
