"""PURE quiz scoring and certificate dates: plain values in, plain values out.

A single-choice question earns 1 point for the right option, else 0 (two options ticked: 0).
A multiple-choice question earns partial credit: (right options ticked - wrong options ticked)
/ right options, never below 0; so ticking everything earns nothing. The score is the share of
points over all questions, in percent with one decimal; passing means score >= pass mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

VALID_MONTHS = 12
REMINDER_DAYS = 30


@dataclass(frozen=True)
class QuestionKey:
    """What scoring needs of a question: its options and which are right."""

    id: int
    multiple: bool
    options: frozenset[int]
    correct: frozenset[int]


@dataclass(frozen=True)
class Scored:
    """The outcome of one submitted quiz."""

    points: dict[int, float]  # question id -> 0..1
    score: float  # percent, one decimal
    passed: bool


def question_points(question: QuestionKey, chosen: frozenset[int]) -> float:
    """Points (0..1) for the options chosen on one question; options of other questions count
    as nothing."""
    chosen = chosen & question.options
    if not question.correct:
        return 0.0
    if not question.multiple:
        return 1.0 if len(chosen) == 1 and chosen <= question.correct else 0.0
    hits = len(chosen & question.correct)
    misses = len(chosen - question.correct)
    return max(0.0, (hits - misses) / len(question.correct))


def score_quiz(
    questions: list[QuestionKey], answers: Mapping[int, frozenset[int]], pass_mark: int
) -> Scored:
    """Score a quiz: every question counts equally; unanswered questions earn 0."""
    points = {q.id: question_points(q, answers.get(q.id, frozenset())) for q in questions}
    score = round(100 * sum(points.values()) / len(questions), 1) if questions else 0.0
    return Scored(points=points, score=score, passed=bool(questions) and score >= pass_mark)


def unanswered(questions: list[QuestionKey], answers: Mapping[int, frozenset[int]]) -> list[int]:
    """The positions (1-based) of questions with no option chosen."""
    return [
        n
        for n, q in enumerate(questions, start=1)
        if not (answers.get(q.id, frozenset()) & q.options)
    ]


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 29th-31st fall back to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError("unreachable")  # pragma: no cover


def expiry(issued_on: date) -> date:
    """The last day a certificate issued on that day is valid: 12 months later."""
    return add_months(issued_on, VALID_MONTHS)


def is_valid(expires_on: date, today: date) -> bool:
    """A certificate is valid up to and including its expiry day."""
    return today <= expires_on


def expiring_soon(expires_on: date, today: date) -> bool:
    """Within the reminder window (30 days) before expiry, or expired at most 30 days ago."""
    return -REMINDER_DAYS <= (expires_on - today).days <= REMINDER_DAYS


def median(values: list[float]) -> float | None:
    """The median, or None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
