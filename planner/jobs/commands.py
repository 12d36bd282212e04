"""`planner worker`: run the job consumer (workers + the periodic scheduler) in the foreground."""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from planner.i18n import _, ngettext
from planner.jobs.queue import queue_of
from planner.jobs.runner import reap_stale


def make_consumer(app: Flask, workers: int = 1, periodic: bool = True) -> Any:
    """A Huey consumer of the app's queue (threads); jobs whose worker died fail first."""
    reaped = reap_stale(app)
    if reaped:
        click.echo(
            ngettext(
                "Marked %(num)d job(s) failed whose worker had stopped.",
                "Marked %(num)d job(s) failed whose worker had stopped.",
                len(reaped),
            ),
            err=True,
        )
    return queue_of(app).huey.create_consumer(
        workers=workers, periodic=periodic, worker_type="thread", max_delay=2.0
    )


@contextmanager
def consumer_beside(app: Flask, workers: int = 1, periodic: bool = True) -> Iterator[Any]:
    """Run a consumer in background threads while the block runs (for `planner up`), keeping
    the process's own Ctrl+C handling (Huey would take over SIGINT otherwise). `periodic=False`
    leaves the schedule out (tests: a stopped consumer's scheduler thread could otherwise queue
    a periodic job into the next test's database)."""
    if queue_of(app).huey.immediate:  # jobs run in the web process itself
        yield None
        return
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = make_consumer(app, workers, periodic=periodic)
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    try:
        yield consumer
    finally:
        consumer.stop(graceful=False)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32))
@click.option("--no-periodic", is_flag=True, help="Do not run the schedule (another worker does).")
@with_appcontext
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run background jobs (and the periodic schedule) until Ctrl+C."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if queue_of(app).huey.immediate:
        raise click.ClickException(_("PLANNER_JOBS_URL=immediate runs jobs in the web process."))
    click.echo(
        ngettext(
            "Worker running %(num)d thread(s); Ctrl+C stops it.",
            "Worker running %(num)d thread(s); Ctrl+C stops it.",
            workers,
        )
    )
    logging.getLogger("huey").setLevel(logging.INFO)  # start, each task, shutdown
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    make_consumer(app, workers, periodic=not no_periodic).run()


COMMANDS = [worker_command]
