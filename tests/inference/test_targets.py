"""Stance toward a named target: per-target training, training targets recorded, unseen targets flagged."""

from __future__ import annotations

import json

import pytest

from pipeline.corpus import Piece
from pipeline.inference.targets import TargetMatcher, lemma_key

# Written for these tests. The same words take opposite stances toward the two targets:
# "lower taxes" is favour toward the tax cut and against toward the school levy.
_FAVOR_CUT = ["we need lower taxes now", "lower taxes will help families", "finally lower taxes for everyone",
              "cut the rate and lower taxes", "lower taxes mean more jobs"]
_AGAINST_CUT = ["the cut starves our schools", "this cut only helps the rich", "no to the reckless cut",
                "the cut will gut public services", "reject the cut , fund the schools"]
TAX_CUT = "the state income tax cut"
LEVY = "the school building levy"


def _corpus(repeat: int = 6) -> list[Piece]:
    pieces = []
    for r in range(repeat):
        for i, text in enumerate(_FAVOR_CUT):
            pieces.append(Piece(id=f"c{r}-f{i}", text=f"{text} #{r}", target=TAX_CUT, labels={"stance": "FAVOR"}))
            pieces.append(Piece(id=f"l{r}-a{i}", text=f"{text} #{r}", target=LEVY, labels={"stance": "AGAINST"}))
        for i, text in enumerate(_AGAINST_CUT):
            pieces.append(Piece(id=f"c{r}-a{i}", text=f"{text} #{r}", target=TAX_CUT, labels={"stance": "AGAINST"}))
            swapped = text.replace("cut", "levy")
            pieces.append(Piece(id=f"l{r}-f{i}", text=f"{swapped} yes #{r}", target=LEVY, labels={"stance": "FAVOR"}))
    return pieces


@pytest.fixture(scope="module")
def target_model(models_dir):
    from pipeline.config import load_config
    from pipeline.models.persist import save_model
    from pipeline.training.train import train

    config = load_config(overrides={"classifier": {"calibration_folds": 3, "min_target_pieces": 20},
                                    "evaluation": {"folds": 3}})
    result = train(_corpus(), tasks=["stance"], config=config)
    path = save_model(result.model, models_dir / "targets")
    return result, path


def test_the_model_records_its_training_targets_and_which_got_weights_of_their_own(target_model):
    result, path = target_model
    info = json.loads((path / "model.json").read_text())["tasks"]["stance"]
    assert info["targets"] == {TAX_CUT: 60, LEVY: 60} and info["n_targets"] == 2
    assert info["per_target"] == sorted([TAX_CUT, LEVY])
    assert result.model.info["tasks"]["stance"]["targets"] == info["targets"]


def test_training_reports_target_grouped_and_per_target_scores(target_model):
    evaluation = target_model[0].evaluation["stance"]
    assert "target" in evaluation  # each target held out in turn: what the shared weights give
    per = evaluation["random"]["per_target"]
    assert set(per) == {TAX_CUT, LEVY} and per[TAX_CUT]["n"] == 60
    # the same words, opposite stances: learnt per target
    assert per[TAX_CUT]["macro_f1"] > 0.9 and per[LEVY]["macro_f1"] > 0.9


def test_the_same_text_gets_the_stance_of_its_own_target(target_model):
    from pipeline.inference.framer import Framer

    framer = Framer.load(target_model[1])
    cut = framer.classify_texts(["lower taxes for families"], target=TAX_CUT, entities=False)[0]
    levy = framer.classify_texts(["lower taxes for families"], target=LEVY, entities=False)[0]
    assert cut["predictions"]["stance"]["label"] == "FAVOR"
    assert levy["predictions"]["stance"]["label"] == "AGAINST"
    assert cut["target"] == TAX_CUT and cut["target_seen"] is True
    assert cut["target_match"] == {"target": TAX_CUT, "score": 1.0, "by": "exact"}
    assert "relative_to_training_targets" not in cut["predictions"]["stance"]


def test_a_target_matched_by_its_words_uses_that_targets_weights(target_model):
    from pipeline.inference.framer import Framer

    framer = Framer.load(target_model[1])
    [rec] = framer.classify_texts(["lower taxes for families"], target="The State Income Tax Cuts", entities=False)
    assert rec["target_seen"] is True and rec["target_match"]["by"] == "lemmas"
    assert rec["target_match"]["target"] == TAX_CUT and rec["target"] == "The State Income Tax Cuts"
    assert rec["predictions"]["stance"]["label"] == "FAVOR"


def test_an_unseen_target_is_flagged_and_its_probabilities_marked(target_model):
    from pipeline.inference.framer import Framer
    from pipeline.inference.records import to_dataframe

    framer = Framer.load(target_model[1], zero_shot=False)  # the relative stance (zero-shot: test_zero_shot)
    records = framer.classify_texts(["lower taxes for families"], target="a new city stadium", entities=False)
    rec = records[0]
    assert rec["target_seen"] is False and rec["target_match"]["by"] == "none"
    assert rec["target_match"]["target"] in (TAX_CUT, LEVY) and rec["target_match"]["score"] < 0.8
    assert rec["predictions"]["stance"]["relative_to_training_targets"] is True
    none = framer.classify_texts(["lower taxes for families"], entities=False)[0]
    assert none["target"] is None and none["target_seen"] is False and none["target_match"] is None
    pytest.importorskip("pandas")
    frame = to_dataframe(records)
    assert frame.loc[0, "target_seen"] == False  # noqa: E712 (numpy bool)
    assert frame.loc[0, "target_match"] in (TAX_CUT, LEVY)


def test_saved_and_reloaded_it_predicts_the_same(target_model):
    from pipeline.inference.framer import Framer

    result, path = target_model
    texts = ["lower taxes for families", "the levy will gut services", "no to the reckless cut"]
    here = Framer(result.model).classify_texts(texts, target=LEVY, entities=False)
    there = Framer.load(path).classify_texts(texts, target=LEVY, entities=False)
    assert [r["predictions"] for r in here] == [r["predictions"] for r in there]


def test_explanations_use_the_weights_of_the_pieces_target(target_model):
    from pipeline.evaluation.explain import explain
    from pipeline.features.samples import prepare_samples
    from pipeline.nlp.processor import Processor

    model = target_model[0].model
    pipe = model.tasks["stance"]
    pieces = [Piece(id="x", text="lower taxes for families", target=t) for t in (TAX_CUT, LEVY)]
    samples = prepare_samples(pieces, Processor(model.spacy_model))
    for sample, label in zip(samples, ("FAVOR", "AGAINST")):
        out = explain(pipe, sample)
        assert out["explained_label"] == label
        assert any(t["term"] in ("lower", "taxes", "lower taxes") for t in out["toward"])


class TestTargetMatcher:
    def test_exact_lemma_and_similar_matches(self):
        m = TargetMatcher(["face masks", "Donald Trump", "school closures"], encoder=None)
        assert m.match("Face  Masks!").by == "exact"
        assert m.match("the school closure").by == "lemmas"
        hit = m.match("wearing face masks")
        assert hit.seen and hit.by == "similar" and hit.target == "face masks" and hit.score >= 0.8
        miss = m.match("Trump")
        assert not miss.seen and miss.target == "Donald Trump" and 0 < miss.score < 0.8

    def test_a_target_and_its_negation_are_different_targets(self):
        m = TargetMatcher(["police use of facial recognition"], encoder=None)
        hit = m.match("pausing police use of facial recognition")
        assert hit.score >= 0.8 and not hit.seen and hit.by == "none"

    def test_no_training_targets_or_no_target(self):
        assert TargetMatcher([]).match("anything").target is None
        assert TargetMatcher(["x y"]).match(None).by == "none"
        assert lemma_key("The closures of schools") == lemma_key("school closure")


def _stub_encoder(vectors):
    """An encoder that maps each known string to its given vector (tests need no model)."""
    import numpy as np

    def encode(texts):
        return np.asarray([vectors[t] for t in texts], dtype=float)

    return encode


class TestMatchingByMeaning:
    VECTORS = {"school closures": [1.0, 0.0, 0.0], "face masks": [0.0, 1.0, 0.0],
               "closing schools": [0.9, 0.1, 0.0], "wearing a mask indoors": [0.2, 0.95, 0.1],
               "vaccine mandates": [0.5, 0.5, 0.7], "not closing schools": [0.85, 0.1, 0.1]}

    def matcher(self, **kwargs):
        return TargetMatcher(["school closures", "face masks"], encoder=_stub_encoder(self.VECTORS), **kwargs)

    def test_a_target_in_other_words_is_matched_and_named(self):
        hit = self.matcher().match("closing schools")
        assert hit.seen and hit.by == "meaning" and hit.target == "school closures" and hit.score > 0.95
        other = self.matcher().match("wearing a mask indoors")
        assert other.seen and other.target == "face masks" and other.to_record()["by"] == "meaning"

    def test_below_the_threshold_or_negated_it_stays_unseen_with_the_closest_named(self):
        miss = self.matcher().match("vaccine mandates")
        assert not miss.seen and miss.by == "none" and miss.target in ("school closures", "face masks")
        assert miss.score < 0.75
        negated = self.matcher().match("not closing schools")
        assert negated.score >= 0.75 and not negated.seen and negated.target == "school closures"

    def test_the_threshold_is_a_parameter(self):
        assert self.matcher(meaning_threshold=0.999).match("closing schools").seen is False

    def test_without_the_embeddings_extra_words_alone_decide(self, monkeypatch):
        from pipeline import errors
        from pipeline.models import stance_any

        def missing(*args, **kwargs):
            raise errors.MissingExtraError("no embeddings extra")

        monkeypatch.setattr(stance_any, "packaged_encoder", missing)
        m = TargetMatcher(["school closures"])  # encoder="auto"
        result = m.match("closing schools")
        assert not result.seen and result.by == "none" and m.encoder is None


def test_every_training_target_is_recorded_however_many_so_none_reads_as_unseen():
    from types import SimpleNamespace

    from pipeline.inference.framer import training_targets
    from pipeline.inference.targets import TargetMatcher
    from pipeline.training.train import target_record

    targets = [f"topic number {i}" for i in range(700) for _ in range(1 + (i == 3))]  # topic 3 twice
    record = target_record(targets + [None], [t.replace(" ", "_") for t in targets] + [""], pipeline=None)
    assert len(record["targets"]) == record["n_targets"] == 700 and record["pieces_without_target"] == 1
    assert next(iter(record["targets"])) == "topic number 3" and record["targets"]["topic number 699"] == 1
    model = SimpleNamespace(tasks={"stance": None}, info={"tasks": {"stance": {"reads_target": True, **record}}})
    seen = training_targets(model)
    assert len(seen) == 700
    assert TargetMatcher(seen, encoder=None).match("topic number 699").seen  # the last one too
