"""HTML reports: markup, atomic self-contained files, and what a real headless browser shows."""

from __future__ import annotations

import re

import numpy as np
import pytest

from pipeline.evaluation.metrics import classification_metrics
from pipeline.report import write_classify_report, write_evaluation_report, write_inspect_report
from pipeline.report.markup import entity_html, entity_spans, piece_html, shaded_sentences

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
        assert [{k: s[k] for k in ("start", "end", "label")} for s in entity_spans("abcdefghij", ents)] == [
            {"start": 0, "end": 4, "label": "A"}, {"start": 5, "end": 8, "label": "B"}]

    def test_without_offsets_the_text_is_plain_and_escaped(self):
        html = str(entity_html(TEXT, record(mentions=False)["entities"]))
        assert "<mark" not in html and "&lt;b&gt;hate&lt;/b&gt;" in html

    def test_with_offsets_the_entities_are_chips(self):
        html = str(entity_html(TEXT, record()["entities"]))
        assert html.count("<mark") == 2 and "PERSON" in html and "&lt;b&gt;" in html
        assert "Harbor Bridge<span" in html and "</mark> toll" in html  # the text around a chip is untouched

    def test_chips_and_shading_nest(self):
        html = str(piece_html(TEXT, record()["entities"], EXPLANATION["stance"]["sentences"]))
        assert html.count('class="sent"') == 2 and html.count("<mark") == 2
        assert html.index('class="sent"') < html.index("<mark") < html.index("</mark> toll is unfair.</span>")

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
        import pipeline.io as io  # the one atomic writer, which the report writes through

        path = tmp_path / "r.html"
        path.write_text("OLD")
        monkeypatch.setattr(io.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
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


LONG_TEXT = ("Officials at Rekognition, Amazon's service, said Ana Ruiz was wrong. Critics disagree; "
             "see https://example.org/" + "a-very-long-path-without-any-break-" * 6 + " for more.")


def _at(name: str) -> list[int]:
    return [LONG_TEXT.index(name), LONG_TEXT.index(name) + len(name)]


def wide_record(pid: str, source: str) -> dict:
    """A piece with fifteen frames, a long source name and entities before punctuation."""
    frames = [f"frame_number_{i:02d}" for i in range(15)]
    probs = {f: (0.3 if f == frames[int(pid[1:]) % 15] else 0.05) for f in frames}
    rec = record(pid, source)
    rec["predictions"]["frame"] = {"label": max(probs, key=probs.get), "confidence": 0.3, "probabilities": probs}
    rec["entities"] = [
        {"text": "Rekognition", "label": "PRODUCT", "count": 1, "mentions": [_at("Rekognition")], "quoted": False,
         "stance": "negative", "stance_proba": {"negative": 0.8, "neutral": 0.15, "positive": 0.05}},
        {"text": "Amazon", "label": "ORG", "count": 1, "mentions": [_at("Amazon")], "quoted": True,
         "stance": "positive", "stance_proba": {"negative": 0.1, "neutral": 0.2, "positive": 0.7}},
        {"text": "Ana Ruiz", "label": "PERSON", "count": 1, "mentions": [_at("Ana Ruiz")], "quoted": False,
         "stance": "neutral", "stance_proba": {"negative": 0.2, "neutral": 0.6, "positive": 0.2}}]
    return rec


WIDE_EXPLANATION = {"stance": {**EXPLANATION["stance"], "sentences": [
    {"field": "text", "start": 0, "end": LONG_TEXT.index(" Critics"), "contribution": 0.9},
    {"field": "text", "start": LONG_TEXT.index("Critics"), "end": LONG_TEXT.index(" see"), "contribution": -0.4}]}}


@pytest.fixture(scope="module")
def wide_page(tmp_path_factory):
    """A classification report with explanations, many frames and sources, long words."""
    records = [wide_record(f"p{i}", f"The Extremely Long-Named Regional Observer and Chronicle No. {i}")
               for i in range(15)]
    return write_classify_report(tmp_path_factory.mktemp("wide") / "wide.html", records,
                                 texts={r["id"]: LONG_TEXT for r in records},
                                 explanations={r["id"]: WIDE_EXPLANATION for r in records})


class TestReportInBrowser:
    """What Chromium computes for the classification report at 1280 px."""

    def test_sentences_are_shaded_toward_and_against(self, headless, wide_page):
        shades = headless.evaluate(wide_page, """Array.from(document.querySelectorAll('#piece-p0 .text span.sent'))
            .map(s => [parseFloat(s.dataset.contribution), getComputedStyle(s).backgroundColor])""")
        assert [c for c, _ in shades] == [0.9, -0.4]
        (_, toward), (_, against) = shades
        assert toward == "rgba(46, 160, 67, 0.56)"  # the strongest sentence: full green
        assert against.startswith("rgba(214, 39, 40, ") and 0.06 < float(against[:-1].split(", ")[-1]) < 0.56

    def test_entity_chips_carry_stance_and_quoted(self, headless, wide_page):
        chips = headless.evaluate(wide_page, """Array.from(document.querySelectorAll('#piece-p0 mark.entity'))
            .map(m => [m.firstChild.textContent, m.dataset.stance, m.dataset.quoted, m.title,
                       getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)'])""")
        assert [c[:3] for c in chips] == [["Rekognition", "negative", "false"], ["Amazon", "positive", "true"],
                                          ["Ana Ruiz", "neutral", "false"]]
        assert chips[1][3] == "ORG, quoted, stance positive (0.70)" and all(c[4] for c in chips)

    def test_entity_table_shows_stance_and_quoted(self, headless, wide_page):
        rows = headless.evaluate(wide_page, """Array.from(document.querySelectorAll('#piece-p0 table.entities-table tr'))
            .slice(1).map(r => Array.from(r.cells).map(c => c.textContent.trim()))""")
        assert rows[1] == ["Amazon", "ORG", "1", "quoted", "positive (0.70)"]
        assert rows[0][-1] == "negative (0.80)" and rows[0][3] == ""
        summary = headless.evaluate(wide_page, "document.querySelector('table.entity-summary').textContent")
        assert "quoted 1" in summary and "stance +1" in summary

    def test_no_space_before_punctuation_after_a_chip(self, headless, wide_page):
        after = headless.evaluate(wide_page, """Array.from(document.querySelectorAll('#piece-p0 mark.entity'))
            .map(m => m.nextSibling ? m.nextSibling.textContent.slice(0, 2) : '')""")
        assert after == [", ", "'s", " w"]

    def test_nothing_is_wider_than_the_window_at_1280(self, headless, wide_page):
        widths = headless.evaluate(wide_page, """[document.documentElement.scrollWidth, window.innerWidth,
            document.documentElement.clientWidth,
            Array.from(document.querySelectorAll('.card')).filter(c => c.scrollWidth > c.clientWidth).length,
            document.querySelectorAll('.card').length]""", size="1280,900")
        scroll, viewport, client, overflowing, cards = widths
        assert viewport == 1280 and scroll == client <= viewport
        assert cards > 15 and overflowing == 0  # no card needs its own scroll bar either


def test_classify_html_shades_the_sample_page_in_the_browser(headless, tmp_path):
    """``framing classify --html`` on the shipped page with the default model, as a user runs it."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    from ..conftest import ROOT

    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["classify", str(ROOT / "corpus/roundups/facial-recognition-2020.txt"),
                                      "--html", str(page), "-q", "-f", "jsonl", "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    seen = headless.evaluate(page, """[Array.from(document.querySelectorAll('.piece .text span.sent'))
        .map(s => getComputedStyle(s).backgroundColor),
        document.querySelectorAll('.piece').length, document.querySelectorAll('.piece mark.entity[data-stance]').length,
        document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]""")
    backgrounds, pieces, chips_with_stance, scroll, viewport, window = seen
    assert pieces == 11 and chips_with_stance > 10
    shaded = [b for b in backgrounds if b.startswith("rgba(46, 160, 67") or b.startswith("rgba(214, 39, 40")]
    assert len(backgrounds) > 20 and len(shaded) >= len(backgrounds) - 2  # a zero contribution stays clear
    assert window == 1280 and scroll == viewport  # the viewport is the window less a vertical scroll bar
