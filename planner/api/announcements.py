"""What the app announces, as plain Announcements: a service star, a team's thank-you, the
monthly "You said, we did" update (public board facts only: never who raised an item)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from planner.api.payloads import Announcement
from planner.feedback.board import monthly_update
from planner.models import Award, Team

UPDATE_ITEMS = 5


def star_approved(award: Award, base_url: str) -> Announcement:
    """A service star of a team for a month."""
    month = date(award.year, award.month, 1)
    return Announcement(
        topic="star_approved",
        title=f"Service star: {award.person.name}",
        text=f"{award.person.name} is the service star of {award.team.name} for {month:%B %Y}.",
        facts=(("Team", award.team.name), ("Month", f"{month:%B %Y}")),
        link=f"{base_url.rstrip('/')}/recognition/stars",
    )


def team_thanks(team: Team, message: str, by: str) -> Announcement:
    """A thank-you to a team."""
    return Announcement(
        topic="team_thanks",
        title=f"Thank you, {team.name}!",
        text=message.strip(),
        facts=(("From", by),),
    )


def month_update(session: Session, month: date, base_url: str) -> Announcement:
    """The month's closed items with their responses, and the counts."""
    update = monthly_update(session, month)
    lines = [
        f"{item.public_id} {item.title}: {item.response}" for item in update.closed[:UPDATE_ITEMS]
    ]
    more = len(update.closed) - UPDATE_ITEMS
    if more > 0:
        lines.append(f"… and {more} more.")
    return Announcement(
        topic="monthly_update",
        title=f"You said, we did: {update.month:%B %Y}",
        text="\n".join(lines) or "No items were closed this month.",
        facts=(
            ("Closed", str(len(update.closed))),
            ("Raised", str(update.raised)),
            ("Open now", str(update.open_now)),
        ),
        link=f"{base_url.rstrip('/')}/feedback/updates",
    )
