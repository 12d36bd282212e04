"""Request and response models of /api/v1 (pydantic); the OpenAPI document is built from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from planner.models.events import EVENT_KINDS
from planner.models.feedback import CATEGORIES, STATUSES

Text200 = Field(max_length=1000)


class Body(BaseModel):
    """A request body: unknown members are refused, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class ProblemItem(BaseModel):
    """One problem of a request: where (JSON pointer, list index or parameter) and what."""

    index: int | None = None
    pointer: str | None = None
    parameter: str | None = None
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemItem] = []


class Links(BaseModel):
    """Links to this page and its neighbours (also sent as a Link header)."""

    self: str
    next: str | None = None
    prev: str | None = None


class Query(BaseModel):
    """Query parameters: unknown ones are refused, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class PageQuery(Query):
    """Pagination: page numbers from 1, at most 200 items a page."""

    page: int = Field(1, ge=1, le=100_000)
    limit: int = Field(50, ge=1, le=200)


class DatedQuery(PageQuery):
    """Pagination and a date range (inclusive); either end may be left open."""

    since: date | None = None
    until: date | None = None


# People and teams -----------------------------------------------------------------------------


class PersonIn(Body):
    """A person as in the people CSV: matched by e-mail, created or updated."""

    name: str = Field(max_length=1000)
    email: str = Field(max_length=1000)
    role: str = Field(max_length=100, description="admin, coordinator, leader or staff")
    team: str = Field("", max_length=1000, description="created when new")
    manager_email: str = Field("", max_length=1000)


class PeopleUpsert(Body):
    """People to create or update, all or nothing (the CSV import's rules)."""

    people: list[PersonIn] = Field(min_length=1, max_length=10_000)


class UpsertResult(BaseModel):
    """What an upsert changed."""

    created: int
    updated: int
    unchanged: int
    teams_created: list[str]


class PersonOut(BaseModel):
    """A person."""

    id: int
    name: str
    email: str
    role: str
    team: str | None
    manager_email: str | None
    active: bool


class PeopleQuery(PageQuery):
    """Filter people by team name (exact, case-insensitive)."""

    team: str | None = Field(None, max_length=200)


class PeoplePage(BaseModel):
    """A page of people, by name."""

    items: list[PersonOut]
    page: int
    limit: int
    total: int
    links: Links


class TeamOut(BaseModel):
    """A team."""

    id: int
    name: str
    frontline: bool
    members: int


class TeamList(BaseModel):
    """Every team, by name."""

    items: list[TeamOut]


# Recognition ----------------------------------------------------------------------------------


class PraiseIn(Body):
    """One customer praise, as in the praise CSV."""

    email: str = Field(max_length=1000, description="the praised person's e-mail")
    received_on: date
    channel: str = Field(max_length=100, description="call, email, survey, chat or social")
    quote: str = Field(max_length=10_000)
    customer_name: str = Field("", max_length=1000)


class PraiseIntake(Body):
    """Praise to log, all or nothing; praise already logged is skipped."""

    praise: list[PraiseIn] = Field(min_length=1, max_length=1000)


class PraiseResult(BaseModel):
    """What the intake did."""

    created: int
    already_there: int
    without_leader: list[str] = Field(description="people praised who have no leader to thank them")


class MetricIn(Body):
    """One scorecard value, as in the scorecard CSV."""

    team: str = Field(max_length=1000)
    month: str = Field(max_length=20, description="YYYY-MM")
    metric: str = Field(max_length=100, description="handle_time, fcr, quality, nps or csat")
    value: float = Field(allow_inf_nan=False)


class MetricsIntake(Body):
    """Scorecard values to write, all or nothing."""

    values: list[MetricIn] = Field(min_length=1, max_length=5000)


class MetricsResult(BaseModel):
    """How many values were written."""

    written: int


class MetricOut(BaseModel):
    """A stored scorecard value."""

    team: str
    month: str
    metric: str
    value: float


class MetricsQuery(PageQuery):
    """Scorecard values from/to a month (YYYY-MM)."""

    since: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")
    until: str | None = Field(None, pattern=r"^\d{4}-\d{2}$")


class MetricsPage(BaseModel):
    """A page of scorecard values, by month then team."""

    items: list[MetricOut]
    page: int
    limit: int
    total: int
    links: Links


# Events, feedback, plan -----------------------------------------------------------------------

EventKind = Literal[tuple(EVENT_KINDS)]  # type: ignore[valid-type]
FeedbackStatus = Literal[(*STATUSES, "open")]  # type: ignore[valid-type]
FeedbackCategory = Literal[tuple(CATEGORIES)]  # type: ignore[valid-type]


class EventsQuery(DatedQuery):
    """Events starting in a date range (organisation's dates), of one kind."""

    kind: EventKind | None = None  # type: ignore[valid-type]


class EventOut(BaseModel):
    """A calendar event (no description: it may quote customers)."""

    uid: str
    kind: str
    practice: str
    title: str
    status: str
    all_day: bool
    start: datetime | None
    end: datetime | None
    start_date: date | None
    end_date: date | None = Field(description="exclusive, for all-day events")
    host_email: str | None
    team: str | None
    sequence: int
    last_modified: datetime


class EventsPage(BaseModel):
    """A page of events, by start."""

    items: list[EventOut]
    page: int
    limit: int
    total: int
    links: Links


class FeedbackQuery(DatedQuery):
    """Board filters: status (or "open"), category, raised between since and until."""

    status: FeedbackStatus | None = None
    category: FeedbackCategory | None = None  # type: ignore[valid-type]


class FeedbackOut(BaseModel):
    """A feedback item exactly as the board shows it: never who raised it."""

    id: str
    title: str
    category: str
    team: str
    raised_on: date
    status: str
    due_date: date | None
    votes: int
    response: str


class FeedbackPage(BaseModel):
    """A page of the board, newest first."""

    items: list[FeedbackOut]
    page: int
    limit: int
    total: int
    links: Links


class PlanQuery(Query):
    """The plan year (default: the one running today)."""

    year: int | None = Field(None, ge=2000, le=2200)


class PlanStatus(BaseModel):
    """The published year plan at a glance."""

    year: int
    first_day: date
    last_day: date
    events: int
    by_practice: dict[str, int]
    working_weeks: int
    weeks_covered: int
    gap_weeks: list[date] = Field(description="Mondays of working weeks without a touchpoint")


# Webhooks -------------------------------------------------------------------------------------


class WebhookPraise(Body):
    """A survey or ticketing comment that names the person it praises."""

    id: str = Field(min_length=1, max_length=200, description="the source's own id (idempotency)")
    email: str = Field(max_length=1000, description="the praised person's e-mail")
    comment: str = Field(max_length=10_000)
    received_on: date | None = Field(None, description="default: today")
    channel: str = Field("survey", max_length=100)
    customer_name: str = Field("", max_length=1000)


class WebhookResult(BaseModel):
    """What happened to a delivery; a repeated id answers the first outcome again."""

    status: Literal["created", "duplicate"]
    praise_id: int | None
