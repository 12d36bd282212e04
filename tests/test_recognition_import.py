"""Bulk praise import: 50 rows through the page, per-line errors, size caps, re-import, CLI."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.models import Absence, Event, HolidayOverride, OutreachTask, Praise
from planner.org import calendar
from planner.recognition import clock, praise
from planner.recognition.praise_csv import ImportFailed, read_csv
from tests import factories
from tests.test_recognition_praise import build_chart, fresh

TODAY = date(2026, 4, 24)  # a Friday; Monday 27 April 2026 is King's Day in the Netherlands
NOW = datetime(2026, 4, 24, 12, tzinfo=UTC)


def upload(client: Any, url: str, content: bytes, name: str = "praise.csv") -> Any:
    """POST a file to an import page; the body is read and the response closed, which closes
    the test client's temporary upload file (a ResourceWarning otherwise)."""
    response = client.post(
        url,
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    response.get_data()
    response.close()
    return response


def count(db: Session, model: Any) -> int:
    """Rows in a table."""
    fresh(db)
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_fifty_praise_rows_become_fifty_outreach_tasks_for_the_right_leaders(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)
    north = build_chart(db, team_name="Team North")
    south = build_chart(db, team_name="Team South")
    # Team South has no skip-level leader: its manager reaches out.
    south.manager.manager = None
    people = [north.staff, south.staff]
    for chart in (north, south):
        for _ in range(4):
            people.append(
                factories.person(db, role="staff", team=chart.team, manager=chart.manager)
            )
    db.commit()
    lines = ["email,received_on,channel,quote,customer_name"]
    for i in range(50):
        person = people[i % len(people)]
        received = "2026-04-23" if i % 2 else "2026-04-24"
        lines.append(f'{person.email},{received},survey,"Thank you, verbatim {i}",Customer {i}')
    login_as("coordinator")

    response = upload(client, "/recognition/praise/import", "\n".join(lines).encode())

    assert "Imported 50 praise; 0 were already there." in response.get_data(as_text=True)
    tasks = list(db.scalars(select(OutreachTask)))
    assert len(tasks) == 50
    events = list(db.scalars(select(Event).where(Event.kind == "outreach")))
    assert len(events) == 50
    expected_leader = {north.team.id: north.director.id, south.team.id: south.manager.id}
    for task in tasks:
        assert task.leader_id == expected_leader[task.praise.person.team_id]
        assert task.event is not None and task.event.host_id == task.leader_id
        # Thu 23 -> Fri 24, Tue 28 (Sat, Sun and King's Day skipped); Fri 24 -> Tue 28, Wed 29.
        if task.praise.received_on == date(2026, 4, 23):
            assert task.due_on == date(2026, 4, 28)
        else:
            assert task.due_on == date(2026, 4, 29)

    again = upload(client, "/recognition/praise/import", "\n".join(lines).encode())
    assert "Imported 0 praise; 50 were already there." in again.get_data(as_text=True)
    assert count(db, Praise) == 50 and count(db, OutreachTask) == 50


BAD_FILE = "\n".join(
    [
        "email,received_on,channel,quote",
        "{staff},2026-04-20,call,Fine row",
        "nobody@example.test,2026-04-20,call,Unknown e-mail",
        "{staff},2026-05-01,call,Future date",
        "{staff},20-04-2026,call,Bad date",
        "{staff},2026-04-20,fax,Unknown channel",
        "{staff},2026-04-20,call,",
        "{staff},2026-04-20,call," + "x" * 2001,
        "{staff},2026-04-20,call",
    ]
)


def test_every_bad_line_is_reported_and_nothing_is_written(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)
    chart = build_chart(db)
    db.commit()
    login_as("coordinator")
    response = upload(
        client, "/recognition/praise/import", BAD_FILE.format(staff=chart.staff.email).encode()
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported: 7 problems in the file." in page
    for line, text in [
        (3, "No active person has the e-mail"),
        (4, "is in the future"),
        (5, "is not a date"),
        (6, "Unknown channel"),
        (7, "empty"),
        (8, "at most 2000"),
        (9, "found 3"),
    ]:
        assert f"Line {line}: " in page and text in page, (line, text)
    assert "Line 2:" not in page
    assert count(db, Praise) == 0 and count(db, Event) == 0


def test_a_20_mb_upload_gets_a_clear_error_not_a_crash(
    client: Any, db: Session, login_as: Any
) -> None:
    build_chart(db)
    db.commit()
    login_as("coordinator")
    response = upload(client, "/recognition/praise/import", b"a" * (20 * 1024 * 1024))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "up to 2 MB" in page
    assert count(db, Praise) == 0


def test_a_file_over_the_2_mb_cap_is_refused_with_its_size(
    client: Any, db: Session, login_as: Any
) -> None:
    login_as("coordinator")
    response = upload(client, "/recognition/praise/import", b"x" * (3 * 1024 * 1024))
    assert response.status_code == 400
    assert "The file is larger than 2 MB." in response.get_data(as_text=True)


def test_bom_and_semicolons_are_understood(session: Session) -> None:
    data = "\ufeffemail;received_on;channel;quote\r\nA@x.test;2026-04-20;E-mail;Top, really\r\n"
    rows, errors = read_csv(data.encode(), columns=("email", "received_on", "channel", "quote"))
    assert rows == [(2, ["A@x.test", "2026-04-20", "E-mail", "Top, really"])]
    assert errors == []


def test_not_utf8_and_empty_files_are_reported(session: Session) -> None:
    with pytest.raises(ImportFailed) as info:
        read_csv(b"email\nbad\xff\n", columns=("email",))
    assert info.value.errors[0][0] == 2 and "UTF-8" in info.value.errors[0][1]
    with pytest.raises(ImportFailed, match="1 problem"):
        read_csv(b"  \n", columns=("email",))


def test_duplicates_inside_one_file_are_imported_once(session: Session) -> None:
    chart = build_chart(session)
    data = (
        f"{chart.staff.email},2026-04-20,chat,Really  kind\n"
        f"{chart.staff.email.upper()},2026-04-20,chat,really kind\n"
    ).encode()
    result = praise.import_praise(session, data, logged_by_id=None, today=TODAY, now=NOW)
    assert (result.created, result.already_there) == (1, 1)


def test_import_reports_people_without_a_leader(session: Session) -> None:
    factories.organisation(session)
    lonely = factories.person(session, role="staff")
    data = f"{lonely.email},2026-04-20,chat,Thanks\n".encode()
    result = praise.import_praise(session, data, logged_by_id=None, today=TODAY, now=NOW)
    assert result.created == 1 and result.without_leader == [lonely.name]


def test_cli_imports_and_reports_bad_lines(
    runner: Any, db: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)
    chart = build_chart(db)
    db.commit()
    good = tmp_path / "good.csv"
    good.write_text(f"{chart.staff.email},2026-04-22,call,Brilliant\n", encoding="utf-8")
    result = runner.invoke(args=["import-praise", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 praise" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("nobody@example.test,2026-04-22,call,Hi\n", encoding="utf-8")
    result = runner.invoke(args=["import-praise", str(bad)])
    assert result.exit_code != 0
    assert "Line 1: No active person" in result.output
    assert count(db, Praise) == 1


def test_staff_and_leaders_may_not_import(client: Any, login_as: Any) -> None:
    login_as("leader")
    assert client.get("/recognition/praise/import").status_code == 403


def test_more_rows_than_one_import_takes_are_refused_before_any_work(session: Session) -> None:
    chart = build_chart(session)
    rows = "".join(
        f"{chart.staff.email},2026-04-20,chat,Thanks {i}\n"
        for i in range(praise.MAX_IMPORT_ROWS + 1)
    )
    with pytest.raises(ImportFailed) as info:
        praise.import_praise(session, rows.encode(), logged_by_id=None, today=TODAY, now=NOW)
    assert f"import at most {praise.MAX_IMPORT_ROWS} at a time" in info.value.lines()[0]
    assert session.scalar(select(func.count(Praise.id))) == 0


def test_an_import_reads_the_working_calendar_once_and_the_next_import_sees_changes(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = build_chart(session)
    colleagues = [chart.staff] + [
        factories.person(session, role="staff", team=chart.team, manager=chart.manager)
        for _ in range(3)
    ]
    # The director (who reaches out) is away on Tuesday 28 April; Monday 27 is King's Day.
    session.add(Absence(person_id=chart.director.id, first_day=date(2026, 4, 28),
                        last_day=date(2026, 4, 28)))  # fmt: skip
    session.flush()
    reads: list[tuple[date, date]] = []
    real = calendar.closed_dates

    def counted(db: Session, first: date, last: date) -> frozenset[date]:
        reads.append((first, last))
        return real(db, first, last)

    monkeypatch.setattr(calendar, "closed_dates", counted)

    def due_dates(words: str) -> dict[date, set[date]]:
        data = "".join(
            f"{p.email},2026-04-{day},email,{words} {day}\n"
            for p in colleagues
            for day in (20, 21, 22, 23)
        ).encode()
        result = praise.import_praise(session, data, logged_by_id=None, today=TODAY, now=NOW)
        assert result.created == 16
        tasks = session.scalars(
            select(OutreachTask).join(Praise).where(Praise.quote.startswith(words))
        )
        due: dict[date, set[date]] = {}
        for task in tasks:
            assert task.leader_id == chart.director.id
            due.setdefault(task.praise.received_on, set()).add(task.due_on)
        return due

    # Received Mon 20 or Tue 21: two working days have passed by Friday 24 (today), so one
    # working day after today: not Mon 27 (holiday), not Tue 28 (away): Wed 29.
    assert due_dates("Thanks") == {
        date(2026, 4, 20): {date(2026, 4, 29)},
        date(2026, 4, 21): {date(2026, 4, 29)},
        date(2026, 4, 22): {date(2026, 4, 24)},
        date(2026, 4, 23): {date(2026, 4, 29)},
    }
    assert reads == [(date(2026, 1, 1), date(2027, 12, 31))]  # once for 16 rows
    # A coordinator closes Friday 24 April: the next import reads the calendar again.
    session.add(HolidayOverride(day=date(2026, 4, 24), closed=True, name="Office move"))
    session.flush()
    assert due_dates("Merci")[date(2026, 4, 22)] == {date(2026, 4, 29)}
    assert len(reads) == 2
