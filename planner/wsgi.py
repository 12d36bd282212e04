"""WSGI entry point for gunicorn: `gunicorn planner.wsgi:app`."""

from planner import create_app, freeze_start_up

app = create_app()
freeze_start_up()  # each worker imports this module: its start-up objects stay out of GC passes
