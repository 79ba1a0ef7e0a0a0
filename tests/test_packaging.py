"""A wheel installs a working framing: the default model ships inside it and is found from
any folder, with no repository checkout around (README's first command, from a wheel)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT

PAGE = ROOT / "corpus" / "roundups" / "facial-recognition-2020.txt"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel of this checkout installed (dependencies borrowed, read-only,
    from the test environment: the wheel itself is installed with --no-deps)."""
    tmp = tmp_path_factory.mktemp("wheel")
    run = lambda *args, **kw: subprocess.run(args, capture_output=True, text=True, timeout=600, check=True, **kw)  # noqa: E731
    source = tmp / "source"  # a copy: building in place would leave build/ and egg-info in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "pipeline", source / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__", "default_model", "stance_any_model"))
    for name in ("default", "stance-any"):
        shutil.copytree(ROOT / "models" / name, source / "models" / name)
    # the environment's own setuptools where it has one (no download); else pip fetches it
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
    run(sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", *isolation, "-q", "-w", str(tmp / "dist"),
        env=_env())
    wheel = next((tmp / "dist").glob("framing-*.whl"))
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    site = Path(run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel), env=_env())
    # then spaCy, scikit-learn, ... from the test environment (after the install, so that pip does
    # not see its framing); its editable framing is not seen, as the .pth files of a directory
    # named in a .pth file are not run
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FRAMING_MODELS")}


def test_the_wheel_ships_and_finds_the_default_model(installed, tmp_path):
    python = installed / "bin" / "python"
    probe = "import pipeline.models.persist as p; print(p.DEFAULT_MODEL); print(p.DEFAULT_ZERO_SHOT)"
    found = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=_env(),
                           check=True).stdout.splitlines()
    assert len(found) == 2
    for where in found:  # the default model and the zero-shot stance model, both inside the installed package
        assert Path(where).is_relative_to(installed) and Path(where, "model.json").is_file()
    done = subprocess.run([str(installed / "bin" / "framing"), "classify", str(PAGE), "-f", "json", "-q", "--no-cache"],
                          capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    records = json.loads(done.stdout)
    assert len(records) == 11 and {"frame", "stance"} <= set(records[0]["predictions"])
    assert records[0]["entities"] and "stance" in records[0]["entities"][0]


def test_the_wheel_answers_help_from_its_shipped_text(installed, tmp_path):
    """``framing --help`` from the wheel prints the packaged help.txt without loading typer (the fast path)."""
    framing = installed / "bin" / "framing"
    done = subprocess.run([str(framing), "--help"], capture_output=True, text=True, cwd=tmp_path, env=_env(), timeout=120)
    assert done.returncode == 0 and done.stdout == (ROOT / "pipeline" / "cli" / "help.txt").read_text("utf-8")
    probe = ("import runpy, sys; sys.argv = [sys.argv[1], '--help']\n"
             "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print('typer' in sys.modules, file=sys.stderr)")
    loaded = subprocess.run([str(installed / "bin" / "python"), "-c", probe, str(framing)], capture_output=True,
                            text=True, cwd=tmp_path, env=_env(), timeout=120)
    assert loaded.stderr.splitlines()[-1] == "False" and loaded.stdout.startswith("Usage: framing [OPTIONS]")
