"""A gunicorn logger that redacts feed, receipt and invite tokens from access log lines."""

from typing import Any

from gunicorn.glogging import Logger

from planner.web import redact


class RedactingLogger(Logger):
    """Gunicorn's logger with secret path segments replaced before anything is written."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        """The access-log fields, with the request line and path redacted."""
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "{raw_uri}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
