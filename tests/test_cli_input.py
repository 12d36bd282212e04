"""Issue 13 item 16: every `planner` command answers bad or unusual input with a message and an
exit code, never a traceback. Runs the real entry point (`planner.cli.main`) in-process."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import planner
from planner.cli import command_name, main
from planner.db import database
from planner.models import Person
from tests import factories

STRONG = "Vq3-x8PzL1mK0rTn5sYw7bUc2dEf9gHa4jKl6QzXy"


@pytest.fixture
def planner_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Any:
    """Run `planner ARGS...`; returns (exit code, stdout + stderr). Apps made are disposed."""
    for name in list(os.environ):
        if name.startswith(("PLANNER_", "FLASK_")) and name != "PLANNER_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("PLANNER_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("PLANNER_DATABASE_URL", database_url)
    monkeypatch.setenv("PLANNER_SECRET_KEY", STRONG)
    monkeypatch.setenv("PLANNER_ENV", "testing")
    monkeypatch.chdir(tmp_path)  # no .env or .flaskenv of the checkout
    made: list[Any] = []
    real = planner.create_app

    def tracked(*args: Any, **kwargs: Any) -> Any:
        app = real(*args, **kwargs)
        made.append(app)
        return app

    monkeypatch.setattr(planner, "create_app", tracked)

    def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
        with pytest.raises(SystemExit) as ended:
            main(list(args))
        out = capsys.readouterr()
        for app in made:
            database(app).engine.dispose()
        made.clear()
        code = ended.value.code
        return (code if isinstance(code, int) else 1), out.out + out.err

    return run


def test_command_name_skips_group_options() -> None:
    assert command_name(["--app", "x", "--debug", "init"]) == "init"
    assert command_name(["-e", ".env", "up", "--port", "1"]) == "up"
    assert command_name(["--help"]) is None


PW = "--password"
BAD_INPUT = [
    ("init-unknown-option", ["init", "--nonsense"]),
    ("create-admin-bad-email", ["create-admin", "--email", "not an address", PW, "x" * 12]),
    ("create-admin-weak-password", ["create-admin", "--email", "a@example.org", PW, "password123"]),
    ("create-admin-short-password", ["create-admin", "--email", "a@example.org", PW, "x"]),
    ("serve-bad-port", ["serve", "--port", "99999"]),
    ("serve-no-workers", ["serve", "--workers", "0"]),
    ("up-bad-port", ["up", "--port", "-1"]),
    ("run-bad-port", ["run", "--port", "eighty"]),
    ("worker-no-threads", ["worker", "--workers", "0"]),
    ("backup-into-missing-folder-file-exists", ["backup", "."]),
    ("import-people-missing-file", ["import-people", "no-such-file.csv"]),
    ("import-people-binary", ["import-people", "{binary}"]),
    ("import-people-empty", ["import-people", "{empty}"]),
    ("export-people-unwritable", ["export-people", "--out", "/proc/no/such/file.csv"]),
    ("org-bad-zone", ["org", "--time-zone", "Mars/Olympus"]),
    ("org-bad-days", ["org", "--working-days", "funday"]),
    ("service-week-bad-year", ["service-week", "0"]),
    ("service-week-huge-year", ["service-week", "99999"]),
    ("service-week-not-a-year", ["service-week", "next"]),
    ("service-week-copy-missing", ["service-week", "2031", "--create", "--copy-from", "1999"]),
    ("plan-bad-year", ["plan", "--year", "0"]),
    ("plan-huge-year", ["plan", "--year", "99999"]),
    ("plan-bad-day", ["plan", "--today", "2026-02-30"]),
    ("feedback-escalate-bad-day", ["feedback-escalate", "--today", "tomorrow"]),
    ("feedback-digest-bad-month", ["feedback-digest", "--month", "2026-13"]),
    ("feedback-digest-junk-month", ["feedback-digest", "--month", "soon"]),
    ("api-announce-month-bad-month", ["api-announce-month", "--month", "2026-13"]),
    ("export-calendars-unwritable", ["export-calendars", "--out", "/proc/no/such/dir"]),
    ("import-praise-missing-file", ["import-praise", "no-such-file.csv"]),
    ("import-praise-binary", ["import-praise", "{binary}"]),
    ("import-scorecards-unknown", ["import-scorecards", "{empty}", "--as", "nobody@example.org"]),
    ("import-scorecards-binary", ["import-scorecards", "{binary}", "--as", "{coordinator}"]),
    ("reset-link-unknown", ["reset-link", "--email", "nobody@example.org"]),
    ("reset-link-no-password", ["reset-link", "--email", "{coordinator}"]),
    ("cadences-unknown-subcommand", ["cadences", "sow"]),
    (
        "import-lexicon-missing-file",
        ["import-lexicon", "no-such-file.csv", "--as", "{coordinator}"],
    ),
    ("import-lexicon-binary", ["import-lexicon", "{binary}", "--as", "{coordinator}"]),
    ("import-lexicon-unknown-actor", ["import-lexicon", "{empty}", "--as", "nobody@example.org"]),
    ("unknown-command", ["no-such-command"]),
]  # fmt: skip


def _fill(args: list[str], tmp_path: Path, coordinator: str) -> list[str]:
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\xff\xfe" * 100 + b"\n\x00,,\n")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    names = {"{binary}": str(binary), "{empty}": str(empty), "{coordinator}": coordinator}
    return [names.get(a, a) for a in args]


@pytest.mark.parametrize("args", [a for _, a in BAD_INPUT], ids=[n for n, _ in BAD_INPUT])
def test_bad_input_gets_a_message_and_an_exit_code(
    planner_cli: Any,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    session: Any,
    args: list[str],
) -> None:
    coordinator = factories.person(session, role="coordinator")
    factories.organisation(session)
    session.commit()
    code, output = planner_cli(*_fill(args, tmp_path, coordinator.email), capsys=capsys)
    assert "Traceback" not in output, output
    assert code != 0 and output.strip(), output


EMPTY_DATABASE = [
    ["demo"],
    ["plan"],
    ["service-week"],
    ["feedback-escalate"],
    ["feedback-digest"],
    ["api-announce-month"],
    ["feedback-publish"],
    ["cadences", "list"],
    ["cadences", "seed"],
    ["export-lexicon"],
    ["feedback-publish", "--now"],
    ["export-people"],
    ["export-calendars"],
    ["org", "--name", "X"],
    ["create-admin", "--email", "a@example.org", "--password", "a long passphrase"],
    ["backup", "copy.sqlite3"],
    ["reset-link", "--email", "a@example.org"],
]


def test_every_command_is_tried_with_bad_input(app: Any) -> None:
    """A new command must join the lists below, so it is tried with bad input too."""
    tried = {args[0] for _, args in BAD_INPUT} | {args[0] for args in EMPTY_DATABASE}
    assert set(app.cli.commands) - tried == set()


@pytest.mark.parametrize("args", EMPTY_DATABASE, ids=lambda a: a[0])
def test_an_empty_database_gets_a_message_not_a_traceback(
    planner_cli: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
) -> None:
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    code, output = planner_cli(*args, capsys=capsys)
    assert "Traceback" not in output, output
    if args[0] != "backup":  # a backup of an empty database is a valid (empty) backup
        assert code != 0 and "planner init" in output, output


def test_create_admin_for_a_new_person_on_a_fresh_database(
    planner_cli: Any, capsys: pytest.CaptureFixture[str], session: Any
) -> None:
    args = ["create-admin", "--email", "New@Example.org", "--password", "a long passphrase"]
    code, output = planner_cli(*args, capsys=capsys)
    assert code == 0 and "Administrator new@example.org is ready" in output, output
    admin = session.scalar(select(Person).where(Person.email == "new@example.org"))
    assert admin is not None and admin.role == "admin" and admin.has_login


def test_an_unknown_environment_or_a_weak_key_is_a_message(
    planner_cli: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_ENV", "staging")
    code, output = planner_cli("init", capsys=capsys)
    assert code == 2 and "PLANNER_ENV must be production" in output
    assert "Traceback" not in output
    monkeypatch.setenv("PLANNER_DEBUG", "perhaps")
    code, output = planner_cli("init", capsys=capsys)
    assert code == 2 and "PLANNER_DEBUG must be true or false" in output
    monkeypatch.delenv("PLANNER_DEBUG")
    # serve refuses a weak key whatever PLANNER_ENV says (it never gets to start gunicorn).
    monkeypatch.setenv("PLANNER_ENV", "development")
    monkeypatch.setenv("PLANNER_SECRET_KEY", "a" * 32)
    code, output = planner_cli("serve", capsys=capsys)
    assert code != 0 and "Refusing to serve" in output


def test_init_writes_a_secret_key_on_first_run_and_reuses_it(
    planner_cli: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("PLANNER_SECRET_KEY")
    monkeypatch.delenv("PLANNER_ENV")  # unset: production
    code, output = planner_cli("--help", capsys=capsys)
    assert code == 0 and "No secret key" in output and "Traceback" not in output, output
    assert "import-people" in output and "plan " in output  # the commands are listed all the same
    code, output = planner_cli("plan", "--help", capsys=capsys)
    assert code == 0 and "--publish" in output, output
    code, output = planner_cli("init", "--help", capsys=capsys)
    assert code == 0 and "Usage:" in output, output
    assert not (tmp_path / "instance" / "secret_key").exists()  # help writes nothing
    code, output = planner_cli("export-people", capsys=capsys)
    assert code == 2 and "No secret key" in output and "planner init" in output
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    code, output = planner_cli("init", capsys=capsys)
    assert code == 0, output
    key = (tmp_path / "instance" / "secret_key").read_text()
    assert len(key.strip()) >= 60
    code, output = planner_cli("export-people", capsys=capsys)
    assert code == 0, output
    assert (tmp_path / "instance" / "secret_key").read_text() == key


def test_reset_link_prints_a_working_one_time_link(
    planner_cli: Any, capsys: pytest.CaptureFixture[str], app: Any, db: Any
) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    code, output = planner_cli("reset-link", "--email", person.email.upper(), capsys=capsys)
    assert code == 0, output
    link = next(line for line in output.splitlines() if "/reset/pwr_" in line)
    path = "/reset/" + link.rsplit("/reset/", 1)[1].strip()
    client = app.test_client()
    new = "a brand new passphrase"
    assert client.post(path, data={"password": new, "confirm": new}).status_code == 302
    assert client.get(path).status_code == 404


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found is not None, page[:300]
    return found.group(1)


def _feed_link(app: Any) -> str:
    """Sign in as the demo coordinator, add a personal feed and return its subscribe link."""
    from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD

    client = app.test_client()
    token = _csrf(client.get("/sign-in").get_data(as_text=True))
    signed_in = client.post(
        "/sign-in", data={"email": DEMO_COORDINATOR, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    token = _csrf(client.get("/feeds/").get_data(as_text=True))
    client.post("/feeds/new", data={"csrf_token": token})
    page = client.get("/feeds/").get_data(as_text=True)
    link = re.search(r"https?://[^\s\"'<]+/calendars/[^\s\"'<]+\.ics", page)
    assert link is not None, page
    return link.group()


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, int, str]]:
    """Servers `up` and `run` would start, faked: (host, port, a feed link of their app), over
    a database `planner init` makes."""
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    import flask.cli
    import werkzeug.serving

    started: list[tuple[str, int, str]] = []

    def fake_run_simple(host: str, port: int, app: Any, **_options: Any) -> None:
        started.append((host, port, _feed_link(app)))

    monkeypatch.setattr(werkzeug.serving, "run_simple", fake_run_simple)
    monkeypatch.setattr(flask.cli, "run_simple", fake_run_simple)
    monkeypatch.setenv("PLANNER_JOBS_URL", "immediate")  # no worker threads beside `up`
    return started


def test_up_on_another_port_makes_links_with_that_port(
    planner_cli: Any, capsys: pytest.CaptureFixture[str], servers: list[Any]
) -> None:
    code, output = planner_cli("up", "--port", "8080", capsys=capsys)
    assert code == 0, output
    assert "http://127.0.0.1:8080/" in output
    [(host, port, link)] = servers
    assert (host, port) == ("127.0.0.1", 8080)
    assert link.startswith("http://127.0.0.1:8080/calendars/"), link


def test_run_on_another_port_makes_links_with_that_port(
    planner_cli: Any, capsys: pytest.CaptureFixture[str], servers: list[Any]
) -> None:
    assert planner_cli("init", capsys=capsys)[0] == 0
    assert planner_cli("demo", capsys=capsys)[0] == 0
    code, output = planner_cli("run", "--host", "0.0.0.0", "--port", "8081", capsys=capsys)
    assert code == 0, output
    [(host, port, link)] = servers
    assert (host, port) == ("0.0.0.0", 8081)
    assert link.startswith("http://127.0.0.1:8081/calendars/"), link


@pytest.mark.parametrize("where", ["environment", "config file"])
def test_a_configured_base_url_wins_over_the_port(
    planner_cli: Any,
    capsys: pytest.CaptureFixture[str],
    servers: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
) -> None:
    if where == "environment":
        monkeypatch.setenv("PLANNER_BASE_URL", "https://planner.example.org")
    else:
        (tmp_path / "instance").mkdir(exist_ok=True)
        (tmp_path / "instance" / "config.py").write_text(
            'BASE_URL = "https://planner.example.org"\n'
        )
    code, output = planner_cli("up", "--port", "8080", capsys=capsys)
    assert code == 0, output
    [(_host, _port, link)] = servers
    assert link.startswith("https://planner.example.org/calendars/"), link


def test_serve_hands_its_port_to_gunicorn_unless_base_url_is_configured(
    planner_cli: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # serve sets PLANNER_BASE_URL for gunicorn: monkeypatch takes it away again after the test.
    monkeypatch.setenv("PLANNER_BASE_URL", "")
    monkeypatch.delenv("PLANNER_BASE_URL")
    handed: list[str | None] = []

    def fake_execv(*_args: Any) -> None:  # gunicorn is not started
        handed.append(os.environ.get("PLANNER_BASE_URL"))

    monkeypatch.setattr(os, "execv", fake_execv)
    code, output = planner_cli("serve", "--port", "8090", capsys=capsys)
    assert code == 0, output
    assert handed == ["http://127.0.0.1:8090"]
    assert "not this server's port" not in output
    monkeypatch.setenv("PLANNER_BASE_URL", "http://127.0.0.1:5000")
    code, output = planner_cli("serve", "--port", "8090", capsys=capsys)
    assert code == 0 and handed[-1] == "http://127.0.0.1:5000", output
    assert "not this server's port" in output


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8080"),
        ("0.0.0.0", "http://127.0.0.1:8080"),
        ("::", "http://127.0.0.1:8080"),
        ("192.168.1.20", "http://192.168.1.20:8080"),
        ("::1", "http://[::1]:8080"),
        ("planner.lan", "http://planner.lan:8080"),
    ],
)
def test_a_server_address_names_a_host_people_can_open(host: str, expected: str) -> None:
    from planner.feeds.baseurl import server_base_url

    assert server_base_url(host, 8080) == expected
