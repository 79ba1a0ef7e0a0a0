"""``framing train`` stops on mistaken labels with one line, and ``--allow-labels`` accepts them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pipeline.cli import app

from ..conftest import TINY_STANCE_TEXTS

runner = CliRunner()


def test_capitalised_columns_are_the_fields_and_the_task(tmp_path, models_dir):
    # A shared-task CSV (Text, Stance): its columns are read in any case, not left in meta.
    data = tmp_path / "data.csv"
    data.write_text("Text,Stance\n" + "".join(f'"{t}",{y}\n' for t, y in TINY_STANCE_TEXTS), "utf-8")
    out = models_dir / "capitalised"
    result = runner.invoke(app, ["train", str(data), "--out", str(out), "-q", "--no-eval"])
    assert result.exit_code == 0, result.output
    labels = json.loads((out / "model.json").read_text())["tasks"]["stance"]["labels"]
    assert labels == sorted({y for _, y in TINY_STANCE_TEXTS})


def test_a_capitalised_meta_key_stops_training(tmp_path):
    rows = [{"text": t, "meta": {"Stance": y}} for t, y in TINY_STANCE_TEXTS]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    result = runner.invoke(app, ["train", str(data), "--out", str(tmp_path / "m"), "-q"])
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert len(line.splitlines()) == 1 and line.startswith(f"error: {data}: column 'Stance'")
    assert "--label Stance" in line and "rename it 'stance'" in line
    assert not (tmp_path / "m").exists()


def test_typos_stop_training_and_allow_labels_accepts_them(tmp_path, models_dir):
    rows = [{"text": t, "labels": {"stance": y}} for t, y in TINY_STANCE_TEXTS]
    rows[0]["labels"]["stance"] = "opose"
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    out = models_dir / "typos"
    result = runner.invoke(app, ["train", str(data), "--out", str(out), "-q", "--no-eval"])
    assert result.exit_code == 2 and "labels 'opose' (1 pieces) and 'oppose' (3) are one edit apart" in result.output
    assert not out.exists()
    result = runner.invoke(app, ["train", str(data), "--out", str(out), "-q", "--no-eval", "--allow-labels"])
    assert result.exit_code == 0, result.output
    labels = json.loads((out / "model.json").read_text())["tasks"]["stance"]["labels"]
    assert labels == ["opose", "oppose", "support"]


def test_a_model_trained_anywhere_classifies_without_trust(tmp_path):
    """The user's own model, saved outside every trusted folder, loads: it is signed."""
    rows = [{"text": t, "labels": {"stance": y}} for t, y in TINY_STANCE_TEXTS]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    mine = tmp_path / "home" / "models" / "mine"
    assert runner.invoke(app, ["train", str(data), "--out", str(mine), "-q", "--no-eval"]).exit_code == 0
    result = runner.invoke(app, ["classify", "-", "--model", str(mine), "-f", "json", "--no-entities", "-q", "--no-cache"],
                           input="ban the cameras now")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["predictions"]["stance"]["label"] in ("oppose", "support")
    missing = runner.invoke(app, ["classify", "-", "--model", str(tmp_path / "nope"), "-q"], input="x")
    assert missing.exit_code == 1 and "no model here" in missing.output and "refusing" not in missing.output


def test_a_label_column_with_a_slash_trains_saves_and_classifies(tmp_path):
    """`stance/2020` (a path separator) and `..` as label columns: saved inside the model folder under
    safe file names, classified under their real names."""
    import csv
    import io

    names = ["..", "stance/2020"]  # the order tasks are trained and printed in
    rows = [{"text": t, "labels": {n: y for n in names}} for t, y in TINY_STANCE_TEXTS]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    mine = tmp_path / "models" / "mine"
    result = runner.invoke(app, ["train", str(data), "--out", str(mine), "-q", "--no-eval"])
    assert result.exit_code == 0, result.output
    assert "tasks: .., stance/2020)" in result.output
    assert sorted(p.parent for p in mine.rglob("*")) == [mine] * 3 and not (tmp_path / "models" / "stance").exists()
    assert list(json.loads((mine / "model.json").read_text("utf-8"))["tasks"]) == names
    args = ["classify", "-", "--model", str(mine), "--no-entities", "-q", "--no-cache"]
    done = runner.invoke(app, [*args, "-f", "json"], input="ban the cameras now")
    assert done.exit_code == 0, done.output
    predictions = json.loads(done.stdout)[0]["predictions"]
    assert list(predictions) == names and predictions["stance/2020"] == predictions[".."]
    done = runner.invoke(app, [*args, "-f", "csv"], input="ban the cameras now")
    header = next(csv.reader(io.StringIO(done.stdout)))
    assert done.exit_code == 0 and "stance/2020" in header and ".." in header, header
