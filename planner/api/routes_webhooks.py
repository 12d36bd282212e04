"""Signed praise webhooks, the OpenAPI document and its docs page."""

from __future__ import annotations

from typing import Any

from flask import current_app, json, render_template, request
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from planner.access import public
from planner.api import operations, schemas, signing
from planner.api.blueprint import v1
from planner.api.framework import endpoint, validation_errors
from planner.api.problems import ApiProblem
from planner.api.spec import build_spec
from planner.db import get_session, utcnow
from planner.errors import InvalidInput
from planner.models import WebhookSource
from planner.recognition import clock

MAX_DELIVERY = 64 * 1024
SIGNATURE_HEADERS = (
    ("X-Planner-Timestamp", "Unix time in seconds when the delivery was signed"),
    ("X-Planner-Signature", 'sha256=hex(HMAC-SHA256(secret, "<timestamp>." + raw body))'),
)


def _refused(detail: str = "The signature is not valid.") -> ApiProblem:
    return ApiProblem(401, detail)


@v1.route("/webhooks/praise/<int:source_id>", methods=["POST"])
@endpoint(
    "Receive praise from a survey or ticketing tool",
    tag="webhooks",
    response=schemas.WebhookResult,
    status=201,
    headers=SIGNATURE_HEADERS,
    extra_statuses=(200,),
    description="Signed with the source's secret (see the integrations page). Body: "
    "WebhookPraise. A repeated id answers 200 with the first outcome; nothing is "
    "applied twice.",
)
def praise_webhook(source_id: int) -> Any:
    """Check signature and timestamp, then log the praise once per source id."""
    db = get_session()
    if (request.content_length or 0) > MAX_DELIVERY:
        raise ApiProblem(413, f"A delivery is at most {MAX_DELIVERY // 1024} KB.")
    raw = request.get_data(cache=True)
    now = utcnow()
    timestamp = request.headers.get("X-Planner-Timestamp")
    if problem := signing.timestamp_problem(timestamp, now.timestamp()):
        raise _refused(problem)  # checked before touching the database
    source = db.get(WebhookSource, source_id)
    if source is None or not source.active:
        raise _refused()
    secret = signing.derive_secret(current_app.config["SECRET_KEY"], source.id, source.salt)
    if not signing.signature_matches(
        secret, timestamp or "", raw, request.headers.get("X-Planner-Signature")
    ):
        raise _refused()
    if request.mimetype != "application/json":
        raise ApiProblem(415, "Send the body as JSON (Content-Type: application/json).")
    try:
        body = schemas.WebhookPraise.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ApiProblem(400, "The body is not valid JSON.") from None
        raise ApiProblem(
            422, "The body does not match the schema.", errors=validation_errors(exc, "body")
        ) from None
    today = clock.today(db)

    def receive() -> operations.Delivery:
        return operations.receive_praise(
            db,
            source,
            external_id=body.id,
            email=body.email,
            comment=body.comment,
            received_on=body.received_on or today,
            channel=body.channel,
            customer_name=body.customer_name,
            today=today,
            now=now,
        )

    try:
        delivery = receive()
    except InvalidInput as exc:
        raise ApiProblem(422, str(exc)) from None
    try:
        db.commit()
    except IntegrityError:
        # The same id delivered twice at once: the other request recorded it first.
        db.rollback()
        delivery = receive()
    result = schemas.WebhookResult(status=delivery.status, praise_id=delivery.praise_id)  # type: ignore[arg-type]
    return result, 201 if delivery.status == "created" else 200


@v1.route("/openapi.json")
@public
def openapi() -> Any:
    """The OpenAPI 3.1 document, generated from the routes."""
    document = build_spec(current_app)
    return current_app.response_class(
        json.dumps(document), mimetype="application/json", headers={"Cache-Control": "no-cache"}
    )


@v1.route("/docs")
@public
def docs() -> Any:
    """A plain page listing every operation (no external assets)."""
    document = build_spec(current_app)
    return render_template("api/docs.html", spec=document)
