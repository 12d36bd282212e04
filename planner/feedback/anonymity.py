"""What keeps anonymous feedback anonymous: receipt tokens and small-group suppression.

Small groups (SECURITY.md 17): a team with fewer than MIN_GROUP active members is never named on
an anonymous item, never offered as a filter and never counted on its own. To stop a hidden team
being recovered by subtraction (total minus the visible teams), hidden teams are pooled into one
"Other teams (combined)" group, and when that pool would be a single team or fewer than
MIN_GROUP people, the smallest visible teams join it (complementary suppression) until it holds at
least two teams and MIN_GROUP people. The grouping depends on team sizes only, never on item
counts, so it cannot be probed by raising items.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.i18n import lazy_gettext as _l
from planner.models import FeedbackItem, Person, Team

MIN_GROUP = 5
POOLED_LABEL = _l("Other teams (combined)")
RECEIPT_PREFIX = "rcpt_"


def new_receipt_token() -> tuple[str, str]:
    """A fresh receipt token (256 bits) and the SHA-256 hex digest that is stored instead."""
    token = RECEIPT_PREFIX + secrets.token_urlsafe(32)
    return token, receipt_hash(token)


def receipt_hash(token: str) -> str:
    """The stored form of a receipt token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def item_for_receipt(session: Session, token: str) -> FeedbackItem | None:
    """The item a receipt token follows, or None (constant-time enough: a hash lookup)."""
    if not token.startswith(RECEIPT_PREFIX) or len(token) > 100:
        return None
    return session.scalar(
        select(FeedbackItem).where(FeedbackItem.receipt_hash == receipt_hash(token))
    )


# Request-log lines that would tie an address (and through sign-in records, a person) to an
# anonymous raise or to following one (SECURITY.md 17b): the raise form and its POST, the page
# that issues the receipt, receipt pages, and the asset requests those pages trigger (marked
# `?q=1` by base.html) are not logged at all.
QUIET_REQUESTS = re.compile(
    r"/feedback/new\b|/feedback/received\b|/feedback/receipt/|/static/\S*[?&]q=1\b"
)


class QuietAnonymousRequests(logging.Filter):
    """Drops access-log records of anonymous raises and receipt views."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record except those naming a quiet request."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            return True
        return not QUIET_REQUESTS.search(message)


def quiet_request_logs() -> None:
    """Attach the filter to the loggers that write request lines (werkzeug, gunicorn)."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, QuietAnonymousRequests) for f in logger.filters):
            logger.addFilter(QuietAnonymousRequests())


@dataclass(frozen=True)
class TeamGrouping:
    """Which teams may be named on anonymous items; the rest share the pooled label."""

    names: dict[int, str]
    visible: frozenset[int]

    def label(self, team_id: int | None, *, anonymous: bool, pooled: bool = False) -> str:
        """The team as shown on an item: named unless the item is anonymous and the team pooled
        (now, or when the item was published: then only the pool is stored)."""
        if pooled:
            return str(POOLED_LABEL)
        if team_id is None:
            return "—"
        if anonymous and team_id not in self.visible:
            return str(POOLED_LABEL)
        return self.names.get(team_id, "—")

    def hides(self, item: FeedbackItem) -> bool:
        """Whether an item's team must not be named (or derived: escalation, owner)."""
        return item.pooled or (item.anonymous and item.team_id not in self.visible)

    def group_key(self, team_id: int | None) -> int | None:
        """The key anonymous items are counted under: the team, or None for the pool."""
        return team_id if team_id in self.visible else None


def team_sizes(session: Session) -> dict[int, int]:
    """Active members per team (teams without members count 0)."""
    counts = dict(
        session.execute(
            select(Person.team_id, func.count(Person.id))
            .where(Person.active.is_(True), Person.team_id.is_not(None))
            .group_by(Person.team_id)
        ).all()
    )
    return {team_id: counts.get(team_id, 0) for team_id in session.scalars(select(Team.id))}


def visible_teams(sizes: dict[int, int], minimum: int = MIN_GROUP) -> frozenset[int]:
    """PURE: the teams that may be named, after complementary suppression (see module doc)."""
    visible = {t for t, n in sizes.items() if n >= minimum}
    pooled = set(sizes) - visible
    if not pooled:
        return frozenset(visible)
    # Smallest visible teams first (ties by id, for determinism) join the pool as needed.
    candidates = sorted(visible, key=lambda t: (sizes[t], t))
    while candidates and (len(pooled) < 2 or sum(sizes[t] for t in pooled) < minimum):
        moved = candidates.pop(0)
        visible.discard(moved)
        pooled.add(moved)
    return frozenset(visible)


def team_grouping(session: Session) -> TeamGrouping:
    """The current grouping of teams for anonymous items."""
    names = dict(session.execute(select(Team.id, Team.name)).all())
    return TeamGrouping(names=names, visible=visible_teams(team_sizes(session)))
