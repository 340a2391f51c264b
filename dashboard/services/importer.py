"""The one import service: read → validate → preview → commit, all-or-nothing.

The ``kpi import`` command and the upload page both call :func:`preview_import` and
:func:`commit_import`; there is no second parser.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import InputError, Issue, KpiError
from dashboard.plausibility import DEFAULT_RULES, Key, PlausibilityRules, check_records
from dashboard.services.catalog import build_catalog, home_region_codes
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, transaction
from dashboard.storage.models import Observation, Submission
from dashboard.tabular import CANONICAL_LABELS, read_table
from dashboard.textsafety import stored_file_name
from dashboard.validation import Catalog, Record, validate_table

CHANGE_KINDS = ("new", "changed", "unchanged")
CHANGE_LABELS = {"new": "新增", "changed": "修改", "unchanged": "不变"}
STATUS_WORDS = {"final": "核实数", "preliminary": "初步数"}


@dataclass(frozen=True)
class Change:
    """What importing one record would do to the store."""

    kind: str
    record: Record
    indicator_name: str
    unit: str
    region_name: str
    old_value: float | None
    old_note: str | None
    # The stored version this change was computed against (the current row's id and the submission
    # that wrote it), or None for a new value: what the optimistic check at commit compares.
    old_id: int | None = None
    old_submission_id: int | None = None
    old_growth: float | None = None

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        r = self.record
        return (r.indicator, r.region, r.year, r.month, r.status)

    def label(self) -> str:
        """``网络零售额｜越城区｜2024年｜核实数`` for messages."""
        r = self.record
        period = f"{r.year}年" + ("" if r.month == 12 else f"1–{r.month}月")
        return f"{self.indicator_name}｜{self.region_name}｜{period}｜{STATUS_WORDS.get(r.status, r.status)}"

    @property
    def new_note(self) -> str | None:
        # A blank note cell means "no change", like a blank value: keep the note already stored.
        return self.record.note if self.record.note is not None else self.old_note

    @property
    def new_growth(self) -> float | None:
        # A blank 同比增速 keeps the published rate only while the figure stays the same: a revised
        # figure without a rate of its own must not carry a rate published for the old one.
        if self.record.growth is not None:
            return self.record.growth
        return self.old_growth if self.old_value == self.record.value else None


@dataclass(frozen=True)
class ImportPreview:
    """The validated content of a file and what committing it would change."""

    file_name: str
    sha256: str
    changes: tuple[Change, ...]
    skipped_blank: int
    # Plausibility warnings (likely unit slips, big year-on-year changes, districts above the city):
    # committing needs the user's explicit confirmation when there are any.
    warnings: tuple[Issue, ...] = ()

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def has_changes(self) -> bool:
        return any(c.kind != "unchanged" for c in self.changes)

    def seen_versions(self) -> dict[tuple[str, str, int, int, str], int | None]:
        """Per key, the stored version this preview was computed against (None: no value yet)."""
        return {c.key: c.old_id for c in self.changes}


class PreviewOutdated(KpiError):
    """Values the user previewed were changed by another submission before the commit; nothing written.

    ``fresh`` is the preview recomputed inside the write lock, to show instead of the stale one.
    """

    def __init__(self, stale: list[tuple[Change, Change | None]], by: list[int], fresh: ImportPreview):
        self.fresh, self.by = fresh, by
        from dashboard.services.exporter import format_number  # the one way numbers are written out

        def shown(value: float | None) -> str:
            return "无" if value is None else format_number(value)

        lines = [f"- {now.label()}：预览时为 {shown(None if seen is None else seen.old_value)}，现为 {shown(now.old_value)}"
                 for now, seen in stale]
        who = "、".join(f"#{n}" for n in by) or "（其他提交）"
        super().__init__(f"预览后，以下 {len(stale)} 个数值已被提交 {who} 修改，未写入任何数据，请重新预览：\n"
                         + "\n".join(lines))


class WarningsNotAccepted(KpiError):
    """A commit was attempted without confirming the preview's plausibility warnings."""

    def __init__(self, warnings: tuple[Issue, ...]):
        self.warnings = warnings
        lines = "\n".join(f"- {w}" for w in warnings)
        super().__init__(f"文件有 {len(warnings)} 条需要确认的提醒，未写入任何数据。请核对后确认再提交"
                         f"（命令行加 --accept-warnings）：\n{lines}")


@dataclass(frozen=True)
class ImportResult:
    """A committed import."""

    submission_id: int | None  # None when the file changed nothing (no submission is recorded)
    preview: ImportPreview
    pending: bool = False  # written for review (待审核): not published until approved


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _validated_records(session: Session, file_name: str, data: bytes) -> tuple[tuple[Record, ...], int, Catalog]:
    table = read_table(file_name, data)
    catalog = build_catalog(session)
    result = validate_table(table, catalog)
    if result.errors:
        raise InputError(list(result.errors))
    return result.records, result.skipped_blank, catalog


def _build_preview(session: Session, file_name: str, data: bytes, rules: PlausibilityRules) -> ImportPreview:
    """Validate, classify every record against the store, and run the plausibility checks."""
    records, skipped, catalog = _validated_records(session, file_name, data)
    changes, stored = _changes(session, records)
    warnings = check_records(records, stored, catalog, file_name, rules)
    return ImportPreview(file_name, file_sha256(data), changes, skipped, tuple(warnings))


def _changes(session: Session, records: tuple[Record, ...]) -> tuple[tuple[Change, ...], dict[Key, float]]:
    """What each record would do, and the stored current figures of the indicators involved."""
    indicators = {i.code: i for i in repo.indicators(session)}
    codes = {i.id: i.code for i in indicators.values()}
    regions = {r.code: r for r in repo.all_regions(session)}
    ids = {indicators[r.indicator].id for r in records}
    current = {
        (o.indicator_id, o.region_code, o.year, o.month, o.status): o
        for o in repo.current_observations(session, indicator_ids=ids)
    }
    stored = {(codes[i], region, y, m, s): o.value for (i, region, y, m, s), o in current.items()}
    changes = []
    for record in records:
        indicator = indicators[record.indicator]
        old = current.get((indicator.id, record.region, record.year, record.month, record.status))
        if old is None:
            kind = "new"
        elif old.value != record.value or (record.note is not None and record.note != old.note) \
                or (record.growth is not None and record.growth != old.growth):
            kind = "changed"
        else:
            kind = "unchanged"
        changes.append(
            Change(
                kind=kind, record=record, indicator_name=indicator.name, unit=indicator.unit,
                region_name=regions[record.region].name,
                old_value=None if old is None else old.value, old_note=None if old is None else old.note,
                old_id=None if old is None else old.id, old_submission_id=None if old is None else old.submission_id,
                old_growth=None if old is None else old.growth,
            )
        )
    return tuple(changes), stored


def preview_import(engine: Engine, file_name: str, data: bytes,
                   rules: PlausibilityRules = DEFAULT_RULES) -> ImportPreview:
    """Validate a file and say what it would change (and what looks implausible); writes nothing.

    Raises :class:`InputError` when the file is rejected.
    """
    with session_factory(engine)() as session:
        return _build_preview(session, file_name, data, rules)


def as_actor(actor: Actor | str) -> Actor:
    """An :class:`Actor`; a plain name stands for the command-line operator, who holds the database."""
    if isinstance(actor, Actor):
        return actor
    return Actor(username=actor, role=auth.ADMIN, display_name=actor)


def _check_not_outdated(session: Session, expected: ImportPreview, fresh: ImportPreview) -> None:
    """Raise :class:`PreviewOutdated` when any key's stored version differs from the one previewed."""
    seen = {c.key: c for c in expected.changes}
    stale = [(c, seen.get(c.key)) for c in fresh.changes
             if c.key not in seen or seen[c.key].old_id != c.old_id]
    if not stale:
        return
    by = {c.old_submission_id for c, _ in stale if c.old_submission_id is not None}
    # A value withdrawn since the preview has no current row: its old row names the withdrawer.
    withdrawn = [s.old_id for c, s in stale if c.old_id is None and s is not None and s.old_id is not None]
    by |= {row.retired_by_id for row in repo.rows_by_ids(session, Observation, withdrawn).values() if row.retired_by_id}
    raise PreviewOutdated(stale, sorted(by), fresh)


def _refuse_peer_rows(session: Session, actor: Actor, preview: ImportPreview) -> None:
    """A district reporter may not import 全省对比 figures (浙江省, the 设区市): every such row, located."""
    if actor.role != auth.DISTRICT_REPORTER:
        return
    home = home_region_codes(session)
    peers = {r.code: r.name for r in repo.all_regions(session) if r.code not in home}
    issues = [Issue(f"“{peers[c.record.region]}”是全省对比数据，只有市统计局人员或管理员可以导入",
                    file=preview.file_name, sheet=c.record.sheet, row=c.record.row, column=CANONICAL_LABELS["region"])
              for c in preview.changes if c.record.region in peers]
    if issues:
        raise InputError(issues)


def commit_import(engine: Engine, file_name: str, data: bytes, actor: Actor | str, *,
                  accept_warnings: bool = False, rules: PlausibilityRules = DEFAULT_RULES,
                  expected: ImportPreview | None = None) -> ImportResult:
    """Validate and write a file in one transaction: every change, or (on any error) none.

    The preview is recomputed inside the transaction so a concurrent write between preview and
    commit can never be overwritten unseen. The actor's role is checked against every row's region
    (a district reporter may write only their own district) before anything is written. When the
    preview has plausibility warnings, nothing is written unless ``accept_warnings`` is true
    (raises :class:`WarningsNotAccepted`). With ``expected`` (the preview the user confirmed),
    any value whose stored version changed since that preview makes it write nothing and raise
    :class:`PreviewOutdated`, which carries the fresh preview. An import that needs review (a district
    reporter's, see :func:`dashboard.services.review.requires_review`) is written as ``pending``: not
    published until a reviewer approves it.
    """
    from dashboard.services.review import PENDING, PUBLISHED, requires_review  # review builds on this module

    actor = as_actor(actor)
    in_review = requires_review(actor)
    with transaction(engine) as session:
        preview = _build_preview(session, file_name, data, rules)
        names = {r.code: r.name for r in repo.all_regions(session)}
        _refuse_peer_rows(session, actor, preview)
        auth.require(actor, auth.WRITE_ACTUALS, {c.record.region for c in preview.changes}, names)
        if expected is not None:
            _check_not_outdated(session, expected, preview)
        if not preview.has_changes:
            return ImportResult(None, preview)
        if preview.warnings and not accept_warnings:
            raise WarningsNotAccepted(preview.warnings)
        stored_name = stored_file_name(file_name)  # a long name is shortened, never refused by the database
        submission = repo.new_submission(
            session, "import", actor.label, file_name=stored_name, file_sha256=preview.sha256,
            n_new=preview.count("new"), n_changed=preview.count("changed"), n_unchanged=preview.count("unchanged"),
            review_state=PENDING if in_review else PUBLISHED, submitted_by=actor.username,
        )
        _write_changes(session, submission, preview.changes, source=stored_name, pending=in_review)
        accounts_repo.add_audit_event(
            session, actor.label, "import", target=stored_name, submission_id=submission.id,
            detail=f"新增 {preview.count('new')} 个，修改 {preview.count('changed')} 个" + ("，待审核" if in_review else ""),
        )
        return ImportResult(submission.id, preview, pending=in_review)


def _write_changes(session: Session, submission: Submission, changes: tuple[Change, ...], source: str,
                   pending: bool = False) -> None:
    indicators = {i.code: i.id for i in repo.indicators(session)}
    written = [c for c in changes if c.kind != "unchanged"]
    if pending:
        repo.record_pending_observations(session, submission, [_values(indicators, c, source) for c in written])
        return
    # One query for every current value touched, not one per row (same transaction, so still current).
    current = {
        (o.indicator_id, o.region_code, o.year, o.month, o.status): o
        for o in repo.current_observations(session, indicator_ids={indicators[c.record.indicator] for c in written})
    }
    versions = []
    for change in written:
        values = _values(indicators, change, source)
        key = (values["indicator_id"], values["region_code"], values["year"], values["month"], values["status"])
        versions.append((current.get(key), values))
    repo.record_versions(session, Observation, submission, versions)


def _values(indicators: dict[str, int], change: Change, source: str) -> dict[str, object]:
    """The column values of the observation row a change writes."""
    r = change.record
    return {"indicator_id": indicators[r.indicator], "region_code": r.region, "year": r.year, "month": r.month,
            "status": r.status, "value": r.value, "source": source, "note": change.new_note,
            "growth": change.new_growth}
