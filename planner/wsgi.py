"""WSGI entry point for gunicorn: `gunicorn planner.wsgi:app`."""

from planner import create_app

app = create_app()
