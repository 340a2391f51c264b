"""``kpi check``: the history invariants, worded for people.

Any violation means the append-only history no longer tells one consistent story (a value current
twice, a withdrawn value without a withdrawer, a submission rolled back twice, a write without an
audit line); ``kpi check`` lists them and exits with status 1.
"""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.storage import integrity as checks
from dashboard.storage.db import session_factory
from dashboard.storage.models import Observation, Target

TABLE_WORDS = {Observation: "实际值", Target: "目标值"}


def _ids(ids: list[int]) -> str:
    shown = "、".join(f"#{i}" for i in ids[:20])
    return shown + (f" 等 {len(ids)} 个" if len(ids) > 20 else "")


def check_history(engine: Engine) -> list[str]:
    """Every violated invariant as one Chinese line; an empty list means the history is sound."""
    problems: list[str] = []
    with session_factory(engine)() as session:
        for model, word in TABLE_WORDS.items():
            for key in checks.keys_with_several_current(session, model):
                problems.append(f"{word} {key} 同时有多个当前版本")
            if ids := checks.retired_without_retirer(session, model):
                problems.append(f"{word}版本 {_ids(ids)} 已不是当前值，却没有记录是哪次提交替换或撤回的")
            if ids := checks.retired_unexplained(session, model):
                problems.append(f"{word}版本 {_ids(ids)} 被一次既未写入其新版本、也未撤销其提交的提交替换")
            if ids := checks.rolled_back_rows_kept_elsewhere(session, model):
                problems.append(f"{word}版本 {_ids(ids)} 属于已撤销的提交，却未被该撤销撤回")
            if ids := checks.superseded_twice(session, model):
                problems.append(f"{word}版本 {_ids(ids)} 被多个新版本替换（历史分叉）")
        if ids := checks.orphan_rollbacks(session):
            problems.append(f"撤销记录（提交 {_ids(ids)}）不对应任何被撤销的提交，可能是重复撤销")
        if ids := checks.rollbacks_retiring_foreign_rows(session):
            problems.append(f"撤销记录（提交 {_ids(ids)}）撤回了不属于被撤销提交的数值")
        if ids := checks.unaudited_submissions(session):
            problems.append(f"提交 {_ids(ids)} 没有审计日志记录")
        problems += [f"数据库自检：{p}" for p in checks.database_integrity(session)]
    return problems
