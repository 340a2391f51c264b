"""Who may do what: roles, the permission rules, and the login lock-out policy. Pure Python.

The services call :func:`require` before every write, so the rules hold for the command line and
the app alike — hiding a button is never the only protection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from dashboard.errors import PermissionDenied

VIEWER, DISTRICT_REPORTER, CITY_STATISTICIAN, ADMIN = "viewer", "district_reporter", "city_statistician", "admin"
ROLE_LABELS = {
    VIEWER: "领导（只读）",
    DISTRICT_REPORTER: "区县统计员",
    CITY_STATISTICIAN: "市统计员",
    ADMIN: "管理员",
}

# Operations that write. Reading is open to every signed-in role.
WRITE_ACTUALS = "write_actuals"  # upload / correct actuals and their notes
ROLLBACK = "rollback"  # undo a submission of actuals
ALLOCATE_TARGETS = "allocate_targets"  # district targets (分解目标), estimates included
EDIT_METADATA = "edit_metadata"  # indicator metadata, plan files
MANAGE_USERS = "manage_users"
READ_AUDIT = "read_audit"
REVIEW = "review"  # approve (publish) or return a submission in review (审核)
DEFINE_PERIODS = "define_periods"  # reporting periods (报送期) and their deadlines
OPERATION_LABELS = {
    WRITE_ACTUALS: "填报或修改实际数",
    ROLLBACK: "撤销提交",
    ALLOCATE_TARGETS: "分解目标",
    EDIT_METADATA: "修改指标设置",
    MANAGE_USERS: "管理账号",
    READ_AUDIT: "查看操作日志",
    REVIEW: "审核提交",
    DEFINE_PERIODS: "设置报送期",
}

# Which roles may perform each operation; region limits for district reporters are checked apart.
_ALLOWED: dict[str, frozenset[str]] = {
    WRITE_ACTUALS: frozenset({DISTRICT_REPORTER, CITY_STATISTICIAN, ADMIN}),
    ROLLBACK: frozenset({DISTRICT_REPORTER, CITY_STATISTICIAN, ADMIN}),
    ALLOCATE_TARGETS: frozenset({ADMIN}),
    EDIT_METADATA: frozenset({ADMIN}),
    MANAGE_USERS: frozenset({ADMIN}),
    READ_AUDIT: frozenset({CITY_STATISTICIAN, ADMIN}),
    # District reporters never review: the city office checks what the districts send.
    REVIEW: frozenset({CITY_STATISTICIAN, ADMIN}),
    DEFINE_PERIODS: frozenset({ADMIN}),
}
# Operations a district reporter may perform only on rows of their own district.
_REGION_BOUND = frozenset({WRITE_ACTUALS, ROLLBACK})

# Lock-out: after MAX_FAILED_LOGINS failures in a row the account is locked, for longer each time.
MAX_FAILED_LOGINS = 5
BASE_LOCKOUT = timedelta(minutes=5)
MAX_LOCKOUT = timedelta(hours=24)
MIN_PASSWORD_LENGTH = 10
SESSION_LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class Actor:
    """The person (or system process) on whose behalf a service runs."""

    username: str
    role: str
    display_name: str = ""
    region_code: str | None = None  # a district reporter's own district

    @property
    def label(self) -> str:
        """How the actor is recorded in history, e.g. ``张三（区县统计员）``."""
        return f"{self.display_name or self.username}（{ROLE_LABELS.get(self.role, self.role)}）"


# The command line run by the machine's own operator (an administrator by definition: they hold the
# database file), and the plan loader.
SYSTEM = Actor(username="system", role=ADMIN, display_name="系统")


def can(actor: Actor, operation: str, regions: Iterable[str] = ()) -> bool:
    """Whether ``actor`` may perform ``operation`` on rows of ``regions``."""
    if actor.role not in _ALLOWED.get(operation, frozenset()):
        return False
    if actor.role == DISTRICT_REPORTER and operation in _REGION_BOUND:
        return actor.region_code is not None and all(region == actor.region_code for region in regions)
    return True


def require(actor: Actor, operation: str, regions: Iterable[str] = (), region_names: dict[str, str] | None = None) -> None:
    """Raise :class:`PermissionDenied` (in Chinese) unless ``actor`` may perform ``operation``."""
    regions = list(regions)
    if can(actor, operation, regions):
        return
    what = OPERATION_LABELS.get(operation, operation)
    role = ROLE_LABELS.get(actor.role, actor.role)
    if actor.role == DISTRICT_REPORTER and actor.role in _ALLOWED.get(operation, frozenset()):
        names = region_names or {}
        others = sorted({names.get(r, r) for r in regions if r != actor.region_code})
        own = names.get(actor.region_code or "", actor.region_code or "未指定")
        raise PermissionDenied(f"{role}只能操作本区县（{own}）的数据，无权{what}：{'、'.join(others)}")
    raise PermissionDenied(f"{role}无权{what}")


def lockout_duration(failures: int) -> timedelta | None:
    """How long an account is locked after ``failures`` failed logins in a row (None: not locked).

    Doubling from :data:`BASE_LOCKOUT` at every further failure makes guessing slow without
    locking a person out for long over a couple of typos.
    """
    if failures < MAX_FAILED_LOGINS:
        return None
    doublings = min(failures - MAX_FAILED_LOGINS, 16)  # 5 min × 2^16 is far beyond the cap already
    return min(BASE_LOCKOUT * 2**doublings, MAX_LOCKOUT)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


# Passwords people pick first (and that guessing tries first): refused whatever the length rule says.
# Compared case-insensitively; a short list on purpose, the length rule does the rest.
COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "12345678910", "1111111111", "0000000000", "1234512345", "1q2w3e4r5t",
    "qwertyuiop", "qwerty1234", "qwe1234567", "asdfghjkl1", "password12", "password123", "password1234",
    "passw0rd123", "admin12345", "admin123456", "administrator", "abc1234567", "abcd123456", "a123456789",
    "aa12345678", "iloveyou12", "woaini1314", "5201314520", "1314520520", "zxcvbnm123", "p@ssw0rd12",
    "welcome123", "changeme123", "letmein1234", "shaoxing123", "shaoxing2025", "tongji12345",
})


def password_problems(password: str, username: str = "") -> list[str]:
    """Why a new password is unacceptable (empty list: acceptable).

    At least :data:`MIN_PASSWORD_LENGTH` characters, not the user name (nor containing it), not one
    of :data:`COMMON_PASSWORDS`, no spaces at either end.
    """
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")
    if password.strip() != password:
        problems.append("密码首尾不能有空格")
    name = username.strip().lower()
    # Containment only for names of 3+ characters: a one-letter name would forbid half the alphabet.
    if name and (name == password.lower() or (len(name) >= 3 and name in password.lower())):
        problems.append("密码不能是用户名，也不能包含用户名")
    if password.lower() in COMMON_PASSWORDS:
        problems.append("密码过于常见，容易被猜中，请换一个")
    return problems
