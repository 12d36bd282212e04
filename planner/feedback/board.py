"""The public board: filtered items, team counts that respect small groups, monthly updates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput
from planner.feedback.anonymity import POOLED_LABEL, TeamGrouping, team_grouping
from planner.feedback.thanks import thanked_items, thanks_in_month
from planner.i18n import _
from planner.i18n import lazy_gettext as _l
from planner.models import Event, FeedbackItem, FeedbackVote, Team
from planner.models.feedback import CATEGORIES, CLOSED, STATUSES
from planner.validation import date_problem

AGES = {
    "week": (_l("Raised in the last 7 days"), 0, 7),
    "month": (_l("Raised in the last 30 days"), 0, 30),
    "quarter": (_l("Raised 31–90 days ago"), 31, 90),
    "older": (_l("Raised more than 90 days ago"), 91, None),
}
POOL = "pool"


@dataclass(frozen=True)
class BoardFilters:
    """What the board is filtered by; empty strings mean "any"."""

    status: str = ""
    category: str = ""
    team: str = ""
    age: str = ""
    department: str = ""


@dataclass(frozen=True)
class BoardRow:
    """One item as shown on the board."""

    item: FeedbackItem
    team_label: str
    votes: int
    voted: bool
    thanked: bool = False


@dataclass
class Board:
    """The board's rows, team counts (small groups pooled) and the team filter's choices."""

    rows: list[BoardRow]
    team_counts: list[tuple[str, int]]
    team_choices: list[tuple[str, str]]
    grouping: TeamGrouping
    error: str = ""
    department_choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class MonthlyUpdate:
    """What changed in one month: items closed with a response, and a few counts."""

    month: date
    closed: list[FeedbackItem] = field(default_factory=list)
    raised: int = 0
    open_now: int = 0
    thanks: list[Event] = field(default_factory=list)  # departments thanked this month


def _team_clause(
    query: Select[FeedbackItem], team: str, grouping: TeamGrouping
) -> Select[FeedbackItem]:
    """Filter by a visible team or by the pool; a pooled team cannot be picked on its own."""
    if team == POOL:
        return query.where(
            FeedbackItem.team_id.is_(None) | FeedbackItem.team_id.not_in(grouping.visible or {-1})
        )
    if not team.isdigit() or int(team) not in grouping.visible:
        raise InvalidInput(_("That team is too small to be shown on its own."))
    return query.where(FeedbackItem.team_id == int(team))


def load_board(
    session: Session, filters: BoardFilters, *, today: date, viewer_id: int | None
) -> Board:
    """Items matching the filters, newest first, with vote counts and team counts."""
    grouping = team_grouping(session)
    query = select(FeedbackItem)
    error = ""
    if filters.status in STATUSES:
        query = query.where(FeedbackItem.status == filters.status)
    elif filters.status == "open":
        query = query.where(FeedbackItem.status.not_in(CLOSED))
    if filters.category in CATEGORIES:
        query = query.where(FeedbackItem.category == filters.category)
    if filters.department.isdigit():
        query = query.where(FeedbackItem.department_id == int(filters.department))
    if filters.age in AGES:
        _, young, old = AGES[filters.age]
        query = query.where(FeedbackItem.raised_on <= today - timedelta(days=young))
        if old is not None:
            query = query.where(FeedbackItem.raised_on >= today - timedelta(days=old))
    unteamed = query
    if filters.team:
        try:
            query = _team_clause(query, filters.team, grouping)
        except InvalidInput as exc:
            error = str(exc)
    items = list(session.scalars(query.order_by(FeedbackItem.raised_on.desc(), FeedbackItem.id)))
    votes = _vote_counts(session, [i.id for i in items])
    mine = _voted_by(session, viewer_id, [i.id for i in items])
    thanked = thanked_items(session, [i.id for i in items])
    rows = [
        BoardRow(
            i,
            grouping.label(i.team_id, anonymous=i.anonymous, pooled=i.pooled),
            votes[i.id],
            i.id in mine,
            i.id in thanked,
        )
        for i in items
    ]
    # Team counts over the other filters, every item counted under its group (team or pool).
    groups: Counter[int | None] = Counter(
        grouping.group_key(team_id)
        for team_id in session.scalars(unteamed.with_only_columns(FeedbackItem.team_id))
    )
    counts = sorted(
        ((grouping.names[k], n) for k, n in groups.items() if k is not None), key=lambda r: r[0]
    )
    if groups.get(None):
        counts.append((POOLED_LABEL, groups[None]))
    choices = sorted(((str(t), grouping.names[t]) for t in grouping.visible), key=lambda c: c[1])
    if len(grouping.visible) < len(grouping.names):
        choices.append((POOL, POOLED_LABEL))
    departments = session.execute(
        select(Team.id, Team.name).where(Team.frontline.is_(False)).order_by(Team.name)
    ).all()
    return Board(
        rows, counts, choices, grouping, error, [(str(t), name) for t, name in departments]
    )


def _vote_counts(session: Session, item_ids: list[int]) -> Counter[int]:
    """Votes per item."""
    if not item_ids:
        return Counter()
    return Counter(
        dict(
            session.execute(
                select(FeedbackVote.item_id, func.count())
                .where(FeedbackVote.item_id.in_(item_ids))
                .group_by(FeedbackVote.item_id)
            ).all()
        )
    )


def _voted_by(session: Session, person_id: int | None, item_ids: list[int]) -> set[int]:
    """The items among item_ids this person voted for."""
    if person_id is None or not item_ids:
        return set()
    return set(
        session.scalars(
            select(FeedbackVote.item_id).where(
                FeedbackVote.person_id == person_id, FeedbackVote.item_id.in_(item_ids)
            )
        )
    )


def vote_count(session: Session, item_id: int) -> int:
    """How many "me too"s an item has."""
    return _vote_counts(session, [item_id])[item_id]


def has_voted(session: Session, item_id: int, person_id: int) -> bool:
    """Whether this person voted for the item."""
    return bool(_voted_by(session, person_id, [item_id]))


def parse_month(text: str) -> date:
    """'2026-11' -> date(2026, 11, 1); InvalidInput for anything else."""
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError as exc:
        raise InvalidInput(_("Months look like 2026-11.")) from exc
    if date_problem(first):  # next_month() of 9999-12 would not exist
        raise InvalidInput(_("Months look like 2026-11."))
    return first


def next_month(month: date) -> date:
    """The first day of the following month."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def monthly_update(session: Session, month: date) -> MonthlyUpdate:
    """Items closed with a response during the month, and how many were raised and are open."""
    month = month.replace(day=1)
    end = next_month(month)
    closed = list(
        session.scalars(
            select(FeedbackItem)
            .where(FeedbackItem.closed_on >= month, FeedbackItem.closed_on < end)
            .order_by(FeedbackItem.closed_on, FeedbackItem.id)
        )
    )
    raised = session.scalar(
        select(func.count())
        .select_from(FeedbackItem)
        .where(FeedbackItem.raised_on >= month, FeedbackItem.raised_on < end)
    )
    open_now = session.scalar(
        select(func.count()).select_from(FeedbackItem).where(FeedbackItem.status.not_in(CLOSED))
    )
    return MonthlyUpdate(
        month, closed, raised or 0, open_now or 0, thanks_in_month(session, month, end)
    )
