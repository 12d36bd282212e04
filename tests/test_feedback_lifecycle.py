"""Operations: follow-ups move and cancel, escalation after 5 working days, meeting items,
anonymity that cannot be undone, measures, small-group suppression, monthly updates, demo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from planner.errors import InvalidInput, NotAllowed
from planner.events.operations import AllDay, create_event
from planner.feedback import lifecycle
from planner.feedback.anonymity import POOLED_LABEL, team_grouping, visible_teams
from planner.feedback.board import BoardFilters, load_board, monthly_update
from planner.feedback.followups import escalate_unacknowledged, events_of
from planner.feedback.measures import compute_measures
from planner.feedback.publishing import publish_pending
from planner.models import Event, FeedbackItem
from tests import factories
from tests.test_feedback_support import build_org

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
MONDAY = date(2026, 11, 2)
_keys = iter(range(10_000))


def _raise(
    session: Any,
    author: Any,
    team_id: int,
    *,
    anonymous: bool = True,
    today: date = MONDAY,
    **kw: Any,
) -> FeedbackItem:
    key = f"key-{next(_keys):012d}-xxxx"
    raised = lifecycle.raise_item(
        session,
        author=author,
        title=kw.pop("title", "Slow tool"),
        details="",
        category="tools",
        team_id=team_id,
        anonymous=anonymous,
        idempotency_key=key,
        now=NOW,
        today=today,
        **kw,
    )
    if raised.item is not None:
        return raised.item
    publish_pending(session, now=NOW, today=today, force=True)
    return session.scalars(select(FeedbackItem).where(FeedbackItem.idempotency_key == key)).one()


def _move(
    session: Any, item: FeedbackItem, actor: Any, to: str, day: date = MONDAY, **kw: Any
) -> None:
    lifecycle.change_status(
        session,
        item,
        actor=actor,
        to_status=to,
        expected_version=None,
        now=datetime.combine(day, datetime.min.time(), UTC),
        today=day,
        **kw,
    )


def test_due_date_change_moves_the_same_event_and_closing_cancels_it(session: Any) -> None:
    org = build_org(session)
    item = _raise(session, org.staff, org.big.id, anonymous=False, title="Headsets")
    _move(session, item, org.leader, "acknowledged")
    _move(session, item, org.leader, "planned", owner_id=org.leader.id, due_date=date(2026, 11, 20))
    (event,) = events_of(session, item)
    uid, sequence = event.uid, event.sequence
    assert event.title == "Follow up: Headsets"  # named items may show their title
    _move(
        session,
        item,
        org.leader,
        "planned",
        owner_id=org.other_leader.id,
        due_date=date(2026, 11, 27),
    )
    (moved,) = events_of(session, item)
    assert moved.uid == uid and moved.sequence == sequence + 1
    assert moved.start_date == date(2026, 11, 27) and moved.host_id == org.other_leader.id
    _move(session, item, org.leader, "in_progress")
    _move(session, item, org.leader, "done", response="New headsets for everyone.")
    assert events_of(session, item)[0].status == "cancelled"
    assert [c.to_status for c in item.history] == [
        "new",
        "acknowledged",
        "planned",
        "planned",
        "in_progress",
        "done",
    ]


def _third_team(session: Any) -> None:
    """A team of 5 that joins the small one in the pool, so Billing (6) can be named."""
    chat = factories.team(session, "Chat")
    for n in range(5):
        factories.person(session, name=f"Chat {n}", team=chat)


def test_unacknowledged_item_escalates_once_to_the_skip_level_leader(session: Any) -> None:
    org = build_org(session)
    _third_team(session)
    item = _raise(session, org.staff, org.big.id)
    # Raised Monday 2 November: the 5th working day after is Monday 9 November.
    assert escalate_unacknowledged(session, date(2026, 11, 9), NOW) == []
    assert escalate_unacknowledged(session, date(2026, 11, 10), NOW) == [item]
    (event,) = events_of(session, item)
    assert event.host_id == org.director.id  # the team's members' manager's manager
    assert event.kind == "follow_up" and event.transparent and event.all_day
    assert event.title == f"Follow up feedback #{item.id}"
    assert escalate_unacknowledged(session, date(2026, 11, 11), NOW) == []  # only once
    assert item.history[-1].actor_id is None and "Dana Director" in item.history[-1].note
    _move(session, item, org.leader, "declined", day=date(2026, 11, 12), response="No budget.")
    assert all(e.status == "cancelled" for e in events_of(session, item))


def test_anonymous_item_of_a_small_team_stores_the_pool_and_escalates_to_a_coordinator(
    session: Any,
) -> None:
    org = build_org(session)
    _third_team(session)
    item = _raise(session, org.staff, org.small.id)
    assert item.team_id is None and item.pooled  # the small team is not stored at all
    named = _raise(session, org.staff, org.small.id, anonymous=False)
    assert named.team_id == org.small.id and not named.pooled
    assert set(escalate_unacknowledged(session, date(2026, 11, 10), NOW)) == {item, named}
    (event,) = events_of(session, item)
    # Not the small team's skip-level leader (Dana Director): that would name the team.
    assert event.host_id == org.coordinator.id
    assert "Dana" not in item.history[-1].note and "Cora Coordinator" in item.history[-1].note


def test_escalation_uses_the_team_override_and_skips_acknowledged(session: Any) -> None:
    org = build_org(session)
    org.small.skip_level_override_id = org.coordinator.id
    waiting = _raise(session, org.staff, org.small.id)
    seen = _raise(session, org.staff, org.big.id)
    _move(session, seen, org.leader, "acknowledged")
    assert escalate_unacknowledged(session, date(2026, 12, 1), NOW) == [waiting]
    assert events_of(session, waiting)[0].host_id == org.coordinator.id
    assert events_of(session, seen) == []


def test_meeting_items_have_no_personal_author(session: Any) -> None:
    org = build_org(session)
    meeting = create_event(
        session,
        kind="skip_level",
        title="Roundtable",
        now=NOW,
        when=AllDay(MONDAY, MONDAY + timedelta(days=1)),
    )
    item = _raise(
        session,
        org.leader,
        org.big.id,
        anonymous=False,
        from_meeting=True,
        meeting_event_id=meeting.id,
    )
    assert item.author_id is None and item.from_meeting and item.meeting_event_id == meeting.id
    with pytest.raises(NotAllowed):
        _raise(session, org.staff, org.big.id, from_meeting=True)
    other = create_event(
        session,
        kind="recognition",
        title="Star",
        now=NOW,
        when=AllDay(MONDAY, MONDAY + timedelta(days=1)),
    )
    with pytest.raises(InvalidInput):
        _raise(session, org.leader, org.big.id, from_meeting=True, meeting_event_id=other.id)


def test_anonymity_cannot_be_undone(session: Any) -> None:
    org = build_org(session)
    item = _raise(session, org.staff, org.big.id)
    with pytest.raises(ValueError):
        item.anonymous = False
    with pytest.raises(ValueError):
        item.author_id = org.staff.id
    session.commit()
    # Even bypassing the ORM, the database refuses an author on an anonymous item.
    with pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE feedback_item SET author_id = :a WHERE id = :i"),
            {"a": org.staff.id, "i": item.id},
        )
        session.flush()
    session.rollback()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE feedback_item SET raised_at = CURRENT_TIMESTAMP"))
        session.flush()
    session.rollback()


def test_item_numbers_are_random_not_sequential(session: Any) -> None:
    org = build_org(session)
    ids = [_raise(session, org.staff, org.big.id).id for _ in range(8)]
    assert all(100000 <= i <= 999999 for i in ids)
    assert ids != sorted(ids) or ids != list(range(ids[0], ids[0] + 8))


def test_visible_teams_pool_small_groups_and_their_complement() -> None:
    # One small team alone would be recoverable as total minus visible: the smallest visible
    # team joins it.
    assert visible_teams({1: 10, 2: 6, 3: 2}) == frozenset({1})
    # Two small teams together reach 5 people: nothing else needs hiding.
    assert visible_teams({1: 10, 2: 3, 3: 2}) == frozenset({1})
    assert visible_teams({1: 10, 2: 7, 3: 2, 4: 2}) == frozenset({1})
    assert visible_teams({1: 10, 2: 7, 3: 3, 4: 2}) == frozenset({1, 2})
    assert visible_teams({1: 10, 2: 7}) == frozenset({1, 2})
    assert visible_teams({1: 3}) == frozenset()


def test_board_pools_anonymous_items_of_small_teams(session: Any) -> None:
    org = build_org(session)
    third = factories.team(session, "Chat")  # 5 members: visible on its own... unless needed
    for n in range(5):
        factories.person(session, name=f"Chat {n}", team=third)
    small_item = _raise(session, org.staff, org.small.id)
    named_small = _raise(session, org.staff, org.small.id, anonymous=False)
    _raise(session, org.staff, org.big.id)
    grouping = team_grouping(session)
    # Night shift (3) alone is too small: Chat (5, the smallest visible) is pooled with it.
    assert grouping.visible == frozenset({org.big.id})
    board = load_board(session, BoardFilters(), today=MONDAY, viewer_id=None)
    labels = {row.item.id: row.team_label for row in board.rows}
    assert labels[small_item.id] == POOLED_LABEL and labels[named_small.id] == "Night shift"
    assert dict(board.team_counts) == {"Billing": 1, POOLED_LABEL: 2}
    assert ("pool", POOLED_LABEL) in board.team_choices
    assert str(org.small.id) not in dict(board.team_choices)
    filtered = load_board(
        session, BoardFilters(team=str(org.small.id)), today=MONDAY, viewer_id=None
    )
    assert filtered.error and len(filtered.rows) == 3  # the filter is refused, not applied


def test_measures_follow_the_lifecycle(session: Any) -> None:
    org = build_org(session)
    quick = _raise(session, org.staff, org.big.id)
    slow = _raise(session, org.staff, org.big.id)
    ignored = _raise(session, org.staff, org.big.id)
    _move(session, quick, org.leader, "acknowledged", day=date(2026, 11, 3))
    _move(session, slow, org.other_leader, "acknowledged", day=date(2026, 11, 20))
    _move(
        session,
        quick,
        org.leader,
        "planned",
        day=date(2026, 11, 3),
        owner_id=org.leader.id,
        due_date=date(2026, 11, 10),
    )
    _move(session, quick, org.leader, "done", day=date(2026, 11, 12), response="Fixed.")
    _move(
        session,
        slow,
        org.other_leader,
        "planned",
        day=date(2026, 11, 20),
        owner_id=org.other_leader.id,
        due_date=date(2026, 11, 25),
    )
    result = compute_measures(session, date(2026, 12, 1))
    assert (result.ack_in_time, result.ack_judged) == (1, 3)  # ignored: deadline passed
    assert result.median_days_to_ack == 9.5  # 1 and 18 days
    assert (result.close_in_time, result.close_judged) == (1, 1)
    assert result.median_days_to_close == 10
    assert [(p.id, n) for p, n in result.overdue_by_owner] == [(org.other_leader.id, 1)]
    mine = compute_measures(session, date(2026, 12, 1), leader_id=org.leader.id)
    assert mine.items == 1 and mine.ack_share == 1.0 and mine.overdue == 0
    assert ignored.acknowledged_on is None


def test_monthly_update_lists_items_closed_that_month(session: Any) -> None:
    org = build_org(session)
    item = _raise(session, org.staff, org.big.id, today=date(2026, 10, 20))
    _move(session, item, org.leader, "declined", day=date(2026, 11, 3), response="Not ours.")
    assert monthly_update(session, date(2026, 11, 1)).closed == [item]
    assert monthly_update(session, date(2026, 10, 1)).closed == []
    assert monthly_update(session, date(2026, 10, 1)).raised == 1


def test_demo_is_idempotent(session: Any) -> None:
    from planner.feedback import demo

    org = build_org(session)
    assert org.staff.team_id is not None
    first = demo.load(session, date(2026, 11, 23))
    count = len(list(session.scalars(select(FeedbackItem))))
    events = len(list(session.scalars(select(Event))))
    again = demo.load(session, date(2026, 11, 23))
    assert count == 4 and "4 demo item(s) created" in first[0]
    assert "0 demo item(s) created, 0 escalated" in again[0]
    assert len(list(session.scalars(select(Event)))) == events
