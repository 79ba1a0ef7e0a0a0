"""What ``classify`` writes: the text and title in every format, every JSON field in CSV/TSV,
the same ids as ``split``, the story summary as JSON, and tables that do not wrap in a pipe."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from ..conftest import ROOT
from .test_classify import model  # noqa: F401 - the small real model fixture

runner = CliRunner()
PAGE = ROOT / "corpus" / "roundups" / "facial-recognition-2020.txt"


def classify(model, *args):  # noqa: F811
    result = runner.invoke(app, ["classify", *args, "--model", str(model), "--no-cache", "-q", "--no-entities"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def records(model):  # noqa: F811
    return json.loads(classify(model, str(PAGE), "-f", "json"))


def test_json_and_jsonl_records_carry_text_and_title(model, records):  # noqa: F811
    assert len(records) == 11 and all(r["text"] for r in records)
    assert records[0]["title"] == "IBM, Amazon and Microsoft step back from selling face recognition to police"
    assert records[0]["text"].startswith("In the space of four days this week")
    lines = [json.loads(x) for x in classify(model, str(PAGE), "-f", "jsonl").splitlines()]
    assert [(r["id"], r["text"]) for r in lines] == [(r["id"], r["text"]) for r in records]


def test_no_text_leaves_text_and_title_out(model):  # noqa: F811
    for rec in json.loads(classify(model, str(PAGE), "-f", "json", "--no-text")):
        assert "text" not in rec and "title" not in rec and rec["predictions"]
    header = next(csv.reader(io.StringIO(classify(model, str(PAGE), "-f", "csv", "--no-text"))))
    assert "text" not in header and "title" not in header and "stance" in header


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_carry_every_json_field(model, records, fmt, delimiter):  # noqa: F811
    rows = list(csv.DictReader(io.StringIO(classify(model, str(PAGE), "-f", fmt)), delimiter=delimiter,
                               quoting=csv.QUOTE_MINIMAL if fmt == "csv" else csv.QUOTE_NONE))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    for row, rec in zip(rows, records):
        for key in ("kind", "source", "date", "story", "target", "title"):
            assert row[key] == (rec[key] or ""), key
        assert row["text"] == (rec["text"] if fmt == "csv" else " ".join(rec["text"].replace("\t", " ").split("\n")))
        pred = rec["predictions"]["stance"]
        assert row["stance"] == pred["label"] and float(row["stance_confidence"]) == pred["confidence"]
        assert {lab: float(row[f"stance_p_{lab}"]) for lab in pred["probabilities"]} == pred["probabilities"]
        assert row["offsets"] == "-".join(map(str, rec["offsets"])) and json.loads(row["meta"]) == rec["meta"]


def test_split_and_classify_give_the_same_ids(model, tmp_path):  # noqa: F811
    one = tmp_path / "notice.txt"
    one.write_text("The council will meet on Monday.\n\nIt will vote on the bridge toll.\n", "utf-8")
    for page in (one, PAGE):
        split = [json.loads(x)["id"] for x in runner.invoke(app, ["split", str(page)]).stdout.splitlines()]
        classified = [r["id"] for r in json.loads(classify(model, str(page), "-f", "json"))]
        assert split == classified
    assert split[0] == "facial-recognition-2020#1" and classified != ["notice#1"]


def test_summary_file_is_json(model, tmp_path):  # noqa: F811
    path = tmp_path / "summary.json"
    classify(model, str(PAGE), "-f", "jsonl", "--summary", str(path))
    summary = json.loads(path.read_text("utf-8"))
    assert summary["pieces"] == 11 and summary["entities"] == []
    assert sum(sum(c.values()) for c in summary["by_source"]["stance"].values()) == 11
    assert summary["by_source"]["stance"]["Bayside Tribune"] in ({"oppose": 1}, {"support": 1}, {"neutral": 1})


def test_a_piped_table_is_not_wrapped(model):  # noqa: F811
    table = classify(model, str(PAGE))
    ids = [f"facial-recognition-2020#{i}" for i in range(1, 12)]
    rows = [line for line in table.splitlines() if line.startswith("│ facial-recognition-2020#")]
    assert [row.split("│")[1].strip() for row in rows] == ids  # one line per piece
    assert max(len(line) for line in rows) > 80  # wider than the 80 columns a pipe used to get
