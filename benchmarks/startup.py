"""Start-up time and big inputs, measured against the interpreter itself in the same run.

    python benchmarks/speed.py startup big-input     (or: python benchmarks/startup.py)

Needs no dataset. Each command runs in its own process, ``REPEATS`` times; the median wall time
is kept, so a busy machine slows the reference and the command alike.

* ``framing --help``, ``framing`` (no arguments: the help, on stderr) and ``framing --version``
  against ``python -c pass``. Target: <= 3x for ``--help``. They are answered without typer
  (``pipeline.cli.main``); a usage error goes through typer and is timed for comparison.
* ``framing classify -`` on one sentence with the default model (entities on, no cache) against
  ``python -c "import spacy; spacy.load(<the pipeline>)"``. Target: <= 1.5x. That reference
  imports torch when it is installed (thinc does; framing does not, see pipeline/_thinc.py), so
  the ratio to the same load with torch hidden is shown too, and marked: what a plain install
  compares. The default model predicts from its arrays (pipeline/models/arrays.py), so that
  run imports neither scikit-learn nor SciPy.
* ``big-input``: ``framing classify`` with entities on a 2.5 MB single-line text (pieces of
  corpus/sample joined with spaces, written here), wall time and peak RSS. Target: <= 1.5 GB.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 5
FAST_REPEATS = 21  # the ~20 ms rows: more runs, so one slow start does not move the median
SENTENCE = "The city should scrap this reckless charge, the mayor said on Monday.\n"
# what pip's generated `framing` script runs
CLI = "import re, sys; from pipeline.cli import main; sys.argv[0] = 'framing'; sys.exit(main())"
BIG_CHARS = 2_500_000


def _env() -> dict[str, str]:
    # Byte code written and read as after an install (pip compiles it; a clone writes it on the
    # first run): with PYTHONDONTWRITEBYTECODE set, every run would compile framing's ~100
    # modules from source (0.2 s) while spaCy's come compiled from site-packages.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def run(args: list[str], stdin: str | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=_env(), cwd=ROOT, text=True)
    if stdin is not None:
        proc.stdin.write(stdin)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{args} failed with status {status}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def median_time(args: list[str], stdin: str | None = None, repeats: int = REPEATS) -> float:
    return statistics.median(run(args, stdin)[0] for _ in range(repeats))


def spacy_pipeline() -> str:
    """The spaCy pipeline the default model names (what ``spacy.load`` is timed on)."""
    sys.path.insert(0, str(ROOT))
    from pipeline.nlp.processor import resolve_model_name

    return resolve_model_name(None)


def startup_rows() -> list[list[str]]:
    """Rows: command, median seconds, ratio to its reference, target."""
    py = sys.executable
    base = median_time([py, "-c", "pass"], repeats=FAST_REPEATS)
    load = median_time([py, "-c", f"import spacy; spacy.load({spacy_pipeline()!r})"], repeats=3)
    # the same with torch absent, as after README command 1 (no embeddings extra): thinc imports
    # torch whenever it is installed, which framing itself avoids (pipeline/_thinc.py)
    bare = median_time([py, "-c", f"import sys; sys.modules['torch'] = None; import spacy; spacy.load({spacy_pipeline()!r})"],
                       repeats=3)
    rows = [["python -c pass", f"{base:.3f} s", "1.00x", ""]]
    for name, args, target in (("framing --help", ["--help"], "<= 3x"),
                               ("framing (no arguments: the help, status 2)", [], ""),
                               ("framing --version", ["--version"], ""),
                               ("framing classify --bogus (usage error, through typer)", ["classify", "--bogus"], "")):
        seconds = statistics.median(_time_allowing_failure([py, "-c", CLI, *args]) for _ in range(FAST_REPEATS))
        rows.append([name, f"{seconds:.3f} s", f"{seconds / base:.2f}x python -c pass", _mark(target, seconds / base)])
    rows.append([f"spacy.load({spacy_pipeline()})", f"{load:.2f} s", "1.00x", ""])
    rows.append([f"spacy.load({spacy_pipeline()}), torch hidden", f"{bare:.2f} s", f"{bare / load:.2f}x spacy.load", ""])
    run([py, "-c", CLI, "classify", "-", "--no-cache", "-q"], SENTENCE)  # writes the byte code of a fresh tree
    for name, extra in (("framing classify - (one sentence, entities)", []),
                        ("framing classify - --no-entities (one sentence)", ["--no-entities"])):
        seconds = median_time([py, "-c", CLI, "classify", "-", "--no-cache", "-q", *extra], SENTENCE, repeats=3)
        rows.append([name, f"{seconds:.2f} s", f"{seconds / load:.2f}x spacy.load ({seconds / bare:.2f}x without torch)",
                     f"{_mark('<= 1.5x', seconds / load)}; without torch {_mark('<= 1.5x', seconds / bare).split()[-1]}"])
    return rows


def _mark(target: str, ratio: float) -> str:
    """``"<= 3x (met)"`` or ``"(missed)"`` for a target written ``"<= Nx"``; no target, no mark."""
    if not target:
        return ""
    return f"{target} ({'met' if ratio <= float(target.removeprefix('<= ').removesuffix('x')) else 'missed'})"


def _time_allowing_failure(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(), cwd=ROOT)
    return time.perf_counter() - start


def big_text(path: Path, chars: int = BIG_CHARS) -> Path:
    """One line of ``chars`` characters: the sample corpus's pieces joined with spaces, repeated."""
    sys.path.insert(0, str(ROOT))
    from pipeline.corpus import read_corpus

    texts = [" ".join(p.text.split()) for p in read_corpus(ROOT / "corpus" / "sample")]
    parts, size, i = [], 0, 0
    while size < chars:
        parts.append(texts[i % len(texts)])
        size += len(parts[-1]) + 1
        i += 1
    path.write_text(" ".join(parts)[:chars] + "\n", "utf-8")
    return path


def big_input_rows() -> list[list[str]]:
    """Rows: framing classify with and without entities on the 2.5 MB single-line text."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="framing-big-") as tmp:
        text = big_text(Path(tmp) / "big.txt")
        for name, extra in (("entities", []), ("no entities", ["--no-entities"])):
            seconds, peak = run([sys.executable, "-c", CLI, "classify", str(text), "-f", "jsonl", "-o",
                                 str(Path(tmp) / "out.jsonl"), "--no-cache", "-q", *extra])
            rows.append([f"framing classify, {BIG_CHARS / 1e6:.1f} MB single-line text, {name}", f"{seconds:.0f} s",
                         f"{peak:.0f} MB", "<= 1.5 GB" if not extra else ""])
    return rows


def main(kinds: list[str]) -> str:
    """Measure ``kinds`` (``startup``, ``big-input``) and return the Markdown section."""
    sys.path.insert(0, str(ROOT))
    from benchmarks._common import command, machine, table

    parts = []
    if "startup" in kinds:
        rows = startup_rows()
        parts.append(f"Start-up (median of {FAST_REPEATS} runs, 3 for the spaCy ones; each in its own process):\n\n"
                     + table(["command", "wall time", "ratio", "target"], rows))
    if "big-input" in kinds:
        parts.append("Big input (one run, peak RSS of the process):\n\n"
                     + table(["job", "time", "peak RSS", "target"], big_input_rows()))
    return (f"## Start-up and big inputs\n\nCommand: `{command()}`. Machine: {machine()}.\n\n" + "\n\n".join(parts))


if __name__ == "__main__":
    print(main(sys.argv[1:] or ["startup", "big-input"]))
