"""The outlook's worked examples and backtest table in docs/methodology.md (section 13), recomputed by the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.docexamples import assert_as_stated
from dashboard.outlook import PastYear, assess_outlook, backtest_row, outlook_sentence, outlook_to_dict
from dashboard.outlook import remaining_sentence
from dashboard.plan import DEFAULT_PLAN_FILE, load_plan_file

DOC = (Path(__file__).resolve().parents[1] / "docs" / "methodology.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"<!-- outlook-check: (?P<tag>[^>]+?) -->\s*```json\n(?P<body>.*?)```", re.S)
EXAMPLES = [(m["tag"], json.loads(m["body"])) for m in BLOCK.finditer(DOC)]


def test_the_worked_examples_are_there() -> None:
    assert len(EXAMPLES) >= 3
    assert {e["expected"]["forecast_method"] for _t, e in EXAMPLES} == {"seasonal_share", "seasonal_increment",
                                                                        "uniform"}


@pytest.mark.parametrize(("tag", "example"), EXAMPLES, ids=[tag for tag, _ in EXAMPLES])
def test_outlook_example(tag: str, example: dict) -> None:
    spec = dict(example["input"])
    past = [PastYear(*p) for p in spec.pop("past")]
    o = assess_outlook(spec["kind"], spec["direction"], spec["year"], spec["month"], spec["ytd"], past,
                       spec.get("annual_target"), spec.get("prior_year_end"))
    got = outlook_to_dict(o)
    assert_as_stated(got, example["expected"], tag)
    indicator = next(i for i in load_plan_file(DEFAULT_PLAN_FILE).indicators if i.name == example["indicator"])
    assert indicator.kind == spec["kind"], tag  # the example uses the indicator's real kind
    assert outlook_sentence(o, indicator.unit, indicator.decimals) == example["sentence"]
    assert remaining_sentence(o, spec["month"], spec["direction"]) == example["remaining"]


def test_the_backtest_table_is_the_demo_data_s(tmp_path: Path) -> None:
    from dashboard.services import demo, outlook
    from dashboard.storage.db import make_engine

    url, _report = demo.create_demo_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}", seed=2023)
    engine = make_engine(url)
    try:
        rows = [backtest_row(r.name, r.summary) for r in outlook.backtest(engine) if r.summary]
    finally:
        engine.dispose()
    table = DOC.split("<!-- outlook-backtest: demo seed 2023 -->", 1)[1].strip().splitlines()
    documented = [line for line in table[2:] if line.startswith("| ")]
    assert documented == rows
