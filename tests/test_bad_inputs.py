"""Every file in tests/fixtures/bad_inputs/ must be rejected with the message promised in expected.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dashboard.errors import InputError, Issue
from dashboard.tabular import read_table
from dashboard.validation import Catalog, IndicatorRef, RegionRef, validate_table

FIXTURES = Path(__file__).parent / "fixtures" / "bad_inputs"
EXPECTED: dict[str, list[str]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))

# The 8 core indicators of the plan (DOMAIN.md); 平台经济领域地方标准 is tracked for the city only.
_INDICATORS = [
    ("SX01", "网络零售额", "亿元", 1),
    ("SX02", "网络经营主体", "万家", 1),
    ("SX03", "平台", "个", 0),
    ("SX04", "省级工业互联网平台", "个", 0),
    ("SX05", "省级数字工厂", "家", 0),
    ("SX06", "农村快递“共富驿站”", "个", 0),
    ("SX07", "平台经济领域地方标准", "项", 0),
    ("SX08", "数据知识产权登记", "件", 0),
]
_REGIONS = [
    ("330600", "绍兴市", "city"),
    ("330602", "越城区", "district"),
    ("330603", "柯桥区", "district"),
    ("330604", "上虞区", "district"),
    ("330624", "新昌县", "district"),
    ("330681", "诸暨市", "district"),
    ("330683", "嵊州市", "district"),
]
SHAOXING_CATALOG = Catalog(
    indicators=tuple(IndicatorRef(c, n, u, c == "SX07", d) for c, n, u, d in _INDICATORS),
    regions=tuple(RegionRef(c, n, level) for c, n, level in _REGIONS),
    first_year=2022,
    last_year=2027,
)


def import_issues(path: Path) -> list[Issue]:
    """What the import tells the user about ``path``: file-level rejection or row errors."""
    try:
        table = read_table(path.name, path.read_bytes())
    except InputError as exc:
        return exc.issues
    return list(validate_table(table, SHAOXING_CATALOG).errors)


def fixture_files() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.name != "expected.yaml")


def test_there_are_enough_fixtures() -> None:
    assert len(fixture_files()) >= 20


def test_every_fixture_has_an_expectation_and_vice_versa() -> None:
    assert set(fixture_files()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_the_expected_message(name: str) -> None:
    issues = import_issues(FIXTURES / name)
    assert issues, f"{name} was accepted"
    text = "\n".join(str(issue) for issue in issues)
    for expected in EXPECTED[name]:
        assert expected in text, f"{name}: {expected!r} not in\n{text}"
    # Every message says which file it is about, and every issue is an error that blocks the import.
    assert all(f"文件“{name}”" in str(issue) for issue in issues)
    assert all(issue.severity == "error" for issue in issues)
