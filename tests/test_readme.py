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
