"""PURE: JSON records in, the CSV text the existing importers read out, and back from their
line numbers to record indexes.

Why: people, praise and scorecard values must follow exactly the rules of the CSV imports (all
or nothing, every problem reported), so the API feeds the importers themselves instead of
copying their rules. A record's CSV line is where its last physical line ends (a quoted line
break inside a value spans lines), which is the line number the importers report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Batch:
    """The CSV bytes for an importer and how to read its line numbers as record indexes."""

    data: bytes
    index_of_line: dict[int, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)  # found before importing

    def index(self, line: int) -> int | None:
        """The record of a reported line (None: the request as a whole)."""
        return self.index_of_line.get(line)


def plain_csv(rows: Sequence[Sequence[str]]) -> str:
    """CSV text of rows as they are (the praise and scorecard readers take cells verbatim)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _physical_lines(text: str) -> int:
    """How many lines a CSV reader's source iterator sees in this text."""
    return len(io.StringIO(text, newline="").readlines())


def to_batch(
    columns: Sequence[str],
    records: Sequence[Sequence[str]],
    *,
    cell: Callable[[str], str] = str,
) -> Batch:
    """Records as CSV (with a header line), mapping each record's reported line to its index.

    `cell` prepares each value (the people import undoes its export's formula guard, so people
    values go through that guard). Records the readers would skip silently are reported
    instead: blank ones, and a first record that looks like the header line."""
    problems: list[tuple[int, str]] = []
    order = list(range(len(records)))
    first = columns[0].casefold()
    looks_like_header = {i for i in order if records[i][0].strip().casefold() == first}
    if 0 in looks_like_header:
        other = next((i for i in order if i not in looks_like_header), None)
        if other is None:
            problems.append((0, f"the {columns[0]} “{records[0][0].strip()}” reads as a header"))
        else:
            order[0], order[other] = order[other], order[0]
    for i, record in enumerate(records):
        if not any(value.strip() for value in record):
            problems.append((i, "the item is empty"))
    text = plain_csv([columns])
    line = _physical_lines(text)
    index_of_line: dict[int, int] = {}
    chunks = [text]
    for i in order:
        piece = plain_csv([[cell(value) for value in records[i]]])
        line += _physical_lines(piece)
        index_of_line[line] = i
        chunks.append(piece)
    return Batch("".join(chunks).encode(), index_of_line, problems)
