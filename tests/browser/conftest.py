"""Browser test harness: the real app under uvicorn, driven by Playwright through Debian's chromium.

One server per session: a fresh SQLite database in a temporary folder, set up the way ``make setup`` does it
(migrate, collectstatic, load_demo_school, fit_learner_model), served by uvicorn on a free loopback port
and stopped at the end.
The demo logins are read from what ``load_demo_school`` prints, so the tests follow the demo school.

Never ``playwright install``: the browser is ``/usr/bin/chromium`` (``make browser-deps`` installs it).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TESSERA_CHROMIUM", "/usr/bin/chromium")
# Root needs --no-sandbox; the rest stop chromium from phoning home (refused connections on this network).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}
DEMO_PASSWORD = "tessera-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    detail: str


@dataclass
class LiveApp:
    url: str
    logins: list[DemoLogin]
    log: Path

    def login(self, role: str, username: str | None = None) -> DemoLogin:
        """The demo login with this role (and username, when given), as ``load_demo_school`` printed it."""
        for login in self.logins:
            if login.role == role and (username is None or login.username == username):
                return login
        raise LookupError(f"load_demo_school printed no {role} login {username or ''}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _parse_logins(output: str) -> list[DemoLogin]:
    """Lines like ``  t.garcia   Teacher  Maths 6A (lead teacher)`` (two or more spaces between columns)."""
    logins = []
    for line in output.splitlines():
        if not line.startswith("  "):
            continue
        columns = re.split(r"\s{2,}", line.strip(), maxsplit=2)
        if len(columns) >= 2:
            logins.append(DemoLogin(columns[0], columns[1], columns[2] if len(columns) > 2 else ""))
    return logins


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url}/healthz did not answer within {seconds:.0f}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    var_dir = tmp_path_factory.mktemp("tessera-var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "STATIC_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tessera.config.settings.local",
        DEBUG="false",  # what people see, not Django's debug pages
        TESSERA_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'browser.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )

    def manage(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    logins = _parse_logins(manage("load_demo_school"))
    manage("fit_learner_model", "--missing-only")  # as make setup does: the first answer does not wait ~20 s

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = var_dir / "uvicorn.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(  # noqa: S603 - the app under test
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tessera.config.asgi:application",
                "--app-dir",
                "src",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(url, server, log)
        yield LiveApp(url=url, logins=logins, log=log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing; `make browser-deps` installs Debian's chromium (apt)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(chromium: Any, live_app: LiveApp, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh phone-sized browser context (no cookies) per test; on failure, say where it was."""
    context = chromium.new_context(viewport=PHONE, locale="en-GB", base_url=live_app.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            server_log = live_app.log.read_text(errors="replace").splitlines()[-30:]
            print(f"\nPage at failure: {page.url}\n--- last lines of the server log ---")
            print("\n".join(server_log))
        context.close()


def sign_in(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page: Any) -> str:
    """Run axe-core (vendored in axe-playwright-python, no network) for WCAG 2.1 A/AA; '' when clean."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    return "" if results.violations_count == 0 else results.generate_report()


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0 means no sideways scrolling)."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - PHONE["width"])
