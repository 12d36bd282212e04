"""The picker's search endpoint: GET /people/search?pool=people&q=jan -> JSON matches."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from planner.access import SIGNED_IN, allow
from planner.db import get_session
from planner.people.search import LIMIT, POOLS, search_people

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.route("/search")
@allow(*SIGNED_IN)
def search() -> Any:
    """Up to LIMIT people of the pool matching q, as {results: [...], more: bool}."""
    pool = POOLS.get(request.args.get("pool", "people"))
    if pool is None:
        abort(404)
    if current_user.role not in pool.roles:
        abort(403)
    text = request.args.get("q", "")[:200]
    found, more = search_people(get_session(), text, pool, actor_id=int(current_user.id))
    response = jsonify(results=[m.as_json() for m in found], more=more, limit=LIMIT)
    response.headers["Cache-Control"] = "private, no-store"
    return response
