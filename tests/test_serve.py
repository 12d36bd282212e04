"""`planner serve` for real (gunicorn in a subprocess): without SMTP the status e-mails appear in
its log (issue 13 item 13), and after `kill -9` of the master it restarts at once (item 15)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

PLANNER = [sys.executable, "-c", "from planner.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """A fresh installation: SQLite, empty instance folder, PLANNER_ENV unset (production)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANNER_", "FLASK_"))}
    env["PLANNER_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["PLANNER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'planner.sqlite3'}"
    for args in (["init"], ["create-admin", "--email", "a@example.org", "--password", "x" * 16]):
        done = subprocess.run([*PLANNER, *args], env=env, cwd=tmp_path, capture_output=True)
        assert done.returncode == 0, done.stderr
    return env


class Server:
    """One `planner serve` process and its log file."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.log = log
        self.handle = log.open("wb")
        self.process = subprocess.Popen(
            [*PLANNER, "serve", "--port", str(port), "--workers", "1", "--threads", "2"],
            env=env,
            cwd=log.parent,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, pattern: str, seconds: float = 60) -> bool:
        """Whether the log shows the pattern before the time is up or the server ends."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if re.search(pattern, self.text()):
                return True
            if self.process.poll() is not None:
                return bool(re.search(pattern, self.text()))
            time.sleep(0.2)
        return False

    def worker_pids(self) -> list[int]:
        return [int(p) for p in re.findall(r"Booting worker with pid: (\d+)", self.text())]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.handle.close()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Servers started by a test; stopped (and their orphaned workers ended) afterwards."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()
        for pid in server.worker_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)


def _request(
    url: str, data: dict[str, str] | None = None, cookie: str = "", timeout: float = 20
) -> Any:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie})
    return urllib.request.urlopen(request, timeout=timeout)


def test_status_mail_appears_in_the_serve_log(
    environment: dict[str, str], tmp_path: Path, servers: list[Server]
) -> None:
    port = _free_port()
    server = Server(environment, port, tmp_path / "serve.log")
    servers.append(server)
    assert server.wait_for(r"Booting worker"), server.text()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            page = _request(f"{base}/forgot-password")
            break
        except OSError:
            time.sleep(0.2)
    html = page.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert token, html[:500]
    # The cookie is Secure (production), so urllib would not send it over http: send it by hand.
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    answer = _request(
        f"{base}/forgot-password",
        {"csrf_token": token.group(1), "email": "a@example.org"},
        cookie,
    )
    assert answer.status == 200
    assert server.wait_for(r"e-mail \(SMTP_HOST unset\) to=a@example\.org", 30), server.text()
    assert "/reset/pwr_" not in server.text()  # the link itself is redacted from the log


def test_serve_restarts_at_once_after_kill_9_of_the_master(
    environment: dict[str, str], tmp_path: Path, servers: list[Server]
) -> None:
    port = _free_port()
    first = Server(environment, port, tmp_path / "first.log")
    servers.append(first)
    assert first.wait_for(r"Booting worker"), first.text()
    for _ in range(100):
        try:
            _request(f"http://127.0.0.1:{port}/healthz").read()
            break
        except OSError:
            time.sleep(0.2)
    # A request in flight (a slow upload) keeps the orphaned worker, and without SO_REUSEPORT
    # its listening socket, alive for the graceful timeout after the master is killed.
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(
        b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
        b"\r\nContent-Length: 100000\r\n\r\nemail=a"
    )
    time.sleep(1)  # let the worker start reading it (not an assertion on time)
    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    second = Server(environment, port, tmp_path / "second.log")
    servers.append(second)
    assert second.wait_for(r"Booting worker|Connection in use|Can't connect"), second.text()
    assert "Connection in use" not in second.text() and second.process.poll() is None
    for _ in range(60):  # the old master's orphaned worker may hold some connections meanwhile
        with contextlib.suppress(OSError):  # refused, reset or timed out
            _request(f"http://127.0.0.1:{port}/healthz", timeout=3).read()
        if "GET /healthz" in second.text():
            break
        time.sleep(0.2)
    slow.close()
    assert "GET /healthz" in second.text(), second.text()
