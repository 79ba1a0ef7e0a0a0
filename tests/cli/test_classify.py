"""``framing classify`` through the CLI: streaming, --resume, interruptions, safe CSV, bad inputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.features.samples import Sample
from pipeline.inference.framer import Framer

from ..conftest import TINY_STANCE_TEXTS as TEXTS


@pytest.fixture(scope="module")
def model(models_dir):
    """A small real model, fitted without spaCy so that it is quick to make."""
    from pipeline.config import load_config, task_config
    from pipeline.models.factory import fit_task
    from pipeline.models.framing import FramingModel
    from pipeline.models.persist import save_model
    from pipeline.nlp.processor import model_id

    config = load_config(overrides={"classifier": {"calibration_folds": 0}})
    pipe = fit_task(task_config(config, "stance"), [Sample(t) for t, _ in TEXTS], [y for _, y in TEXTS],
                    use_target=False)
    name, version = model_id().split("==")
    info = {"spacy_model": {"name": name, "version": version}, "config": config.to_dict()}
    return save_model(FramingModel(tasks={"stance": pipe}, info=info), models_dir / "classify-cli")


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"p{i}", "text": f"Piece {i}: the police cameras harm rights."}) + "\n"
                            for i in range(10)), "utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["classify", *args, "--no-cache", "-q"])


def ids_jsonl(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text("utf-8").splitlines()]


class TestStreaming:
    def test_jsonl_output_is_complete_and_no_partial_is_left(self, model, corpus, tmp_path):
        out = tmp_path / "out.jsonl"
        result = run(str(corpus), "--model", str(model), "-f", "jsonl", "-o", str(out), "--batch-size", "3",
                     "--no-entities")
        assert result.exit_code == 0, result.output
        assert ids_jsonl(out) == [f"p{i}" for i in range(10)]
        assert not (tmp_path / "out.jsonl.partial").exists()

    def test_entities_are_listed(self, model, tmp_path):
        src = tmp_path / "e.jsonl"
        src.write_text(json.dumps({"id": "x", "text": "Barack Obama visited Microsoft in Seattle."}) + "\n")
        out = tmp_path / "e.out.jsonl"
        assert run(str(src), "--model", str(model), "-f", "jsonl", "-o", str(out)).exit_code == 0
        texts = {e["text"] for e in json.loads(out.read_text())["entities"]}
        assert {"Barack Obama", "Microsoft", "Seattle"} & texts

    def test_interrupt_keeps_old_output_and_a_valid_partial_then_resume_finishes(
            self, model, corpus, tmp_path, monkeypatch):
        out = tmp_path / "out.jsonl"
        out.write_text("OLD\n")
        original = Framer._classify_batch
        calls = []

        def interrupted(self, pieces, *args):
            calls.append(len(pieces))
            if len(calls) == 3:
                raise KeyboardInterrupt
            yield from original(self, pieces, *args)

        monkeypatch.setattr(Framer, "_classify_batch", interrupted)
        result = run(str(corpus), "--model", str(model), "-f", "jsonl", "-o", str(out), "--batch-size", "3",
                     "--no-entities")
        assert result.exit_code == 130
        assert "--resume" in result.output
        assert out.read_text() == "OLD\n"  # the previous output is untouched
        partial = tmp_path / "out.jsonl.partial"
        assert ids_jsonl(partial) == [f"p{i}" for i in range(6)]  # two whole batches, valid JSONL

        monkeypatch.setattr(Framer, "_classify_batch", original)
        seen = []
        monkeypatch.setattr(Framer, "_classify_batch",
                            lambda self, pieces, *a: (seen.extend(p.id for p in pieces), original(self, pieces, *a))[1])
        result = run(str(corpus), "--model", str(model), "-f", "jsonl", "-o", str(out), "--resume",
                     "--batch-size", "3", "--no-entities")
        assert result.exit_code == 0, result.output
        assert seen == [f"p{i}" for i in range(6, 10)]  # finished pieces were not redone
        assert ids_jsonl(out) == [f"p{i}" for i in range(10)]  # nor duplicated
        assert not partial.exists()

    def test_resume_drops_an_incomplete_last_line(self, model, corpus, tmp_path):
        out = tmp_path / "out.jsonl"
        partial = tmp_path / "out.jsonl.partial"
        done = {"id": "p0", "kind": "MARK", "predictions": {}}
        partial.write_text(json.dumps(done) + "\n" + '{"id": "p1", "kind": "art')  # crash mid-line
        result = run(str(corpus), "--model", str(model), "-f", "jsonl", "-o", str(out), "--resume", "--no-entities")
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r["id"] for r in lines] == [f"p{i}" for i in range(10)]
        assert lines[0]["kind"] == "MARK"  # kept as it was, not redone

    def test_csv_resume_with_a_cut_row(self, model, corpus, tmp_path):
        out = tmp_path / "out.csv"
        assert run(str(corpus), "--model", str(model), "-f", "csv", "-o", str(out), "--no-entities").exit_code == 0
        full = out.read_bytes()
        lines = full.splitlines(keepends=True)
        (tmp_path / "out.csv.partial").write_bytes(b"".join(lines[:4]) + lines[4][:7])  # header + 3 rows + a cut row
        out.unlink()
        result = run(str(corpus), "--model", str(model), "-f", "csv", "-o", str(out), "--resume", "--no-entities")
        assert result.exit_code == 0, result.output
        assert "3 piece(s) already" in result.output
        assert out.read_bytes() == full

    def test_resume_needs_a_streaming_file_output(self, model, corpus):
        result = run(str(corpus), "--model", str(model), "-f", "json", "--resume")
        assert result.exit_code == 2
        assert "--resume needs --format jsonl or csv" in result.output

    def test_json_output_is_atomic(self, model, corpus, tmp_path, monkeypatch):
        out = tmp_path / "out.json"
        out.write_text("[]\n")

        def broken(self, pieces, *args):
            raise RuntimeError("crash")
            yield  # pragma: no cover

        monkeypatch.setattr(Framer, "_classify_batch", broken)
        result = run(str(corpus), "--model", str(model), "-f", "json", "-o", str(out))
        assert result.exit_code != 0
        assert out.read_text() == "[]\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.json"]  # no temp file left


class TestSafeCsv:
    def test_formula_cells_are_neutralised(self, model, tmp_path):
        src = tmp_path / "f.jsonl"
        titles = ["=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "plain"]
        src.write_text("".join(json.dumps({"id": f"=id{i}" if i == 0 else f"t{i}", "title": t,
                                           "source": "=cmd|' /C calc'!A0", "text": "Police cameras harm rights."}) + "\n"
                               for i, t in enumerate(titles)))
        out = tmp_path / "f.csv"
        assert run(str(src), "--model", str(model), "-f", "csv", "-o", str(out), "--no-entities").exit_code == 0
        rows = list(csv.DictReader(out.open(newline="")))
        assert [r["title"] for r in rows] == ["'" + t for t in titles[:4]] + ["plain"]
        assert all(r["source"].startswith("'=") for r in rows)
        assert rows[0]["id"] == "'=id0"

    def test_resume_reads_neutralised_ids_back(self, model, tmp_path):
        src = tmp_path / "f.jsonl"
        src.write_text("".join(json.dumps({"id": i, "text": "Police cameras harm rights."}) + "\n"
                               for i in ("-1", "=2", "3")))
        out = tmp_path / "f.csv"
        assert run(str(src), "--model", str(model), "-f", "csv", "-o", str(out), "--no-entities").exit_code == 0
        first = out.read_bytes()
        result = run(str(src), "--model", str(model), "-f", "csv", "-o", str(out), "--resume", "--no-entities")
        assert result.exit_code == 0 and "3 piece(s) already" in result.output
        assert out.read_bytes() == first


class TestBadInput:
    def test_binary_file_is_named(self, model, tmp_path):
        src = tmp_path / "x.jsonl"
        src.write_bytes(b'{"id": "a", "text": "fine words"}\n\x00\x01\x02binary\n')
        result = run(str(src), "--model", str(model), "-f", "jsonl", "--no-entities")
        assert result.exit_code == 2
        assert f"{src}:2: looks like a binary file" in result.output

    def test_invalid_json_lines_are_reported_when_skipped(self, model, tmp_path):
        src = tmp_path / "x.jsonl"
        src.write_text('{"id": "a", "text": "Fine words here."}\n{broken\n{"id": "b", "text": "   "}\n')
        out = tmp_path / "o.jsonl"
        result = run(str(src), "--model", str(model), "-f", "jsonl", "-o", str(out), "--skip-invalid",
                     "--no-entities")
        assert result.exit_code == 0, result.output
        assert ids_jsonl(out) == ["a"]
        assert f"{src}:2: not valid JSON" in result.output.replace("\n", "")
        assert "no words" in result.output and "2 record(s) skipped" in result.output

    def test_empty_input_says_so(self, model, tmp_path):
        src = tmp_path / "empty.jsonl"
        src.write_bytes(b"")
        out = tmp_path / "o.jsonl"
        result = run(str(src), "--model", str(model), "-f", "jsonl", "-o", str(out), "--no-entities")
        assert result.exit_code == 0
        assert "no pieces found" in result.output
        assert out.read_text() == ""

    def test_stdin_garbage_is_an_error_not_a_crash(self, model):
        result = CliRunner().invoke(app, ["classify", "-", "--model", str(model), "--no-cache", "-q"],
                                    input="!!! ??? ...\n")
        assert result.exit_code == 2
        assert "no words" in result.output

    def test_unknown_labels_at_evaluation(self, model, tmp_path):
        src = tmp_path / "gold.jsonl"
        labels = ["oppose", "support", "neutral", "oppose"]
        src.write_text("".join(json.dumps({"id": str(i), "text": f"Police cameras {i} harm rights.",
                                           "labels": {"stance": y}}) + "\n" for i, y in enumerate(labels)))
        result = CliRunner().invoke(app, ["evaluate", str(src), "--model", str(model), "--no-cache", "--json"])
        assert result.exit_code == 0, result.output
        stance = json.loads(result.output[result.output.index("{"):])["held_out"]["stance"]
        assert stance["n"] == 4  # the unknown label is counted, not dropped
        assert stance["unknown_labels"] == {"neutral": 1}
        assert stance["per_class"]["neutral"]["recall"] == 0.0


def test_real_ctrl_c_leaves_a_valid_partial_file(model, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    src = tmp_path / "big.jsonl"
    src.write_text("".join(json.dumps({"id": f"p{i}", "text": f"Piece {i}: police cameras harm rights."}) + "\n"
                           for i in range(20000)))  # more than it can finish between two polls
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    framing = Path(sys.executable).with_name("framing")
    proc = subprocess.Popen(
        [str(framing), "classify", str(src), "--model", str(model), "-f", "jsonl", "-o", str(out),
         "--no-entities", "--no-cache", "-q", "--batch-size", "20", "--jobs", "1"],
        env=os.environ.copy(), stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as from a terminal
    try:
        deadline = time.monotonic() + 120
        # Interrupt once a second batch has started: the first is then complete on disk. (Seen
        # only under load: a Ctrl-C inside the first batch's fsync leaves nothing of value, so
        # the partial file is rightly removed, and the checks below had nothing to read.)
        while not (partial.exists() and partial.read_bytes().count(b"\n") > 20):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert "--resume" in stderr
    assert not out.exists()
    ids = ids_jsonl(partial)  # every line parses: the file ends at a complete record
    assert ids == [f"p{i}" for i in range(len(ids))] and len(ids) % 20 == 0 and 0 < len(ids) < 3000
