"""The board's minute bits only ever speed up the free-time test: spot_on finds what the
bookings themselves allow, with bookings that overlap, touch, have no length or pass midnight."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.scheduler.spread_board import Board, Ev, minute_bits
from planner.scheduler.spread_calendar import Calendar
from planner.scheduler.spread_series import describe_series
from planner.scheduler.spread_types import PlanInput, SeriesSpec

ZONE = ZoneInfo("Europe/Amsterdam")
PLAN = PlanInput(period_start=date(2026, 3, 23), period_end=date(2026, 4, 6), tz=str(ZONE))
DAY = date(2026, 3, 24).toordinal()
SPEC = SeriesSpec("s", "meeting", "P4", "Meeting", 1, (2, 3), duration_minutes=45,
                  window_start=time(8), window_end=time(18))  # fmt: skip
OTHER = SeriesSpec("o", "meeting", "P4", "Other", 2, (4,), duration_minutes=60)


def reference(board: Board, people: tuple[int, ...], starts: tuple[int, ...], length: int):
    """spot_on as it was before the bits: the first start no booking overlaps."""
    taken = board.taken(people, DAY)
    for s in starts:
        if not any(bs < s + length and s < be for bs, be, _ in taken):
            return (DAY, s, s + length)
    return None


def test_minute_bits() -> None:
    assert minute_bits(0, 3) == 0b111
    assert minute_bits(2, 4) == 0b1100
    assert minute_bits(5, 5) == 1 << 5  # no length: the start's bit, so the bookings decide
    assert minute_bits(1430, 1500) >> 1440 == (1 << 60) - 1  # past midnight is kept


busy = st.tuples(
    st.sampled_from([1, 2, 3, 4]),
    st.integers(min_value=0, max_value=1500),
    st.sampled_from([0, 1, 15, 30, 45, 60, 600]),
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(busy, max_size=8), st.lists(st.integers(min_value=8 * 60, max_value=17 * 60)))
def test_a_free_time_is_what_the_bookings_allow(blocks, other_starts) -> None:
    cal = Calendar(PLAN, ZONE)
    seen: set[str] = set()
    si, other = (describe_series(spec, i, PLAN, cal, seen) for i, spec in enumerate((SPEC, OTHER)))
    board = Board(cal, 3, 4)
    for person, start, length in blocks:
        board.block(person, DAY, start, start + length)
    placed = []
    for index, start in enumerate(other_starts[:4]):
        ev = Ev(other, index)
        board.place(ev, (DAY, start, start + 60))
        placed.append(ev)
    for ev in placed[::2]:  # unbooking recomputes the bits from what is left
        board.remove(ev)
    assert board.spot_on(si, DAY) == reference(board, si.people, si.starts, 45)
