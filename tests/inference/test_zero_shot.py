"""Unseen targets read by the zero-shot stance model: labels mapped, the source named in every format.

The shipped zero-shot weights (models/stance-any) are used as they are; the sentence encoder is a
stub (words hashed into 384 dimensions, MiniLM's size), so no test here loads torch.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline.inference.zero_shot import SYNONYMS, ZeroShot, describe, label_mapping
from pipeline.models.persist import DEFAULT_ZERO_SHOT

from ..conftest import ROOT

UNSEEN = "lowering the voting age to sixteen"
SEEN = "a four-day working week"  # one of the sample corpus's targets
TEXTS = ["Sixteen year olds pay taxes and deserve a vote, lower the age now.",
         "Teenagers are not ready to vote; keep the age at eighteen."]

pytestmark = pytest.mark.skipif(not (DEFAULT_ZERO_SHOT / "model.json").is_file(),
                                reason="models/stance-any is not in this checkout")


def hashed(texts):
    """Words hashed into 384 buckets: stable across processes, fast, no model."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().split():
            out[i, sum(map(ord, word)) * 31 % 384] += 1.0
    return out + 1e-3


@pytest.fixture()
def stub_encoder(monkeypatch):
    from pipeline.models import stance_any

    monkeypatch.setattr(stance_any, "packaged_encoder", lambda model, n_threads=None: hashed)


@pytest.fixture()
def framer(small_model, stub_encoder):
    from pipeline.inference.framer import Framer

    return Framer(small_model[0])


def own_probabilities(target: str, text: str) -> dict[str, float]:
    """What the zero-shot model itself gives the pair, under its own labels."""
    from pipeline.models.stance_any import AnyTargetStance

    model = AnyTargetStance.load(DEFAULT_ZERO_SHOT)
    return dict(zip(model.classes_, model.predict_proba([target], [text])[0]))


class TestLabelMapping:
    def test_synonyms_map_one_to_one(self):
        zero = ["against", "favor", "none"]
        assert label_mapping(zero, ["neutral", "oppose", "support"]) == (
            {"against": "oppose", "favor": "support", "none": "neutral"}, None)
        assert label_mapping(zero, ["PRO", "Con", "unrelated"])[0] == {"against": "Con", "favor": "PRO",
                                                                       "none": "unrelated"}
        assert {"support", "pro", "agree", "favour", "for"} <= SYNONYMS["favor"]

    def test_two_label_models_leave_none_out(self):
        zero = ["against", "favor", "none"]
        assert label_mapping(zero, ["FAVOR", "AGAINST"]) == ({"against": "AGAINST", "favor": "FAVOR"}, None)
        assert label_mapping(zero, ["SUPPORT", "UNDERMINE"])[0] == {"against": "UNDERMINE", "favor": "SUPPORT"}
        assert label_mapping(zero, ["pro", "con"])[0] == {"against": "con", "favor": "pro"}
        assert describe({"favor": "FAVOR", "against": "AGAINST"}, ["none"]) == (
            "favor -> FAVOR, against -> AGAINST; none left out, the others renormalised")

    def test_label_sets_that_do_not_pair_up_say_why(self):
        zero = ["against", "favor", "none"]
        mapping, reason = label_mapping(zero, ["FAVOR", "neutral"])  # against may not be left out
        assert mapping is None and "'against' has no synonym" in reason
        mapping, reason = label_mapping(zero, ["FAVOR"])  # one label is no stance
        assert mapping is None
        mapping, reason = label_mapping(zero, ["FAVOR", "AGAINST", "maybe"])
        assert mapping is None and "'maybe' has no zero-shot label" in reason
        mapping, reason = label_mapping(zero, ["support", "agree", "oppose", "neutral"])
        assert mapping is None and "'favor' matches 'support', 'agree'" in reason
        assert label_mapping(zero, ["positive", "negative", "neutral"])[0] is None


def test_seen_target_from_the_model_unseen_from_the_zero_shot_model(framer):
    seen = framer.classify_texts(TEXTS[:1], target=SEEN, entities=False)[0]
    stance = seen["predictions"]["stance"]
    assert seen["target_seen"] is True and stance["source"] == framer.name == "model"
    assert "zero_shot" not in stance and "relative_to_training_targets" not in stance
    records = framer.classify_texts(TEXTS, target=UNSEEN, entities=False)
    for rec, text in zip(records, TEXTS):
        stance = rec["predictions"]["stance"]
        assert rec["target_seen"] is False and stance["source"] == "stance-any" and stance["zero_shot"] is True
        assert "relative_to_training_targets" not in stance  # read toward this very target
        own = own_probabilities(UNSEEN, text)
        mapped = {"support": own["favor"], "oppose": own["against"], "neutral": own["none"]}
        assert stance["probabilities"] == {lab: round(float(p), 4) for lab, p in mapped.items()}
        assert stance["label"] == max(mapped, key=mapped.get)
        # the frame is the model's own, still relative to its training targets
        assert rec["predictions"]["frame"]["relative_to_training_targets"] is True
    off = framer.classify_texts(TEXTS[:1], target=UNSEEN, entities=False, zero_shot=False)[0]["predictions"]["stance"]
    assert off["source"] == "model" and off["relative_to_training_targets"] is True


def test_labels_that_do_not_map_keep_the_relative_stance_and_say_why(small_model, stub_encoder, tmp_path):
    from pipeline.inference.framer import Framer
    from pipeline.inference.unseen import UnseenTargets

    other = shutil.copytree(DEFAULT_ZERO_SHOT, tmp_path / "other-zs")
    meta = json.loads((other / "model.json").read_text("utf-8"))
    meta["classes"] = ["against", "favor", "mixed"]
    (other / "model.json").write_text(json.dumps(meta), "utf-8")
    framer = Framer(small_model[0], zero_shot=other)
    assert framer.zero_shot_reason and "'none'" not in framer.zero_shot_reason
    assert "'mixed' has no synonym" in framer.zero_shot_reason and "'neutral' has no zero-shot label" in framer.zero_shot_reason
    [rec] = framer.classify_texts(TEXTS[:1], target=UNSEEN, entities=False)
    stance = rec["predictions"]["stance"]
    assert stance["relative_to_training_targets"] is True and stance["source"] == "model" and "zero_shot" not in stance
    unseen = UnseenTargets()
    unseen.add([rec])
    line = unseen.warning(["a"], zero_shot=framer.zero_shot.status())
    assert "relative to the training targets" in line and "the zero-shot model 'other-zs' was not used" in line


def test_a_folder_without_a_zero_shot_model_is_a_clear_error(small_model, tmp_path):
    from pipeline import errors
    from pipeline.inference.framer import Framer

    with pytest.raises(errors.ModelError, match="no zero-shot stance model there"):
        Framer(small_model[0], zero_shot=tmp_path)
    assert Framer(small_model[0], zero_shot=False).zero_shot is None


def test_every_output_format_names_the_source(small_model, stub_encoder, tmp_path):
    from pipeline.cli import app
    from pipeline.inference.records import to_dataframe

    path = tmp_path / "in.jsonl"
    rows = [{"id": "u", "text": TEXTS[0], "target": UNSEEN}, {"id": "s", "text": TEXTS[1], "target": SEEN}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    model = str(small_model[1])

    def run(*args):
        result = CliRunner().invoke(app, ["classify", str(path), "--model", model, "--no-entities", "--no-cache", "-q",
                                          *args])
        assert result.exit_code == 0, result.output
        return result

    result = run("-f", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["predictions"]["stance"]["source"] for r in records] == ["stance-any", "model"]
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "zero-shot model 'stance-any'" in warnings[0]
    assert "favor -> support" in result.stderr and "relative to the training targets" not in result.stderr
    assert [r["predictions"]["stance"]["source"] for r in json.loads(run("-f", "json").stdout)] == ["stance-any", "model"]
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        table = list(csv.DictReader(io.StringIO(run("-f", fmt).stdout), delimiter=delimiter))
        assert [r["stance_source"] for r in table] == ["stance-any", "model"]
    assert list(to_dataframe(records)["stance_source"]) == ["stance-any", "model"]
    shown = run("-f", "table").stdout
    assert "†" in shown and "stance from the zero-shot model stance-any" in shown
    run("-f", "jsonl", "--html", str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text("utf-8")
    assert 'data-source="stance-any"' in page and "from the zero-shot model" in page
    # the model's weights shade the seen piece's sentences by stance; the zero-shot stance is not theirs
    assert page.count("contribution to <b>stance = ") == 1
    off = run("-f", "jsonl", "--no-zero-shot")
    assert json.loads(off.stdout.splitlines()[0])["predictions"]["stance"]["source"] == "model"
    assert "relative to the training targets" in off.stderr and "zero-shot model" not in off.stderr


def test_a_classify_without_unseen_targets_loads_no_torch(small_model):
    probe = ("import sys, json\n"
             "from pipeline.inference.framer import Framer\n"
             f"framer = Framer.load({str(small_model[1])!r})\n"
             f"records = framer.classify_texts({TEXTS!r}, target={SEEN!r}, entities=False)\n"
             "assert framer.zero_shot is not None and all(r['target_seen'] for r in records)\n"
             "framer.classify_texts(['a text without a target'], entities=False)\n"
             "print(json.dumps([m for m in ('torch', 'sentence_transformers') if m in sys.modules]))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_the_zero_shot_model_is_read_lazily(small_model):
    zero = ZeroShot(DEFAULT_ZERO_SHOT, small_model[0].labels("stance"), name="stance-any")
    assert zero.usable and zero._task is None and zero.describe().startswith("against -> oppose")


def test_an_interrupted_run_resumes_to_the_same_records(small_model, stub_encoder, tmp_path):
    from pipeline.inference.use_cases import ClassifyResult, classify_to

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"p{i}", "text": TEXTS[i % 2], "target": (UNSEEN, SEEN)[i % 3 == 0]})
                           + "\n" for i in range(6)), "utf-8")
    whole = classify_to([str(src)], tmp_path / "whole.jsonl", model=small_model[1], entities=False, batch_size=2)
    assert whole.zero_shot == {"model": "stance-any", "folder": str(DEFAULT_ZERO_SHOT),
                               "mapping": {"against": "oppose", "favor": "support", "none": "neutral"}, "left_out": [],
                               "reason": None}
    assert whole.unseen.pieces == whole.unseen.zero_shot == 4

    def stop(stage, total):
        return lambda n: (_ for _ in ()).throw(KeyboardInterrupt)  # after the first batch

    out, result = tmp_path / "r.jsonl", ClassifyResult()
    with pytest.raises(KeyboardInterrupt):
        classify_to([str(src)], out, model=small_model[1], entities=False, batch_size=2, progress=stop, result=result)
    assert result.written == 2 and not out.exists()
    classify_to([str(src)], out, model=small_model[1], entities=False, batch_size=2, resume=True)
    assert out.read_bytes() == (tmp_path / "whole.jsonl").read_bytes()


def test_without_the_embeddings_extra_the_stance_stays_relative_and_the_warning_says_why(small_model, monkeypatch):
    from pipeline import errors
    from pipeline.inference.framer import Framer
    from pipeline.inference.unseen import UnseenTargets
    from pipeline.models import stance_any

    def missing(model, n_threads=None):
        raise errors.MissingExtraError("no embeddings extra")

    monkeypatch.setattr(stance_any, "packaged_encoder", missing)
    framer = Framer(small_model[0])
    records = framer.classify_texts(TEXTS, target=UNSEEN, entities=False)
    assert all(r["predictions"]["stance"]["relative_to_training_targets"] for r in records)
    assert "embeddings extra" in framer.zero_shot_reason
    unseen = UnseenTargets()
    unseen.add(records)
    line = unseen.warning(["a"], zero_shot=framer.zero_shot.status())
    assert "'stance-any' was not used: it needs the sentence encoder of the embeddings extra" in line


def test_another_zero_shot_model_from_the_command_line(small_model, stub_encoder, tmp_path):
    from pipeline.cli import app

    mine = shutil.copytree(DEFAULT_ZERO_SHOT, tmp_path / "my-zero-shot")
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "u", "text": TEXTS[0], "target": UNSEEN}) + "\n", "utf-8")
    common = ["classify", str(path), "--model", str(small_model[1]), "--no-entities", "--no-cache", "-q", "-f", "jsonl"]
    result = CliRunner().invoke(app, [*common, "--zero-shot", str(mine)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["predictions"]["stance"]["source"] == "my-zero-shot"
    assert "zero-shot model 'my-zero-shot'" in result.stderr
    both = CliRunner().invoke(app, [*common, "--zero-shot", str(mine), "--no-zero-shot"])
    assert both.exit_code != 0 and "give one of them" in both.output
    nothing = CliRunner().invoke(app, [*common, "--zero-shot", str(tmp_path)])
    assert nothing.exit_code != 0 and "no zero-shot stance model there" in nothing.output
    assert "--no-zero-shot" in nothing.output  # the CLI names its own flag


def test_a_favor_against_model_takes_the_zero_shot_stance_renormalised(stub_encoder):
    """A stance model of two labels: the zero-shot favor and against probabilities, renormalised."""
    zero = ZeroShot(DEFAULT_ZERO_SHOT, ["AGAINST", "FAVOR"], name="stance-any")
    assert zero.usable and zero.left_out == ["none"] and zero.status()["left_out"] == ["none"]
    got = zero.predict([_Piece(UNSEEN, text) for text in TEXTS])
    assert got.shape == (2, 2) and np.allclose(got.sum(axis=1), 1.0)
    for row, text in zip(got, TEXTS):
        own = own_probabilities(UNSEEN, text)
        kept = own["against"] + own["favor"]
        assert np.allclose(row, [own["against"] / kept, own["favor"] / kept], atol=1e-6)


class _Piece:
    """What AnyTargetTask.predict_pieces reads of a piece: its target and text."""

    def __init__(self, target: str, text: str) -> None:
        self.target, self.text, self.title, self.id, self.meta = target, text, None, text[:8], {}
