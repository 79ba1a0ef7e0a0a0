"""Start-up: --help, --version and usage errors import neither spaCy, scikit-learn nor torch,
and usage errors are one line with the usage hint (no boxed panels)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pipeline import __version__
from pipeline.cli import app

from ..conftest import ROOT

HEAVY = ("spacy", "sklearn", "torch", "thinc", "scipy")
PROBE = """import sys
from pipeline.cli import main
sys.argv = ["framing", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("HEAVY:", ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["classify", "--help"], ["train", "--help"],
                                  ["classify", "--bogus"], ["classify"], ["classify", "x", "--min-confidence", "abc"],
                                  ["nosuch"], ["corpus", "stats", "--help"], []])
def test_no_heavy_import(args):
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    line = [x for x in done.stderr.splitlines() if x.startswith("HEAVY:")]
    assert line == ["HEAVY: "], done.stderr[-2000:]


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"framing {__version__}\n"


@pytest.mark.parametrize("args, message", [
    (["classify", "--bogus"], "error: No such option: --bogus"),
    (["classify"], "error: Missing argument 'inputs'."),
    (["classify", "x", "--min-confidence", "abc"], "error: Invalid value for '--min-confidence'"),
    (["nosuch"], "error: No such command 'nosuch'."),
    (["corpus", "stats", "--nope"], "error: No such option: --nope"),
])
def test_usage_errors_are_one_line_and_the_usage(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith(message), result.output
    command = " ".join(["framing", *[a for a in args[:2] if not a.startswith("-") and a not in ("x", "nosuch")]])
    assert lines[1].startswith(f"usage: {command} [OPTIONS]") and lines[1].endswith(f"({command} --help for every option)")
    assert "╭" not in result.output and "{" not in lines[1]


@pytest.mark.parametrize("command", ["classify", "train", "evaluate", "inspect", "suggest"])
def test_quiet_is_accepted_by_every_command_with_long_work(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "--quiet" in result.output


def test_an_interrupt_and_an_unexpected_error_pass_through_the_one_line_group(capsys):
    import typer

    from pipeline.cli._usage import OneLineErrors

    small = typer.Typer(cls=OneLineErrors)

    @small.command()
    def stop(kind: str) -> None:
        if kind == "abort":
            raise typer.Abort()
        raise KeyError("frame")

    command = typer.main.get_command(small)
    with pytest.raises(SystemExit) as stopped:
        command.main(["abort"], prog_name="small")
    assert stopped.value.code == 1 and len(capsys.readouterr().err.splitlines()) == 1
    # Any other error reaches the caller as itself, not as an AttributeError from an except clause.
    with pytest.raises(KeyError, match="frame"):
        command.main(["other"], prog_name="small")
