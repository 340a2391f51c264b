"""Checking a worked example of docs/methodology.md against what the code computed."""

from __future__ import annotations

import pytest


def assert_as_stated(got: dict, expected: dict, tag: str) -> None:
    """Every expected key equals the computed one: numbers to the precision the document writes them
    with (half a unit of their last digit), everything else exactly."""
    for key, want in expected.items():
        if isinstance(want, float) or (isinstance(want, int) and not isinstance(want, bool)):
            decimals = len(str(want).split(".")[1]) if "." in str(want) else 0
            assert got[key] == pytest.approx(want, abs=0.5 * 10 ** -decimals + 1e-12), (tag, key)
        else:
            assert got[key] == want, (tag, key)
