"""The OpenAPI 3.1 document is generated from the routes and served with a plain docs page."""

from __future__ import annotations

from typing import Any

from flask import Flask

from planner.api.framework import token_scope


def test_the_document_describes_every_api_route(app: Flask, client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    routes = {
        (rule.rule.replace("<int:source_id>", "{source_id}"), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        and hasattr(app.view_functions[rule.endpoint], "api_operation")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert described == routes and len(routes) >= 10
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and op["operationId"], (method, path)
            problem = op["responses"]["422" if "422" in op["responses"] else "401"]
            assert "application/problem+json" in problem["content"]
    scoped = [r for r in app.url_map.iter_rules() if token_scope(app.view_functions[r.endpoint])]
    for rule in scoped:
        for method, op in document["paths"][rule.rule].items():
            assert op["security"][0]["bearer"], (method, rule.rule)
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_docs_page_lists_operations_without_outside_assets(client: Any) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for operation in ("POST /api/v1/people/upsert", "GET /api/v1/feedback", "POST /api/v1/praise"):
        assert operation in html
    assert "https://" not in html and "http://" not in html.replace("http://adaptivecards", "")
    assert "Set-Cookie" not in page.headers
