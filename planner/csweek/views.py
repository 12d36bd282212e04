"""Views of the csweek area."""

from flask import Blueprint

bp = Blueprint("csweek", __name__, url_prefix="/csweek")
