"""The area's routes: importing the modules below adds them to the blueprints."""

from planner.api import pages, routes_data, routes_webhooks  # noqa: F401  (routes)
from planner.api.blueprint import bp, integrations, v1

bp.register_blueprint(v1)
bp.register_blueprint(integrations)

__all__ = ["bp"]
