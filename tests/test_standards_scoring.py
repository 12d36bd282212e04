"""Quiz scoring, pass mark and certificate dates: pure functions, no database."""

from __future__ import annotations

from datetime import date

import pytest

from planner.standards import scoring
from planner.standards.scoring import QuestionKey

SINGLE = QuestionKey(1, False, frozenset({11, 12, 13}), frozenset({12}))
MULTI = QuestionKey(2, True, frozenset({21, 22, 23, 24}), frozenset({21, 22}))


def test_single_choice_right_wrong_and_two_ticks() -> None:
    assert scoring.question_points(SINGLE, frozenset({12})) == 1.0
    assert scoring.question_points(SINGLE, frozenset({11})) == 0.0
    # A tampered form ticking two radio options earns nothing.
    assert scoring.question_points(SINGLE, frozenset({11, 12})) == 0.0
    assert scoring.question_points(SINGLE, frozenset()) == 0.0


@pytest.mark.parametrize(
    ("chosen", "points"),
    [
        ({21, 22}, 1.0),
        ({21}, 0.5),  # half the right options: half a point
        ({21, 23}, 0.0),  # one right, one wrong: they cancel out
        ({21, 22, 23}, 0.5),
        ({21, 22, 23, 24}, 0.0),  # ticking everything earns nothing
        ({23}, 0.0),  # never below zero
    ],
)
def test_multiple_choice_gives_partial_credit(chosen: set[int], points: float) -> None:
    assert scoring.question_points(MULTI, frozenset(chosen)) == points


def test_options_of_another_question_count_for_nothing() -> None:
    assert scoring.question_points(SINGLE, frozenset({21})) == 0.0
    assert scoring.question_points(MULTI, frozenset({21, 12})) == 0.5


def test_score_is_the_share_of_points_and_the_pass_mark_is_inclusive() -> None:
    answers = {1: frozenset({12}), 2: frozenset({21})}
    result = scoring.score_quiz([SINGLE, MULTI], answers, pass_mark=75)
    assert result.points == {1: 1.0, 2: 0.5}
    assert result.score == 75.0
    assert result.passed
    assert not scoring.score_quiz([SINGLE, MULTI], answers, pass_mark=76).passed


def test_three_questions_round_to_one_decimal_and_unanswered_earn_nothing() -> None:
    third = QuestionKey(3, False, frozenset({31, 32}), frozenset({31}))
    result = scoring.score_quiz([SINGLE, MULTI, third], {1: frozenset({12})}, pass_mark=50)
    assert result.score == 33.3
    assert not result.passed
    assert scoring.unanswered([SINGLE, MULTI, third], {1: frozenset({12})}) == [2, 3]


def test_an_empty_quiz_never_passes() -> None:
    assert not scoring.score_quiz([], {}, pass_mark=1).passed


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (date(2026, 11, 23), date(2027, 11, 23)),
        (date(2028, 2, 29), date(2029, 2, 28)),  # leap day: the month's last day
        (date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_a_certificate_is_valid_for_twelve_months(issued: date, expires: date) -> None:
    assert scoring.expiry(issued) == expires
    assert scoring.is_valid(expires, expires)
    assert not scoring.is_valid(expires, date.fromordinal(expires.toordinal() + 1))


def test_expiring_soon_is_the_thirty_days_around_expiry() -> None:
    expires = date(2027, 6, 30)
    assert not scoring.expiring_soon(expires, date(2027, 5, 30))
    assert scoring.expiring_soon(expires, date(2027, 5, 31))
    assert scoring.expiring_soon(expires, date(2027, 7, 30))
    assert not scoring.expiring_soon(expires, date(2027, 7, 31))


def test_median() -> None:
    assert scoring.median([]) is None
    assert scoring.median([80.0]) == 80.0
    assert scoring.median([60.0, 100.0, 80.0]) == 80.0
    assert scoring.median([60.0, 100.0, 80.0, 90.0]) == 85.0
