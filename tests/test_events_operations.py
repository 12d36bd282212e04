"""The shared event rules: stable UID, SEQUENCE that only grows, LAST-MODIFIED, cancellation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from planner.errors import InvalidInput
from planner.events.operations import AllDay, Timed, cancel_event, create_event, update_event
from tests import factories

T0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def test_visible_change_raises_sequence_and_keeps_uid(session: Any) -> None:
    host = factories.person(session, role="leader")
    event = create_event(
        session, kind="skip_level", title="Roundtable", now=T0, host_id=host.id,
        when=Timed(T0 + timedelta(days=7), T0 + timedelta(days=7, hours=1)),
    )  # fmt: skip
    uid = event.uid
    assert event.sequence == 0 and event.last_modified == T0
    later = T0 + timedelta(hours=3)
    moved = update_event(
        session,
        event,
        now=later,
        when=Timed(T0 + timedelta(days=8), T0 + timedelta(days=8, hours=1)),
    )
    assert moved and event.sequence == 1 and event.last_modified == later and event.uid == uid
    # Saving the same values again is not a change: clients must not see a new revision.
    assert not update_event(session, event, now=later + timedelta(hours=1), title="Roundtable")
    assert event.sequence == 1 and event.last_modified == later


def test_cancel_keeps_event_with_higher_sequence(session: Any) -> None:
    event = create_event(
        session, kind="follow_up", title="Follow up", now=T0, transparent=True,
        when=AllDay(date(2026, 10, 12), date(2026, 10, 13)),
    )  # fmt: skip
    assert cancel_event(session, event, now=T0 + timedelta(days=1))
    assert event.status == "cancelled" and event.sequence == 1
    assert event.cancelled_at == T0 + timedelta(days=1)
    assert not cancel_event(session, event, now=T0 + timedelta(days=2))
    assert event.sequence == 1


@pytest.mark.parametrize(
    "when",
    [
        AllDay(date(2026, 10, 5), date(2026, 10, 5)),
        Timed(T0, T0),
        Timed(T0, T0 - timedelta(minutes=1)),
        Timed(datetime(2026, 10, 5, 9), datetime(2026, 10, 5, 10)),
    ],
)
def test_bad_times_are_refused(session: Any, when: Any) -> None:
    with pytest.raises(InvalidInput):
        create_event(session, kind="activity", title="x", now=T0, when=when)


def test_slot_uid_is_the_slot_identity(session: Any) -> None:
    event = create_event(
        session, kind="recognition", title="Star", now=T0, slot_key="c3:t9#2",
        when=AllDay(date(2026, 11, 2), date(2026, 11, 3)),
    )  # fmt: skip
    assert event.uid == "slot-c3-t9-2"
