"""A headless browser for the report tests: Debian's chromium, installed when missing."""

from __future__ import annotations

import os
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
    """Path of a headless-capable chromium; skips (saying why) only where none can be installed."""
    path = _find()
    if path is None:
        reason = _install()
        path = _find()
        if path is None:
            pytest.skip(reason or "chromium was installed but is not on PATH")
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

    def dom(self, page: Path) -> str:
        done = self._run("--dump-dom", page.resolve().as_uri())
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout


@pytest.fixture(scope="session")
def headless(browser) -> Browser:
    """The headless browser wrapper."""
    return Browser(browser)
