"""HTML reports: markup, atomic self-contained files, and what a real headless browser shows."""

from __future__ import annotations

import re

import numpy as np
import pytest

from pipeline.evaluate import classification_metrics
from pipeline.report import write_classify_report, write_evaluation_report, write_inspect_report
from pipeline.report.markup import entity_html, entity_spans, shaded_sentences

TEXT = "Mayor Ana Ruiz said the Harbor Bridge toll is unfair. Drivers <b>hate</b> it."


def record(pid="p1", source="Bayside Tribune", stance="oppose", mentions=True):
    ents = [{"text": "Ana Ruiz", "label": "PERSON", "count": 1},
            {"text": "Harbor Bridge", "label": "FAC", "count": 1}]
    if mentions:
        ents[0]["mentions"] = [{"start": 6, "end": 14}]
        ents[1]["mentions"] = [[24, 37]]
    probs = {"oppose": 0.7, "support": 0.2, "neutral": 0.1} if stance == "oppose" else \
        {"oppose": 0.1, "support": 0.8, "neutral": 0.1}
    return {"id": pid, "kind": "article", "source": source, "date": "2024-05-01", "title": "Tolls & drivers",
            "story": "tolls", "target": "the bridge toll",
            "predictions": {"stance": {"label": stance, "confidence": max(probs.values()), "probabilities": probs},
                            "frame": {"label": "uncertain", "confidence": 0.3,
                                      "probabilities": {"economic": 0.3, "fairness": 0.25, "other": 0.45 - 0.0}}},
            "entities": ents, "gold": {"stance": "oppose"}}


EXPLANATION = {"stance": {
    "label": "oppose", "explained_label": "oppose", "probability": 0.7,
    "probabilities": {"oppose": 0.7, "support": 0.2, "neutral": 0.1},
    "toward": [{"feature": "word: unfair", "term": "unfair", "contribution": 0.8}],
    "against": [{"feature": "word: mayor", "term": "Mayor", "contribution": -0.2}], "bias": 0.0,
    "sentences": [{"field": "title", "start": 0, "end": 15, "text": "Tolls & drivers", "contribution": 0.1},
                  {"field": "text", "start": 0, "end": 53, "text": TEXT[:53], "contribution": 0.9},
                  {"field": "text", "start": 54, "end": len(TEXT), "text": TEXT[54:], "contribution": -0.3}],
}}


class TestMarkup:
    def test_entity_spans_accept_dict_and_pair_mentions_and_drop_bad_ones(self):
        ents = [{"label": "A", "mentions": [{"start": 0, "end": 4}, [2, 6], [50, 60], {"start": 5}]},
                {"label": "B", "mentions": [(5, 8)]}, {"label": "C"}]
        assert entity_spans("abcdefghij", ents) == [{"start": 0, "end": 4, "label": "A"},
                                                    {"start": 5, "end": 8, "label": "B"}]

    def test_without_offsets_the_text_is_plain_and_escaped(self):
        html = str(entity_html(TEXT, record(mentions=False)["entities"]))
        assert "<mark" not in html and "&lt;b&gt;hate&lt;/b&gt;" in html

    def test_with_offsets_displacy_marks_the_entities(self):
        html = str(entity_html(TEXT, record()["entities"]))
        assert html.count("<mark") == 2 and "PERSON" in html and "&lt;b&gt;" in html

    def test_sentences_are_shaded_by_sign_and_size(self):
        html = str(shaded_sentences(TEXT, EXPLANATION["stance"]["sentences"]))
        assert html.count('class="sent"') == 2
        assert "rgba(46,160,67, 0.56)" in html  # the strongest sentence gets the full green
        assert "rgba(214,39,40" in html and "&lt;b&gt;hate" in html


class TestFiles:
    def test_classify_report_is_self_contained_and_written_atomically(self, tmp_path):
        path = write_classify_report(tmp_path / "out" / "r.html", [record(), record("p2", "Daily", "support")],
                                     texts={"p1": TEXT, "p2": TEXT}, title="Bridge <tolls>")
        html = path.read_text("utf-8")
        assert [p.name for p in path.parent.iterdir()] == ["r.html"]  # no temporary file left
        assert "<title>Bridge &lt;tolls&gt;</title>" in html
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing fetched from the network
        assert "&lt;b&gt;hate&lt;/b&gt;" in html and "<b>hate</b>" not in html
        assert 'data-task="stance"' in html and "Daily" in html

    def test_a_failed_write_keeps_the_old_file(self, tmp_path, monkeypatch):
        import pipeline.report.render as render

        path = tmp_path / "r.html"
        path.write_text("OLD")
        monkeypatch.setattr(render.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
        with pytest.raises(OSError):
            write_classify_report(path, [record()], texts={"p1": TEXT})
        assert path.read_text() == "OLD" and [p.name for p in tmp_path.iterdir()] == ["r.html"]

    def test_evaluation_report_embeds_both_figures(self, tmp_path):
        metrics = _metrics()
        schemes = {"stance": {"source": {**metrics, "shortcut_gap": 0.12}, "random": metrics}}
        html = write_evaluation_report(tmp_path / "e.html", {"stance": metrics}, schemes=schemes,
                                       records=[record()]).read_text("utf-8")
        assert html.count('src="data:image/png;base64,') == 2
        assert "+0.120" in html and "grouped by source" in html


def _metrics():
    rng = np.random.default_rng(0)
    gold = ["oppose", "support", "neutral"] * 20
    pred = [g if rng.random() < 0.7 else "support" for g in gold]
    proba = rng.dirichlet([1, 1, 1], size=len(gold))
    return classification_metrics(gold, pred, ["neutral", "oppose", "support"], proba=proba, n_boot=100)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """An inspection report of two pieces, one explained."""
    folder = tmp_path_factory.mktemp("report")
    records = [record(), record("p2", "Daily Ledger", "support")]
    return write_inspect_report(folder / "inspect.html", records, [EXPLANATION, {}],
                                texts={"p1": TEXT, "p2": TEXT}, item_notes=["gold oppose", None])


class TestInBrowser:
    def test_the_dom_shows_pieces_entities_shading_and_bars(self, headless, page):
        dom = headless.dom(page)
        assert 'id="piece-p1"' in dom and 'id="piece-p2"' in dom
        assert dom.count("<mark") == 4 and "Ana Ruiz" in dom
        assert 'class="sent"' in dom and "Why stance = oppose" in dom
        assert "bar-fill" in dom and "Story summary" in dom and "Daily Ledger" in dom
        assert "uncertain" in dom

    def test_the_screenshot_is_not_blank(self, headless, page, tmp_path):
        from matplotlib.image import imread

        shot = headless.screenshot(page, tmp_path / "shot.png")
        pixels = imread(shot)
        assert pixels.shape[:2] == (2000, 1200)
        assert pixels[..., :3].std() > 0.05  # text, bars and colours, not an empty page

    def test_evaluation_figures_render(self, headless, tmp_path):
        page = write_evaluation_report(tmp_path / "e.html", {"stance": _metrics()})
        dom = headless.dom(page)
        assert 'class="confusion"' in dom and 'class="reliability"' in dom
        assert "macro-F1" in dom and "ECE" in dom
