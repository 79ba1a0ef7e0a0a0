"""What every benchmark script shares: finding the data, timing, the reference model, the report.

Benchmarks are scripts, not tests: each trains and evaluates through the project's own code
(:func:`pipeline.training.train.train`, :func:`pipeline.models.factory.fit_task`,
:func:`pipeline.evaluation.evaluate.evaluate_model`) on one public dataset, beside a plain scikit-learn
TF-IDF + LogisticRegression reference on the same split, and writes its section of
``docs/benchmarks.md``. Without ``../shared/data`` (``$FRAMING_DATA``) they skip cleanly.
"""

from __future__ import annotations

import os
import platform
import re
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = Path(__file__).resolve().parent / "configs"
DOCS = ROOT / "docs" / "benchmarks.md"
SKIP_EXIT = 0  # a skipped benchmark is not a failure


def data_root() -> Path:
    """``$FRAMING_DATA``, else ``../shared/data`` beside the project."""
    return Path(os.environ.get("FRAMING_DATA") or ROOT.parent / "shared" / "data")


def require_data(name: str, *files: str) -> Path:
    """The dataset folder ``name``; print why and exit 0 when it (or one of ``files``) is absent."""
    folder = data_root() / name
    missing = [f for f in files if not (folder / f).exists()] if folder.is_dir() else [str(folder)]
    if missing:
        print(f"skipped {name}: benchmark data not found ({', '.join(missing)} missing under {data_root()}). "
              "Set FRAMING_DATA to the folder holding the public datasets to run it.")
        raise SystemExit(SKIP_EXIT)
    return folder


def config(name: str) -> dict[str, Any]:
    """The benchmark config ``benchmarks/configs/NAME.toml`` merged over the package defaults."""
    from pipeline.config import load_config

    return load_config(CONFIGS / f"{name}.toml")


def processor(cache_dir: str | Path | None = None, *, n_process: int = 2):
    """A spaCy processor with a doc cache (``$FRAMING_CACHE`` or the default folder unless given)."""
    from pipeline.nlp.cache import DocCache
    from pipeline.nlp.processor import Processor

    return Processor(None, cache=DocCache(cache_dir), n_process=n_process)


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def machine() -> str:
    """Cores, memory and load: the context any timing needs."""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores, {mem:.0f} GB RAM, Python {platform.python_version()}, "
            f"load average at the end {load}")


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.seconds = time.perf_counter() - self.start


def reference_model(*, C: float = 1.0, max_features: int | None = None):
    """The plain reference: scikit-learn TF-IDF (words, 1-2 grams) + LogisticRegression on raw text."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=max_features),
                         LogisticRegression(C=C, max_iter=2000))


def fnc_score(labels: Sequence[str], confusion: Sequence[Sequence[int]]) -> tuple[float, float]:
    """FNC-1 score from a confusion matrix (rows gold, columns predicted): (score, gold's own score)."""
    related = {"agree", "disagree", "discuss"}
    score = best = 0.0
    for i, gold in enumerate(labels):
        for j, pred in enumerate(labels):
            n = confusion[i][j]
            best += n * (1.0 if gold in related else 0.25)
            if (gold in related) == (pred in related):
                score += 0.25 * n
                if gold in related and gold == pred:
                    score += 0.75 * n
    return score, best


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table."""
    cell = lambda v: f"{v:.3f}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section between ``<!-- BEGIN name -->`` and ``<!-- END name -->``."""
    block = f"<!-- BEGIN {name} -->\n{body.strip()}\n<!-- END {name} -->"
    text = DOCS.read_text("utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"<!-- BEGIN {re.escape(name)} -->.*?<!-- END {re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    tmp = DOCS.with_suffix(".md.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, DOCS)


def command() -> str:
    """The command line that ran this benchmark."""
    return "python " + " ".join([os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])


def cv_predictions(samples: list, labels: list[str], cfg: dict[str, Any], *, folds: int, seed: int,
                   use_target: bool = False) -> list[str]:
    """Out-of-fold predictions of the project's task pipeline (:func:`pipeline.models.factory.fit_task`)."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from pipeline.models.factory import fit_task

    predicted = np.empty(len(labels), dtype=object)
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train_rows, test_rows in cv.split(np.zeros(len(labels)), labels):
        model = fit_task(cfg, [samples[i] for i in train_rows], [labels[i] for i in train_rows], use_target=use_target)
        predicted[test_rows] = model.predict([samples[i] for i in test_rows])
    return predicted.tolist()
