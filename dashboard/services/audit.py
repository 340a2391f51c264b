"""The audit log as a read model, and its export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from sqlalchemy import Engine

from dashboard import auth
from dashboard.auth import Actor
from dashboard.formatting import as_utc, format_time
from dashboard.services.exporter import safe_text
from dashboard.storage import accounts as accounts_repo
from dashboard.storage.db import session_factory

ACTION_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "user_added": "新增账号",
    "user_changed": "修改账号",
    "allocation": "分解目标",
    "import": "导入数据",
    "rollback": "撤销提交",
    "metadata": "修改指标设置",
    "review_approve": "审核通过",
    "review_return": "退回提交",
    "reporting_period": "设置报送期",
}
COLUMNS = ("时间", "操作人", "操作", "对象", "详情", "提交编号")


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    target: str | None
    detail: str | None
    submission_id: int | None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def cells(self) -> list[object]:
        return [format_time(self.at, seconds=True), self.actor, self.action_label, self.target or "", self.detail or "", self.submission_id or ""]


def audit_log(engine: Engine, actor: Actor, action: str | None = None, limit: int | None = 1000) -> list[AuditRow]:
    """The newest audit lines (administrators and city statisticians only)."""
    auth.require(actor, auth.READ_AUDIT)
    with session_factory(engine)() as session:
        return [
            AuditRow(as_utc(e.at), e.actor, e.action, e.target, e.detail,
                     e.submission_id)
            for e in accounts_repo.audit_events(session, action=action, limit=limit)
        ]


def audit_export(rows: list[AuditRow], file_name: str) -> bytes:
    """The rows as CSV or XLSX; every text cell is neutralised against formula injection."""
    table = [[safe_text(c) if isinstance(c, str) else c for c in row.cells()] for row in rows]
    if file_name.endswith(".xlsx"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "操作日志"
        sheet.append(list(COLUMNS))
        for row in table:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(table)
    return text.getvalue().encode("utf-8-sig")
