"""Tests for pipeline.corpus.cleaning.metric: the article-extraction benchmark's shingle metric."""

from __future__ import annotations

import pytest

from pipeline.corpus.cleaning.metric import PageScore, score_page, summarise

TRUE = "one two three four five six"  # shingles: 1234 2345 3456


class TestScorePage:
    def test_identical_texts(self):
        s = score_page(TRUE, TRUE)
        assert (s.tp, s.fp, s.fn) == (1.0, 0.0, 0.0) and s.precision == s.recall == 1.0

    def test_extra_text_is_false_positives_normalised_per_page(self):
        s = score_page(TRUE, TRUE + " seven")  # one more shingle, 4567
        assert s.tp == pytest.approx(3 / 4) and s.fp == pytest.approx(1 / 4) and s.fn == 0
        assert s.precision == pytest.approx(0.75) and s.recall == 1.0

    def test_tokens_are_word_runs_and_case_counts(self):
        assert score_page(TRUE, "One, two; three four five six").recall == pytest.approx(2 / 3)
        assert score_page(TRUE, "one-two three... four five six").recall == 1.0

    def test_nothing_extracted(self):
        s = score_page(TRUE, "")
        assert s.recall == 0.0 and s.tp + s.fp == 0

    def test_short_texts_are_one_shingle(self):
        assert score_page("a b", "a b").precision == 1.0


class TestSummarise:
    def test_averages_over_pages_then_f1_of_the_averages(self):
        pages = [PageScore(0.5, 0.5, 0.0), PageScore(1.0, 0.0, 0.0)]
        s = summarise(pages)
        assert (s.precision, s.recall, s.pages) == (0.75, 1.0, 2)
        assert s.f1 == pytest.approx(2 * 0.75 / 1.75)

    def test_pages_with_nothing_extracted_count_in_recall_only(self):
        s = summarise([PageScore(0.0, 0.0, 1.0), PageScore(1.0, 0.0, 0.0)])
        assert (s.precision, s.recall) == (1.0, 0.5)
