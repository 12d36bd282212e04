"""The OpenAPI 3.1 document, built from the routes' `@endpoint` declarations and the pydantic
models (whose JSON Schema is draft 2020-12, the dialect of OpenAPI 3.1)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from planner import __version__
from planner.api.auth import ALL_SCOPES, SCOPE_AREAS
from planner.api.framework import Operation
from planner.api.schemas import Problem
from planner.web import MAX_ID

REF = "#/components/schemas/{model}"
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _operations(app: Flask) -> list[tuple[str, str, str, Operation]]:
    """(path, method, endpoint, operation) of every declared API route."""
    found = []
    for rule in app.url_map.iter_rules():
        operation = getattr(app.view_functions[rule.endpoint], "api_operation", None)
        if operation is None:
            continue
        path = _PARAM.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((path, method.lower(), rule.endpoint, operation))
    return sorted(found)


def _query_parameters(model: type[BaseModel], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    """Query parameters from a model's fields."""
    schema = model.model_json_schema(ref_template=REF)
    schemas.update(schema.pop("$defs", {}))
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _responses(operation: Operation, method: str) -> dict[str, Any]:
    """Success and error responses of one operation."""
    ok: dict[str, Any] = {"description": "Success"}
    if operation.response is not None:
        ok["content"] = {
            "application/json": {"schema": {"$ref": REF.format(model=operation.response.__name__)}}
        }
    responses: dict[str, Any] = {str(operation.status): ok}
    for extra in operation.extra_statuses:
        responses[str(extra)] = {**ok, "description": "Success (already received)"}
    if method == "get":
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    codes = (
        [400, 401, 404, 405, 413, 415, 422, 503] if method != "get" else [401, 404, 405, 422, 503]
    )
    if operation.scope is not None:
        codes.append(403)
    for code in sorted(codes):
        responses[str(code)] = {"description": "Problem details (RFC 9457)", "content": PROBLEM}
    return responses


def build_spec(app: Flask) -> dict[str, Any]:
    """The whole document."""
    models: list[type[BaseModel]] = [Problem]
    for *_, operation in _operations(app):
        models += [m for m in (operation.body, operation.response) if m is not None]
    _, defs = models_json_schema(
        [(m, "validation") for m in dict.fromkeys(models)], ref_template=REF
    )
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    paths: dict[str, dict[str, Any]] = {}
    for path, method, endpoint_name, operation in _operations(app):
        item: dict[str, Any] = {
            "operationId": endpoint_name.rsplit(".", 1)[-1]
            + ("_" + method if method != "get" else ""),
            "summary": operation.summary,
            "tags": [operation.tag],
            "responses": _responses(operation, method),
        }
        if operation.description:
            item["description"] = operation.description
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            }
            for name in re.findall(r"{(\w+)}", path)
        ]
        if operation.query is not None:
            parameters += _query_parameters(operation.query, schemas)
        parameters += [
            {
                "name": name,
                "in": "header",
                "required": True,
                "description": text,
                "schema": {"type": "string"},
            }
            for name, text in operation.headers
        ]
        if parameters:
            item["parameters"] = parameters
        if operation.body is not None:
            item["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": REF.format(model=operation.body.__name__)}
                    }
                },
            }
        elif operation.tag == "webhooks":
            item["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/WebhookPraise"}}
                },
            }
        if operation.scope is not None:
            item["security"] = [{"bearer": [f"{operation.scope[0]}:{operation.scope[1]}"]}]
        else:
            item["security"] = []
        paths.setdefault(path, {})[method] = item
    from planner.api.schemas import WebhookPraise

    schemas.update(
        models_json_schema([(WebhookPraise, "validation")], ref_template=REF)[1].get("$defs", {})
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service Week Planner API",
            "version": __version__,
            "description": "Personal API tokens (Bearer) with scopes per area: "
            + ", ".join(ALL_SCOPES)
            + ". A write scope includes read. "
            + "; ".join(f"{k}: {v}" for k, v in SCOPE_AREAS.items())
            + ".",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (swpa_...)",
                }
            },
        },
    }
