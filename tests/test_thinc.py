"""spaCy loads without PyTorch (thinc is kept from importing it), and torch still imports afterwards."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from .conftest import ROOT

PROBE = """import sys
import pipeline
from pipeline.nlp.processor import load_nlp
nlp = load_nlp(None, "entities")
print([e.text for e in nlp("Barack Obama met Angela Merkel in Berlin.").ents])
print("torch" in sys.modules)
import thinc.compat
print(thinc.compat.has_torch)
"""
HAS_TORCH = importlib.util.find_spec("torch") is not None


def _probe(code: str, **env: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


def test_spacy_runs_without_importing_torch():
    ents, torch_loaded, has_torch = _probe(PROBE)
    assert ents == "['Barack Obama', 'Angela Merkel', 'Berlin']"
    assert (torch_loaded, has_torch) == ("False", "False")


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed (the embeddings extra)")
def test_torch_imports_afterwards_and_the_switch_gives_thinc_its_torch():
    lines = _probe(PROBE + "import torch\nprint(float(torch.ones(3).sum()))\n")
    assert lines[1:] == ["False", "False", "3.0"]
    assert _probe(PROBE, FRAMING_THINC_TORCH="1")[1:] == ["True", "True"]


def test_torch_is_left_to_thinc_when_a_torch_based_spacy_package_is_installed(monkeypatch):
    from pipeline import _thinc

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object() if name == "spacy_transformers" else real(name, *a))
    assert not _thinc.hide_torch()
    monkeypatch.setattr(importlib.util, "find_spec", real)
    assert _thinc.hide_torch() == ("torch" not in sys.modules)
