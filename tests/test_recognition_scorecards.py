"""Scorecards (P3): entering numbers, CSV import, the side-by-side table, SVG trend charts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput
from planner.models import MetricValue
from planner.recognition import clock, praise, scorecards, svg
from planner.recognition.praise_csv import ImportFailed
from tests import factories
from tests.test_recognition_import import upload
from tests.test_recognition_praise import build_chart, fresh

TODAY = date(2026, 11, 23)


def chart_svg(page: str, key: str) -> str:
    """The inline SVG of one metric's chart on a scorecard page."""
    found = re.search(rf'<svg[^>]*aria-labelledby="chart-{key}-t[^>]*>.*?</svg>', page, re.S)
    assert found, f"no chart for {key}"
    return found.group(0)


def values(db: Session) -> int:
    """How many numbers are stored (the read transaction is ended so the app can write)."""
    fresh(db)
    found = db.scalar(select(func.count(MetricValue.id))) or 0
    db.rollback()
    return found


def test_three_months_of_nps_and_handle_time_make_a_table_and_charts(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)
    chart = build_chart(db, team_name="Team North", password=True)
    praise.log_praise(
        db,
        person_id=chart.staff.id,
        received_on=date(2026, 10, 14),
        channel="survey",
        quote="Wonderful",
        logged_by_id=None,
        today=TODAY,
        now=datetime(2026, 10, 14, tzinfo=UTC),
    )
    db.commit()
    login_as(person=chart.manager)  # leads Team North
    for month, nps, handle_time in [
        ("2026-09", 31, 420),
        ("2026-10", 38, 405),
        ("2026-11", 42, 390),
    ]:
        response = client.post(
            "/recognition/scorecards/enter",
            data={"team": chart.team.id, "month": month, "nps": nps, "handle_time": handle_time},
            follow_redirects=True,
        )
        assert "Saved 2 numbers" in response.get_data(as_text=True)

    page = client.get(f"/recognition/scorecards/team/{chart.team.id}").get_data(as_text=True)

    nps, handle = chart_svg(page, "nps"), chart_svg(page, "handle_time")
    assert nps.count("<circle") == 3 and handle.count("<circle") == 3
    assert "Sep 2026: 31, Oct 2026: 38, Nov 2026: 42" in nps  # the <desc>
    assert "<title" in nps and "<script" not in page
    praise_chart = chart_svg(page, "praise")
    assert "Oct 2026: 1" in praise_chart and "Sep 2026: 0" in praise_chart
    table = page[page.index("<table") : page.index("</table>")]
    headers = re.findall(r"<th scope=\"col\"[^>]*>([^<]+)</th>", table)
    assert headers.index("Average handle time (s)") < headers.index("NPS")  # internal left
    assert '<th scope="row">Nov 2026</th>' in table and ">42<" in table and ">390<" in table
    org = client.get("/recognition/scorecards").get_data(as_text=True)
    assert chart_svg(org, "nps").count("<circle") == 3


def test_nps_150_is_refused_and_nothing_is_saved(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)
    team = factories.team(db)
    db.commit()
    login_as("coordinator")
    response = client.post(
        "/recognition/scorecards/enter",
        data={"team": team.id, "month": "2026-10", "nps": 150, "csat": 80},
    )
    assert response.status_code == 200
    assert "Between -100 and 100." in response.get_data(as_text=True)
    assert values(db) == 0
    with pytest.raises(InvalidInput, match="NPS must be between -100 and 100; got 150"):
        scorecards.set_values(
            db, factories.person(db, role="admin"), team.id, date(2026, 10, 1), {"nps": 150}, TODAY
        )


def test_a_future_month_and_the_computed_praise_count_cannot_be_entered(db: Session) -> None:
    team = factories.team(db)
    admin = factories.person(db, role="admin")
    with pytest.raises(InvalidInput, match="not started"):
        scorecards.set_values(db, admin, team.id, date(2026, 12, 1), {"nps": 10}, TODAY)
    with pytest.raises(InvalidInput, match="computed"):
        scorecards.set_values(db, admin, team.id, date(2026, 10, 1), {"praise": 3}, TODAY)


def test_leaders_enter_numbers_only_for_teams_they_lead(db: Session) -> None:
    chart = build_chart(db, team_name="Led")
    factories.team(db, "Not led")
    assert [t.name for t in scorecards.teams_for_entry(db, chart.director)] == ["Led"]
    outsider = factories.person(db, role="leader")
    assert scorecards.teams_for_entry(db, outsider) == []


def test_csv_import_writes_all_rows_or_reports_each_bad_line(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)
    factories.team(db, "Team North")
    db.commit()
    login_as("coordinator")
    bad = "\n".join(
        [
            "team;month;metric;value",
            "Team North;2026-09;nps;42",
            "Team Nowhere;2026-09;nps;42",
            "Team North;Sept;nps;42",
            "Team North;2027-01;nps;42",
            "Team North;2026-09;praise;4",
            "Team North;2026-09;smiles;4",
            "Team North;2026-09;nps;150",
            "Team North;2026-09;csat;lots",
            "Team North;2026-09",
        ]
    )
    response = upload(client, "/recognition/scorecards/import", bad.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for line, text in [
        (3, "Unknown team"),
        (4, "is not a month"),
        (5, "has not started"),
        (6, "never entered"),
        (7, "Unknown metric"),
        (8, "between -100 and 100"),
        (9, "is not a number"),
        (10, "found 2"),
    ]:
        assert f"Line {line}: " in page and text in page, (line, text)
    assert values(db) == 0

    good = "Team North,2026-09,nps,42\nteam north,2026-09,aht,380\nTeam North,2026-10,csat,91.5\n"
    response = upload(client, "/recognition/scorecards/import", good.encode())
    assert "Imported 3 numbers." in response.get_data(as_text=True)
    again = "Team North,2026-09,nps,45\n"
    upload(client, "/recognition/scorecards/import", again.encode())
    assert values(db) == 3
    assert db.scalar(select(MetricValue.value).where(MetricValue.metric == "nps")) == 45


def test_import_rejects_an_empty_file() -> None:
    with pytest.raises(ImportFailed, match="1 problem"):
        scorecards.import_metrics(None, b"", None, TODAY)  # type: ignore[arg-type]


# --- the pure chart ---------------------------------------------------------------------------


def test_trend_chart_has_a_title_a_description_and_a_point_per_value() -> None:
    markup = svg.trend_chart(
        "c1", "NPS by month", "", ["Sep", "Oct", "Nov"], [31, 38, 42], low=-100, high=100
    )
    assert markup.startswith("<svg") and markup.endswith("</svg>")
    assert '<title id="c1-t">NPS by month</title>' in markup
    assert '<desc id="c1-d">Sep: 31, Oct: 38, Nov: 42</desc>' in markup
    assert markup.count("<circle") == 3 and markup.count("<polyline") == 1
    ys = [float(y) for y in re.findall(r'<circle[^>]*cy="([\d.]+)"', markup)]
    assert ys[0] > ys[1] > ys[2]  # rising values are drawn higher up


def test_trend_chart_breaks_the_line_at_a_missing_month_and_escapes_text() -> None:
    markup = svg.trend_chart(
        "c2", "<AHT>", "s", ["a", "b", "c", "d", "e"], [400, 390, None, 380, 370], low=0, high=7200
    )
    assert markup.count("<polyline") == 2 and markup.count("<circle") == 4
    assert "&lt;AHT&gt;" in markup and "<AHT>" not in markup
    assert "c: no value" in markup and "a: 400 s" in markup


def test_trend_chart_without_values_says_so() -> None:
    markup = svg.trend_chart("c3", "CSAT", "%", ["a"], [None], low=0, high=100)
    assert "No values yet" in markup and "<circle" not in markup
