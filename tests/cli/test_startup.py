"""Start-up: --help, --version and usage errors import neither spaCy, scikit-learn nor torch;
``framing``, ``framing --help`` and ``framing --version`` not even typer or rich, and print what
typer prints; usage errors are one line with the usage hint (no boxed panels)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pipeline import __version__
from pipeline.cli import HELP_FILE, app
from pipeline.cli.application import render_root_help

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
# what the console script does (pip's generated `framing` script), then which libraries it loaded
SCRIPT = """import re, sys
from pipeline.cli import main
sys.argv[0] = {name!r}
try:
    sys.exit(main())
finally:
    print("LOADED:", ",".join(m for m in ("typer", "rich", "click", "spacy", "sklearn") if m in sys.modules),
          file=sys.stderr)
"""
# typer's own answer, the fast path bypassed
TYPER = "import sys; sys.argv[0] = 'framing'; from pipeline.cli import app; app()"


def _run(code: str, *args: str, columns: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    # stdout and stderr are pipes, so typer sees no terminal and wraps at 80 columns, as when piped
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**env, "PYTHONPATH": str(ROOT)}, timeout=120)


def test_the_shipped_help_is_what_typer_renders():
    with open(HELP_FILE, encoding="utf-8") as file:
        shipped = file.read()
    assert shipped == render_root_help(), "pipeline/cli/help.txt is stale: run python -m pipeline.cli.application"
    typer_own = _run(TYPER, "--help")
    assert typer_own.returncode == 0 and typer_own.stdout == shipped
    assert shipped.startswith("Usage: framing [OPTIONS] COMMAND [ARGS]...\n") and "classify" in shipped


def test_help_version_and_no_arguments_answer_without_typer():
    with open(HELP_FILE, encoding="utf-8") as file:
        shipped = file.read()
    done = _run(SCRIPT.format(name="framing"), "--help")
    assert (done.returncode, done.stdout, done.stderr) == (0, shipped, "LOADED: \n")
    done = _run(SCRIPT.format(name="/usr/local/bin/framing"), "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"framing {__version__}\n", "LOADED: \n")
    # no arguments: as typer does it, the help on stderr and status 2
    done, typer_own = _run(SCRIPT.format(name="framing")), _run(TYPER)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", shipped + "LOADED: \n")
    assert (typer_own.returncode, typer_own.stdout, typer_own.stderr) == (2, "", shipped)
    # the wide terminal case: typer wraps at 78 columns whatever the width beyond 80
    assert _run(SCRIPT.format(name="framing"), "--help", columns="200").stdout == shipped


@pytest.mark.parametrize("name, columns, usage", [("framing", "60", "Usage: framing"), ("other", None, "Usage: other")])
def test_a_narrow_terminal_or_another_program_name_is_left_to_typer(name, columns, usage):
    done = _run(SCRIPT.format(name=name), "--help", columns=columns)
    typer_own = _run(TYPER.replace("'framing'", repr(name)), "--help", columns=columns)
    assert done.returncode == 0 and done.stdout == typer_own.stdout and done.stdout.startswith(usage)
    assert "typer" in done.stderr.splitlines()[-1]
    if columns:
        assert done.stdout == render_root_help(int(columns)) and done.stdout != render_root_help()


def test_other_arguments_go_to_typer():
    done = _run(SCRIPT.format(name="framing"), "--version", "--help")
    assert done.returncode == 0 and "typer" in done.stderr.splitlines()[-1]
    assert done.stdout in (f"framing {__version__}\n", render_root_help())
    done = _run(SCRIPT.format(name="framing"), "--bogus")
    assert done.returncode == 2 and done.stderr.startswith("error: No such option: --bogus\nusage: framing [OPTIONS]")


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
    (["--bogus"], "error: No such option: --bogus"),
])
def test_usage_errors_are_one_line_and_the_usage(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith(message), result.output
    command = " ".join(["framing", *[a for a in args[:2] if not a.startswith("-") and a not in ("x", "nosuch")]])
    assert lines[1].startswith(f"usage: {command} [OPTIONS]") and lines[1].endswith(f"({command} --help for every option)")
    assert "╭" not in result.output and "{" not in lines[1]


def test_a_group_without_arguments_prints_its_help_not_an_error():
    result = CliRunner().invoke(app, ["corpus"])
    assert result.exit_code == 2 and result.output.startswith("Usage: framing corpus [OPTIONS] COMMAND")
    assert "error:" not in result.output and "merge-labels" in result.output


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


@pytest.mark.parametrize("command, usage", [("classify", "usage: framing classify [OPTIONS] INPUTS..."),
                                            ("corpus", "usage: framing corpus [OPTIONS] COMMAND [ARGS]...")])
def test_a_command_imports_only_its_own_module(command, usage):
    probe = PROBE.replace('print("HEAVY:', 'print("CLI:", ",".join(sorted(m for m in sys.modules if m.startswith("pipeline.cli."))), file=sys.stderr)\nprint("HEAVY:')
    done = subprocess.run([sys.executable, "-c", probe.format(heavy=HEAVY), command, "--bogus"], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    [line] = [x for x in done.stderr.splitlines() if x.startswith("CLI:")]
    others = {"train", "classify", "evaluate", "inspect", "split", "suggest", "annotate", "agreement", "corpus", "model"}
    loaded = {m.removeprefix("pipeline.cli.") for m in line.removeprefix("CLI: ").split(",")}
    assert loaded & others == {command}, line
    assert usage in done.stderr
