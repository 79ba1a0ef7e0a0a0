"""User text is never read as terminal markup: ``[tag]``, ``[/tag]``, ANSI escapes and control
characters go through every command and output format as text (escaped in JSON, shown as
``\\xNN`` on the terminal), and never crash rich's markup parser."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.cli._text import visible

from .test_classify import model  # noqa: F401 - the small real model fixture

runner = CliRunner()
NASTY = ["[b]", "[/b]", "[/tag]", "[tag]", "[link=x]", "[bold red]", "\x1b[31m", "\x1b]0;title\x07", "\x1b[2J",
         "\x07", "\x08", "\r", "\x00", "\x7f", "\x9b", ":smile:", "\\", "[", "]", "=", "é"]
nasty = st.lists(st.sampled_from(NASTY + list("ab ")), min_size=1, max_size=12).map("".join)
SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BOX = str.maketrans("", "", " \n│┃─━┏┓┗┛┡┩┠┨╇┳┻╋┼├┤┬┴└┘┌┐╭╮╰╯")


def squeezed(text: str) -> str:
    """Text without spaces, new lines and table borders: what survives a table's wrapping."""
    return text.translate(BOX)


def check_terminal(output: str, *shown: str) -> None:
    """No control character reached the terminal, and each of ``shown`` is printed literally."""
    assert "\x1b" not in output and "\x07" not in output and "\x00" not in output and "\x9b" not in output
    for value in shown:
        assert squeezed(visible(value)) in squeezed(output), (value, output)


def corpus(tmp_path, text: str, label: str = "oppose"):
    path = tmp_path / "in.jsonl"
    rows = [{"id": f"id{text}", "text": f"Police cameras {text} harm rights.", "title": f"T{text}",
             "source": f"S{text}", "story": f"st{text}", "labels": {"stance": label}},
            {"id": "plain", "text": "The cameras help the police.", "source": "Other", "labels": {"stance": "support"}}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path, rows[0]


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@SETTINGS
@given(text=nasty)
def test_classify_every_format(model, tmp_path, text):  # noqa: F811
    path, row = corpus(tmp_path, text)
    common = [str(path), "--model", str(model), "--no-cache", "-q"]
    records = json.loads(invoke("classify", *common, "-f", "json").stdout)
    assert records[0]["id"] == row["id"] and records[0]["source"] == row["source"].strip()
    assert records[0]["title"] == row["title"].strip()
    table = invoke("classify", *common)
    assert table.exit_code == 0, table.output
    check_terminal(table.output, records[0]["id"], records[0]["source"])
    lines = invoke("classify", *common, "-f", "jsonl").stdout.splitlines()
    assert json.loads(lines[0])["id"] == row["id"]
    rows = list(csv.DictReader(io.StringIO(invoke("classify", *common, "-f", "csv").stdout)))
    # CSV is data: the text is kept as it is (a leading formula character gets a ' prefix)
    assert rows[0]["id"].lstrip("'") == row["id"] and rows[0]["source"].lstrip("'") == records[0]["source"]
    tsv = invoke("classify", *common, "-f", "tsv").stdout.split("\n")
    header, first = tsv[0].split("\t"), tsv[1].split("\t")  # tabs and line ends in a value become spaces
    assert first[header.index("id")] == row["id"].translate(str.maketrans("\t\r\n", "   "))


@SETTINGS
@given(text=nasty)
def test_split_inspect_and_stats(model, tmp_path, text):  # noqa: F811
    page = tmp_path / "page.txt"
    text = text.replace("\x00", "")  # a text file with NUL bytes is refused as binary, by name
    page.write_text(f"A headline {text}\n\nThe body of the page {text} goes on here.\n", "utf-8")
    split = invoke("split", str(page))
    assert split.exit_code == 0, split.output
    assert text.replace("\r", "") in "".join(json.loads(line)["text"] for line in split.stdout.splitlines()) \
        or "\r" in text  # a carriage return may end a line of the page
    inspect = invoke("inspect", "--model", str(model), "--text", f"Police {text} cameras harm rights.", "--no-cache")
    assert inspect.exit_code == 0, inspect.output
    check_terminal(inspect.output)
    path, row = corpus(tmp_path, text)
    stats = invoke("corpus", "stats", str(path))
    assert stats.exit_code == 0, stats.output
    check_terminal(stats.output, row["source"].strip(), row["story"].strip())


@SETTINGS
@given(text=nasty)
def test_errors_quoting_the_input(model, tmp_path, text):  # noqa: F811
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "fine", f"key{text}": 1}) + "\n", "utf-8")
    result = invoke("classify", str(bad), "--model", str(model), "--no-cache", "-q")
    assert result.exit_code == 2 and "error:" in result.output
    check_terminal(result.output, repr(f"key{text}")[1:-1])  # the message quotes the key with repr()
    missing = invoke("classify", str(tmp_path / f"no{text}.jsonl".replace("\x00", "")), "--model", str(model), "-q")
    assert missing.exit_code != 0
    check_terminal(missing.output)
    path, _ = corpus(tmp_path, text, label=f"oppose{text}")
    evaluated = invoke("evaluate", str(path), "--model", str(model), "--no-cache")
    check_terminal(evaluated.output, f"oppose{text}".strip())


def test_a_web_page_with_closing_tags_splits(tmp_path):
    """The reported crash: ``framing split`` on a page whose text holds ``[/button]``."""
    page = tmp_path / "page.txt"
    page.write_text("Subscribe [/button] now\n\nThe council voted [b]against[/b] the plan on Monday.\n", "utf-8")
    result = invoke("split", str(page))
    assert result.exit_code == 0 and "[/button]" in result.stdout and "[b]against[/b]" in result.stdout


def test_train_with_markup_in_task_and_folder_names(tmp_path, models_dir):
    from ..conftest import TINY_STANCE_TEXTS

    data = tmp_path / "d.jsonl"
    data.write_text("".join(json.dumps({"text": t, "labels": {"[red]x": y}}) + "\n" for t, y in TINY_STANCE_TEXTS))
    out = models_dir / "[/m]\x1b[31m"
    result = invoke("train", str(data), "--out", str(out), "--no-eval", "-q")
    assert result.exit_code == 0, result.output
    check_terminal(result.output, str(out), "[red]x")


@pytest.mark.parametrize("value", ["[/x]", "\x1b[31mred", "a\x00b\x07"])
def test_visible_keeps_text_and_shows_controls(value):
    from pipeline.cli._text import esc

    assert "\x1b" not in visible(value) and "\x00" not in visible(value)
    from rich.text import Text

    assert Text.from_markup(esc(value)).plain == visible(value)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="\\[]b/@#' x", max_size=12))
def test_every_bracket_and_backslash_survives_markup(text):
    """A backslash before a bracket that is no tag (``\\['``) is no longer lost (a hypothesis find)."""
    from rich.markup import render

    from pipeline.cli._text import esc

    assert render(f"error: {esc(text)}: fix it").plain == f"error: {text}: fix it"
    assert render(f"[dim]{esc(text)} [/dim]").plain == f"{text} "


@SETTINGS
@given(text=nasty)
def test_labelling_commands(tmp_path, text):
    """suggest, agreement and corpus merge-labels print ids, annotators and labels as text."""
    from pipeline.labelling import LabelWriter

    text = text.replace("\x00", "")
    path, row = corpus(tmp_path, text)
    unlabelled = tmp_path / "unlabelled.jsonl"
    unlabelled.write_text("".join(json.dumps({k: v for k, v in json.loads(line).items() if k != "labels"}) + "\n"
                                  for line in path.read_text("utf-8").splitlines()), "utf-8")
    suggested = invoke("suggest", str(unlabelled), "--no-model", "--task", "stance", "-n", "2", "--quiet")
    assert suggested.exit_code == 0, suggested.output
    check_terminal(suggested.output, row["id"])
    labels = tmp_path / "labels.jsonl"
    labels.unlink(missing_ok=True)
    ann, bob = LabelWriter(labels, f"ann{text}"), LabelWriter(labels, f"bob{text}")
    ann.label(row["id"], "stance", f"support{text}")  # the corpus says oppose: overridden, a note
    bob.label(row["id"], "stance", f"support{text}")
    ann.label("plain", "stance", "oppose")
    bob.label("plain", "stance", f"neutral{text}")  # a tie
    ann.label(f"gone{text}", "stance", "oppose")  # an id not in the corpus
    agreement = invoke("agreement", str(labels))
    assert agreement.exit_code == 0, agreement.output
    check_terminal(agreement.output, f"ann{text}".strip(), f"neutral{text}".strip())
    merged = invoke("corpus", "merge-labels", str(path), "--labels", str(labels), "--out", str(tmp_path / "m.jsonl"))
    assert merged.exit_code == 0, merged.output
    check_terminal(merged.output, row["id"], f"gone{text}")
