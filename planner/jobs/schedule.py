"""PURE: when periodic jobs run (UTC), in words, and the next run after an instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from planner.i18n import _
from planner.i18n.formatting import weekday_name


@dataclass(frozen=True)
class Schedule:
    """Minutes and hours of the day (UTC), on some weekdays (0 = Monday) and days of the month."""

    minutes: tuple[int, ...] = (0,)
    hours: tuple[int, ...] = tuple(range(24))
    weekdays: tuple[int, ...] = tuple(range(7))
    month_days: tuple[int, ...] = tuple(range(1, 32))

    def matches(self, moment: datetime) -> bool:
        """Whether a job on this schedule runs in the minute of `moment` (naive means UTC)."""
        moment = moment if moment.tzinfo is None else moment.astimezone(UTC)
        return (
            moment.minute in self.minutes
            and moment.hour in self.hours
            and moment.weekday() in self.weekdays
            and moment.day in self.month_days
        )

    def next_after(self, moment: datetime) -> datetime:
        """The first run strictly after `moment` (aware UTC), looking at most 400 days ahead."""
        start = moment.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
        day = start.replace(hour=0, minute=0)
        for _offset in range(400):
            if day.weekday() in self.weekdays and day.day in self.month_days:
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = day.replace(hour=hour, minute=minute)
                        if candidate >= start:
                            return candidate
            day += timedelta(days=1)
        raise ValueError("this schedule never runs")

    def words(self) -> str:
        """The schedule in words, e.g. "every 10 minutes" or "Mon–Fri at 06:00 UTC"."""
        if len(self.hours) == 24 and len(self.minutes) > 1:
            step = self.minutes[1] - self.minutes[0]
            return _("every %(n)d minutes", n=step)
        times = ", ".join(f"{h:02d}:{m:02d}" for h in self.hours for m in self.minutes)
        if len(self.month_days) == 1:
            return _(
                "on day %(day)d of each month at %(times)s UTC", day=self.month_days[0], times=times
            )
        if len(self.weekdays) == 7:
            return _("every day at %(times)s UTC", times=times)
        first, last = self.weekdays[0], self.weekdays[-1]
        days = f"{weekday_name(first, 'abbreviated')}–{weekday_name(last, 'abbreviated')}"
        return _("%(days)s at %(times)s UTC", days=days, times=times)


def every_minutes(step: int) -> Schedule:
    """Every `step` minutes, all day, every day."""
    return Schedule(minutes=tuple(range(0, 60, step)))


def daily(hour: int, minute: int = 0, weekdays: tuple[int, ...] = tuple(range(7))) -> Schedule:
    """Once a day at hour:minute UTC, on the given weekdays."""
    return Schedule(minutes=(minute,), hours=(hour,), weekdays=weekdays)


def monthly(day: int, hour: int, minute: int = 0) -> Schedule:
    """Once a month on that day at hour:minute UTC."""
    return Schedule(minutes=(minute,), hours=(hour,), month_days=(day,))
