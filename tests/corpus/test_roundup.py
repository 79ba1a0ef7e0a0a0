"""Tests for pipeline.corpus.roundup: the pages in corpus/roundups, each header form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import errors
from pipeline.corpus.roundup import Roundup, clean_text, looks_like_roundup, split_roundup

PAGES = sorted((Path(__file__).resolve().parents[2] / "corpus" / "roundups").glob("*.txt"))
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _expected(page: Path) -> dict:
    return json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _one(text: str):
    pieces = split_roundup(text).pieces
    assert len(pieces) == 1, pieces
    return pieces[0]


@pytest.fixture(scope="module", params=PAGES, ids=lambda p: p.stem)
def page(request):
    path = request.param
    text = path.read_text(encoding="utf-8")
    return path.stem, text, _expected(path), split_roundup(text, document_id=path.stem, story="s", target="t")


class TestPages:
    def test_there_are_enough_pages(self):
        assert len(PAGES) >= 6
        assert any(p.stem == "facial-recognition-2020" for p in PAGES)

    def test_pieces_match_the_sidecar(self, page):
        _, _, expected, result = page
        got = [(p.kind, p.source, p.date, p.title, p.text) for p in result.pieces]
        want = [(p["kind"], p["source"], p["date"], p["title"], p["text"]) for p in expected["pieces"]]
        assert got == want

    def test_meta_matches_the_sidecar(self, page):
        _, _, expected, result = page
        for piece, want in zip(result.pieces, expected["pieces"]):
            assert {k: piece.meta.get(k) for k in want.get("meta", {})} == want.get("meta", {})

    def test_removed_lines_match_the_sidecar(self, page):
        _, _, expected, result = page
        assert [r.text for r in result.removed] == [r["text"] for r in expected["removed"]]

    def test_rules_give_the_sidecar_reason_and_the_cleaner_its_confidence(self, page):
        # The sidecar names the kind of furniture; a line the learned cleaner removes before the
        # rules look at it says "furniture" and how sure the cleaner is.
        _, _, expected, result = page
        for got, want in zip(result.removed, expected["removed"]):
            if got.reason == "furniture":
                assert got.confidence is not None and 0.0 <= got.confidence <= 1.0
            else:
                assert (got.reason, got.confidence) == (want["reason"], None)

    def test_no_article_sentence_is_removed(self, page):
        _, _, expected, result = page
        kept = [_norm(p.text) for p in result.pieces]
        for want in expected["pieces"]:
            for sentence in _SENTENCE_END.split(_norm(want["text"])):
                assert any(sentence in text for text in kept), sentence
                assert not any(sentence in r.text for r in result.removed), sentence

    def test_ids_story_and_target(self, page):
        name, _, _, result = page
        assert [p.id for p in result.pieces] == [f"{name}#{n}" for n in range(1, len(result.pieces) + 1)]
        assert {(p.story, p.target) for p in result.pieces} == {("s", "t")}

    def test_offsets_slice_the_original_to_text_containing_the_piece(self, page):
        _, text, _, result = page
        for piece in result.pieces:
            start, end = piece.offsets
            chars = list(text[start:end])
            for r in result.removed:
                if start <= r.start and r.end <= end:
                    chars[r.start - start:r.end - start] = " " * (r.end - r.start)
            assert _norm(piece.text) in _norm("".join(chars))

    def test_removals_point_into_the_original(self, page):
        _, text, _, result = page
        for r in result.removed:
            assert text[r.start:r.end] == r.text

    def test_looks_like_roundup(self, page):
        _, text, expected, _ = page
        assert looks_like_roundup(text) is any(p["kind"] != "article" for p in expected["pieces"])


class TestSnippetHeaders:
    @pytest.mark.parametrize(("header", "date"), [
        ("IBM exits face recognition – Bayside Tribune – 6/11/2020", "2020-06-11"),
        ("IBM exits face recognition — Bayside Tribune — 2020-06-11", "2020-06-11"),
        ("IBM exits face recognition - Bayside Tribune - June 11, 2020", "2020-06-11"),
        ("IBM exits face recognition – Bayside Tribune – 11 June 2020", "2020-06-11"),
        ("IBM exits face recognition – Bayside Tribune – Jun. 11, 2020", "2020-06-11"),
        ("IBM exits face recognition – Bayside Tribune – Thursday, June 11, 2020", "2020-06-11"),
        ("IBM exits face recognition–Bayside Tribune–6/11/20", "2020-06-11"),
        ("IBM exits face recognition | Bayside Tribune | Sept. 3, 2020", "2020-09-03"),
        ("IBM exits face recognition – Bayside Tribune, June 11, 2020", "2020-06-11"),
        ("IBM exits face recognition – Bayside Tribune", None),
    ])
    def test_header_forms(self, header, date):
        text = f"{header}\nIBM said it would stop offering the software.\n"
        piece = _one(text)
        assert (piece.kind, piece.source, piece.title, piece.date) == (
            "snippet", "Bayside Tribune", "IBM exits face recognition", date)
        assert piece.text == "IBM said it would stop offering the software."

    def test_us_dates_are_month_first(self):
        assert _one("Headline here – Daily Ledger – 6/11/2020\nBody.").date == "2020-06-11"

    def test_an_impossible_date_is_kept_as_text(self):
        piece = _one("Headline here – Daily Ledger – 2/30/2020\nBody text.")
        assert piece.date is None and piece.meta["date_text"] == "2/30/2020"

    def test_a_snippet_without_body_uses_its_headline(self):
        pieces = split_roundup("Main story.\n\nHeadline here – Daily Ledger – 6/11/2020\n").pieces
        assert pieces[1].text == "Headline here"

    def test_multi_paragraph_snippet(self):
        piece = _one("Headline here – Daily Ledger – 6/11/2020\nFirst part.\n\nSecond part.")
        assert piece.text == "First part.\n\nSecond part."

    def test_snippet_byline_goes_to_meta(self):
        piece = _one("Headline here – Daily Ledger – 6/11/2020\nBy Jo Park\nBody.")
        assert (piece.text, piece.meta["byline"]) == ("Body.", "Jo Park")

    @pytest.mark.parametrize("text", [
        "The pause – announced Monday – will last a year.\n\nIt covers police.",
        "Amazon paused sales – for a year.\n\nIt covers police.",
        "The new rules apply to every police department – Amazon\nsaid on Wednesday.",
        "Facial recognition – the week Big Tech blinked\n\nThree companies stepped back.",
    ])
    def test_prose_with_dashes_is_not_a_header(self, text):
        assert all(p.kind == "article" for p in split_roundup(text).pieces)
        assert not looks_like_roundup(text)


class TestPostLines:
    @pytest.mark.parametrize(("line", "source", "platform", "handle", "date"), [
        ("Jo Park on Twitter, 6/11/2020: Big day.", "Jo Park", "Twitter", None, "2020-06-11"),
        ("Jo Park (@jopark) on X, June 11, 2020: Big day.", "Jo Park", "X", "@jopark", "2020-06-11"),
        ("Jo Park wrote on Facebook: Big day.", "Jo Park", "Facebook", None, None),
        ("Jo Park on Instagram (Jun. 11, 2020): Big day.", "Jo Park", "Instagram", None, "2020-06-11"),
        ("Jo Park (@jopark.bsky.social) on Bluesky: Big day.", "Jo Park", "Bluesky", "@jopark.bsky.social", None),
        ("Jo Park on Threads, 2020-06-11: Big day.", "Jo Park", "Threads", None, "2020-06-11"),
        ("Jo Park (@jo@mastodon.social) on Mastodon: Big day.", "Jo Park", "Mastodon", "@jo@mastodon.social", None),
        ("Jo Park posted on LinkedIn on June 11, 2020: Big day.", "Jo Park", "LinkedIn", None, "2020-06-11"),
        ("Jo Park tweeted: Big day.", "Jo Park", "Twitter", None, None),
        ("Sen. Jo de la Park on TikTok: Big day.", "Jo de la Park", "TikTok", None, None),
        ("Friends of the Library on Facebook: Big day.", "Friends of the Library", "Facebook", None, None),
        ("@jopark on X: Big day.", "@jopark", "X", "@jopark", None),
    ])
    def test_post_forms(self, line, source, platform, handle, date):
        piece = _one(line)
        assert (piece.kind, piece.source, piece.date, piece.text) == ("post", source, date, "Big day.")
        assert piece.meta["platform"] == platform and piece.meta.get("handle") == handle

    @pytest.mark.parametrize(("line", "source", "role"), [
        ("Sen. Ada Quist on Twitter: Big day.", "Ada Quist", "senator"),
        ("Councilwoman Bea Lorne wrote on Facebook: Big day.", "Bea Lorne", "council member"),
        ("Former Gov. Cal Ames on X: Big day.", "Cal Ames", "governor"),
        ("Friends of the Library on Facebook: Big day.", "Friends of the Library", None),
    ])
    def test_the_authors_title_becomes_a_role(self, line, source, role):
        piece = _one(line)
        assert (piece.source, piece.meta.get("author_role")) == (source, role)

    def test_a_date_without_year_is_kept_as_text(self):
        piece = _one("Jo Park on Twitter, June 11: Big day.")
        assert (piece.kind, piece.date, piece.meta["date_text"], piece.text) == ("post", None, "June 11", "Big day.")

    def test_quoted_post_text_loses_its_quotes(self):
        assert _one("Jo Park on Instagram: “Big day for the city.”").text == "Big day for the city."

    def test_post_text_on_the_next_line(self):
        piece = _one("Jo Park on X, June 11, 2020\nBig day for the city.")
        assert (piece.kind, piece.text) == ("post", "Big day for the city.")

    def test_consecutive_post_lines_are_separate_posts(self):
        pieces = split_roundup("Jo Park on X: One.\nAl Roe on X: Two.").pieces
        assert [(p.source, p.text) for p in pieces] == [("Jo Park", "One."), ("Al Roe", "Two.")]

    @pytest.mark.parametrize("text", ["Critics on Twitter were quick to respond.",
                                      "Reaction on Twitter\n\nIt was swift.",
                                      "Follow us on Instagram: @dispatch"])
    def test_prose_about_platforms_is_not_a_post(self, text):
        assert all(p.kind == "article" for p in split_roundup(text).pieces)


class TestArticle:
    def test_page_without_headers_is_one_article_with_title_byline_and_date(self):
        text = "Port Alder approves tolls\nBy Jo Park\nUpdated: 2024-03-14\n\nThe council voted.\n\nIt was late."
        piece = _one(text)
        assert (piece.kind, piece.title, piece.date, piece.text) == (
            "article", "Port Alder approves tolls", "2024-03-14", "The council voted.\n\nIt was late.")
        assert piece.meta["byline"] == "Jo Park"
        assert piece.offsets == (0, len(text))

    def test_article_without_headline(self):
        assert _one("The council voted on Tuesday.\n\nIt was late.").title is None

    def test_one_line_page_is_text_not_title(self):
        piece = _one("City council delays vote")
        assert (piece.title, piece.text) == (None, "City council delays vote")

    def test_section_heading_before_snippets_is_removed(self):
        text = "Main story.\n\nWhat others say\n\nHeadline here – Daily Ledger – 6/11/2020\nBody."
        result = split_roundup(text)
        assert [(r.text, r.reason) for r in result.removed] == [("What others say", "section-heading")]
        assert [p.text for p in result.pieces] == ["Main story.", "Body."]

    def test_advertisement_with_a_dash_is_not_a_snippet_header(self):
        text = "First paragraph.\n\nAdvertisement - Continue Reading Below\n\nSecond paragraph ends here."
        piece = _one(text)
        assert (piece.kind, piece.text) == ("article", "First paragraph.\n\nSecond paragraph ends here.")

    def test_byline_without_by_before_a_dateline(self):
        text = ("LOCAL NEWS\n\nLibraries to close on Sundays\n\nRosa Lind, Staff Writer\n"
                "Published March 4, 2022\n\nBody.")
        piece = _one(text)
        assert (piece.title, piece.date, piece.text) == ("Libraries to close on Sundays", "2022-03-04", "Body.")
        assert piece.meta == {"byline": "Rosa Lind, Staff Writer", "kicker": "LOCAL NEWS"}

    def test_unpunctuated_post_paragraph_is_not_a_section_heading(self):
        text = "Jo Park on X: One.\n\nAnd another thing\n\nAl Roe on X: Two."
        assert split_roundup(text).pieces[0].text == "One.\n\nAnd another thing"

    def test_clean_text_is_reexported(self):
        assert clean_text("Advertisement\nThe vote passed.")[0] == "The vote passed."


def test_non_text_input_raises_input_error():
    with pytest.raises(errors.InputError):
        split_roundup(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(errors.InputError):
        looks_like_roundup(None)  # type: ignore[arg-type]


def test_empty_page_gives_no_pieces():
    assert split_roundup("") == Roundup([], [])
    assert split_roundup("\n\n  \n").pieces == []


_FRAGMENTS = st.sampled_from([
    "Headline – Outlet – 6/11/2020", "Jo Park on X, June 11, 2020: hi", "Advertisement", "Related",
    "Subscribe to continue reading.", "The council voted.", "the vote went on", "", " ", "By Jo Park",
    "Photo: X/Getty", "What others say", "[Subscribe now to keep reading]", "Read more »", "–", "@a on X:",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(_FRAGMENTS, st.text(max_size=30)), max_size=25).map("\n".join)))
def test_split_roundup_returns_pieces_or_framing_error(text):
    try:
        result = split_roundup(text)
    except errors.FramingError:
        return
    for piece in result.pieces:
        start, end = piece.offsets
        assert 0 <= start <= end <= len(text)
        assert re.search(r"\w", piece.text)
    for r in result.removed:
        assert 0 <= r.start <= r.end <= len(text) and text[r.start:r.end] == r.text


class TestPageHeader:
    """``Target:`` / ``Story:`` lines at the top of a page."""

    PAGE = ("Target: police use of facial recognition\nstory: fr-2020\n\nAmazon pauses its tool\n"
            "Amazon said on Wednesday it would stop selling the tool to police for a year.\n\n"
            "Dana Whitfield on Twitter, 6/11/2020: A pause is not a ban.\n")

    def test_every_piece_gets_the_target_and_story_and_offsets_still_hold(self):
        from pipeline.corpus.roundup import read_page

        page = read_page(self.PAGE, document_id="p")
        assert [(p.target, p.story) for p in page.pieces] == [("police use of facial recognition", "fr-2020")] * 2
        for piece in page.pieces:
            assert "Target" not in piece.text
            start, end = piece.offsets
            assert piece.text.split()[-1] in self.PAGE[start:end]

    def test_arguments_win_and_lines_elsewhere_are_text(self):
        from pipeline.corpus.roundup import page_header, read_page

        page = read_page(self.PAGE, document_id="p", target="something else")
        assert page.pieces[0].target == "something else" and page.pieces[0].story == "fr-2020"
        text, found = page_header("An article.\nTarget: not a header here\n")
        assert found == {} and text.startswith("An article.")
