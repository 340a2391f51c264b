"""docs/methodology.md and the code must say the same thing, to the digits the document prints.

Blocks marked ``<!-- methodology-check: ... -->`` in the document are machine-read here:
* ``thresholds``: a JSON block equal to DEFAULT_THRESHOLDS;
* ``example <id>``: a JSON block with inputs and expected top-level outputs and sentences;
* ``milestones <id>``: a markdown table, one row per field (backticked name), one column per
  milestone year, "null" for undefined; the first word of a cell is compared.
"""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from dashboard.progress import (
    SDG_STATUS_LABELS,
    STATUS_LABELS,
    Milestone,
    SeriesInput,
    assess,
    assessment_to_dict,
)
from dashboard.wording import conclusion_sentence
from dashboard.thresholds import DEFAULT_THRESHOLDS

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
TEXT = DOC.read_text(encoding="utf-8")
MARKER = re.compile(r"<!-- methodology-check: (\w+)(?: (\w+))? -->\n(.*?)(?:\n\n|\Z)", re.S)


def blocks(kind: str) -> dict[str | None, str]:
    return {m.group(2): m.group(3) for m in MARKER.finditer(TEXT) if m.group(1) == kind}


def load_json(block: str):
    body = re.fullmatch(r"```json\n(.*)\n```", block.strip(), re.S)
    assert body, f"expected a fenced json block, got:\n{block}"
    # Decimal keeps the digits as printed, so the comparison knows how far to round.
    return json.loads(body.group(1), parse_float=Decimal)


def matches(computed, printed) -> bool:
    """True when ``computed`` equals ``printed`` to the digits printed (rounded half up)."""
    if printed is None or isinstance(printed, (str, bool)):
        return computed == printed
    if computed is None:
        return False
    printed = Decimal(printed)
    exponent = Decimal(1).scaleb(printed.as_tuple().exponent)
    return Decimal(repr(float(computed))).quantize(exponent, rounding=ROUND_HALF_UP) == printed


def compare(computed, printed, where: str) -> None:
    if isinstance(printed, dict):
        assert isinstance(computed, dict), f"{where}: expected an object, code gives {computed!r}"
        for key, value in printed.items():
            assert key in computed, f"{where}.{key}: not an output of the code"
            compare(computed[key], value, f"{where}.{key}")
    else:
        assert matches(computed, printed), f"{where}: document says {printed}, code gives {computed!r}"


def run_example(example) -> dict:
    s = example["series"]
    series = SeriesInput(
        direction=s["direction"],
        baseline_year=s["baseline_year"],
        baseline=None if s["baseline"] is None else float(s["baseline"]),
        milestones=tuple(Milestone(int(y), float(t)) for y, t in s["milestones"]),
        actuals={int(y): float(v) for y, v in s["actuals"].items()},
    )
    actual = None if example["actual"] is None else float(example["actual"])
    return series, assess(series, example["year"], actual)


EXAMPLES = {key: load_json(block) for key, block in blocks("example").items()}


def test_document_has_the_checked_blocks():
    assert set(EXAMPLES) >= {"retail", "entities", "data_ip"}
    assert set(blocks("milestones")) == set(EXAMPLES)
    assert None in blocks("thresholds")


def test_thresholds_in_doc_are_the_defaults():
    printed = load_json(blocks("thresholds")[None])
    assert {k: float(v) for k, v in printed.items()} == dataclasses.asdict(DEFAULT_THRESHOLDS)


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_example_top_level_values(example_id):
    example = EXAMPLES[example_id]
    _, result = run_example(example)
    compare(assessment_to_dict(result), example["expected"], example_id)


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_example_sentences(example_id):
    example = EXAMPLES[example_id]
    _, result = run_example(example)
    assert example["sentences"], "each example shows at least one briefing sentence"
    for year, sentence in example["sentences"].items():
        assert conclusion_sentence(example["indicator"], result, int(year)) == sentence


@pytest.mark.parametrize("example_id", sorted(EXAMPLES))
def test_example_milestone_table(example_id):
    _, result = run_example(EXAMPLES[example_id])
    by_year = {m["year"]: m for m in assessment_to_dict(result)["milestones"]}
    table = blocks("milestones")[example_id]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in table.splitlines()]
    years = [int(y) for y in rows[0][1:]]
    assert years == sorted(by_year), "the table has one column per milestone"
    checked = 0
    for row in rows[2:]:  # skip header and separator
        field = re.search(r"`(\w+)`", row[0]).group(1)
        for year, cell in zip(years, row[1:]):
            word = cell.split()[0]
            printed: object = word
            if word == "null":
                printed = None
            elif re.fullmatch(r"-?\d+(\.\d+)?", word):
                printed = Decimal(word)
            assert matches(by_year[year][field], printed), (
                f"{example_id} {field} {year}: document says {word}, code gives {by_year[year][field]!r}"
            )
            if field == "status":  # the icon and word printed next to the key are the real labels
                assert cell == f"{word} {' '.join(STATUS_LABELS[word])}"
            checked += 1
    assert checked >= 3 * 6


def test_every_label_is_in_the_doc():
    for key, (icon, word) in STATUS_LABELS.items():
        assert f"| `{key}` | {icon} {word} |" in TEXT
    for key, (icon, word) in SDG_STATUS_LABELS.items():
        assert f"{icon} {word}（`{key}`）" in TEXT


@pytest.mark.parametrize(
    "name",
    ["完成率", "目标进度", "序时进度", "进度差", "红黄绿灯", "尚需年均增速", "计划轨迹", "已实现年均增速", "国际参照", "直线外推"],
)
def test_every_measure_is_named(name):
    assert name in TEXT


def test_matches_helper_can_fail():
    # Guard against a comparison that always passes.
    assert matches(0.91666, Decimal("0.9167"))
    assert not matches(0.91666, Decimal("0.9166"))
    assert not matches(None, Decimal("1"))
    assert matches(None, None) and not matches(0.0, None)


def test_the_statement_of_definitions_covers_what_a_statistics_bureau_asks() -> None:
    section = TEXT.split("## 口径说明", 1)[1].split("\n## ", 1)[0]
    for topic in ("基期", "基期修订数", "序时进度", "年度内", "跨年度", "四舍五入", "初步数", "据初步数",
                  "已报区县合计", "数据不全", "目标不高于基期", "按完成率判断"):
        assert topic in section, topic
