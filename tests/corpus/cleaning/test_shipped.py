"""Tests for the cleaner's model, its persistence and the shipped file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline import errors
from pipeline.corpus.boilerplate import split_lines
from pipeline.corpus.cleaning import score_lines
from pipeline.corpus.cleaning.features import line_features
from pipeline.corpus.cleaning.shipped import FORMAT, MODEL_FILE, ShippedCleaner, load_cleaner, save_cleaner
from pipeline.corpus.cleaning.training import TrainingPage, fit_cleaner

from .test_align import ARTICLE, PAGE


@pytest.fixture(scope="module")
def tiny():
    """A cleaner overfitted on one written page (copies with shifted menus), fast to fit."""
    pages = [TrainingPage(f"p{k}", "Menu\n" * k + PAGE, ARTICLE, ["Flood gates open at last"]) for k in range(4)]
    return fit_cleaner(pages, max_iter=20)


class TestModel:
    def test_overfit_labels_the_article_lines(self, tiny):
        lines = split_lines(PAGE)
        rows, X = line_features(lines)
        labels = dict(zip((lines[i].text for i in rows), tiny.predict(X)))
        assert labels["Engineers will test the gates once a month until the autumn storms arrive, the authority said."] == "article"
        assert labels["Home"] == "furniture"
        assert set(tiny.classes_) <= {"article", "headline", "byline", "furniture"}
        np.testing.assert_allclose(tiny.predict_proba(X).sum(axis=1), 1.0)

    def test_unknown_labels_are_refused(self):
        from pipeline.corpus.cleaning.model import LineClassifier

        with pytest.raises(ValueError, match="unknown line labels"):
            LineClassifier().fit(np.zeros((2, 3)), ["article", "menu"])


class TestPersistence:
    def test_saved_and_reloaded_gives_identical_predictions(self, tiny, tmp_path):
        path = tmp_path / "cleaner.joblib"
        save_cleaner(tiny, {"threshold": 0.4}, path)
        loaded = load_cleaner(path)
        meta = json.loads(path.with_suffix(".json").read_text())
        assert meta["format"] == FORMAT and meta["threshold"] == 0.4 and len(meta["sha256"]) == 64
        X = line_features(split_lines(PAGE))[1]
        np.testing.assert_array_equal(loaded.model.predict_proba(X), tiny.predict_proba(X))
        assert score_lines(split_lines(PAGE), cleaner=loaded) == score_lines(
            split_lines(PAGE), cleaner=ShippedCleaner(tiny, 0.4, {}))

    def test_a_changed_file_fails_its_checksum(self, tiny, tmp_path):
        path = tmp_path / "cleaner.joblib"
        save_cleaner(tiny, {"threshold": 0.4}, path)
        with path.open("ab") as f:
            f.write(b"x")
        with pytest.raises(errors.ModelIntegrityError, match="checksum"):
            load_cleaner(path)

    def test_missing_and_other_format(self, tiny, tmp_path):
        with pytest.raises(errors.ModelError, match="missing"):
            load_cleaner(tmp_path / "none.joblib")
        path = tmp_path / "cleaner.joblib"
        save_cleaner(tiny, {"threshold": 0.4}, path)
        info = json.loads(path.with_suffix(".json").read_text())
        path.with_suffix(".json").write_text(json.dumps({**info, "format": FORMAT + 1}))
        with pytest.raises(errors.ModelError, match="format"):
            load_cleaner(path)


class TestShipped:
    def test_the_package_ships_a_cleaner_that_says_what_it_is(self):
        cleaner = load_cleaner()
        assert cleaner is load_cleaner()  # loaded once
        assert 0.0 < cleaner.threshold < 1.0
        assert "MIT" in cleaner.meta["trained_on"] and cleaner.meta["sklearn"]
        assert {"f1", "precision", "recall"} <= set(cleaner.meta["cv"])
        assert MODEL_FILE.stat().st_size < 5_000_000

    def test_blank_lines_get_no_score(self):
        lines = split_lines(PAGE)
        scores = score_lines(lines)
        assert [s is None for s in scores] == [line.blank for line in lines]
        assert all(0.0 <= s.article <= 1.0 and 0.0 <= s.confidence <= 1.0 for s in scores if s)


class TestDecision:
    def test_the_best_contiguous_run_is_kept_less_its_weakest_lines(self):
        from pipeline.corpus.cleaning import _decide

        scores = np.array([0.9, 0.05, 0.6, 0.2, 0.8, 0.01, 0.02, 0.7])
        keep = _decide(scores, [100] * 8, 0.3, relative=False)
        # the run 0..4 outweighs the lone 0.7 at the end; inside it, 0.05 falls below 0.15
        assert keep.tolist() == [True, False, True, True, True, False, False, False]

    def test_a_page_of_low_scores_still_keeps_its_best_stretch(self):
        from pipeline.corpus.cleaning import _decide

        scores = np.array([0.01, 0.2, 0.22, 0.02])
        assert not _decide(scores, [50] * 4, 0.3, relative=False).any()
        assert _decide(scores, [50] * 4, 0.3, relative=True).tolist() == [False, True, True, False]
