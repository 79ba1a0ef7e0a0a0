"""``framing classify --target/--story``, the unseen-target warning and the target fields of every format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from ..inference.test_targets import LEVY, TAX_CUT, target_model  # noqa: F401 (the fixture)


def run(*args: str):
    return CliRunner().invoke(app, ["classify", *args, "--no-cache", "-q", "--no-entities"])


@pytest.fixture()
def texts(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "lower taxes for families"}) + "\n"
                    + json.dumps({"id": "b", "text": "lower taxes for families", "target": LEVY}) + "\n", "utf-8")
    return path


def test_target_option_fills_pieces_without_one(target_model, texts):  # noqa: F811
    result = run(str(texts), "--model", str(target_model[1]), "--format", "jsonl", "--target", TAX_CUT,
                 "--story", "budget-2025")
    assert result.exit_code == 0, result.output
    a, b = [json.loads(line) for line in result.stdout.splitlines()]
    assert a["target"] == TAX_CUT and a["story"] == "budget-2025" and a["target_seen"] is True
    assert a["predictions"]["stance"]["label"] == "FAVOR"
    assert b["target"] == LEVY and b["predictions"]["stance"]["label"] == "AGAINST"  # its own target wins
    assert "warning" not in result.stderr


def test_an_unseen_target_gets_one_warning_line_and_is_flagged_in_csv(target_model, texts):  # noqa: F811
    result = run(str(texts), "--model", str(target_model[1]), "--format", "csv", "--target", "a new stadium",
                 "--no-zero-shot")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["target"], r["target_seen"]) for r in rows] == [("a new stadium", "False"), (LEVY, "True")]
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "'a new stadium'" in warnings[0] and "relative to the training targets" in warnings[0]


def test_the_table_marks_unseen_stance_and_names_the_target(target_model, tmp_path):  # noqa: F811
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "lower taxes for families"}) + "\n", "utf-8")
    result = run(str(path), "--model", str(target_model[1]), "--target", "a new stadium", "--no-zero-shot")
    assert result.exit_code == 0, result.output
    assert "stance toward: a new stadium" in result.stdout
    assert ")*" in result.stdout and "not among the model's training targets" in result.stdout


def test_a_favor_against_model_reads_an_unseen_target_with_the_zero_shot_model(target_model, tmp_path):  # noqa: F811
    """Two stance labels pair with the zero-shot favor / against: none is left out, the two renormalised."""
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "lower taxes for families"}) + "\n", "utf-8")
    result = run(str(path), "--model", str(target_model[1]), "--target", "a new stadium", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    stance = json.loads(result.stdout)["predictions"]["stance"]
    assert stance["source"] == "stance-any" and stance["zero_shot"] is True
    assert set(stance["probabilities"]) == {"AGAINST", "FAVOR"}
    assert abs(sum(stance["probabilities"].values()) - 1.0) < 1e-6
    assert "none left out, the others renormalised" in result.stderr


def test_pieces_without_any_target_are_counted_in_the_warning(target_model, tmp_path):  # noqa: F811
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "lower taxes for families"}) + "\n", "utf-8")
    result = run(str(path), "--model", str(target_model[1]), "--format", "json")
    assert result.exit_code == 0, result.output
    [rec] = json.loads(result.stdout)
    assert rec["target"] is None and rec["target_seen"] is False
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("note: 1 piece(s) have no target"), result.stderr
    assert "pass --target TEXT" in lines[0] and "warning" not in result.stderr


def test_a_page_target_line_is_used(target_model, tmp_path):  # noqa: F811
    page = tmp_path / "page.txt"
    page.write_text(f"Target: {TAX_CUT}\nStory: budget\n\nLower taxes for families, at last.\n", "utf-8")
    result = run(str(page), "--model", str(target_model[1]), "--format", "json")
    assert result.exit_code == 0, result.output
    [rec] = json.loads(result.stdout)
    assert rec["target"] == TAX_CUT and rec["story"] == "budget" and rec["target_seen"] is True


def test_train_and_evaluate_print_scores_per_target(tmp_path, models_dir):
    from ..inference.test_targets import _corpus

    corpus = tmp_path / "targets.jsonl"
    corpus.write_text("".join(json.dumps({"id": p.id, "text": p.text, "target": p.target, "labels": p.labels}) + "\n"
                              for p in _corpus()), "utf-8")
    config = tmp_path / "c.toml"
    config.write_text("[classifier]\ncalibration_folds = 2\nmin_target_pieces = 20\n[evaluation]\nfolds = 3\n", "utf-8")
    out_dir = models_dir / "targets-cli"
    result = CliRunner().invoke(app, ["train", str(corpus), "--out", str(out_dir), "--config", str(config),
                                      "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    assert "stance: scores per target" in result.stdout and "by target" in result.stdout
    assert TAX_CUT in result.stdout and LEVY in result.stdout
    info = json.loads((out_dir / "model.json").read_text())["tasks"]["stance"]
    assert info["targets"] == {TAX_CUT: 60, LEVY: 60}
    result = CliRunner().invoke(app, ["evaluate", str(corpus), "--model", str(out_dir), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "scores per target" in result.stdout and "held-out" in result.stdout
