"""PURE CSV import/export of people: bytes in, validated rows and per-line errors out.

No Flask, no database. The caller passes what it knows about people already stored (e-mail ->
manager e-mail) so that managers and cycles can be checked against the file and the database
together; nothing here writes anything, so an import is all or nothing by construction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email

from planner.models.org import ROLES
from planner.org.people_chain import chain_errors
from planner.org.people_dates import DATE_COLUMNS, row_dates
from planner.validation import cell_problems

COLUMNS = ("name", "email", "role", "team", "manager_email")
ALL_COLUMNS = COLUMNS + DATE_COLUMNS
MAX_BYTES = 2 * 1024 * 1024
MAX_NAME = 200
MAX_TEAM = 120
MAX_EMAIL = 254
# A subset of what email_validator accepts; anything else goes through email_validator.
PLAIN_EMAIL = re.compile(
    r"^[a-z0-9_+'-](?:[a-z0-9._+'-]{0,62}[a-z0-9_+'-])?@"
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63})$"
)
RESERVED_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion"})
# Spreadsheets run cells starting with these as formulas (SECURITY.md item 25).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PersonRow:
    """One valid row of the file, normalised (e-mails lower-case, role lower-case)."""

    line: int
    name: str
    email: str
    role: str
    team: str
    manager_email: str
    start_date: date | None = None
    end_date: date | None = None
    dates_given: bool = False  # the file has the date columns


@dataclass(frozen=True)
class LineError:
    """A problem with the file; line 0 means the file as a whole."""

    line: int
    message: str

    def __str__(self) -> str:
        return self.message if self.line == 0 else f"Line {self.line}: {self.message}"


@dataclass
class ParsedFile:
    """The outcome of reading a file: rows to apply, or errors (then nothing may be written)."""

    rows: list[PersonRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the file may be applied."""
        return not self.errors


def normalise_email(email: str) -> str:
    """E-mails are matched case-insensitively and stored lower-case."""
    return email.strip().lower()


def _decode(data: bytes) -> tuple[str | None, LineError | None]:
    """UTF-8 with or without a byte order mark; a bad byte is reported with its line."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, LineError(
            line,
            "the file is not UTF-8 text. In Excel choose “CSV UTF-8 (comma delimited)” "
            "when saving.",
        )


def _delimiter(header_line: str) -> str:
    """Comma or semicolon: Excel in Dutch or Lithuanian locales writes semicolons."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _unneutralise(value: str) -> str:
    """Undo our own export's formula guard ('=…) so an exported file re-imports unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _check_header(header: list[str]) -> tuple[dict[str, int], list[LineError]]:
    """Map column name -> position; every column but the dates is required, no others allowed."""
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in ALL_COLUMNS]
    repeated = sorted({h for h in names if names.count(h) > 1 and h in ALL_COLUMNS})
    errors = []
    expected = ",".join(COLUMNS) + " (optional: " + ",".join(DATE_COLUMNS) + ")"
    if missing:
        errors.append(LineError(1, f"missing column(s) {', '.join(missing)}; expected {expected}"))
    if unknown:
        shown = ", ".join(repr(u) for u in unknown)
        errors.append(LineError(1, f"unknown column(s) {shown}; expected {expected}"))
    if repeated:
        errors.append(LineError(1, f"column(s) {', '.join(repeated)} appear more than once"))
    return {name: names.index(name) for name in ALL_COLUMNS if name in names}, errors


def email_problem(email: str) -> str | None:
    """Why an e-mail address cannot be used, or None."""
    if len(email) > MAX_EMAIL:
        return f"e-mail address is longer than {MAX_EMAIL} characters"
    # Fast path for plain ASCII addresses (email_validator costs ~0.1 ms each: 10,000 rows).
    match = PLAIN_EMAIL.match(email)
    if match and ".." not in email and match.group(1) not in RESERVED_TLDS:
        return None
    try:
        # test_environment allows the reserved .test domain, used by staging set-ups.
        validate_email(email, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return f"“{email}” is not a valid e-mail address"
    return None


def _row(line: int, cells: dict[str, str]) -> tuple[PersonRow | None, list[str]]:
    """Validate one row's cells; returns the row or the problems found."""
    problems = []
    name = cells["name"]
    email = normalise_email(cells["email"])
    role = cells["role"].lower()
    team = cells["team"]
    manager_email = normalise_email(cells["manager_email"])
    if not name:
        problems.append("name is missing")
    elif len(name) > MAX_NAME:
        problems.append(f"name is longer than {MAX_NAME} characters")
    if not email:
        problems.append("e-mail is missing")
    elif problem := email_problem(email):
        problems.append(problem)
    if role not in ROLES:
        shown = f"“{cells['role']}”" if cells["role"] else "nothing"
        problems.append(f"role is {shown}; use one of {', '.join(ROLES)}")
    if len(team) > MAX_TEAM:
        problems.append(f"team name is longer than {MAX_TEAM} characters")
    if manager_email and manager_email == email:
        problems.append("a person cannot be their own manager")
    start, end, date_problems = row_dates(cells)
    problems.extend(date_problems)
    if problems:
        return None, problems
    dates_given = "start_date" in cells or "end_date" in cells
    row = PersonRow(line, name, email, role, team, manager_email, start, end, dates_given)
    return row, []


def parse_people(data: bytes, stored_managers: Mapping[str, str]) -> ParsedFile:
    """Read and validate a people CSV.

    `stored_managers` maps the e-mail of every person already stored to their manager's e-mail
    ("" for none). A manager may be anyone in the file (before or after the row) or stored.
    """
    result = ParsedFile()
    if len(data) > MAX_BYTES:
        size = len(data) / (1024 * 1024)
        result.errors.append(
            LineError(0, f"The file is {size:.1f} MB; the limit is {MAX_BYTES // 1024**2} MB.")
        )
        return result
    text, problem = _decode(data)
    if problem is not None or text is None:
        result.errors.append(problem or LineError(0, "the file cannot be read"))
        return result
    if not text.strip():
        result.errors.append(LineError(0, "The file is empty: expected a header line and rows."))
        return result
    first_line = text.splitlines()[0]
    # Excel may start a file with "sep=;" to name its delimiter; honour it and skip the line.
    named = first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5
    delimiter = first_line.strip()[4] if named else _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [(reader.line_num, cells) for cells in _numbered(reader)]
    except csv.Error as exc:
        result.errors.append(LineError(reader.line_num, f"the line cannot be read as CSV ({exc})"))
        return result
    if named:
        records = records[1:]
    if not records:
        result.errors.append(LineError(0, "The file is empty: expected a header line and rows."))
        return result
    header = records[0][1]
    positions, header_errors = _check_header(header)
    if header_errors:
        result.errors.extend(header_errors)
        return result
    first_seen: dict[str, int] = {}
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank lines (often at the end) are not rows
        if len(cells) != len(header):
            result.errors.append(
                LineError(line, f"expected {len(header)} values, found {len(cells)}")
            )
            continue
        if control := cell_problems([c.strip() for c in cells], multiline=False):
            result.errors.extend(LineError(line, p) for p in control)
            continue
        values = {name: _unneutralise(cells[pos].strip()) for name, pos in positions.items()}
        row, problems = _row(line, values)
        result.errors.extend(LineError(line, p) for p in problems)
        if row is None:
            continue
        if row.email in first_seen:
            result.errors.append(
                LineError(line, f"{row.email} already appears on line {first_seen[row.email]}")
            )
            continue
        first_seen[row.email] = line
        result.rows.append(row)
    if len(records) == 1:
        result.errors.append(LineError(0, "The file has a header but no people."))
    known = first_seen.keys() | stored_managers.keys()
    for row in result.rows:
        if row.manager_email and row.manager_email not in known:
            result.errors.append(
                LineError(
                    row.line,
                    f"manager {row.manager_email} is neither in this file nor already known",
                )
            )
    result.errors.extend(LineError(*p) for p in chain_errors(result.rows, stored_managers))
    result.errors.sort(key=lambda e: e.line)
    if result.errors:
        result.rows = []
    return result


def _numbered(reader: Iterable[list[str]]) -> Iterable[list[str]]:
    """The reader's records (a generator so csv.Error surfaces inside the caller's try)."""
    yield from reader


def neutralise(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_people(rows: Iterable[tuple[str, ...]]) -> str:
    """The CSV text of (name, email, role, team, manager_email, start_date, end_date) rows
    (dates as YYYY-MM-DD or ""; rows without them get empty date cells), with a header."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ALL_COLUMNS)
    for row in rows:
        cells = [neutralise(v) for v in row]
        writer.writerow(cells + [""] * (len(ALL_COLUMNS) - len(cells)))
    return out.getvalue()
