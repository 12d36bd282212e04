"""The preview's inputs hash: equal inputs give an equal hash in any process (the web and the
worker run with different PYTHONHASHSEEDs), and any change to an input changes it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.bench.plan import synthetic_org
from planner.scheduler.planning import SeriesMeta, inputs_hash
from planner.scheduler.spread import ExistingPlacement
from tests.scheduler_helpers import under_hash_seeds

META = {"2025:c1:t1": SeriesMeta(1, "Roundtable", "skip_level", "P4", "", 1, (2, 3), 1, False)}


def test_equal_inputs_built_differently_give_an_equal_hash() -> None:
    plan = synthetic_org(2, 3, 4)
    at = datetime(2025, 11, 3, 9, tzinfo=UTC)
    placed = ExistingPlacement("2025:c1:t1#0", at, pinned=False, end=at.replace(hour=10))
    base = replace(plan, existing=(placed,))
    same = replace(
        plan,
        closed_dates=frozenset(sorted(plan.closed_dates, reverse=True)),
        person_names=dict(reversed(list(plan.person_names.items()))),
        existing=(replace(placed, start=at.astimezone(ZoneInfo("Europe/Amsterdam"))),),
    )
    assert inputs_hash(base, META) == inputs_hash(same, META)
    moved = (replace(placed, start=placed.start.replace(minute=30)),)
    assert inputs_hash(replace(base, existing=moved), META) != inputs_hash(base, META)
    assert inputs_hash(replace(base, series=base.series[1:]), META) != inputs_hash(base, META)
    renamed = {k: replace(m, title="Other") for k, m in META.items()}
    assert inputs_hash(base, renamed) != inputs_hash(base, META)


@pytest.mark.slow  # three interpreters; DB-free, so the PostgreSQL run may skip it
def test_the_hash_does_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "from planner.bench.plan import synthetic_org;"
        "from planner.scheduler.planning import inputs_hash;"
        "print(inputs_hash(synthetic_org(2, 3, 4), {}))"
    )
    assert len(under_hash_seeds(script)) == 1
