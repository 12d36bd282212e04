"""Views of the recognition area."""

from flask import Blueprint

bp = Blueprint("recognition", __name__, url_prefix="/recognition")
