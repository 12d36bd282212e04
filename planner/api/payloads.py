"""PURE: an announcement in, the JSON each product documents out.

Microsoft Teams incoming webhooks take a "message" whose attachment is an Adaptive Card
(contentType application/vnd.microsoft.card.adaptive); Slack incoming webhooks take Block Kit
blocks plus a plain `text` fallback for notifications. Both are cut to the products' limits
(Slack: header 150, section text 3000, 10 fields of 2000) and Slack text is escaped (&, <, >)
so names cannot ping a channel or forge links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.4"
SLACK_HEADER_MAX = 150
SLACK_TEXT_MAX = 3000
SLACK_FIELDS_MAX = 10
SLACK_FIELD_MAX = 2000


@dataclass(frozen=True)
class Announcement:
    """What to say: a title, a paragraph, a few facts, an optional link into the app."""

    topic: str
    title: str
    text: str
    facts: tuple[tuple[str, str], ...] = field(default=())
    link: str | None = None
    link_label: str = "Open in the planner"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def teams_message(note: Announcement) -> dict[str, Any]:
    """A Teams incoming-webhook message carrying one Adaptive Card."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": note.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        },
        {"type": "TextBlock", "text": note.text, "wrap": True},
    ]
    if note.facts:
        body.append({"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in note.facts]})
    card: dict[str, Any] = {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
    }
    if note.link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": note.link_label, "url": note.link}]
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": card}],
    }


def slack_escape(text: str) -> str:
    """Slack's three control characters as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(note: Announcement) -> dict[str, Any]:
    """A Slack incoming-webhook message in Block Kit, with a plain-text fallback."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": _cut(note.title, SLACK_HEADER_MAX),
                "emoji": True,
            },
        },
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _cut(slack_escape(note.text), SLACK_TEXT_MAX)},
        },
    ]
    if note.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {
                        "type": "mrkdwn",
                        "text": _cut(f"*{slack_escape(k)}*\n{slack_escape(v)}", SLACK_FIELD_MAX),
                    }
                    for k, v in note.facts[:SLACK_FIELDS_MAX]
                ],
            }
        )
    if note.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "url": note.link,
                        "text": {"type": "plain_text", "text": note.link_label},
                    }
                ],
            }
        )
    return {"text": _cut(f"{note.title}: {note.text}", SLACK_TEXT_MAX), "blocks": blocks}


def message_for(kind: str, note: Announcement) -> dict[str, Any]:
    """The payload for a target of this kind (teams | slack)."""
    return teams_message(note) if kind == "teams" else slack_message(note)
