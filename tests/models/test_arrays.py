"""The array form of a model (pipeline.models.arrays): the same probabilities as the pickles,
covered by the checksums and the signature, and a fallback to the pickle for what it does not know."""

import json
import random
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline import errors
from pipeline.corpus import Piece, read_corpus
from pipeline.features.samples import prepare_samples
from pipeline.models.arrays import Unsupported, export_task
from pipeline.models.persist import DEFAULT_MODEL, add_arrays, load_model
from pipeline.models.trust import SIGNATURE, sign
from pipeline.nlp.processor import Processor

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def default_model():
    return load_model(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def processor(default_model):
    return Processor(default_model.spacy_model)


def odd_pieces(n: int = 40, seed: int = 3) -> list[Piece]:
    """Texts a user might send: empty-ish, one word, numbers, URLs, markup, other scripts, long tokens."""
    rng = random.Random(seed)
    alphabet = list("abcdefghijklmnopqrstuvwxyz      .,;:!?'\"-()[]/@#$%0123456789éüßøçñ中文русский😀\t")
    fixed = ["x", "!!!", "0 0 0", "The mayor backed the plan.", "[b]bold[/b] and [/button] text",
             "https://example.org/a?b=c mail me@example.org @someone", "ça coûte très cher, disent-ils",
             "Не надо. 不要。", "a" * 3000, "word " * 1200, "Mayor Smith: 'We will not fund it.' Critics disagree."]
    texts = fixed + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) + " z" for _ in range(n)]
    targets = [None, "the plan", "a congestion charge for the city centre", "???", "banning phones in schools"]
    return [Piece(id=str(i), text=t, title=rng.choice([None, "A headline", "Mayor: no"]), target=targets[i % len(targets)])
            for i, t in enumerate(texts)]


def assert_same(model, samples):
    """Each task's array form against its pickled pipeline, and the model's shared-block prediction."""
    joined = model.predict_proba(samples)
    for task in model.tasks:
        pickled = model.tasks[task].predict_proba(samples)
        np.testing.assert_allclose(model.arrays[task].predict_proba(samples), pickled, rtol=0, atol=TOLERANCE)
        np.testing.assert_allclose(joined[task], pickled, rtol=0, atol=TOLERANCE)
        assert list(model.arrays[task].classes_) == [str(c) for c in model.tasks[task].classes_]


def test_the_default_model_predicts_from_arrays_and_unpickles_nothing(default_model):
    fix = ("models/default has no array form for every part (so classify imports scikit-learn again): "
           "framing model upgrade models/default")
    assert set(default_model.arrays) == set(default_model.tasks), fix
    assert set(default_model.extra_arrays) == {"entity_stance"}, fix
    assert not any(default_model.tasks.is_loaded(t) for t in default_model.tasks)
    assert not default_model.extras.is_loaded("entity_stance")
    assert default_model.labels("stance") == ["neutral", "oppose", "support"]


def test_sample_corpus_with_and_without_targets(default_model, processor, sample_pieces):
    for pieces in (sample_pieces, [replace(p, target=None) for p in sample_pieces[::3]]):
        assert_same(default_model, prepare_samples(pieces, processor, max_tokens=default_model.max_tokens))


def test_roundup_pages_and_odd_texts(default_model, processor):
    roundups = list(read_corpus(ROOT / "corpus" / "roundups"))
    for pieces in (roundups, [replace(p, target="capping annual rent increases at 3%") for p in roundups], odd_pieces()):
        assert_same(default_model, prepare_samples(pieces, processor, max_tokens=default_model.max_tokens))


def test_entity_stance_from_arrays(default_model, sample_pieces):
    arrays, pickled = default_model.extra_arrays["entity_stance"], default_model.extras["entity_stance"]
    samples = []
    for piece in [*sample_pieces[:60], *odd_pieces(10)]:
        text = piece.text[:300]
        for start in range(0, max(1, len(text) - 5), 37):
            samples.append((text, start, min(len(text), start + 5)))
    samples += [("The mayor praised Smith but mocked Jones.", 18, 23), ("The mayor praised Smith but mocked Jones.", 35, 40)]
    np.testing.assert_allclose(arrays.predict_proba(samples), pickled.predict_proba(samples), rtol=0, atol=TOLERANCE)
    assert list(arrays.classes_) == list(pickled.classes_)
    assert arrays.predict_proba([]).shape == (0, 3)


def test_a_saved_model_gets_arrays_and_reloads_identically(small_model, sample_pieces):
    model, path = small_model
    info = json.loads((path / "model.json").read_text())
    assert {t: a["file"] for t, a in info["arrays"]["tasks"].items()} == {"stance": "stance.npz", "frame": "frame.npz"}
    loaded = load_model(path)
    samples = prepare_samples(sample_pieces[1::2][:60], Processor())
    expected = {t: model.tasks[t].predict_proba(samples) for t in model.tasks}
    got = loaded.predict_proba(samples)
    for task in expected:
        np.testing.assert_allclose(got[task], expected[task], rtol=0, atol=TOLERANCE)


def test_shared_blocks_are_computed_once_from_arrays(default_model, processor, monkeypatch):
    from pipeline.features.tfidf_arrays import TfidfArrays

    calls = []
    transform = TfidfArrays.transform
    monkeypatch.setattr(TfidfArrays, "transform", lambda self, s: calls.append(self.spec["field"]) or transform(self, s))
    default_model.predict_proba(prepare_samples([Piece(id="a", text="Fares rise again.", target="the plan")], processor))
    assert sorted(calls) == ["near", "text", "text"]  # words and chars once for both tasks, near for stance


def test_a_changed_array_file_is_refused(small_model, models_dir):
    _, path = small_model
    copy = models_dir / "tampered-arrays"
    shutil.copytree(path, copy)
    data = bytearray((copy / "stance.npz").read_bytes())
    data[-200] ^= 1
    (copy / "stance.npz").write_bytes(bytes(data))
    with pytest.raises(errors.ModelIntegrityError):
        load_model(copy)


def test_an_edited_spec_breaks_the_signature(small_model, tmp_path):
    _, path = small_model
    copy = tmp_path / "edited"
    shutil.copytree(path, copy)
    info = json.loads((copy / "model.json").read_text())
    info["arrays"]["tasks"]["stance"]["spec"]["clf"]["inner"]["temperature"] = 100.0
    (copy / "model.json").write_text(json.dumps(info))
    with pytest.raises(errors.UntrustedModelError):
        load_model(copy)


def test_a_kind_this_version_does_not_know_falls_back_to_the_pickle(small_model, tmp_path, sample_pieces):
    model, path = small_model
    copy = tmp_path / "future"
    shutil.copytree(path, copy)
    info = json.loads((copy / "model.json").read_text())
    info["arrays"]["tasks"]["stance"]["spec"]["clf"]["kind"] = "ensemble_of_the_future"
    info["arrays"]["tasks"]["frame"]["spec"]["features"][0]["kind"] = "hologram"
    info.pop(SIGNATURE)
    info[SIGNATURE] = sign(info)
    (copy / "model.json").write_text(json.dumps(info))
    loaded = load_model(copy)
    assert loaded.arrays == {} and all(loaded.tasks.is_loaded(t) for t in loaded.tasks)
    samples = prepare_samples(sample_pieces[:20], Processor())
    np.testing.assert_array_equal(loaded.predict_proba(samples)["stance"], model.tasks["stance"].predict_proba(samples))


def test_kinds_without_an_array_form_are_not_exported():
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import Pipeline

    from pipeline.models.two_stage import TwoStageClassifier

    with pytest.raises(Unsupported):
        export_task(Pipeline([("clf", DummyClassifier())]))
    default = load_model(DEFAULT_MODEL)
    pipe = default.tasks["stance"]
    with pytest.raises(Unsupported):
        export_task(Pipeline([("features", pipe.named_steps["features"]), ("clf", TwoStageClassifier())]))


def test_add_arrays_exports_what_the_shipped_files_hold(tmp_path, monkeypatch):
    copy = tmp_path / "default"
    shutil.copytree(DEFAULT_MODEL, copy)
    assert sorted(add_arrays(copy, trust=True)) == ["entity_stance", "frame", "stance"]
    for name in ("stance.npz", "frame.npz", "entity_stance.npz"):
        with np.load(DEFAULT_MODEL / name) as shipped, np.load(copy / name) as again:
            assert shipped.files == again.files
            for key in shipped.files:
                np.testing.assert_array_equal(shipped[key], again[key])
    info = json.loads((copy / "model.json").read_text())
    assert SIGNATURE not in info  # the shipped model is trusted by where it is, not signed
    assert info["arrays"] == json.loads((DEFAULT_MODEL / "model.json").read_text())["arrays"]


def test_classifying_with_the_default_model_imports_neither_scikit_learn_nor_scipy():
    code = ("import sys\nfrom pipeline.inference.framer import Framer\n"
            "with Framer.load() as framer:\n"
            "    [r] = framer.classify_texts(['Mayor Jane Smith praised the plan in Boston.'], entities=True)\n"
            "assert r['entities'] and r['entities'][0].get('stance'), r\n"
            "print(sorted(m for m in ('sklearn', 'scipy', 'joblib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("layout", ["compact", "full"])
@pytest.mark.parametrize("column", [5, 30])
def test_per_target_weights_from_arrays(layout, column):
    from scipy import sparse
    from sklearn.base import clone

    from pipeline.features.rows import Rows
    from pipeline.models.linear import CalibratedLinearClassifier
    from pipeline.models.linear_arrays import LinearHead, export_head
    from pipeline.models.per_target import TARGET_COLUMN, TargetAugmentedClassifier

    rng = np.random.default_rng(column)
    n, d = 90, 30
    features = sparse.random(n, d, density=0.3, random_state=rng, format="csr").toarray()
    targets = rng.integers(0, 4, n).astype(float)  # 0: no target of its own, 1-3: three targets
    X = sparse.csr_matrix(np.insert(features, column, targets, axis=1))
    names = [f"f{i}" for i in range(d)]
    names.insert(column, TARGET_COLUMN)
    y = rng.choice(["a", "b", "c"], n)
    clf = TargetAugmentedClassifier(CalibratedLinearClassifier(C=1.0, calibration_folds=3), target_weight=2.0)
    clf.fit(X, y, feature_names=names)
    if layout == "full":  # as models fitted before the compact layout: a full copy per target
        del clf.columns_
        clf.estimator_ = clone(clf.estimator).fit(clf.augmented(X), y)
    spec, arrays = export_head(clf)
    assert spec["compact"] == (layout == "compact") and spec["n_targets"] == 3
    head = LinearHead(spec, arrays)
    test = sparse.csr_matrix(np.insert(sparse.random(40, d, density=0.3, random_state=rng).toarray(), column,
                                       rng.integers(0, 6, 40).astype(float), axis=1))  # 4, 5: not trained on
    rows = Rows(test.indptr, test.indices.astype(np.int64), test.data, test.shape[1])
    np.testing.assert_allclose(head.predict_proba(rows), clf.predict_proba(test), rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_a_blend_with_plain_words_from_arrays(n_classes):
    from scipy import sparse

    from pipeline.features.rows import Rows
    from pipeline.models.blend import WordBlendClassifier
    from pipeline.models.linear import CalibratedLinearClassifier
    from pipeline.models.linear_arrays import LinearHead, export_head
    from pipeline.models.per_target import TargetAugmentedClassifier

    rng = np.random.default_rng(n_classes)
    X = sparse.random(90, 20, density=0.3, random_state=rng, format="csr")
    X = sparse.hstack([X, sparse.csr_matrix((90, 1))], format="csr")  # the target column: no target of its own
    y = rng.choice(["a", "b", "c"][:n_classes], 90)
    blend = WordBlendClassifier(CalibratedLinearClassifier(C=4.0, calibration_folds=3),
                                CalibratedLinearClassifier(C=1.0, calibration_folds=3), word_columns=8)
    clf = TargetAugmentedClassifier(blend, target_weight=2.0).fit(X, y)
    head = LinearHead(*export_head(clf))
    test = sparse.hstack([sparse.random(30, 20, density=0.3, random_state=rng), sparse.csr_matrix((30, 1))], format="csr")
    rows = Rows(test.indptr, test.indices.astype(np.int64), test.data, test.shape[1])
    np.testing.assert_allclose(head.predict_proba(rows), clf.predict_proba(test), rtol=0, atol=TOLERANCE)


def test_model_upgrade_gives_an_old_model_its_arrays(tmp_path, processor, sample_pieces):
    from typer.testing import CliRunner

    from pipeline.cli.model import model_app

    old = tmp_path / "old"
    shutil.copytree(DEFAULT_MODEL, old)
    info = json.loads((old / "model.json").read_text())
    npz = sorted(name for name in info["files"] if name.endswith(".npz"))
    assert npz == ["entity_stance.npz", "frame.npz", "stance.npz"]
    for name in npz:  # as saved before the array form existed
        (old / name).unlink()
        del info["files"][name]
    del info["arrays"]
    (old / "model.json").write_text(json.dumps(info, indent=2))
    assert not load_model(old, trust=True).arrays

    result = CliRunner().invoke(model_app, ["upgrade", str(old), "--trust"])
    assert result.exit_code == 0, result.output
    assert "array form written for frame, stance, entity_stance" in " ".join(result.output.split())
    upgraded = load_model(old, trust=True)
    assert set(upgraded.arrays) == {"stance", "frame"} and set(upgraded.extra_arrays) == {"entity_stance"}
    assert_same(upgraded, prepare_samples(sample_pieces[:40], processor, max_tokens=upgraded.max_tokens))

    again = CliRunner().invoke(model_app, ["upgrade", str(tmp_path / "nowhere")])
    assert again.exit_code != 0 and "nowhere" in again.output
