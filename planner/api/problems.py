"""RFC 9457 problem details: every error under /api/ is application/problem+json, never HTML."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Response, json

PROBLEM_TYPE = "about:blank"
MEDIA_TYPE = "application/problem+json"
API_PREFIX = "/api/"


class ApiProblem(Exception):
    """An error to answer as problem details; `errors` lists per-item problems."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def title_of(status: int) -> str:
    """The standard reason phrase of a status code."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(
    status: int,
    detail: str = "",
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response; `errors` (index, field, message) goes in an extension member."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": title_of(status),
        "status": status,
        "detail": detail or title_of(status),
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def from_problem(problem: ApiProblem) -> Response:
    """The response for a raised ApiProblem."""
    return problem_response(
        problem.status, problem.detail, errors=problem.errors, headers=problem.headers
    )


def is_api_path(path: str) -> bool:
    """Whether a request path belongs to the JSON API (errors there are problem+json)."""
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def problem_for(status: int, error: Exception | None) -> Response:
    """The problem response for an HTTP error raised outside the API's own views (unknown URL,
    wrong method, too large, database down, unexpected error)."""
    from werkzeug.exceptions import HTTPException

    headers: dict[str, str] = {}
    detail = ""
    if isinstance(error, HTTPException):
        detail = error.description or ""
        allowed = dict(error.get_headers())
        if status == 405 and "Allow" in allowed:
            headers["Allow"] = allowed["Allow"]
    if status == 503:
        detail, headers["Retry-After"] = "The database is not reachable; try again soon.", "60"
    if status == 500:
        detail = "Something went wrong on our side; the error is logged."
    return problem_response(status, detail, headers=headers)
