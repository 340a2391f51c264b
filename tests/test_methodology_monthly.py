"""The month-level worked examples of docs/methodology.md (section 12) recomputed by the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.docexamples import assert_as_stated
from dashboard.monthly import MonthInput, annual_target, assess_month, month_to_dict, month_sentence
from dashboard.plan import DEFAULT_PLAN_FILE, load_plan_file
from dashboard.progress import Milestone, SeriesInput

DOC = Path(__file__).resolve().parents[1] / "docs" / "methodology.md"
BLOCK = re.compile(r"<!-- monthly-check: (?P<tag>[^>]+?) -->\s*```json\n(?P<body>.*?)```", re.S)


def blocks() -> list[tuple[str, dict]]:
    found = [(m["tag"], json.loads(m["body"])) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]
    assert len(found) >= 4, "the month-level worked examples are missing from docs/methodology.md"
    return found


@pytest.mark.parametrize(("tag", "example"), blocks(), ids=[tag for tag, _ in blocks()])
def test_month_example(tag: str, example: dict) -> None:
    spec = dict(example["input"])
    if spec.get("annual_target") is None:  # the doc states the trajectory target; the code must agree
        s = example["series"]
        series = SeriesInput("higher", s["baseline_year"], s["baseline"],
                             tuple(Milestone(y, t) for y, t in s["milestones"]))
        spec["annual_target"], spec["annual_target_origin"] = annual_target(None, series, spec["year"])
    assessment = assess_month(MonthInput(**spec))
    got = month_to_dict(assessment)
    assert_as_stated(got, example["expected"], tag)
    indicator = next(i for i in load_plan_file(DEFAULT_PLAN_FILE).indicators if i.name == example["indicator"])
    assert indicator.kind == spec["kind"], tag  # the example uses the indicator's real kind
    assert month_sentence(indicator.name, indicator.unit, indicator.decimals, assessment) == example["sentence"]
