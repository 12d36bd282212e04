"""Issue 13: hostile input on every URL converter and every form answers 4xx (or a normal page),
never 5xx. Property-based (hypothesis), deterministic (derandomized) so CI failures reproduce.

Budget: URL_EXAMPLES + FORM_EXAMPLES >= 2,000 requests, about half a minute on a busy 2-core
machine. The organisation is the demo one, so ids in URLs point at real rows as often as not.
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import quote

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select, text
from werkzeug.routing import Rule

from planner.auth.forms import ChangePasswordForm, NewPasswordForm, SignInForm
from planner.forms import PlannerForm
from tests import factories

URL_EXAMPLES = 800
FORM_EXAMPLES = 1200
# Routes whose success ends the fuzzing session or that only slow the run down (argon2).
SKIP_POST = {"auth.sign_out", "auth.change_password", "auth.sign_in", "auth.accept_invite"}
UPLOADS = {"org.import_page", "recognition.import_praise", "recognition.import_metrics"}
FUZZ: dict[str, Any] = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

NASTY = [
    "", " ", "\x00", "a\x00b", "\x1b[2J", "\u202egnp.exe", "0", "-1", "2147483648",
    "9" * 30, "1e309", "nan", "inf", "-inf", "0001-01-01", "9999-12-31", "1970-01-01",
    "2026-02-30", "2026-13-01", "24:61", "23:59", "y", "on", "<script>x</script>", "=1+1",
    "../../etc/passwd", "%00", "x" * 6000, "2026-10-05", "2026-10-05T09:00", "12:00",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
)


def _field_names() -> list[str]:
    """Every field name of every form class (and the prefixed absence form)."""
    names: set[str] = set()
    stack: list[type] = [PlannerForm, SignInForm, NewPasswordForm, ChangePasswordForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        for attr, value in vars(cls).items():
            if hasattr(value, "field_class"):  # an UnboundField
                names.add(attr)
    names |= {f"absence-{n}" for n in ("first_day", "last_day", "note")}
    names |= {"metric_nps", "metric_csat", "metric_aht", "team", "version"}
    return sorted(names)


def _ids(app: Flask) -> dict[str, list[int]]:
    """Real ids per URL argument name, from the tables they name."""
    from planner.db import database

    tables = {
        "person_id": "person", "team_id": "team", "absence_id": "absence", "year": None,
        "activity_id": "activity", "entry_id": "library_entry", "event_id": "event",
        "cadence_id": "cadence", "blackout_id": "blackout", "override_id": "holiday_override",
        "feed_id": "feed", "item_id": "feedback_item", "praise_id": "praise",
        "task_id": "outreach_task", "level_id": "career_level", "nomination_id": "nomination",
    }  # fmt: skip
    found: dict[str, list[int]] = {"year": [2026, 2027]}
    engine = database(app).engine
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        for arg, table in tables.items():
            if table and table in existing:
                rows = connection.execute(text(f"SELECT id FROM {table} LIMIT 20")).scalars()
                found[arg] = list(rows) or [1]
    return found


def _path(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with raw (already quoted) argument values put in."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


def _argument(rule: Rule, name: str, ids: dict[str, list[int]]) -> st.SearchStrategy[str]:
    """Values for one URL argument: real ids, any integer, or any text, by converter."""
    converter = type(rule._converters[name]).__name__
    if "Int" in converter:
        real = st.sampled_from(ids.get(name, [1])).map(str)
        return st.one_of(real, st.integers(min_value=0, max_value=2**80).map(str))
    if "Path" in converter:
        return st.text(min_size=1, max_size=40).map(lambda t: quote(t, safe="/"))
    return st.one_of(
        st.text(min_size=1, max_size=60).map(lambda t: quote(t, safe="")),
        st.sampled_from(["rcpt_" + "A" * 43, "swpf_x", "2026-13", "9999-99", "%00", ".."]),
    )


def _signed_in_admin(app: Flask, db: Any, runner: Any) -> Any:
    """The demo organisation and an admin's client."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    admin = factories.person(db, role="admin", name="Fuzz Admin", password=factories.PASSWORD)
    db.commit()
    client = app.test_client()
    response = client.post("/sign-in", data={"email": admin.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client, admin.id


def test_hostile_url_values_never_give_5xx(app: Flask, db: Any, runner: Any) -> None:
    client, _admin_id = _signed_in_admin(app, db, runner)
    ids = _ids(app)
    rules = [r for r in app.url_map.iter_rules() if r.arguments and "GET" in (r.methods or ())]
    assert len(rules) > 20

    @settings(max_examples=URL_EXAMPLES, **FUZZ)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        rule = data.draw(st.sampled_from(rules))
        values = {name: data.draw(_argument(rule, name, ids)) for name in rule.arguments}
        path = _path(rule, values)
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)

    check()


def test_hostile_form_posts_never_give_5xx(app: Flask, db: Any, runner: Any) -> None:
    client, admin_id = _signed_in_admin(app, db, runner)
    ids = _ids(app)
    ids["person_id"] = [i for i in ids["person_id"] if i != admin_id] or [1]
    names = _field_names()
    rules = [
        r
        for r in app.url_map.iter_rules()
        if "POST" in (r.methods or ()) and r.endpoint not in SKIP_POST
    ]
    assert len(rules) > 30
    uploads = st.one_of(
        st.binary(max_size=300),
        st.lists(st.lists(VALUES, max_size=6).map(",".join), max_size=6).map(
            lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")
        ),
    )

    @settings(max_examples=FORM_EXAMPLES, **FUZZ)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        rule = data.draw(st.sampled_from(rules))
        values = {n: str(data.draw(st.sampled_from(ids.get(n, [1])))) for n in rule.arguments}
        form: dict[str, Any] = data.draw(
            st.dictionaries(st.sampled_from(names), VALUES, max_size=10)
        )
        if rule.endpoint in UPLOADS:
            form["file"] = (io.BytesIO(data.draw(uploads)), "fuzz.csv")
        path = _path(rule, values)
        response = client.post(path, data=form)
        assert response.status_code < 500, (path, form, response.status_code)

    check()
    # Still signed in as the admin (the fuzzing really reached the forms).
    assert client.get("/org/people").status_code == 200
    db.rollback()
    assert db.scalar(select(text("1"))) == 1
