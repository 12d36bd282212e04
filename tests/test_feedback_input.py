"""Bad input: clear errors, nothing saved, never a 500."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from planner.models import FeedbackChange, FeedbackItem
from tests.test_feedback_support import (
    build_org,
    client_for,
    form_key,
    look,
    only_item,
    raise_via_form,
)


def _count(app: Any) -> int:
    with look(app) as s:
        return s.scalar(select(func.count()).select_from(FeedbackItem)) or 0


def test_empty_title_is_refused(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    r = raise_via_form(staff, org.big.id, title="   ")
    assert r.status_code == 400
    assert "Give the obstacle a short title." in r.get_data(as_text=True)
    assert _count(app) == 0


def test_fifty_kilobytes_of_text_is_refused(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    r = raise_via_form(staff, org.big.id, details="x" * 50_000)
    assert r.status_code == 400
    assert "5000" in r.get_data(as_text=True)
    r = raise_via_form(staff, org.big.id, title="y" * 50_000)
    assert r.status_code == 400
    assert _count(app) == 0


def test_unknown_category_team_or_missing_key_is_refused(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    assert raise_via_form(staff, org.big.id, category="gossip").status_code == 400
    assert raise_via_form(staff, 987654).status_code == 400
    r = staff.post("/feedback/new", data={"title": "t", "category": "tools", "team": org.big.id})
    assert r.status_code == 400
    assert _count(app) == 0


def test_script_tags_are_shown_as_text(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    payload = "<script>alert('x')</script>"
    assert raise_via_form(staff, org.big.id, title=payload, details=payload).status_code == 302
    item = only_item(app)
    for path in (f"/feedback/{item.id}", "/feedback/"):
        html = staff.get(path).get_data(as_text=True)
        assert payload not in html and "&lt;script&gt;" in html
    csv = staff.get("/feedback/export.csv").get_data(as_text=True)
    assert "<script>" in csv  # CSV is data, not HTML; formulas are what it must neutralise


def test_forged_transitions_change_nothing(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    raise_via_form(staff, org.big.id, anonymous="y")
    item = only_item(app)
    leader = client_for(app, org.leader)
    url = f"/feedback/{item.id}/status"
    # new -> done is not a transition, with or without a response.
    r = leader.post(url, data={"to_status": "done", "version": "1"})
    assert r.status_code == 400 and "cannot become done" in r.get_data(as_text=True)
    r = leader.post(url, data={"to_status": "done", "version": "1", "response": "Fixed"})
    assert r.status_code == 400
    # Declining needs a "why not"; planning needs an owner and a due date.
    r = leader.post(url, data={"to_status": "declined", "version": "1"})
    assert r.status_code == 400 and "Why not" in r.get_data(as_text=True)
    leader.post(url, data={"to_status": "acknowledged", "version": "1"})
    r = leader.post(url, data={"to_status": "planned", "version": "2"})
    assert r.status_code == 400 and "needs an owner" in r.get_data(as_text=True)
    r = leader.post(
        url,
        data={
            "to_status": "planned",
            "version": "2",
            "owner": str(org.staff.id),
            "due_date": "2099-01-01",
        },
    )
    assert r.status_code == 400  # staff cannot own items
    r = leader.post(url, data={"to_status": "bogus", "version": "x"})
    assert r.status_code == 400
    # Staff cannot change status at all.
    assert staff.post(url, data={"to_status": "acknowledged", "version": "2"}).status_code == 403
    after = only_item(app)
    assert after.status == "acknowledged" and after.version == 2
    with look(app) as s:
        rows = s.scalar(select(func.count()).select_from(FeedbackChange))
    assert rows == 2


def test_unknown_ids_and_tokens_are_404(app: Any, db: Any) -> None:
    org = build_org(db)
    leader = client_for(app, org.leader)
    paths = (
        "/feedback/123",
        "/feedback/leaders/424242",
        f"/feedback/leaders/{org.staff.id}",
        "/feedback/updates/2026-13",
        "/feedback/updates/nonsense",
        "/feedback/updates/9999-12",  # its next month does not exist
        "/feedback/updates/0001-01",
        "/feedback/receipt/rcpt_forged",
        "/feedback/unsubscribe/forged.token",
    )
    for path in paths:
        assert leader.get(path).status_code == 404, path
    assert leader.post("/feedback/123/status", data={}).status_code == 404
    assert leader.post("/feedback/123/vote").status_code == 404


def test_small_team_cannot_be_forced_into_the_filter(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    r = staff.get(f"/feedback/?team={org.small.id}")
    assert r.status_code == 200
    assert "too small to be shown on its own" in r.get_data(as_text=True)
    assert staff.get("/feedback/?team=abc&status=zzz&age=%00").status_code == 200


def test_csv_neutralises_formulas(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    assert raise_via_form(staff, org.big.id, title='=HYPERLINK("http://x")').status_code == 302
    csv = staff.get("/feedback/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv


def test_duplicate_key_reload_of_form_gives_new_key(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    assert form_key(staff) != form_key(staff)


def test_csrf_protects_every_feedback_form(app_config: Any, request: Any) -> None:
    import re

    app_config["WTF_CSRF_ENABLED"] = True
    app = request.getfixturevalue("app")
    db = request.getfixturevalue("db")
    org = build_org(db)
    staff = app.test_client()
    page = staff.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    staff.post(
        "/sign-in",
        data={
            "email": org.staff.email,
            "password": "correct horse battery staple",
            "csrf_token": token.group(1),
        },
    )
    form = staff.get("/feedback/new").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', form)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert key and csrf
    data = {
        "title": "T",
        "category": "tools",
        "team": str(org.big.id),
        "idempotency_key": key.group(1),
    }
    assert staff.post("/feedback/new", data=data).status_code == 400
    assert _count(app) == 0
    assert (
        staff.post("/feedback/new", data={**data, "csrf_token": csrf.group(1)}).status_code == 302
    )
    item = only_item(app)
    assert staff.post(f"/feedback/{item.id}/vote").status_code == 400
