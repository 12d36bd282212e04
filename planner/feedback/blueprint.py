"""The feedback area's blueprint, defined where no views module needs to import back."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/feedback")
