"""Scorecards (P3): internal and external measures side by side, per team and month.

Entered metrics have a valid range; the praise count is computed from logged praise, never
entered. The organisation's scorecard averages the teams' values (praise: the sum)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.i18n import lazy_gettext as _l
from planner.models import MetricValue, Person, Praise, Team
from planner.org.chart import skip_level_leader
from planner.recognition.praise_csv import ImportFailed, read_csv
from planner.standards.measures import monthly_values, months_with_data
from planner.validation import date_problem


@dataclass(frozen=True)
class Metric:
    """One scorecard measure."""

    key: str
    label: str
    unit: str
    side: str  # internal | external
    low: float
    high: float
    entered: bool = True
    lower_is_better: bool = False


METRICS = (
    Metric(
        "handle_time", _l("Average handle time"), "s", "internal", 0, 7200, lower_is_better=True
    ),
    Metric("fcr", _l("First-contact resolution"), "%", "internal", 0, 100),
    Metric("quality", _l("Quality score"), "%", "internal", 0, 100),
    Metric("nps", _l("NPS"), "", "external", -100, 100),
    Metric("csat", _l("CSAT"), "%", "external", 0, 100),
    Metric("praise", _l("Customer praise"), "", "external", 0, 1_000_000, entered=False),
    # Computed by the service-standards area (planner/standards/measures.py).
    Metric("certified", _l("Refresher certified"), "%", "internal", 0, 100, entered=False),
    Metric("quiz_median", _l("Median quiz score"), "%", "internal", 0, 100, entered=False),
    Metric("shoutouts", _l("Peer shout-outs"), "", "internal", 0, 1_000_000, entered=False),
)
BY_KEY = {m.key: m for m in METRICS}
ENTERED = tuple(m for m in METRICS if m.entered)
ALIASES = {
    "aht": "handle_time",
    "handle time": "handle_time",
    "fcr%": "fcr",
    "quality_score": "quality",
}
MONTHS_SHOWN = 12
LEADING = ("admin", "coordinator")


def month_start(value: date) -> date:
    """PURE: the first day of value's month."""
    return value.replace(day=1)


def add_months(month: date, count: int) -> date:
    """PURE: the first day of the month `count` months later (negative: earlier)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def parse_month(raw: str) -> date:
    """'2026-09' -> 2026-09-01; InvalidInput otherwise."""
    try:
        year, month = raw.strip().split("-")
        first = date(int(year), int(month), 1)
    except ValueError:
        raise InvalidInput(
            _("'%(raw)s' is not a month (use YYYY-MM, e.g. 2026-09).", raw=raw)
        ) from None
    if problem := date_problem(first):
        raise InvalidInput(_("The month %(problem)s.", problem=problem))
    return first


def check_value(key: str, value: float) -> None:
    """The value lies in the metric's valid range (InvalidInput with the range otherwise)."""
    metric = BY_KEY[key]
    if not metric.low <= value <= metric.high:
        raise InvalidInput(
            _(
                "%(label)s must be between %(format)s and %(format2)s; got %(format3)s.",
                label=metric.label,
                format=format(metric.low, "g"),
                format2=format(metric.high, "g"),
                format3=format(value, "g"),
            )
        )


def entered_metric(raw: str) -> str:
    """The key of an entered metric from what a person typed; InvalidInput otherwise."""
    key = ALIASES.get(raw.strip().lower(), raw.strip().lower())
    if key == "praise":
        raise InvalidInput(
            _("The praise count is computed from logged praise; it is never entered.")
        )
    if key in BY_KEY and not BY_KEY[key].entered:
        raise InvalidInput(
            _("%(label)s is computed by the app; it is never entered.", label=BY_KEY[key].label)
        )
    if key not in BY_KEY:
        raise InvalidInput(
            _(
                "Unknown metric '%(raw)s'. Use one of: %(join)s.",
                raw=raw,
                join=", ".join(m.key for m in ENTERED),
            )
        )
    return key


def teams_for_entry(session: Session, person: Person) -> list[Team]:
    """Teams whose numbers this person may enter: coordinators all; leaders the teams they lead."""
    teams = list(session.scalars(select(Team).order_by(Team.name)))
    if person.role in LEADING:
        return teams
    led = {person.team_id}
    for member in session.scalars(select(Person).where(Person.team_id.is_not(None))):
        leader = skip_level_leader(member)
        if member.manager_id == person.id or (leader is not None and leader.id == person.id):
            led.add(member.team_id)
    return [t for t in teams if t.id in led]


def _upsert(
    session: Session, team_id: int, month: date, key: str, value: float | None, actor_id: int | None
) -> None:
    """Write (or with None remove) one value."""
    row = session.scalar(
        select(MetricValue).where(
            MetricValue.team_id == team_id, MetricValue.month == month, MetricValue.metric == key
        )
    )
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(
            MetricValue(
                team_id=team_id, month=month, metric=key, value=value, updated_by_id=actor_id
            )
        )
    else:
        row.value, row.updated_by_id = value, actor_id


def set_values(
    session: Session,
    actor: Person,
    team_id: int,
    month: date,
    values: dict[str, float | None],
    today: date,
) -> None:
    """Enter one team's numbers for one month; None clears a value. All checked first."""
    if team_id not in {t.id for t in teams_for_entry(session, actor)}:
        raise NotFound(_("No such team."))
    if month_start(month) > month_start(today):
        raise InvalidInput(_("That month has not started yet."))
    for key, value in values.items():
        entered_metric(key)
        if value is not None:
            check_value(key, value)
    for key, value in values.items():
        _upsert(session, team_id, month_start(month), key, value, actor.id)
    session.flush()


def import_metrics(session: Session, data: bytes, actor: Person, today: date) -> int:
    """Import `team,month,metric,value` rows (all or nothing); returns how many were written."""
    rows, errors = read_csv(data, columns=("team", "month", "metric", "value"))
    teams = {t.name.casefold(): t for t in teams_for_entry(session, actor)}
    valid: dict[tuple[int, date, str], float] = {}
    first_line: dict[tuple[int, date, str], int] = {}
    for line, (team_name, raw_month, raw_metric, raw_value) in rows:
        try:
            team = teams.get(team_name.casefold())
            if team is None:
                raise InvalidInput(
                    _(
                        "Unknown team '%(team_name)s' (or not one you may enter for).",
                        team_name=team_name,
                    )
                )
            month = parse_month(raw_month)
            if month > month_start(today):
                raise InvalidInput(_("%(raw_month)s has not started yet.", raw_month=raw_month))
            key = entered_metric(raw_metric)
            try:
                value = float(raw_value.replace(",", "."))
            except ValueError:
                raise InvalidInput(
                    _("'%(raw_value)s' is not a number.", raw_value=raw_value)
                ) from None
            if value != value:  # NaN
                raise InvalidInput(_("'%(raw_value)s' is not a number.", raw_value=raw_value))
            check_value(key, value)
        except InvalidInput as exc:
            errors.append((line, str(exc)))
            continue
        if (team.id, month, key) in first_line:
            errors.append(
                (line, f"{team.name}, {month:%Y-%m}, {key} is already given on line "
                       f"{first_line[(team.id, month, key)]}; give each value once.")
            )  # fmt: skip
            continue
        first_line[(team.id, month, key)] = line
        valid[(team.id, month, key)] = value
    if errors:
        raise ImportFailed(sorted(errors))
    for (team_id, month, key), value in valid.items():
        _upsert(session, team_id, month, key, value, actor.id)
    session.flush()
    return len(valid)


@dataclass
class Scorecard:
    """Months (oldest first) and each metric's value per month (None: no number)."""

    title: str
    months: list[date] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(default_factory=dict)

    def row(self, index: int) -> dict[str, float | None]:
        """The values of one month by metric key."""
        return {key: series[index] for key, series in self.values.items()}


def _praise_counts(session: Session, team_id: int | None, first: date) -> dict[date, float]:
    """Praise received per month since `first`, for a team's current members (or everyone)."""
    query = select(Praise.received_on).where(Praise.received_on >= first)
    if team_id is not None:
        query = query.join(Person, Praise.person_id == Person.id).where(Person.team_id == team_id)
    counts: dict[date, float] = defaultdict(float)
    for received_on in session.scalars(query):
        counts[month_start(received_on)] += 1
    return counts


def scorecard(session: Session, team_id: int | None, today: date) -> Scorecard:
    """A team's scorecard (or, with None, the organisation's) for up to the last 12 months."""
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound(_("No such team."))
        title = team.name
    else:
        title = _("Whole organisation")
    last = month_start(today)
    first = add_months(last, -(MONTHS_SHOWN - 1))
    query = select(MetricValue).where(MetricValue.month >= first, MetricValue.month <= last)
    if team_id is not None:
        query = query.where(MetricValue.team_id == team_id)
    sums: dict[tuple[date, str], list[float]] = defaultdict(list)
    for row in session.scalars(query):
        sums[(row.month, row.metric)].append(row.value)
    praise = _praise_counts(session, team_id, first)
    used = [m for m, _sum in sums] + list(praise) + list(months_with_data(session, team_id, first))
    card = Scorecard(title)
    if not used:
        return card
    month = min(used)
    while month <= last:
        card.months.append(month)
        month = add_months(month, 1)
    computed = monthly_values(session, team_id, card.months, today)
    for metric in METRICS:
        if metric.key in computed:
            card.values[metric.key] = computed[metric.key]
            continue
        series: list[float | None] = []
        for month in card.months:
            if metric.key == "praise":
                series.append(praise.get(month, 0.0))
            else:
                found = sums.get((month, metric.key))
                series.append(round(sum(found) / len(found), 1) if found else None)
        card.values[metric.key] = series
    return card
