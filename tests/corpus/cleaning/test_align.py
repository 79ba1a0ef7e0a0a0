"""Tests for pipeline.corpus.cleaning.align: line labels from a page and its true article."""

from __future__ import annotations

from pipeline.corpus.cleaning.align import align, html_titles

ARTICLE = (
    "The river authority opened the new flood gates on Thursday, two months later than planned, "
    "after a wet spring delayed the last of the concrete work.\n\n"
    "What comes next\n\n"
    "Engineers will test the gates once a month until the autumn storms arrive, the authority said.\n\n"
    "Share"
)
PAGE = """Flood gates open at last | Valley Ledger
Home
News
Share

Flood gates open at last

By Ana Ferreira
12 May 2023 09:30

The new gates seen from the east bank.
The river authority opened the new flood gates on Thursday, two months later than planned, after a wet spring delayed the last of the concrete work.

What comes next

Engineers will test the gates once a month until the autumn storms arrive, the authority said.

Sign up for our morning briefing
Contact us
"""
HTML = ("<html><head><title>Flood gates open at last | Valley Ledger</title></head><body>"
        "<h1><img alt=''>Valley Ledger</h1><h1>Flood gates <em>open</em> at last</h1></body></html>")


def _labels(**kwargs):
    return {a.line.text: a.label for a in align(PAGE, ARTICLE, **kwargs)}


class TestAlign:
    def test_prose_lines_found_in_the_article_are_article(self):
        labels = _labels()
        assert labels["Engineers will test the gates once a month until the autumn storms arrive, the authority said."] == "article"
        assert labels["The river authority opened the new flood gates on Thursday, two months later than planned, "
                      "after a wet spring delayed the last of the concrete work."] == "article"

    def test_a_short_line_inside_the_article_is_article_but_not_outside_it(self):
        labels = _labels()
        assert labels["What comes next"] == "article"
        assert labels["Share"] == "furniture"  # also a word of the article, but in the menu

    def test_title_lines_are_headlines_and_author_and_date_lines_bylines(self):
        labels = _labels(titles=html_titles(HTML))
        assert labels["Flood gates open at last"] == "headline"
        assert labels["Flood gates open at last | Valley Ledger"] == "headline"
        assert labels["By Ana Ferreira"] == "byline"
        assert labels["12 May 2023 09:30"] == "byline"

    def test_everything_else_is_furniture_with_the_rules_kind(self):
        aligned = {a.line.text: a for a in align(PAGE, ARTICLE, titles=html_titles(HTML))}
        assert aligned["Home"].label == aligned["The new gates seen from the east bank."].label == "furniture"
        assert aligned["Sign up for our morning briefing"].kind == "newsletter"
        assert aligned["Home"].kind == "other"

    def test_one_label_per_non_blank_line_in_order(self):
        aligned = align(PAGE, ARTICLE)
        assert [a.line.text for a in aligned] == [line for line in PAGE.splitlines() if line.strip()]
        assert all(0.0 <= a.cover <= 1.0 for a in aligned)

    def test_without_titles_there_are_no_headlines(self):
        assert "headline" not in _labels().values()


class TestHtmlTitles:
    def test_title_and_the_h1_that_repeats_it_but_not_a_logo_h1(self):
        assert html_titles(HTML) == ["Flood gates open at last | Valley Ledger", "Flood gates open at last"]

    def test_og_title_and_entities(self):
        html = '<meta property="og:title" content="Tolls &amp; fares rise">'
        assert html_titles(html) == ["Tolls & fares rise"]
