"""``framing inspect`` and ``framing evaluate`` through the CLI, on a small model of the sample corpus."""

from __future__ import annotations

import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.cli.tables import evaluation_table


@pytest.fixture(scope="module")
def trained(sample_pieces, models_dir):
    """A stance model cross-validated (grouped and random) on every fifth sample piece."""
    from threadpoolctl import threadpool_limits

    from pipeline.config import load_config
    from pipeline.models.persist import save_model
    from pipeline.training.train import train

    config = load_config(overrides={"classifier": {"calibration_folds": 0}, "features": {"char_ngrams": [0, 0]},
                                    "evaluation": {"folds": 3}})
    with threadpool_limits(1):  # multi-threaded BLAS makes these small L-BFGS fits ~6x slower here
        result = train(sample_pieces[::5], tasks=["stance"], config=config)
    result.model.info["name"] = "cli-small"
    return save_model(result.model, models_dir / "cli-small"), result


@pytest.fixture(scope="module")
def held_out(sample_pieces, tmp_path_factory):
    """Labelled pieces the model was not trained on."""
    path = tmp_path_factory.mktemp("corpus") / "held.jsonl"
    keep = ("id", "text", "title", "source", "story", "target", "kind", "labels")
    path.write_text("".join(json.dumps({k: v for k, v in vars(p).items() if k in keep and v})
                            + "\n" for p in sample_pieces[1::9]), "utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(app, [*args, "--no-cache"], env={"COLUMNS": "220"})


class TestTrainSummary:
    def test_cross_validation_reports_grouped_random_gap_and_calibration(self, trained):
        _, result = trained
        schemes = result.evaluation["stance"]
        assert {"source", "story", "random"} <= set(schemes)
        for name in ("source", "story"):
            assert schemes[name]["shortcut_gap"] == pytest.approx(
                schemes["random"]["macro_f1"] - schemes[name]["macro_f1"], abs=1e-4)
        assert 0 <= schemes["source"]["calibration"]["ece"] <= 1
        assert len(schemes["random"]["macro_f1_ci"]) == 2

    def test_evaluation_table_names_the_shortcut_and_the_warnings(self):
        m = {"macro_f1": 0.5, "accuracy": 0.6, "majority_baseline": {"macro_f1": 0.2}, "n": 10, "folds": 2,
             "macro_f1_ci": [0.4, 0.6], "calibration": {"ece": 0.1, "brier": 0.5}}
        table = evaluation_table({"stance": {"source": {**m, "shortcut_gap": 0.25,
                                                        "warnings": ["grouping by source left fold 1 ..."]},
                                             "random": {**m, "macro_f1": 0.75}, "story": {"error": "too few"}}})
        console = Console(width=200, record=True)
        console.print(table)
        text = console.export_text()
        assert "+0.250" in text and "shortcut gap" in text and "outlet or story" in text
        assert "grouping by source left fold 1" in text and "too few" in text and "0.40-0.60" in text


class TestInspect:
    def test_model_summary_shows_metrics_and_features(self, trained):
        path, _ = trained
        result = run("inspect", "--model", str(path), "--json", "--top", "3")
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        stance = summary["tasks"]["stance"]
        assert set(stance["shortcut_gaps"]) >= {"source"}
        assert len(stance["top_features"]["oppose"]) == 3 and summary["name"] == "cli-small"
        html = path.parent / "model-report.html"
        text = run("inspect", "--model", str(path), "--html", str(html)).stdout
        assert "by source" in text and "shortcut gap" in text and "top features" in text
        page = html.read_text("utf-8")
        assert "Per class (grouped by source)" in page and page.count("data:image/png;base64,") == 2

    def test_a_model_that_is_not_linear_gets_its_summary_without_top_features(self, sample_pieces, models_dir):
        from pipeline.config import load_config
        from pipeline.models.persist import save_model
        from pipeline.training.train import train

        config = load_config(overrides={"classifier": {"calibration_folds": 0, "gate_label": "neutral"},
                                        "features": {"char_ngrams": [0, 0]}})
        model = train(sample_pieces[::5], tasks=["stance"], config=config, evaluate=False).model
        path = save_model(model, models_dir / "two-stage")
        summary = json.loads(run("inspect", "--model", str(path), "--json").stdout)["tasks"]["stance"]
        assert summary["top_features"] is None and "two stages" in summary["not_linear"]
        result = run("inspect", "--model", str(path))
        assert result.exit_code == 0 and "no top features" in result.stdout and "gate_label" in result.stdout

    def test_a_piece_gets_terms_and_sentences_in_its_own_words(self, trained, tmp_path):
        path, _ = trained
        text = "Residents OPPOSE the 2024 toll plan. They say it is unfair and must be stopped."
        result = run("inspect", "--model", str(path), "--text", text, "--json", "--min-confidence", "0.99")
        assert result.exit_code == 0, result.output
        ex = json.loads(result.stdout)[0]["explanations"]["stance"]
        assert [s["text"] for s in ex["sentences"]] == ["Residents OPPOSE the 2024 toll plan.",
                                                        "They say it is unfair and must be stopped."]
        assert ex["label"] == "uncertain" and ex["explained_label"] in ex["probabilities"]
        assert ex["toward"] and all("term" in t for t in ex["toward"])

    def test_errors_are_most_confident_first_and_explained(self, trained, held_out, tmp_path):
        path, _ = trained
        html = tmp_path / "errors.html"
        result = run("inspect", "--model", str(path), "--errors", str(held_out), "--json", "--limit", "4",
                     "--html", str(html))
        assert result.exit_code == 0, result.output
        errors = json.loads(result.stdout)
        assert 0 < len(errors) <= 4
        confidences = [float(e["note"].rsplit(" ", 1)[1]) for e in errors]
        assert confidences == sorted(confidences, reverse=True)
        assert all(e["explanations"]["stance"]["sentences"] for e in errors)
        page = html.read_text("utf-8")
        assert "Misclassified pieces" in page and page.count('class="card piece"') == len(errors)

    def test_text_output_shows_both_tables(self, trained):
        path, _ = trained
        result = run("inspect", "--model", str(path), "--text", "The toll is unfair. Stop it.")
        assert result.exit_code == 0, result.output
        assert "toward" in result.stdout and "sentences toward and against" in result.stdout


class TestEvaluate:
    def test_json_has_held_out_cross_validation_and_gaps(self, trained, held_out, tmp_path):
        path, _ = trained
        html = tmp_path / "eval.html"
        result = run("evaluate", str(held_out), "--model", str(path), "--json", "--html", str(html),
                     "--show-errors", "3")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        held = data["held_out"]["stance"]
        assert {"macro_f1", "macro_f1_ci", "accuracy_ci", "calibration", "confusion", "majority_baseline"} <= set(held)
        assert len(held["predictions"]) == held["n"]
        assert set(data["cross_validation"]["stance"]) >= {"source", "random"}
        assert "source" in data["shortcut_gaps"]["stance"]
        page = html.read_text("utf-8")
        assert page.count("data:image/png;base64,") == 2 and "held-out corpus" in page

    def test_text_output_has_intervals_confusion_and_reliability(self, trained, held_out):
        path, _ = trained
        result = run("evaluate", str(held_out), "--model", str(path))
        assert result.exit_code == 0, result.output
        for expected in ("95% CI", "confusion", "calibration: ECE", "held-out", "by source"):
            assert expected in result.stdout

    def test_unlabelled_corpus_is_a_clear_error(self, trained, tmp_path):
        path, _ = trained
        src = tmp_path / "plain.jsonl"
        src.write_text(json.dumps({"id": "x", "text": "No labels here."}) + "\n")
        result = run("evaluate", str(src), "--model", str(path))
        assert result.exit_code != 0 and "gold labels" in result.output
