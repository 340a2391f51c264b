"""The plan store: plans, regions, measures, indicators, and versioned targets and observations.

Targets and observations are append-only. A correction inserts a new row that ``supersedes`` the
old one and flips the old row's ``is_current`` off; the old value is never overwritten. Every row
belongs to the :class:`Submission` that wrote it, so history answers "who, when, from which file".
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from dashboard.storage.base import Base

INDICATOR_KINDS = ("flow", "stock", "cumulative")
AGGREGATIONS = ("additive", "city_only")
DIRECTIONS = ("higher", "lower")
TIERS = ("core", "measure")
VALUE_TYPES = ("number", "percent", "boolean")
TARGET_BASES = ("by_year", "per_year")
COMPARISONS = (">=", ">", "<=", "<", "=", "[]")  # "[]": a range target, both ends included
# "province": 浙江省, the top of the peer comparison (全省位次); peer cities are "city" rows under it.
REGION_LEVELS = ("province", "city", "district")
# "annual": an explicit target for one year that is no milestone of the plan (年度目标, month-level view).
TARGET_ORIGINS = ("published", "allocated", "estimated", "annual")
OBSERVATION_STATUSES = ("preliminary", "final")
SUBMISSION_KINDS = ("plan", "import", "rollback", "allocation", "demo")
ROLES = ("viewer", "district_reporter", "city_statistician", "admin")
# 填报→审核→发布: a district reporter's import waits (pending) until a reviewer publishes or returns it.
REVIEW_STATES = ("pending", "published", "returned")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


def _one_current(name: str, *key: str) -> Index:
    """At most one current version per key: a partial unique index over the current rows only."""
    return Index(name, *key, unique=True, sqlite_where=text("is_current = 1"), postgresql_where=text("is_current"))


class Plan(Base):
    """A policy document whose targets are tracked."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    baseline_year: Mapped[int] = mapped_column(Integer)
    # The region the plan's published targets belong to (the city).
    city_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    source: Mapped[str | None] = mapped_column(Text)

    indicators: Mapped[list[Indicator]] = relationship(back_populates="plan", order_by="Indicator.sort_order")
    measures: Mapped[list[Measure]] = relationship(back_populates="plan", order_by="Measure.sort_order")


class Region(Base):
    """An administrative region, keyed by its 6-digit 行政区划代码."""

    __tablename__ = "regions"
    __table_args__ = (_one_of("level", REGION_LEVELS, "level"),)

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Measure(Base):
    """A numbered measure (举措) of the plan, or its overall goal, with its lead unit (牵头单位)."""

    __tablename__ = "measures"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_measures_plan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(16))
    action: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lead_unit: Mapped[str | None] = mapped_column(String(100))
    other_units: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[Plan] = relationship(back_populates="measures")


class Indicator(Base):
    """A tracked indicator: a core indicator of the plan, or a measure-level target."""

    __tablename__ = "indicators"
    __table_args__ = (
        UniqueConstraint("plan_id", "name", name="uq_indicators_plan_name"),
        _one_of("kind", INDICATOR_KINDS, "kind"),
        _one_of("aggregation", AGGREGATIONS, "aggregation"),
        _one_of("direction", DIRECTIONS, "direction"),
        _one_of("tier", TIERS, "tier"),
        _one_of("value_type", VALUE_TYPES, "value_type"),
        _one_of("target_basis", TARGET_BASES, "target_basis"),
        _one_of("comparison", COMPARISONS, "comparison"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(16))
    aggregation: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8), default="higher")
    decimals: Mapped[int] = mapped_column(Integer, default=0)
    tier: Mapped[str] = mapped_column(String(8))
    value_type: Mapped[str] = mapped_column(String(8), default="number")
    # "per_year": the target applies to each year on its own (e.g. ≥8 projects every year).
    target_basis: Mapped[str] = mapped_column(String(8), default="by_year")
    comparison: Mapped[str] = mapped_column(String(2), default=">=")
    target_note: Mapped[str | None] = mapped_column(Text)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"))
    lead_unit: Mapped[str | None] = mapped_column(String(100))
    definition: Mapped[str | None] = mapped_column(Text)
    source_agency: Mapped[str | None] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    measure: Mapped[Measure | None] = relationship()


class Submission(Base):
    """One write to the store: who, when, from which file, and what it changed.

    A submission in review (``pending``) holds rows that are not current: the published value stays
    current, and so stays what leaders see, until the submission is approved (its rows become
    current then, superseding the published ones) or returned (its rows are never made current).
    """

    __tablename__ = "submissions"
    __table_args__ = (
        _one_of("kind", SUBMISSION_KINDS, "kind"),
        _one_of("review_state", REVIEW_STATES, "review_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_changed: Mapped[int] = mapped_column(Integer, default=0)
    n_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    rolled_back_by_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    review_state: Mapped[str] = mapped_column(String(12), default="published", server_default="published")
    # The submitter's account name (``actor`` is a display label): nobody reviews their own submission.
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_reason: Mapped[str | None] = mapped_column(Text)


class VersionedRow:
    """Columns shared by append-only tables: the writing submission and the supersession chain."""

    id: Mapped[int] = mapped_column(primary_key=True)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)

    @declared_attr
    def submission_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("submissions.id"))

    @declared_attr
    def retired_by_id(cls) -> Mapped[int | None]:
        """The submission that made this row no longer current (a correction or a rollback)."""
        return mapped_column(ForeignKey("submissions.id"))

    @declared_attr
    def supersedes_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id"))  # type: ignore[attr-defined]


class Target(VersionedRow, Base):
    """A target value of an indicator for a region and year (published, allocated or estimated)."""

    __tablename__ = "targets"
    __table_args__ = (
        _one_of("origin", TARGET_ORIGINS, "origin"),
        _one_current("uq_targets_current", "indicator_id", "region_code", "year"),
    )

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    # Range targets (力争1—2个): ``value`` is the lower end, ``upper`` the upper end; None otherwise.
    upper: Mapped[float | None] = mapped_column(Float, nullable=True)
    origin: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class Observation(VersionedRow, Base):
    """An actual value. ``month`` 12 is the whole year (or year-end); 1–11 are 1–N月累计 figures."""

    __tablename__ = "observations"
    __table_args__ = (
        _one_of("status", OBSERVATION_STATUSES, "status"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
        _one_current("uq_observations_current", "indicator_id", "region_code", "year", "month", "status"),
    )

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer, default=12)
    status: Mapped[str] = mapped_column(String(12))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # 同比增速 in percent as the statistics office published it (可比口径), beside the figure; None: not given.
    growth: Mapped[float | None] = mapped_column(Float)


class User(Base):
    """A local account. Only a salted argon2 hash of the password is stored."""

    __tablename__ = "users"
    __table_args__ = (_one_of("role", ROLES, "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(24))
    # The district a district reporter may write to; None for every other role.
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)


class AuditEvent(Base):
    """One line of the audit log: every write and every failed login, with who, when and what."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(255))
    detail: Mapped[str | None] = mapped_column(Text)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))


class ReportingPeriod(Base):
    """A period to report (报送期) and its deadline, for one indicator or (``indicator_id`` None) all.

    ``month`` 12 is the whole year; 1–11 are 1–N月累计 figures, as for observations.
    """

    __tablename__ = "reporting_periods"
    __table_args__ = (CheckConstraint("month BETWEEN 1 AND 12", name="month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)


class UserSession(Base):
    """A server-side sign-in: only the SHA-256 of its random token is stored, so a copy of the
    database cannot be used to sign in. Revoked on sign-out, disable and password change."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
