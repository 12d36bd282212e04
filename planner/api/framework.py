"""The API's one decorator: declares an operation (for the OpenAPI document and the route x role
test) and does the plumbing: token and scope, query and JSON body validated by pydantic,
JSON responses with ETags (If-None-Match -> 304), problem details for every error."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Response, current_app, g, request
from pydantic import BaseModel, ValidationError
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from planner.access import ALL
from planner.api import auth
from planner.api.problems import ApiProblem, from_problem
from planner.db import get_session, utcnow, write_session
from planner.models import ApiToken

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("planner.api")
MAX_BODY = 2 * 1024 * 1024 + 64 * 1024  # a 2 MB import plus JSON punctuation
JSON_TYPES = ("application/json",)


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one route."""

    summary: str
    tag: str
    scope: tuple[str, str] | None = None  # (area, read|write); None: not token-protected
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    description: str = ""
    headers: tuple[tuple[str, str], ...] = ()  # (name, description) of required headers
    extra_statuses: tuple[int, ...] = field(default=())


def token_scope(view: Callable[..., Any]) -> tuple[str, str] | None:
    """The (area, access) a view needs from a token, or None (used by the route x role test)."""
    operation = getattr(view, "api_operation", None)
    return operation.scope if operation is not None else None


def validation_errors(exc: ValidationError, where: str) -> list[dict[str, Any]]:
    """Pydantic's errors as problem-detail items: a JSON pointer, the list index, the message."""
    items = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = [str(part) for part in error["loc"]]
        item: dict[str, Any] = {
            "pointer": "/" + "/".join(loc) if where == "body" else None,
            "parameter": loc[0] if where == "query" and loc else None,
            "index": next((int(p) for p in loc if p.isdigit()), None) if where == "body" else None,
            "message": error["msg"],
        }
        items.append({k: v for k, v in item.items() if v is not None})
    return items


def _query(model: type[BaseModel]) -> BaseModel:
    repeated = sorted({k for k in request.args if len(request.args.getlist(k)) > 1})
    if repeated:
        errors = [{"parameter": k, "message": "given more than once"} for k in repeated]
        raise ApiProblem(422, "Give each query parameter once.", errors=errors)
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiProblem(
            422, "Some query parameters are not valid.", errors=validation_errors(exc, "query")
        ) from None


def _body(model: type[BaseModel]) -> BaseModel:
    if request.mimetype not in JSON_TYPES:
        raise ApiProblem(415, "Send the body as JSON (Content-Type: application/json).")
    if (request.content_length or 0) > MAX_BODY:
        raise ApiProblem(413, f"The body is larger than {MAX_BODY // 1024} KB; send fewer items.")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY:
        raise ApiProblem(413, f"The body is larger than {MAX_BODY // 1024} KB; send fewer items.")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ApiProblem(400, "The body is not valid JSON.") from None
        raise ApiProblem(
            422, "The body does not match the schema.", errors=validation_errors(exc, "body")
        ) from None


def json_response(payload: BaseModel, status: int) -> Response:
    """Serialise a response model; GET answers carry an ETag and honour If-None-Match."""
    response = Response(payload.model_dump_json(), status=status, mimetype="application/json")
    if request.method in ("GET", "HEAD") and status == 200:
        response.headers["Cache-Control"] = "private, no-cache"
        response.add_etag()
        response.make_conditional(request)
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def _authenticated(area: str, access: str) -> ApiToken:
    """The request's token, checked for the scope; its last use recorded (best effort)."""
    db, now = get_session(), utcnow()
    token = auth.authenticate(db, request.headers.get("Authorization"), now)
    auth.require_scope(token, area, access)
    if auth.use_due(token, now):
        if request.method in ("GET", "HEAD"):
            # A reader must not upgrade its lock: a separate writer records the use.
            try:
                with write_session(current_app) as writer:
                    writer.execute(
                        update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                    )
                    writer.commit()
            except SQLAlchemyError:
                log.warning("could not record the use of API token %s", token.id)
        else:
            token.last_used_at = now
            db.commit()  # kept even when the request then fails
    return token


def endpoint(
    summary: str,
    *,
    tag: str,
    scope: tuple[str, str] | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    description: str = "",
    headers: tuple[tuple[str, str], ...] = (),
    extra_statuses: tuple[int, ...] = (),
) -> Callable[[F], F]:
    """Declare an API operation; the view receives `query=` / `body=` models and returns a
    response model (or (model, status)). With `scope`, a Bearer token with that scope is
    required and `g.api_token` is set; session cookies are never looked at."""
    operation = Operation(
        summary, tag, scope, query, body, response, status, description, headers, extra_statuses
    )

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                if scope is not None:
                    g.api_token = _authenticated(*scope)
                if query is not None:
                    kwargs["query"] = _query(query)
                if body is not None:
                    kwargs["body"] = _body(body)
                result = view(*args, **kwargs)
            except ApiProblem as problem:
                get_session().rollback()
                return from_problem(problem)
            if isinstance(result, Response):
                return result
            payload, code, extra = (
                (*result, {})[:3] if isinstance(result, tuple) else (result, status, {})
            )
            response = json_response(payload, code)
            response.headers.extend({k: v for k, v in extra.items() if v})
            return response

        wrapper.api_operation = operation  # type: ignore[attr-defined]
        # No session role may open it: the token's scopes decide (see tests/test_access_routes).
        roles = frozenset() if scope is not None else frozenset(ALL)
        wrapper.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
