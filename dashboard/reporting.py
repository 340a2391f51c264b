"""Reporting periods (报送期): default deadlines and the state of one indicator × region cell. Pure Python.

A cell is 已发布 when a published figure exists for the period, else 待审核 when one waits for
review, else — once the deadline has passed — 逾期, else 已退回 when the last attempt was sent back,
else 未报. Overdue wins over returned: after the deadline, the office chases everything that has no
valid figure, returned or never sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PUBLISHED, PENDING, RETURNED, MISSING, OVERDUE, NOT_REQUIRED = (
    "published", "pending", "returned", "missing", "overdue", "not_required")
# Icon + word: the state is never told by colour alone.
CELL_LABELS = {
    PUBLISHED: ("✅", "已发布"),
    PENDING: ("⏳", "待审核"),
    RETURNED: ("↩️", "已退回"),
    MISSING: ("⚪", "未报"),
    OVERDUE: ("🔴", "逾期"),
    NOT_REQUIRED: ("—", "无需报送"),
}
# States the office sends a 催报 (reminder) for.
TO_CHASE = (OVERDUE, RETURNED, MISSING)
ANNUAL = 12
ANNUAL_DEADLINE = (3, 15)  # annual figures: 3月15日 of the next year
MONTHLY_DEADLINE_DAY = 15  # 1–N月累计: the 15th of the next month


def default_deadline(year: int, month: int) -> date:
    """The usual deadline of a period: annual by 3月15日 next year, 1–N月累计 by the 15th next month."""
    if month == ANNUAL:
        return date(year + 1, *ANNUAL_DEADLINE)
    return date(year, month + 1, MONTHLY_DEADLINE_DAY)


def period_label(year: int, month: int) -> str:
    """"2025年" (annual) or "2025年1–6月累计"."""
    return f"{year}年" if month == ANNUAL else f"{year}年1–{month}月累计"


@dataclass(frozen=True)
class Evidence:
    """What the store holds for one indicator, region and period."""

    published: bool = False
    pending: bool = False
    returned: bool = False


def cell_state(evidence: Evidence, deadline: date | None, today: date) -> str:
    """The state of one cell; ``deadline`` None means the period is not required for this indicator."""
    if deadline is None:
        return NOT_REQUIRED
    if evidence.published:
        return PUBLISHED
    if evidence.pending:
        return PENDING
    if today > deadline:
        return OVERDUE
    return RETURNED if evidence.returned else MISSING


def cell_text(state: str) -> str:
    """"🔴 逾期": icon and word."""
    icon, word = CELL_LABELS[state]
    return f"{icon} {word}"
