"""Every benchmark script skips cleanly, with a message, when the public data is absent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "benchmarks" / f"{name}.py" for name in ("gvfc", "fnc1", "fnc1_dev", "newsmtsc", "allsides", "allsides_cv", "speed", "run_all", "entities_conll", "extraction", "stance", "stance_cv", "active_learning", "zero_shot_real", "solvers")]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_skips_without_data(script, tmp_path):
    env = {**os.environ, "FRAMING_DATA": str(tmp_path / "absent"), "FRAMING_CACHE": str(tmp_path / "cache")}
    docs = ROOT / "docs" / "benchmarks.md"
    before = docs.read_text("utf-8") if docs.exists() else None
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stdout and "FRAMING_DATA" in result.stdout
    assert (docs.read_text("utf-8") if docs.exists() else None) == before
