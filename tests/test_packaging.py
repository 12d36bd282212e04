"""A non-editable `pip install .` ships and finds templates, static files and migrations."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def test_wheel_contains_templates_static_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "planner/_templates/base.html",
        "planner/_templates/auth/sign_in.html",
        "planner/_static/css/app.css",
        "planner/_static/js/copy.js",
        "planner/_static/logo.svg",
        "planner/_static/favicon.svg",
        "planner/migrations/env.py",
        "planner/migrations/script.py.mako",
        "planner/data/common-passwords.txt",
        "planner/translations/nl/LC_MESSAGES/messages.mo",
        "planner/translations/lt/LC_MESSAGES/messages.mo",
    ):
        assert needed in names
    assert any(n.startswith("planner/migrations/versions/") and n.endswith(".py") for n in names)


def test_installed_wheel_serves_pages_and_migrates(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    script = (
        "import planner, sys\n"
        "assert planner.__file__.startswith(sys.argv[1]), planner.__file__\n"
        "from planner.migrations import upgrade\n"
        "url = 'sqlite:///' + sys.argv[2]\n"
        "upgrade(url)\n"
        "import secrets\n"
        "app = planner.create_app({'DATABASE_URL': url, 'SECRET_KEY': secrets.token_urlsafe(48)})\n"
        "c = app.test_client()\n"
        "r = c.get('/sign-in')\n"
        "assert r.status_code == 200 and b'Sign in' in r.data, r.status_code\n"
        "r = c.get('/static/css/app.css'); assert r.status_code == 200\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", script, str(target), str(tmp_path / "db.sqlite3")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
