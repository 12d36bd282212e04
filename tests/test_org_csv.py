"""The pure people-CSV core: every defect reported with its line, delimiters, BOM, export guard."""

from __future__ import annotations

import csv
import io

import pytest

from planner.org.people_csv import MAX_BYTES, neutralise, parse_people, write_people

HEADER = "name,email,role,team,manager_email\n"


def _errors(text: str | bytes, stored: dict[str, str] | None = None) -> list[str]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    parsed = parse_people(data, stored or {})
    assert parsed.rows == [] or parsed.ok
    return [str(e) for e in parsed.errors]


def test_a_good_file_gives_normalised_rows() -> None:
    parsed = parse_people(
        (
            HEADER
            + "Zoë Visser, ZOE@Example.COM ,Staff,Billing,ana@example.com\n"
            + "Ana Silva,ana@example.com,leader,,\n"
        ).encode(),
        {},
    )
    assert parsed.ok
    zoe, ana = parsed.rows
    assert (zoe.line, zoe.name, zoe.email, zoe.role, zoe.team) == (
        2, "Zoë Visser", "zoe@example.com", "staff", "Billing"
    )  # fmt: skip
    assert zoe.manager_email == "ana@example.com"  # a manager later in the file is fine
    assert (ana.team, ana.manager_email) == ("", "")


DEFECTS = [
    pytest.param(HEADER + ",a@example.com,staff,,\n", ["Line 2: name is missing"], id="no-name"),
    pytest.param(
        HEADER + "A,not-an-email,staff,,\n",
        ["Line 2: “not-an-email” is not a valid e-mail address"],
        id="bad-email",
    ),
    pytest.param(HEADER + "A,,staff,,\n", ["Line 2: e-mail is missing"], id="no-email"),
    pytest.param(
        HEADER + "A,a@example.com,boss,,\n",
        ["Line 2: role is “boss”; use one of admin, coordinator, leader, staff"],
        id="unknown-role",
    ),
    pytest.param(
        HEADER + "A,a@example.com,staff,,\nB,A@EXAMPLE.COM,staff,,\n",
        ["Line 3: a@example.com already appears on line 2"],
        id="duplicate-email",
    ),
    pytest.param(
        HEADER + "A,a@example.com,staff,,boss@example.com\n",
        ["Line 2: manager boss@example.com is neither in this file nor already known"],
        id="manager-not-found",
    ),
    pytest.param(
        HEADER + "A,a@example.com,staff,,b@example.com\nB,b@example.com,leader,,a@example.com\n",
        ["Line 2: manager cycle: a@example.com → b@example.com → a@example.com"],
        id="cycle",
    ),
    pytest.param(
        HEADER + "A,a@example.com,staff,,a@example.com\n",
        ["Line 2: a person cannot be their own manager"],
        id="self-manager",
    ),
    pytest.param(
        "name,mail,role\nA,a@example.com,staff\n",
        [
            "Line 1: missing column(s) email, team, manager_email; "
            "expected name,email,role,team,manager_email (optional: start_date,end_date)",
            "Line 1: unknown column(s) 'mail'; expected name,email,role,team,manager_email"
            " (optional: start_date,end_date)",
        ],
        id="wrong-columns",
    ),
    pytest.param(
        HEADER + "A,a@example.com,staff\n", ["Line 2: expected 5 values, found 3"], id="short-row"
    ),
    pytest.param("", ["The file is empty: expected a header line and rows."], id="empty"),
    pytest.param("\ufeff\n\n", ["The file is empty: expected a header line and rows."], id="bom"),
    pytest.param(HEADER, ["The file has a header but no people."], id="header-only"),
    pytest.param(
        (HEADER + "A,a@example.com,staff,,\nJos\xe9,j@example.com,staff,,\n").encode("latin-1"),
        [
            "Line 3: the file is not UTF-8 text. In Excel choose “CSV UTF-8 (comma delimited)” "
            "when saving."
        ],
        id="latin-1",
    ),
    pytest.param(
        HEADER + 'A,"a@example.com,staff,,\n', ["Line 2: expected 5 values, found 2"], id="quote"
    ),
]


@pytest.mark.parametrize(("text", "expected"), DEFECTS)
def test_each_defect_is_reported_with_its_line(text: str | bytes, expected: list[str]) -> None:
    assert _errors(text) == expected


def test_every_problem_in_a_file_is_reported_and_no_row_survives() -> None:
    text = (
        HEADER
        + "Good,good@example.com,staff,,\n"
        + ",x@example.com,staff,,\n"
        + "Y,y@@example.com,ruler,,\n"
        + "Z,z@example.com,staff,,nobody@example.com\n"
    )
    parsed = parse_people(text.encode(), {})
    assert parsed.rows == []
    assert [e.line for e in parsed.errors] == [3, 4, 4, 5]


def test_oversize_file_says_the_limit() -> None:
    data = (HEADER + "A,a@example.com,staff,,\n" * (MAX_BYTES // 20)).encode()
    assert len(data) > MAX_BYTES
    [message] = _errors(data)
    assert "the limit is 2 MB" in message


def test_semicolons_and_a_bom_as_excel_writes_them() -> None:
    text = (
        "\ufeffname;email;role;team;manager_email\r\n"
        "Žilvinas Kazlauskas;z@example.lt;staff;Vilnius, Desk;\r\n"
    )
    parsed = parse_people(text.encode("utf-8"), {})
    assert parsed.ok
    assert (parsed.rows[0].name, parsed.rows[0].team) == ("Žilvinas Kazlauskas", "Vilnius, Desk")


def test_columns_in_any_order_and_case() -> None:
    text = "Email,Name,MANAGER_EMAIL,Team,Role\nb@example.com,B,,,staff\n"
    assert parse_people(text.encode(), {}).rows[0].name == "B"


def test_manager_and_cycles_are_checked_against_stored_people() -> None:
    stored = {"boss@example.com": "", "lead@example.com": "boss@example.com"}
    assert _errors(HEADER + "A,a@example.com,staff,,lead@example.com\n", stored) == []
    # Making the stored boss report to the stored lead closes a loop through the database.
    assert _errors(HEADER + "Boss,boss@example.com,leader,,lead@example.com\n", stored) == [
        "Line 2: manager cycle: boss@example.com → lead@example.com → boss@example.com"
    ]


def test_blank_lines_are_skipped_and_lines_keep_their_numbers() -> None:
    assert _errors(HEADER + "\nA,a@example.com,staff,,\n\n,b@example.com,staff,,\n") == [
        "Line 5: name is missing"
    ]


def test_a_long_reporting_chain_is_fast_and_refused_past_the_limit() -> None:
    rows = [
        f"P{i},p{i}@example.com,staff,T,{f'p{i - 1}@example.com' if i else ''}" for i in range(5000)
    ]
    parsed = parse_people((HEADER + "\n".join(rows)).encode(), {})
    # One error, on the first row past 50 levels (issue 13 item 9), found in linear time.
    assert [e.line for e in parsed.errors] == [52]
    within = parse_people((HEADER + "\n".join(rows[:50])).encode(), {})
    assert within.ok and len(within.rows) == 50


@pytest.mark.parametrize("cell", ["=1+1", "+31 20", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_export_neutralises_formula_cells(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    text = write_people([(cell, "a@example.com", "staff", cell, "")])
    row = next(iter(csv.reader(io.StringIO(text[text.index("\n") + 1 :]))))
    assert row[0] == "'" + cell and row[3] == "'" + cell


def test_export_reimports_unchanged_even_with_guarded_cells() -> None:
    text = write_people(
        [
            ("=Eve", "eve@example.com", "staff", "-Ops", ""),
            ("Bo", "bo@example.com", "leader", "", ""),
        ]
    )
    rows = parse_people(text.encode(), {}).rows
    assert [(r.name, r.team) for r in rows] == [("=Eve", "-Ops"), ("Bo", "")]
    assert neutralise("Plain name") == "Plain name"


def test_excel_sep_line_names_the_delimiter_and_keeps_line_numbers() -> None:
    text = "sep=;\nname;email;role;team;manager_email\nA;a@example.com;staff;;\n"
    text += ";b@example.com;staff;;\n"
    assert _errors(text) == ["Line 4: name is missing"]
    assert _errors("sep=;\n") == ["The file is empty: expected a header line and rows."]
