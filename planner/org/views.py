"""Views of the org area."""

from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/org")
