"""Progress of long work on the command line: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from typing import TextIO

import click

WIDTH = 30


class CliProgress:
    """A progress reporter `(done, total, words)` for CLI commands (same calls as job progress)."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self._last_tenth = -1
        self._last_words = ""
        self._open = False

    def __call__(self, done: int, total: int, words: str = "") -> None:
        """Show (done, total): redraw the bar, or print a line per tenth or new step."""
        if self.tty:
            share = done / total if total else 0.0
            bar = "#" * int(WIDTH * share)
            self.stream.write(f"\r[{bar:<{WIDTH}}] {share:4.0%} {done}/{total} {words:<30}")
            self.stream.flush()
            self._open = True
            return
        tenth = int(10 * done / total) if total else -1
        if tenth != self._last_tenth or words != self._last_words:
            count = f" {done}/{total}" if total else ""
            click.echo(f"{words or 'Working'}:{count}", file=self.stream)
            self._last_tenth, self._last_words = tenth, words

    def close(self) -> None:
        """End the bar's line (terminals only)."""
        if self._open:
            self.stream.write("\n")
            self._open = False
