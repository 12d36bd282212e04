"""The planning benchmark runs end to end on small orgs (figures are printed, not asserted)."""

from __future__ import annotations

import pytest

from planner.bench.__main__ import main as bench_main


@pytest.mark.slow  # DB-free: the PostgreSQL run of the suite gains nothing from repeating it
def test_quick_plan_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_main(["plan", "--quick"]) == 0
    out = capsys.readouterr().out
    for figure in ("time", "hard violations", "weeks covered", "balance", "re-plan", "peak memory"):
        assert figure in out
    assert out.count("hard violations      0 ") == 3  # incl. the unplaceable scenario
    assert "unforced 0" in out
    assert "real-shaped org:" in out and "first plan on 2026-12-01" in out
    assert out.count("double-bookings 0,") == 6 and "joiners added on" in out
