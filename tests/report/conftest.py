"""A headless browser for the report tests: Debian's chromium, installed when missing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _find() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def _install() -> str:
    """Install Debian's chromium (``apt-get update`` once if the package is unknown); '' or why not."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return "chromium is missing and cannot be installed here (needs root and apt-get)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    try:
        if subprocess.run(install, env=env, capture_output=True, timeout=900).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
            done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                return f"apt-get install chromium failed: {done.stderr.strip()[-300:]}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"apt-get install chromium failed: {exc}"
    return ""


@pytest.fixture(scope="session")
def browser() -> str:
    """Path of a headless-capable chromium; skips (saying why) only where none can be installed.

    Under CI (``$CI`` set; ``.ci/run`` installs chromium first) a missing browser fails instead,
    so the browser checks cannot silently stop running.
    """
    path = _find()
    if path is None:
        reason = _install()
        path = _find()
        if path is None:
            message = reason or "chromium was installed but is not on PATH"
            if os.environ.get("CI"):
                pytest.fail(f"CI needs chromium for the report tests: {message}")
            pytest.skip(message)
    return path


class Browser:
    """Runs the browser headless over a file: a screenshot, or the DOM after scripts ran."""

    def __init__(self, path: str) -> None:
        self.path = path

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory() as profile:
            return subprocess.run([self.path, *FLAGS, f"--user-data-dir={profile}", *args],
                                  capture_output=True, text=True, timeout=120)

    def screenshot(self, page: Path, out: Path, size: str = "1200,2000") -> Path:
        done = self._run(f"--screenshot={out}", f"--window-size={size}", page.resolve().as_uri())
        assert out.exists(), done.stderr[-2000:]
        return out

    def dom(self, page: Path, size: str | None = None) -> str:
        size_flag = (f"--window-size={size}",) if size else ()
        done = self._run(*size_flag, "--dump-dom", page.resolve().as_uri())
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def evaluate(self, page: Path, script: str, size: str = "1280,900") -> object:
        """The JSON value of ``script`` (an expression) evaluated in ``page`` after layout.

        A copy of the page gets one extra script at the end of its body, which writes the value
        into the DOM; Chromium lays the page out in a window of ``size`` and dumps the DOM, and
        the value is read back. The report itself carries no script.
        """
        probe = page.with_name(f".probe-{page.name}")
        # Run at the end of the body: everything is parsed and styled, and reading a computed style
        # or a scroll width makes Chromium lay the page out first.
        code = (f"<script>(function () {{ var value = JSON.stringify({script});"
                "var out = document.createElement('pre'); out.id = '__probe'; out.textContent = value;"
                "document.body.appendChild(out); })();</script>")
        probe.write_text(page.read_text("utf-8").replace("</body>", code + "</body>"), "utf-8")
        try:
            dom = self.dom(probe, size)
        finally:
            probe.unlink()
        found = re.search(r'<pre id="__probe">(.*?)</pre>', dom, re.S)
        assert found, dom[-2000:]
        import html

        return json.loads(html.unescape(found.group(1)))


@pytest.fixture(scope="session")
def headless(browser) -> Browser:
    """The headless browser wrapper."""
    return Browser(browser)
