"""Submission history, the full history of any value, and rollback of a submission.

Nothing is ever deleted: a rollback is itself a submission (kind ``rollback``) that writes new
current rows copying the values a submission replaced, and retires the values it added. It is
refused, with the reason in Chinese, when it would be ambiguous: twice for the same submission, or
when a value the submission wrote has since been changed again by a later submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import KpiError, NotFoundError
from dashboard.formatting import format_time  # noqa: F401  (history's pages and CLI format with it)
from dashboard.services.importer import STATUS_WORDS, as_actor
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, transaction
from dashboard.storage.models import Indicator, Observation, Region, Submission

KIND_LABELS = {"plan": "计划文件", "import": "数据导入", "rollback": "撤销", "allocation": "目标分解", "demo": "演示数据"}
# Only submissions of actuals can be rolled back here; plan values follow the plan file and targets
# are changed on the allocation page.
ROLLBACK_KINDS = ("import", "demo")


class RollbackRefused(KpiError):
    """A rollback that would be ambiguous or meaningless; the message says why, in Chinese."""


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    kind: str
    actor: str
    created_at: datetime
    file_name: str | None
    file_sha256: str | None
    n_new: int
    n_changed: int
    n_unchanged: int
    note: str | None
    rolled_back_by_id: int | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def can_roll_back(self) -> bool:
        return self.kind in ROLLBACK_KINDS and self.rolled_back_by_id is None


@dataclass(frozen=True)
class ValueVersion:
    """One version of one value, with the submission that wrote it and the value it replaced."""

    observation_id: int
    indicator_code: str
    indicator_name: str
    unit: str
    region_code: str
    region_name: str
    year: int
    month: int
    status: str
    value: float
    previous_value: float | None
    note: str | None
    source: str | None
    is_current: bool
    submission_id: int
    retired_by_id: int | None

    def label(self) -> str:
        """``网络零售额｜越城区｜2024年核实数`` (with 1–N月 for a cumulative figure)."""
        month = "" if self.month == 12 else f"1–{self.month}月"
        return f"{self.indicator_name}｜{self.region_name}｜{self.year}年{month}{STATUS_WORDS.get(self.status, self.status)}"


@dataclass(frozen=True)
class SubmissionDetail:
    """A submission's values: all of them, or one page of them (``written`` first, then ``retired``)."""

    submission: SubmissionRow
    written: tuple[ValueVersion, ...]  # rows this submission wrote (on this page)
    retired: tuple[ValueVersion, ...]  # rows it retired without a successor (a rollback of new values; on this page)
    n_written: int  # how many it wrote in all
    n_retired: int  # how many it retired without a successor in all


@dataclass(frozen=True)
class RollbackResult:
    submission_id: int  # the rollback's own submission
    rolled_back_id: int
    restored: int  # values set back to what they were before
    withdrawn: int  # values the submission had added, now no longer current


def _submission_row(s: Submission) -> SubmissionRow:
    return SubmissionRow(s.id, s.kind, s.actor, s.created_at, s.file_name, s.file_sha256, s.n_new, s.n_changed,
                         s.n_unchanged, s.note, s.rolled_back_by_id)


def list_submissions(engine: Engine, limit: int | None = 200) -> list[SubmissionRow]:
    """Submissions, newest first."""
    with session_factory(engine)() as session:
        return [_submission_row(s) for s in repo.submissions(session, limit=limit)]


def _versions(session: Session, rows: list[Observation]) -> list[ValueVersion]:
    indicators: dict[int, Indicator] = {i.id: i for i in repo.indicators(session)}
    regions: dict[str, Region] = {r.code: r for r in repo.all_regions(session)}
    previous = repo.rows_by_ids(session, Observation, [r.supersedes_id for r in rows if r.supersedes_id])
    versions = []
    for o in rows:
        indicator, region = indicators[o.indicator_id], regions[o.region_code]
        before = previous.get(o.supersedes_id) if o.supersedes_id else None
        versions.append(ValueVersion(
            o.id, indicator.code, indicator.name, indicator.unit, o.region_code, region.name, o.year, o.month,
            o.status, o.value, None if before is None else before.value, o.note, o.source, o.is_current,
            o.submission_id, o.retired_by_id,
        ))
    return versions


def submission_detail(engine: Engine, submission_id: int, limit: int | None = None, offset: int = 0) -> SubmissionDetail:
    """A submission and every value it wrote or withdrew; with ``limit``, one page of them.

    The values are numbered written first, then withdrawn; ``offset``/``limit`` select from that list,
    so a page never loads the other 14 000 values of a full-year import.
    """
    with session_factory(engine)() as session:
        submission = _get_submission(session, submission_id)
        n_written = repo.count_written_by(session, Observation, submission_id)
        n_retired = repo.count_withdrawn_by(session, Observation, submission_id)
        end = n_written + n_retired if limit is None else offset + limit
        written = (repo.rows_written_by(session, Observation, submission_id, min(end, n_written) - offset, offset)
                   if offset < n_written else [])
        retired_from = max(0, offset - n_written)
        retired = (repo.rows_withdrawn_by(session, Observation, submission_id, end - n_written - retired_from,
                                          retired_from) if end > n_written + retired_from else [])
        return SubmissionDetail(_submission_row(submission), tuple(_versions(session, written)),
                                tuple(_versions(session, retired)), n_written, n_retired)


def _get_submission(session: Session, submission_id: int) -> Submission:
    submission = repo.submission_by_id(session, submission_id)
    if submission is None:
        raise NotFoundError(f"没有编号为 {submission_id} 的提交")
    return submission


def _resolve(session: Session, indicator: str, region: str) -> tuple[Indicator, Region]:
    """An indicator and a region by code or Chinese name."""
    found_indicator = next((i for i in repo.indicators(session) if indicator in (i.code, i.name)), None)
    if found_indicator is None:
        raise NotFoundError(f"没有指标“{indicator}”，请填写指标代码或名称")
    found_region = next((r for r in repo.all_regions(session) if region in (r.code, r.name)), None)
    if found_region is None:
        raise NotFoundError(f"没有地区“{region}”，请填写行政区划代码或名称")
    return found_indicator, found_region


def value_history(engine: Engine, indicator: str, region: str, year: int,
                  month: int | None = None) -> list[ValueVersion]:
    """Every version (both statuses, every month unless ``month`` is given) of one value, oldest first."""
    with session_factory(engine)() as session:
        found_indicator, found_region = _resolve(session, indicator, region)
        rows = [o for o, _s in repo.observation_history(session, found_indicator.id, found_region.code, year, month)]
        return _versions(session, rows)


def submissions_by_id(engine: Engine, ids: Iterable[int]) -> dict[int, SubmissionRow]:
    """The submissions named in a value history (to show who, when and which file)."""
    with session_factory(engine)() as session:
        found = (repo.submission_by_id(session, i) for i in ids)
        return {s.id: _submission_row(s) for s in found if s is not None}


def rollback_submission(engine: Engine, submission_id: int, actor: Actor | str) -> RollbackResult:
    """Undo a submission of actuals in one transaction, recorded as a submission of kind ``rollback``.

    Values it changed get a new current row copying the value (and note and source) they had before;
    values it added are retired. Raises :class:`NotFoundError` for an unknown submission and
    :class:`RollbackRefused` when it is not a data submission, was already rolled back, or any of its
    values was changed again later (all such values are listed).
    """
    actor = as_actor(actor)
    with transaction(engine) as session:
        submission = _get_submission(session, submission_id)
        _check_rollbackable(submission)
        written = repo.rows_written_by(session, Observation, submission_id)
        regions = {r.code: r.name for r in repo.all_regions(session)}
        auth.require(actor, auth.ROLLBACK, {o.region_code for o in written}, regions)
        _check_not_changed_again(session, submission, written)
        rollback = repo.new_submission(session, "rollback", actor.label, file_name=submission.file_name,
                                       note=f"撤销提交 #{submission_id}")
        previous = repo.rows_by_ids(session, Observation, [o.supersedes_id for o in written if o.supersedes_id])
        restored = withdrawn = 0
        for row in written:
            before = previous.get(row.supersedes_id) if row.supersedes_id else None
            if before is None:
                repo.retire(session, row, rollback)
                withdrawn += 1
                continue
            repo.record_version(
                session, Observation, rollback, row, indicator_id=row.indicator_id, region_code=row.region_code,
                year=row.year, month=row.month, status=row.status, value=before.value, source=before.source,
                note=before.note,
            )
            restored += 1
        rollback.n_changed = restored + withdrawn
        rollback.note = f"撤销提交 #{submission_id}：恢复原值 {restored} 个，撤回新增 {withdrawn} 个"
        submission.rolled_back_by_id = rollback.id
        accounts_repo.add_audit_event(session, actor.label, "rollback", target=f"提交 #{submission_id}",
                                      submission_id=rollback.id, detail=rollback.note)
        session.flush()
        return RollbackResult(rollback.id, submission_id, restored, withdrawn)


def _check_rollbackable(submission: Submission) -> None:
    if submission.review_state != "published":
        # Unpublished values replaced nothing on the read side: review returns them, nothing to undo.
        raise RollbackRefused(f"提交 #{submission.id} 尚未发布（待审核或已退回），无需撤销；"
                              "待审核的提交请由审核人退回")
    if submission.rolled_back_by_id is not None:
        raise RollbackRefused(f"提交 #{submission.id} 已被提交 #{submission.rolled_back_by_id} 撤销，不能重复撤销")
    if submission.kind == "rollback":
        raise RollbackRefused(f"提交 #{submission.id} 本身是一次撤销，不能再撤销；如需恢复这些数值，请重新导入原文件")
    if submission.kind not in ROLLBACK_KINDS:
        raise RollbackRefused(f"提交 #{submission.id}（{KIND_LABELS.get(submission.kind, submission.kind)}）不能在此撤销："
                              "只能撤销数据导入；目标请在“目标分解”页面修改")


def _check_not_changed_again(session: Session, submission: Submission, written: list[Observation]) -> None:
    """Refuse when a later submission changed any value again, naming every such value."""
    later = [o for o in written if not o.is_current]
    if not later:
        return
    lines = [f"- {v.label()}：已被之后的提交 #{v.retired_by_id} 再次修改" for v in _versions(session, later)]
    raise RollbackRefused(
        f"提交 #{submission.id} 不能撤销：其中 {len(later)} 个数值之后又被修改过，撤销会覆盖之后的修改。"
        "请先撤销之后的提交，或直接导入更正后的数值：\n" + "\n".join(lines)
    )
