"""Tests for pipeline.corpus.html: an HTML page read as the plain text the splitter expects."""

from __future__ import annotations

import sys

import pytest

from pipeline import errors
from pipeline.corpus.roundup import split_roundup


class TestHtml:
    PAGE = """<html><head><title>Tech pauses</title></head><body><nav>Home | Tech</nav><article>
    <h1>IBM, Amazon and Microsoft step back</h1>
    <p>In the space of four days this week, three of the best-known technology companies in the United
    States said they would stop or pause selling facial-recognition software to police.</p>
    <p>IBM moved first. On Monday the company told members of Congress that it would no longer offer
    general-purpose facial-recognition software.</p>
    <p><b>Amazon pauses police use of Rekognition — Circuit Weekly — 2020-06-10</b><br>
    Amazon will stop police departments from using its Rekognition service for one year.</p>
    <p>Dana Whitfield on Twitter, 6/10/2020: A one-year pause is a start.</p>
    </article><footer>© 2020 The Dispatch. All rights reserved.</footer></body></html>"""

    def test_html_page_splits_like_text(self):
        pytest.importorskip("trafilatura")
        from pipeline.corpus.html import html_to_text

        text = html_to_text(self.PAGE)
        assert "\n\n" in text and "<p>" not in text
        kinds = [(p.kind, p.source) for p in split_roundup(text).pieces]
        assert kinds == [("article", None), ("snippet", "Circuit Weekly"), ("post", "Dana Whitfield")]

    def test_page_without_text_raises(self):
        pytest.importorskip("trafilatura")
        from pipeline.corpus.html import html_to_text

        with pytest.raises(errors.InputError):
            html_to_text("<html><body></body></html>")
        with pytest.raises(errors.InputError):
            html_to_text(42)  # type: ignore[arg-type]

    def test_missing_extra_says_how_to_install_it(self, monkeypatch):
        from pipeline.corpus.html import html_to_text

        monkeypatch.setitem(sys.modules, "trafilatura", None)
        with pytest.raises(errors.InputError, match=r"pip install 'framing\[html\]'"):
            html_to_text("<p>x</p>")
