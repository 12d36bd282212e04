"""What the app announces, as plain Announcements: a service star, a team's thank-you, the
monthly "You said, we did" update (public board facts only: never who raised an item).

Channels are read by whole teams, so announcements are worded in the organisation's language;
the caller chooses it (`in_language(organisation_language())`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from planner.api.payloads import Announcement
from planner.feedback.board import monthly_update
from planner.i18n import _, ngettext
from planner.i18n.formatting import format_month, format_number
from planner.models import Award, Team

UPDATE_ITEMS = 5


def star_approved(award: Award, base_url: str) -> Announcement:
    """A service star of a team for a month."""
    month = format_month(date(award.year, award.month, 1))
    return Announcement(
        topic="star_approved",
        title=_("Service star: %(name)s", name=award.person.name),
        text=_(
            "%(name)s is the service star of %(team)s for %(month)s.",
            name=award.person.name,
            team=award.team.name,
            month=month,
        ),
        facts=((_("Team"), award.team.name), (_("Month"), month)),
        link=f"{base_url.rstrip('/')}/recognition/stars",
        link_label=_("Open in the planner"),
    )


def team_thanks(team: Team, message: str, by: str) -> Announcement:
    """A thank-you to a team."""
    return Announcement(
        topic="team_thanks",
        title=_("Thank you, %(team)s!", team=team.name),
        text=message.strip(),
        facts=((_("From"), by),),
        link_label=_("Open in the planner"),
    )


def month_update(session: Session, month: date, base_url: str) -> Announcement:
    """The month's closed items with their responses, and the counts."""
    update = monthly_update(session, month)
    lines = [
        f"{item.public_id} {item.title}: {item.response}" for item in update.closed[:UPDATE_ITEMS]
    ]
    more = len(update.closed) - UPDATE_ITEMS
    if more > 0:
        lines.append(ngettext("… and %(num)d more.", "… and %(num)d more.", more))
    return Announcement(
        topic="monthly_update",
        title=_("You said, we did: %(month)s", month=format_month(update.month)),
        text="\n".join(lines) or _("No items were closed this month."),
        facts=(
            (_("Closed"), format_number(len(update.closed))),
            (_("Raised"), format_number(update.raised)),
            (_("Open now"), format_number(update.open_now)),
        ),
        link=f"{base_url.rstrip('/')}/feedback/updates",
        link_label=_("Open in the planner"),
    )
