"""Views of the scheduler area."""

from flask import Blueprint

bp = Blueprint("scheduler", __name__, url_prefix="/scheduler")
