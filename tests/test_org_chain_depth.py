"""Issue 13 item 9: a 300-level manager chain is refused at import (with its line) and in the
person form; a chain within the limit renders on the chart without recursion."""

from __future__ import annotations

from typing import Any

from planner.org import queries
from planner.org.chart import MAX_LEVELS, all_levels, levels_below, too_deep
from tests import factories
from tests.test_org_import import HEADER, count_people, upload


def _chain_csv(levels: int) -> str:
    rows = [f"P{i},c{i}@example.com,leader,Chain,{f'c{i - 1}@example.com' if i else ''}"
            for i in range(levels)]  # fmt: skip
    return HEADER + "\n".join(rows) + "\n"


def test_a_300_level_chain_is_refused_with_its_line(client: Any, db: Any, login_as: Any) -> None:
    login_as("coordinator")
    before = count_people(db)
    response = upload(client, _chain_csv(300))
    assert response.status_code == 302  # 301 lines: imported by a job, whose page lists them
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # Header is line 1, so person c50 (the 51st level) is on line 52.
    assert f"Line 52: the reporting chain above c{MAX_LEVELS}@example.com is 51 levels deep" in page
    assert count_people(db) == before


def test_the_chart_renders_a_deep_chain_iteratively(client: Any, db: Any, login_as: Any) -> None:
    login_as("coordinator")
    upload(client, _chain_csv(MAX_LEVELS))
    response = client.get("/org/chart")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # The chart lists CHART_LEVELS levels of managers and counts the managers below the last.
    shown = queries.CHART_LEVELS
    assert f"P{shown - 1}</a>" in html and f"P{shown}</a>" not in html
    assert f"{MAX_LEVELS - 1 - shown} more managers below (open the person)" in html
    tree = html.split('<ul class="tree">', 1)[1]
    assert tree.count("<ul>") == shown - 1
    # Unlimited, the tree is still built and flattened without recursion: P0..P48 nested.
    db.rollback()
    roots, _loose = queries.reporting_tree(db)
    rows = queries.tree_rows(roots)
    assert sum(1 for kind, _n, _h in rows if kind == "close") == MAX_LEVELS - 2


def test_the_person_form_refuses_a_manager_that_makes_the_chain_too_deep(
    client: Any, db: Any, login_as: Any
) -> None:
    top = factories.person(db, role="leader", name="Top 0")
    chain = [top]
    for i in range(1, MAX_LEVELS):
        chain.append(factories.person(db, role="leader", name=f"Top {i}", manager=chain[-1]))
    loose = factories.person(db, role="staff", name="Lou Loose")
    db.commit()
    login_as("coordinator")
    response = client.post(
        f"/org/people/{loose.id}/edit",
        data={"name": "Lou Loose", "email": loose.email, "role": "staff", "team_id": "",
              "manager_email": chain[-1].email, "active": "y"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "51 levels deep; at most 50" in response.get_data(as_text=True)


def test_depth_helpers_are_linear_and_cycle_safe() -> None:
    managers: dict[int, int | None] = {i: i - 1 if i else None for i in range(10_000)}
    assert all_levels(managers)[9_999] == 10_000
    assert levels_below(managers, 0) == 9_999
    assert too_deep(managers, None, 10) == 0 and too_deep(managers, None, 60) == 62
    assert all_levels({1: 2, 2: 1}) in ({1: 2, 2: 1}, {1: 1, 2: 2})
