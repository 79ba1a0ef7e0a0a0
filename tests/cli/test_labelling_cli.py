"""``framing suggest``, ``framing agreement`` and ``framing corpus merge-labels`` through CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.labelling import LabelWriter

runner = CliRunner()


@pytest.fixture
def unlabelled(tmp_path, sample_pieces):
    """Sample pieces without their labels, a few of them still labelled in the corpus."""
    path = tmp_path / "corpus.jsonl"
    with open(path, "w") as handle:
        for i, piece in enumerate(sample_pieces[1::2][:40]):
            record = piece.to_record()
            if i >= 3:
                record.pop("labels", None)
            handle.write(json.dumps(record) + "\n")
    return path


def test_suggest_jsonl_skips_labelled_pieces(unlabelled, small_model, tmp_path):
    labels = tmp_path / "labels.jsonl"
    first = json.loads(unlabelled.read_text().splitlines()[3])["id"]
    LabelWriter(labels, "ann").label(first, "stance", "oppose")
    result = runner.invoke(app, ["suggest", str(unlabelled), "--model", str(small_model[1]), "--task", "stance",
                                 "-n", "8", "--labels", str(labels), "--format", "jsonl", "--quiet"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["rank"] for r in rows] == list(range(1, 9))
    corpus_labelled = {json.loads(line)["id"] for line in unlabelled.read_text().splitlines()[:3]}
    assert not {r["id"] for r in rows} & (corpus_labelled | {first})
    assert all(r["guess"] in r["probabilities"] and 0 <= r["uncertainty"] <= 1 for r in rows)


def test_suggest_table_without_a_model(unlabelled):
    result = runner.invoke(app, ["suggest", str(unlabelled), "--no-model", "--task", "stance", "-n", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "label these next for stance (5;" in result.stdout


def test_suggest_unknown_task_is_one_line_error(unlabelled, small_model):
    result = runner.invoke(app, ["suggest", str(unlabelled), "--model", str(small_model[1]), "--task", "lean"])
    assert result.exit_code == 1 and "no 'lean' classifier" in result.output and "Traceback" not in result.output


@pytest.fixture
def two_annotators(tmp_path):
    labels = tmp_path / "labels.jsonl"
    ann, bob = LabelWriter(labels, "ann"), LabelWriter(labels, "bob")
    for pid, a, b in [("x1", "oppose", "oppose"), ("x2", "support", "support"), ("x3", "oppose", "support"),
                      ("x4", "neutral", "neutral")]:
        ann.label(pid, "stance", a)
        bob.label(pid, "stance", b)
    return labels


def test_agreement_prints_kappa_alpha_and_disagreements(two_annotators):
    result = runner.invoke(app, ["agreement", str(two_annotators)])
    assert result.exit_code == 0, result.output
    assert "stance: 4 pieces labelled, 4 by two or more of 2 annotators (ann, bob)" in result.stdout
    assert "ann vs bob: 4 pieces in common, Cohen's kappa 0.636" in result.stdout
    assert "1 piece(s) with different labels" in result.stdout and "x3" in result.stdout
    data = json.loads(runner.invoke(app, ["agreement", str(two_annotators), "--json"]).stdout)
    assert data["tasks"]["stance"]["disagreements"] == [{"id": "x3", "labels": {"ann": "oppose", "bob": "support"}}]


def test_agreement_missing_file(tmp_path):
    result = runner.invoke(app, ["agreement", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "no such labels file" in result.output


def test_merge_labels_writes_a_training_corpus_and_reports_ties(two_annotators, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"x{i}", "text": f"Piece number {i} says things."}) + "\n"
                              for i in range(1, 6)))
    out = tmp_path / "merged.jsonl"
    result = runner.invoke(app, ["corpus", "merge-labels", str(corpus), "--labels", str(two_annotators),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert list(rows) == ["x1", "x2", "x3", "x4"]
    assert rows["x1"]["labels"] == {"stance": "oppose"} and "labels" not in rows["x3"]
    assert "tie: x3 stance (ann=oppose, bob=support)" in result.output
    assert "wrote 4 pieces" in result.output and "1 unlabelled corpus pieces left out" in result.output
    LabelWriter(two_annotators, "judge").label("x3", "stance", "support")
    result = runner.invoke(app, ["corpus", "merge-labels", str(corpus), "--labels", str(two_annotators),
                                 "--out", str(out), "--adjudicator", "judge"])
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["x3"]["labels"] == {"stance": "support"} and "tie:" not in result.output
