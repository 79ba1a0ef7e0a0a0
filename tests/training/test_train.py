import pytest

from pipeline import errors
from pipeline.corpus import Piece
from pipeline.features.samples import prepare_samples
from pipeline.models.factory import fit_task
from pipeline.nlp.processor import Processor
from pipeline.training.cross_validation import cross_validate
from pipeline.training.train import train


@pytest.mark.parametrize("task, margin", [("stance", 0.25), ("frame", 0.25)])
def test_sample_corpus_beats_majority_baseline_under_story_grouped_cv(sample_pieces, fast_config, task, margin):
    """A story never sits on both sides, so the model must read stance/frame language, not topics."""
    samples = prepare_samples(sample_pieces, Processor())
    labels = [p.labels[task] for p in sample_pieces]
    stories = [p.story for p in sample_pieces]

    def fit(rows):
        return fit_task(fast_config, [samples[i] for i in rows], [labels[i] for i in rows], use_target=True)

    def predict(model, rows):
        return model.classes_, model.predict_proba([samples[i] for i in rows])

    result = cross_validate(fit, predict, labels, stories, folds=5)
    assert result["folds"] == 5
    assert result["macro_f1"] > result["majority_baseline"]["macro_f1"] + margin
    assert result["accuracy"] > result["majority_baseline"]["accuracy"] + 0.15


def test_train_reports_grouped_and_random_scores(fast_config):
    pieces = [Piece(id=str(i), text=f"{w} plan number {i}", source=f"s{i % 4}", story=f"t{i % 2}",
                    labels={"stance": "support" if w == "good" else "oppose"})
              for i, w in enumerate(["good", "bad"] * 12)]
    result = train(pieces, config=fast_config)
    assert set(result.evaluation["stance"]) == {"source", "story", "random"}
    assert result.evaluation["stance"]["random"]["macro_f1"] == 1.0
    assert result.model.info["tasks"]["stance"]["label_counts"] == {"support": 12, "oppose": 12}


def test_one_label_task_is_a_clear_error(fast_config):
    pieces = [Piece(id=str(i), text=f"text {i}", labels={"stance": "support"}) for i in range(6)]
    with pytest.raises(errors.TrainingError, match="task 'stance': needs at least two different labels"):
        train(pieces, config=fast_config, evaluate=False)


def test_unknown_task_is_a_clear_error(fast_config):
    pieces = [Piece(id="1", text="text", labels={"stance": "support"})]
    with pytest.raises(errors.TrainingError, match=r"no piece has a label for task\(s\) \['lean'\]"):
        train(pieces, tasks=["lean"], config=fast_config)


def test_duplicates_are_reported(fast_config):
    pieces = [Piece(id=str(i), text=["Same text here", "Other words", "More words", "Yet more"][i % 4],
                    labels={"stance": "a" if i % 2 else "b"}) for i in range(8)]
    result = train(pieces, config=fast_config, evaluate=False)
    assert any("duplicate" in note for note in result.warnings)


def test_pair_data_is_not_called_duplicate_but_its_texts_stay_together(fast_config, monkeypatch):
    """One text with several targets (FNC-1 bodies, NewsMTSC sentences): no warning, one CV group."""
    import importlib

    train_module = importlib.import_module("pipeline.training.train")  # the module: pipeline.training.train is also the function
    pieces = [Piece(id=f"{i}-{t}", text=f"Body number {i} says {'yes' if i % 2 else 'no'} here.", target=f"claim {t}",
                    labels={"stance": "agree" if i % 2 else "disagree"}) for i in range(10) for t in range(3)]
    seen = {}

    def spy(fit, predict, labels, groups, **kwargs):
        seen[kwargs.get("grouping") or "random"] = list(groups)
        raise errors.TrainingError("stop here")

    monkeypatch.setattr(train_module, "cross_validate", spy)
    result = train(pieces, config=fast_config)
    assert not any("duplicate" in note for note in result.warnings)
    groups = seen["random"]
    assert len(set(groups)) == 10 and all(groups[3 * i] == groups[3 * i + 2] for i in range(10))


def test_entity_stance_extra_is_trained_scored_and_described(tmp_path):
    from pipeline.training.entity_stance import train_entity_stance_extra

    words = {2.0: "condemned the disastrous failure of", 4.0: "met on Tuesday with", 6.0: "praised the brilliant work of"}
    lines = []
    for i in range(45):
        polarity = (2.0, 4.0, 6.0)[i % 3]
        sentence = f"The mayor {words[polarity]} Dana Reyes in case {i}."
        start = sentence.index("Dana Reyes")
        lines.append({"primary_gid": str(i), "sentence_normalized": sentence,
                      "targets": [{"Input.gid": str(i), "from": start, "to": start + 10, "mention": "Dana Reyes",
                                   "polarity": polarity}]})
    for name, rows in (("train.jsonl", lines), ("devtest_mt.jsonl", lines[:15])):
        (tmp_path / name).write_text("\n".join(__import__("json").dumps(r) for r in rows) + "\n")
    model, info = train_entity_stance_extra(tmp_path)
    assert info["macro_f1"] == 1.0 and set(info["per_class_f1"]) == {"negative", "neutral", "positive"}
    assert info["source"].startswith("NewsMTSC") and info["n_train"] == 45
    assert model.predict([("Critics condemned the disastrous failure of Dana Reyes.", 44, 54)])[0] == "negative"


def test_entity_stance_extra_needs_both_files(tmp_path):
    from pipeline.training.entity_stance import train_entity_stance_extra

    with pytest.raises(errors.TrainingError, match="train.jsonl and devtest_mt.jsonl"):
        train_entity_stance_extra(tmp_path)


def test_recorded_corpus_hash_ignores_order_and_white_space(fast_config):
    from pipeline.training.train import corpus_hash

    pieces = [Piece(id=str(i), text=f"{w} plan  number {i}", labels={"stance": "a" if w == "good" else "b"})
              for i, w in enumerate(["good", "bad"] * 4)]
    recorded = train(pieces, config=fast_config, evaluate=False).model.info["corpus"]["hash"]
    respaced = [Piece(id=p.id, text=p.text.replace("  ", " \n"), labels=p.labels) for p in reversed(pieces)]
    assert recorded == corpus_hash(respaced) == corpus_hash(pieces)
    assert recorded != corpus_hash(pieces[:-1])


def test_progress_names_each_long_stage_before_it_runs(fast_config, monkeypatch):
    import sys

    module = sys.modules["pipeline.training.train"]  # the package exports a function of the same name
    real_fit = module.fit_task
    monkeypatch.setattr(module, "fit_task", lambda *a, **k: events.append(("fit", "", 0)) or real_fit(*a, **k))
    pieces = [Piece(id=str(i), text=f"{w} plan number {i}", source=f"s{i % 4}", story=f"t{i % 2}",
                    labels={"stance": "support" if w == "good" else "oppose"})
              for i, w in enumerate(["good", "bad"] * 12)]
    events = []

    def progress(stage, total):
        events.append(("start", stage, total))
        return lambda n=1: events.append(("advance", stage, n))

    train(pieces, config=fast_config, progress=progress)
    stages = [stage for kind, stage, _ in events if kind == "start"]
    assert stages[0] == "tokenising" and stages[-1] == "fitting stance on 24 pieces"
    assert {"cross-validating by source", "cross-validating by story", "cross-validating (random folds)"} <= set(stages)
    for stage in stages[1:]:  # each stage is started, then advanced once when its work is done
        assert events.index(("start", stage, 1)) < events.index(("advance", stage, 1))
    final_fit = len(events) - 1 - events[::-1].index(("fit", "", 0))
    assert events[final_fit - 1] == ("start", "fitting stance on 24 pieces", 1)
    assert events[final_fit + 1] == ("advance", "fitting stance on 24 pieces", 1)
