"""The ejection chains' table of allowed links (spread_chains.Links) never goes stale."""

from __future__ import annotations

import pytest

from planner.bench.plan import synthetic_org
from planner.scheduler.spread import spread_over_year
from planner.scheduler.spread_chains import Links
from planner.scheduler.validate import find_violations


@pytest.mark.parametrize(
    ("leaders", "tz"), [(20, "Europe/Amsterdam"), (6, "Australia/Lord_Howe"), (4, "UTC")]
)
def test_stored_links_are_what_the_board_allows_after_every_move(monkeypatch, leaders, tz) -> None:
    """After each link a chain applies, every bit set still stored equals one worked out afresh
    from the board, so dropping only the moved event's series, leader and team (and everything
    when a week becomes or stops being empty or single) loses nothing."""
    moves: list[int] = []
    forget = Links.forget

    def checked(self: Links, ev, counts_before) -> None:  # type: ignore[no-untyped-def]
        forget(self, ev, counts_before)
        stale = [e for e, mask in self.masks.items() if mask != self._compute(e)]
        assert stale == []
        moves.append(len(self.masks))

    monkeypatch.setattr(Links, "forget", checked)
    plan = synthetic_org(leaders, 5, 6, tz=tz)
    result = spread_over_year(plan)
    assert moves, "no chain ran: the test checked nothing"
    assert find_violations(plan, result) == []
