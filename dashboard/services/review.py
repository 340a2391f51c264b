"""Review before publication (填报→审核→发布): who must be reviewed, the review queue, approve, return.

A district reporter's import is ``pending`` (待审核): its rows are written but not current, so every
page, export, deck and ``kpi progress`` keeps showing the published figure. A city statistician or
an administrator approves it (``published``, 已发布: its rows become current) or returns it
(``returned``, 已退回, with a reason: its rows never become current; the reporter imports again).
Each action is one transaction, is audited, and is refused when the submission is no longer pending.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard import auth
from dashboard.auth import Actor
from dashboard.errors import InputError, KpiError, NotFoundError, PermissionDenied
from dashboard.formatting import as_utc, format_time
from dashboard.storage import accounts as accounts_repo
from dashboard.storage import repository as repo
from dashboard.storage.db import session_factory, write_transaction
from dashboard.storage.models import Observation, Submission

PENDING, PUBLISHED, RETURNED = "pending", "published", "returned"
STATE_LABELS = {PENDING: "待审核", PUBLISHED: "已发布", RETURNED: "已退回"}
# Icon + word, never colour alone.
STATE_ICONS = {PENDING: "⏳", PUBLISHED: "✅", RETURNED: "↩️"}
# Setting: city statisticians' and administrators' imports wait for review too (off by default).
REVIEW_ALL_ENV = "KPI_REVIEW_ALL"
AUDIT_APPROVE, AUDIT_RETURN = "review_approve", "review_return"
# How a figure awaiting review is marked wherever a 含待审核 view shows it (pages, ``kpi progress``).
PENDING_MARK = "（⏳ 待审核）"


class ReviewRefused(KpiError):
    """A review action that does not apply to the submission's state; the message says why."""


def state_text(state: str) -> str:
    """"⏳ 待审核": the icon and the word of a review state."""
    return f"{STATE_ICONS[state]} {STATE_LABELS[state]}"


def review_all() -> bool:
    """Whether the setting makes every import wait for review, whoever uploads it."""
    return os.environ.get(REVIEW_ALL_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def requires_review(actor: Actor) -> bool:
    """Whether an import by ``actor`` waits for review (district reporters always; others by setting)."""
    return actor.role == auth.DISTRICT_REPORTER or review_all()


@dataclass(frozen=True)
class ReviewItem:
    """A submission as the review queue and the reporter's own list show it."""

    id: int
    actor: str
    submitted_by: str | None
    created_at: datetime
    file_name: str | None
    n_new: int
    n_changed: int
    state: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    reason: str | None
    regions: tuple[str, ...]  # region names, in official order
    indicators: tuple[str, ...]  # indicator names, in plan order

    @property
    def state_text(self) -> str:
        return state_text(self.state)

    def to_dict(self) -> dict[str, object]:
        """The JSON object of ``kpi review list --json``."""
        return {
            "id": self.id, "actor": self.actor, "submitted_by": self.submitted_by,
            "created_at": format_time(self.created_at, seconds=True), "file_name": self.file_name,
            "n_new": self.n_new, "n_changed": self.n_changed, "state": self.state,
            "reviewed_by": self.reviewed_by,
            "reviewed_at": None if self.reviewed_at is None else format_time(self.reviewed_at, seconds=True),
            "reason": self.reason, "regions": list(self.regions), "indicators": list(self.indicators),
        }


@dataclass(frozen=True)
class ReviewLine:
    """One value of a submission in review beside the published value it would replace."""

    indicator: str
    unit: str
    region: str
    year: int
    month: int
    status: str
    value: float
    published_value: float | None
    note: str | None


def _items(session: Session, submissions: list[Submission]) -> list[ReviewItem]:
    indicator_order = {i.id: (n, i.name) for n, i in enumerate(repo.indicators(session))}
    region_order = {r.code: (n, r.name) for n, r in enumerate(repo.all_regions(session))}
    items = []
    for s in submissions:
        rows = repo.rows_written_by(session, Observation, s.id)
        regions = sorted({region_order[o.region_code] for o in rows})
        indicators = sorted({indicator_order[o.indicator_id] for o in rows})
        items.append(ReviewItem(
            s.id, s.actor, s.submitted_by, as_utc(s.created_at), s.file_name, s.n_new, s.n_changed,
            s.review_state, s.reviewed_by, None if s.reviewed_at is None else as_utc(s.reviewed_at),
            s.review_reason, tuple(name for _n, name in regions), tuple(name for _n, name in indicators),
        ))
    return items


def review_queue(engine: Engine, actor: Actor) -> list[ReviewItem]:
    """The pending submissions, oldest first (reviewers only)."""
    auth.require(actor, auth.REVIEW)
    with session_factory(engine)() as session:
        return _items(session, repo.submissions_in_review(session, PENDING))


def my_submissions(engine: Engine, actor: Actor) -> list[ReviewItem]:
    """The actor's own submissions that went through review, newest first (a reporter's 报送记录)."""
    with session_factory(engine)() as session:
        mine = [s for state in STATE_LABELS for s in repo.submissions_in_review(session, state, actor.username)]
        return sorted(_items(session, mine), key=lambda item: item.id, reverse=True)


def review_lines(engine: Engine, actor: Actor, submission_id: int) -> list[ReviewLine]:
    """What a submission wrote, each value beside the currently published one (reviewers only)."""
    auth.require(actor, auth.REVIEW)
    with session_factory(engine)() as session:
        _get(session, submission_id)
        rows = repo.rows_written_by(session, Observation, submission_id)
        indicators = {i.id: i for i in repo.indicators(session)}
        regions = {r.code: r.name for r in repo.all_regions(session)}
        published = {
            (o.indicator_id, o.region_code, o.year, o.month, o.status): o.value
            for o in repo.current_observations(session, {o.indicator_id for o in rows}, {o.region_code for o in rows})
        }
        return [
            ReviewLine(indicators[o.indicator_id].name, indicators[o.indicator_id].unit, regions[o.region_code],
                       o.year, o.month, o.status, o.value,
                       # An approved row is itself the published value: show the one it replaced.
                       None if o.is_current else published.get((o.indicator_id, o.region_code, o.year, o.month,
                                                                o.status)),
                       o.note)
            for o in rows
        ]


def _get(session: Session, submission_id: int) -> Submission:
    submission = repo.submission_by_id(session, submission_id)
    if submission is None:
        raise NotFoundError(f"没有编号为 {submission_id} 的提交")
    return submission


def _refusal(submission: Submission) -> ReviewRefused:
    """Why a submission that is not pending cannot be reviewed."""
    when = "" if submission.reviewed_at is None else f"，{format_time(as_utc(submission.reviewed_at))}"
    by = f"（{submission.reviewed_by}{when}）" if submission.reviewed_by else ""
    if submission.review_state == RETURNED:
        return ReviewRefused(f"提交 #{submission.id} 已退回{by}，不能再发布；请区县修改后重新报送")
    return ReviewRefused(f"提交 #{submission.id} 已发布{by}，不能重复审核")


def _review(engine: Engine, actor: Actor, submission_id: int, state: str, reason: str | None) -> ReviewItem:
    """Approve or return in one transaction: authorise, claim the pending state, write, audit."""
    auth.require(actor, auth.REVIEW)
    # Under the store's write lock, like every writer: the state read below cannot be overtaken.
    with write_transaction(engine) as session:
        submission = _get(session, submission_id)
        if submission.submitted_by == actor.username:
            raise PermissionDenied("不能审核自己的提交，请由另一位市统计员或管理员审核")
        if not repo.claim_review(session, submission_id, state, actor.label, datetime.now(timezone.utc), reason):
            session.refresh(submission)
            raise _refusal(submission)
        if state == PUBLISHED:
            rows = repo.publish_observations(session, submission)
            action, detail = AUDIT_APPROVE, f"审核通过并发布 {len(rows)} 个数值"
        else:
            action, detail = AUDIT_RETURN, f"退回：{reason}"
        accounts_repo.add_audit_event(session, actor.label, action, target=f"提交 #{submission_id}",
                                      submission_id=submission_id, detail=detail)
        session.flush()
        return _items(session, [submission])[0]


def approve(engine: Engine, actor: Actor, submission_id: int) -> ReviewItem:
    """Publish a pending submission: its values become the current ones. Refused unless pending."""
    return _review(engine, actor, submission_id, PUBLISHED, None)


def return_submission(engine: Engine, actor: Actor, submission_id: int, reason: str) -> ReviewItem:
    """Send a pending submission back with a reason; its values are never published."""
    reason = reason.strip()
    if not reason:
        raise InputError("退回时请填写退回原因，区县据此修改后重新报送")
    return _review(engine, actor, submission_id, RETURNED, reason)


def submission_state(engine: Engine, submission_id: int) -> str:
    """The review state of a submission (``pending`` / ``published`` / ``returned``)."""
    with session_factory(engine)() as session:
        return _get(session, submission_id).review_state
