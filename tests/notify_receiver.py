"""A local HTTP receiver (127.0.0.1 only) that validates Teams and Slack incoming-webhook
payloads the way the products document them, and answers 400 to anything else."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CARD_ELEMENTS = {"TextBlock", "FactSet", "ColumnSet", "Container", "Image"}
SLACK_BLOCKS = {"header", "section", "actions", "context", "divider"}


def teams_problems(payload: Any) -> list[str]:
    """What is wrong with a Teams incoming-webhook message carrying an Adaptive Card."""
    problems = []
    if not isinstance(payload, dict) or payload.get("type") != "message":
        return ['top level must be {"type": "message", ...}']
    attachments = payload.get("attachments")
    if not isinstance(attachments, list) or len(attachments) != 1:
        return ["exactly one attachment expected"]
    attachment = attachments[0]
    if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
        problems.append("contentType must be application/vnd.microsoft.card.adaptive")
    if "contentUrl" in attachment and attachment["contentUrl"] is not None:
        problems.append("contentUrl must be null")
    card = attachment.get("content") or {}
    if card.get("type") != "AdaptiveCard" or not str(card.get("version", "")).startswith("1."):
        problems.append("content must be an AdaptiveCard with a 1.x version")
    if "$schema" in card and "adaptivecards.io" not in card["$schema"]:
        problems.append("unexpected $schema")
    body = card.get("body")
    if not isinstance(body, list) or not body:
        problems.append("the card needs a body")
    for element in body or []:
        if element.get("type") not in CARD_ELEMENTS:
            problems.append(f"unknown element {element.get('type')}")
        if element.get("type") == "TextBlock" and not isinstance(element.get("text"), str):
            problems.append("a TextBlock needs text")
        if element.get("type") == "FactSet":
            for fact in element.get("facts", []):
                if set(fact) != {"title", "value"}:
                    problems.append("facts are {title, value}")
    for action in card.get("actions", []):
        if action.get("type") != "Action.OpenUrl" or not str(action.get("url", "")).startswith(
            "http"
        ):
            problems.append("actions must be Action.OpenUrl with a url")
    return problems


def slack_problems(payload: Any) -> list[str]:
    """What is wrong with a Slack incoming-webhook message in Block Kit."""
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        return ["a plain-text `text` fallback is expected"]
    blocks = payload.get("blocks")
    if not isinstance(blocks, list) or not 0 < len(blocks) <= 50:
        return ["1 to 50 blocks expected"]
    problems = []
    for block in blocks:
        kind = block.get("type")
        if kind not in SLACK_BLOCKS:
            problems.append(f"unknown block {kind}")
        if kind == "header":
            text = block.get("text", {})
            if text.get("type") != "plain_text" or not 0 < len(text.get("text", "")) <= 150:
                problems.append("a header is plain_text of at most 150 characters")
        if kind == "section":
            text, fields = block.get("text"), block.get("fields")
            if text is None and fields is None:
                problems.append("a section needs text or fields")
            if text is not None and (
                text.get("type") not in ("mrkdwn", "plain_text") or len(text.get("text", "")) > 3000
            ):
                problems.append("section text is mrkdwn/plain_text up to 3000 characters")
            if fields is not None and (
                len(fields) > 10 or any(len(f["text"]) > 2000 for f in fields)
            ):
                problems.append("at most 10 fields of 2000 characters")
        if kind == "actions":
            for element in block.get("elements", []):
                if (
                    element.get("type") != "button"
                    or element.get("text", {}).get("type") != "plain_text"
                ):
                    problems.append("buttons have plain_text labels")
    for block in blocks:
        for text in [block.get("text", {}), *block.get("fields", [])]:
            if text.get("type") == "mrkdwn" and ("<" in text["text"] or ">" in text["text"]):
                problems.append("mrkdwn text must escape < and >")
    return problems


@dataclass
class Receiver:
    """What the receiver got; `statuses` are answered in turn (then 200)."""

    port: int = 0
    received: list[tuple[str, Any, list[str]]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def url(self, kind: str) -> str:
        """The local URL for a product."""
        return f"http://127.0.0.1:{self.port}/{kind}"


@contextmanager
def receiver() -> Iterator[Receiver]:
    """Run a receiver on a free loopback port for the block."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            kind = self.path.strip("/")
            try:
                payload = json.loads(raw)
            except ValueError:
                payload, problems = None, ["not JSON"]
            else:
                problems = teams_problems(payload) if kind == "teams" else slack_problems(payload)
            state.received.append((kind, payload, problems))
            status = state.statuses.pop(0) if state.statuses else (400 if problems else 200)
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "1")
            self.end_headers()
            self.wfile.write(b"ok" if status == 200 else b"no")

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
