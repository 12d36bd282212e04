"""/healthz: JSON with the database's state; 503 when it is down."""

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from planner import __version__
from planner.access import public
from planner.db import get_session

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@public
def healthz() -> Any:
    """Report whether the app can reach its database."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return jsonify(status="error", database="down", detail=type(exc).__name__), 503
    return jsonify(status="ok", database="up", version=__version__)
