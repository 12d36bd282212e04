"""The year plan's large computations pause the cyclic garbage collector (collector.py): on
for the rest, and a pause inside a pause leaves it off until the outer one ends."""

from __future__ import annotations

import gc

import pytest

from planner.scheduler.collector import collector_paused


def test_a_pause_turns_the_collector_off_and_on_again() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause did not turn it on
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_on_again() -> None:
    @collector_paused()
    def fails() -> None:
        assert not gc.isenabled()
        raise ValueError("boom")

    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()


def test_it_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
