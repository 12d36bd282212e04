"""Reading uploaded CSV files (praise verbatims, scorecard values): size cap, encoding,
delimiter, column count; every problem is reported with its line (SECURITY.md item 24)."""

from __future__ import annotations

import csv
import io

from planner.errors import InvalidInput
from planner.validation import cell_problems

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_REPORTED_ERRORS = 50


class ImportFailed(InvalidInput):
    """The file cannot be imported; `errors` lists (line, message); nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__(self.summary())

    def summary(self) -> str:
        """One sentence for a flash or the CLI."""
        count = len(self.errors)
        return f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the file."

    def lines(self) -> list[str]:
        """The problems as 'Line n: message' (line 0 is the file itself), capped for display."""
        shown = [
            f"Line {line}: {msg}" if line else msg
            for line, msg in self.errors[:MAX_REPORTED_ERRORS]
        ]
        if len(self.errors) > MAX_REPORTED_ERRORS:
            shown.append(f"… and {len(self.errors) - MAX_REPORTED_ERRORS} more.")
        return shown


def read_csv(
    data: bytes, *, columns: tuple[str, ...], optional: int = 0, max_bytes: int = MAX_CSV_BYTES
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """PURE: (line number, stripped cells) of every well-formed data row, and the bad lines.

        UTF-8 with or without BOM; comma or semicolon (whichever the first line uses more); a header
        row is recognised by its first cell equal to the first column name and skipped. `optional`
        trailing columns may be left out. Cells with control characters (tab and line breaks
        allowed) are refused with their line and column. An unreadable file raises ImportFailed;
    lines with the wrong number of columns are returned as errors, for the caller to report.
    """
    if len(data) > max_bytes:
        limit = f"{max_bytes / 1048576:g} MB"
        raise ImportFailed([(0, f"The file is larger than {limit}. Split it into smaller files.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed([(line, "The file is not UTF-8 text. Save it as CSV UTF-8.")]) from None
    if not text.strip():
        raise ImportFailed([(0, "The file is empty.")])
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows: list[tuple[int, list[str]]] = []
    errors: list[tuple[int, str]] = []
    least, most = len(columns) - optional, len(columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            line = reader.line_num
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            if not rows and not errors and cells[0].lower() == columns[0]:
                continue  # the header
            if control := cell_problems(cells, multiline=True):
                errors.extend((line, p[0].upper() + p[1:] + ".") for p in control)
                continue
            if not least <= len(cells) <= most:
                expected = ",".join(columns[:least]) + "".join(f"[,{c}]" for c in columns[least:])
                errors.append(
                    (line, f"Expected {expected} ({least}-{most} columns), found {len(cells)}.")
                    if optional
                    else (line, f"Expected {expected} ({most} columns), found {len(cells)}.")
                )
                continue
            rows.append((line, cells + [""] * (most - len(cells))))
    except csv.Error as exc:
        errors.append((reader.line_num, f"The CSV is malformed here ({exc})."))
    if not rows and not errors:
        raise ImportFailed([(0, "The file has no data rows.")])
    return rows, errors
