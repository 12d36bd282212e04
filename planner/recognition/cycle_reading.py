"""The cycle-of-success indicators, their thresholds and the plain-words reading.

PURE apart from translation: values in, a reading out. Each indicator has two thresholds: a
value on the wrong side of `failure` is a sign of the cycle of failure, one at or beyond
`success` a sign of the cycle of success, anything between a sign of mediocrity. The cycle
read is the one most indicators point to (a tie reads as the worse cycle).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from planner.errors import InvalidInput
from planner.i18n import _
from planner.i18n import lazy_gettext as _l

FAILURE, MEDIOCRITY, SUCCESS = "failure", "mediocrity", "success"
CYCLES = (FAILURE, MEDIOCRITY, SUCCESS)


@dataclass(frozen=True)
class Indicator:
    """One cycle-of-success indicator with its definition and default thresholds."""

    key: str
    label: str
    definition: str
    unit: str  # "%", "years", "days" or "" (a score)
    low: float
    high: float
    failure: float
    success: float
    lower_is_better: bool = False


INDICATORS = (
    Indicator("turnover", _l("Staff turnover"),
              _l("People who left in the last 12 months, as a percentage of the average "
                 "headcount (the mean of the headcount on the first and on the last day)."),
              "%", 0, 1000, 30, 10, lower_is_better=True),
    Indicator("tenure", _l("Median tenure"),
              _l("The median number of years the people here today have been with the "
                 "organisation (people without a start date are left out)."),
              "years", 0, 60, 1, 3),
    Indicator("promotions", _l("Internal promotions"),
              _l("People promoted on the career ladder in the last 12 months, as a percentage "
                 "of the average headcount."),
              "%", 0, 1000, 2, 10),
    Indicator("training", _l("Training coverage"),
              _l("Share of frontline staff who took a refresher quiz in the last 12 months."),
              "%", 0, 100, 50, 90),
    Indicator("certified", _l("Certification"),
              _l("Share of frontline staff holding a valid refresher certificate."),
              "%", 0, 100, 50, 80),
    Indicator("recognition", _l("Recognition coverage"),
              _l("Share of frontline staff recognised in the quarter: customer praise, a "
                 "service-star award or a peer shout-out."),
              "%", 0, 100, 25, 60),
    Indicator("outreach", _l("Days from praise to outreach"),
              _l("Median days from logging customer praise to the leader's completed "
                 "outreach, for outreach completed in the quarter."),
              "days", 0, 365, 14, 3, lower_is_better=True),
    Indicator("acknowledged", _l("Obstacles acknowledged in time"),
              _l("Share of obstacles raised in the quarter that were acknowledged within 5 "
                 "working days (the organisation's working days and holidays)."),
              "%", 0, 100, 50, 90),
    Indicator("nps", _l("NPS"),
              _l("The mean of the teams' entered Net Promoter Scores in the quarter."),
              "", -100, 100, 0, 50),
    Indicator("csat", _l("CSAT"),
              _l("The mean of the teams' entered customer satisfaction in the quarter."),
              "%", 0, 100, 70, 90),
)  # fmt: skip
BY_KEY = {i.key: i for i in INDICATORS}
CYCLE_NAMES = {
    FAILURE: _l("the cycle of failure"),
    MEDIOCRITY: _l("the cycle of mediocrity"),
    SUCCESS: _l("the cycle of success"),
}


@dataclass(frozen=True)
class Bounds:
    """A coordinator's (or the default) thresholds of one indicator."""

    failure: float
    success: float


def default_bounds() -> dict[str, Bounds]:
    """Every indicator's default thresholds."""
    return {i.key: Bounds(i.failure, i.success) for i in INDICATORS}


def check_bounds(key: str, bounds: Bounds) -> None:
    """Both thresholds in the indicator's range and in the right order; InvalidInput if not."""
    ind = BY_KEY[key]
    for value in (bounds.failure, bounds.success):
        if value != value or not ind.low <= value <= ind.high:
            raise InvalidInput(
                _(
                    "%(label)s: thresholds must lie between %(low)s and %(high)s.",
                    label=ind.label,
                    low=format(ind.low, "g"),
                    high=format(ind.high, "g"),
                )
            )
    if ind.lower_is_better and not bounds.success < bounds.failure:
        raise InvalidInput(
            _(
                "%(label)s: lower is better, so the success threshold must be below the "
                "failure threshold.",
                label=ind.label,
            )
        )
    if not ind.lower_is_better and not bounds.success > bounds.failure:
        raise InvalidInput(
            _(
                "%(label)s: higher is better, so the success threshold must be above the "
                "failure threshold.",
                label=ind.label,
            )
        )


def classify(key: str, value: float, bounds: Bounds) -> str:
    """Which cycle one value is a sign of."""
    if BY_KEY[key].lower_is_better:
        value, failure, success = -value, -bounds.failure, -bounds.success
    else:
        failure, success = bounds.failure, bounds.success
    if value < failure:
        return FAILURE
    return SUCCESS if value >= success else MEDIOCRITY


@dataclass(frozen=True)
class Reading:
    """Where the organisation stands: the cycle (None: not enough data) and why."""

    cycle: str | None
    signs: dict[str, str]  # indicator key -> cycle, for indicators with a value

    def sentence(self, values: Mapping[str, float | None], number: object = None) -> str:
        """The reading in plain words, e.g. "Staff turnover 38 % and Training coverage 20 %:
        signs of the cycle of failure." (`number` formats a value; str by default)."""
        if self.cycle is None:
            return _("Not enough data yet to read the cycle.")
        fmt = number if callable(number) else (lambda v: format(v, "g"))
        parts = [
            f"{BY_KEY[k].label} {fmt(values[k])}{unit_suffix(BY_KEY[k].unit)}"
            for k, c in self.signs.items()
            if c == self.cycle
        ]
        joined = (
            parts[0]
            if len(parts) == 1
            else _("%(first)s and %(last)s", first=", ".join(parts[:-1]), last=parts[-1])
        )
        return _("%(reasons)s: signs of %(cycle)s.", reasons=joined, cycle=CYCLE_NAMES[self.cycle])


def unit_suffix(unit: str) -> str:
    """How a unit follows a number in the reading."""
    if unit == "%":
        return " %"
    if unit == "years":
        return " " + _("years")
    if unit == "days":
        return " " + _("days")
    return ""


def read_cycle(values: Mapping[str, float | None], bounds: Mapping[str, Bounds]) -> Reading:
    """The cycle most indicators with a value point to; ties go to the worse cycle."""
    signs = {
        i.key: classify(i.key, value, bounds.get(i.key, Bounds(i.failure, i.success)))
        for i in INDICATORS
        if (value := values.get(i.key)) is not None
    }
    if not signs:
        return Reading(None, {})
    counts = Counter(signs.values())
    top = max(counts.values())
    return Reading(next(c for c in CYCLES if counts[c] == top), signs)
