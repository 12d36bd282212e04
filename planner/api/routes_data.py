"""/api/v1 data routes: people and teams, praise, scorecard values, events, the board, the plan."""

from __future__ import annotations

from typing import Any

from flask import g

from planner.api import imports, reads, schemas
from planner.api.blueprint import page_links, v1
from planner.api.framework import endpoint
from planner.api.problems import ApiProblem
from planner.db import get_session, utcnow
from planner.feedback import pages as feedback_pages
from planner.recognition import clock

WRITE_STATUSES = (409,)


def _rejected(exc: imports.BatchRejected) -> ApiProblem:
    """Every problem of a refused batch, with its index."""
    errors = [
        {"message": p.message, **({"index": p.index} if p.index is not None else {})}
        for p in exc.problems
    ]
    return ApiProblem(422, f"{exc} Nothing was written.", errors=errors)


def _page(model: Any, items: list[Any], total: int, page: int, limit: int) -> Any:
    links, header = page_links(page, limit, total)
    body = model(items=items, page=page, limit=limit, total=total, links=links)
    return body, 200, {"Link": header}


@v1.route("/people", methods=["GET"])
@endpoint(
    "List people",
    tag="people",
    scope=("people", "read"),
    query=schemas.PeopleQuery,
    response=schemas.PeoplePage,
)
def people(query: schemas.PeopleQuery) -> Any:
    """People by name, with team and manager."""
    items, total = reads.people_page(get_session(), query.team, query.page, query.limit)
    return _page(schemas.PeoplePage, items, total, query.page, query.limit)


@v1.route("/people/upsert", methods=["POST"])
@endpoint(
    "Create or update people (HR sync)",
    tag="people",
    scope=("people", "write"),
    body=schemas.PeopleUpsert,
    response=schemas.UpsertResult,
    description="Matched by e-mail; the people CSV import's rules; all or nothing. "
    "People not listed are left alone.",
)
def people_upsert(body: schemas.PeopleUpsert) -> Any:
    """Upsert people by e-mail."""
    db = get_session()
    records = [(p.name, p.email, p.role, p.team, p.manager_email) for p in body.people]
    try:
        result = imports.upsert_people(db, records, actor=g.api_token.owner)
    except imports.BatchRejected as exc:
        raise _rejected(exc) from None
    db.commit()
    return schemas.UpsertResult(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        teams_created=result.teams_created,
    )


@v1.route("/teams", methods=["GET"])
@endpoint("List teams", tag="people", scope=("people", "read"), response=schemas.TeamList)
def teams() -> Any:
    """Every team with its active members."""
    return schemas.TeamList(items=reads.teams(get_session()))


@v1.route("/praise", methods=["POST"])
@endpoint(
    "Log customer praise",
    tag="recognition",
    scope=("recognition", "write"),
    body=schemas.PraiseIntake,
    response=schemas.PraiseResult,
    status=201,
    description="The praise CSV import's rules; all or nothing; praise already logged "
    "(same person, day and words) is counted, not repeated. Each praise becomes an "
    "outreach task for the person's leader.",
)
def praise(body: schemas.PraiseIntake) -> Any:
    """Log praise; each becomes a leader's outreach task."""
    db = get_session()
    records = [
        (p.email, p.received_on.isoformat(), p.channel, p.quote, p.customer_name)
        for p in body.praise
    ]
    try:
        result = imports.intake_praise(
            db, records, actor=g.api_token.owner, today=clock.today(db), now=utcnow()
        )
    except imports.BatchRejected as exc:
        raise _rejected(exc) from None
    db.commit()
    return schemas.PraiseResult(
        created=result.created,
        already_there=result.already_there,
        without_leader=result.without_leader,
    ), 201


@v1.route("/scorecard-values", methods=["GET"])
@endpoint(
    "List scorecard values",
    tag="recognition",
    scope=("recognition", "read"),
    query=schemas.MetricsQuery,
    response=schemas.MetricsPage,
)
def scorecard_values(query: schemas.MetricsQuery) -> Any:
    """Stored values by month and team."""
    items, total = reads.metrics_page(
        get_session(), query.since, query.until, query.page, query.limit
    )
    return _page(schemas.MetricsPage, items, total, query.page, query.limit)


@v1.route("/scorecard-values", methods=["POST"])
@endpoint(
    "Write scorecard values",
    tag="recognition",
    scope=("recognition", "write"),
    body=schemas.MetricsIntake,
    response=schemas.MetricsResult,
    description="The scorecard CSV import's rules (valid ranges, no future months, "
    "each value once); all or nothing.",
)
def scorecard_write(body: schemas.MetricsIntake) -> Any:
    """Write values; an existing value of the same team, month and metric is replaced."""
    db = get_session()
    records = [(m.team, m.month, m.metric, repr(m.value)) for m in body.values]
    try:
        written = imports.write_metrics(db, records, actor=g.api_token.owner, today=clock.today(db))
    except imports.BatchRejected as exc:
        raise _rejected(exc) from None
    db.commit()
    return schemas.MetricsResult(written=written)


@v1.route("/events", methods=["GET"])
@endpoint(
    "List events (for BI)",
    tag="events",
    scope=("events", "read"),
    query=schemas.EventsQuery,
    response=schemas.EventsPage,
)
def events(query: schemas.EventsQuery) -> Any:
    """Calendar events, cancelled ones included (status says so)."""
    items, total = reads.events_page(get_session(), query)
    return _page(schemas.EventsPage, items, total, query.page, query.limit)


@v1.route("/feedback", methods=["GET"])
@endpoint(
    "List feedback items as on the board",
    tag="feedback",
    scope=("feedback", "read"),
    query=schemas.FeedbackQuery,
    response=schemas.FeedbackPage,
    description="Exactly what the board shows: never who raised an item; teams too small "
    "to stay anonymous are pooled. Anonymous raises appear once published.",
)
def feedback(query: schemas.FeedbackQuery) -> Any:
    """The board's items, newest first."""
    db = get_session()
    items, total = reads.feedback_page(db, query, feedback_pages.today(db))
    return _page(schemas.FeedbackPage, items, total, query.page, query.limit)


@v1.route("/plan", methods=["GET"])
@endpoint(
    "The year plan's status",
    tag="plan",
    scope=("plan", "read"),
    query=schemas.PlanQuery,
    response=schemas.PlanStatus,
)
def plan(query: schemas.PlanQuery) -> Any:
    """The published plan of a year at a glance."""
    return reads.plan_status(get_session(), query.year)
