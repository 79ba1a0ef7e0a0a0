"""Property-based tests: whatever the bytes, loaders and the roundup splitter either work or
raise our :class:`FramingError`, never another exception."""

from __future__ import annotations

import codecs
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import errors
from pipeline.corpus import CsvOptions, LoadReport, Piece, read_corpus
from pipeline.corpus.roundup import split_roundup
from pipeline.corpus.text_io import iter_lines, read_text

SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"])

# Text that looks like corpus files: JSON fragments, CSV syntax, line ends, odd characters.
FRAGMENTS = st.sampled_from([
    '{"id": "a", "text": "Some words"}', '{"text": ', '"', ",", "\n", "\r\n", "\r", "\t", "{", "}",
    "[", "]", '"text"', '"id"', ":", "null", "1", '"labels": {"stance": "x"}', "id,text", "\x00",
    "\ufeff", "\u2028", "\\ud800", "é", "—", "=SUM(A1)", " ", "text", "word",
])
CORPUS_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)


def _load(data: bytes, suffix: str, skip_invalid: bool) -> list[Piece]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"c{suffix}"
        path.write_bytes(data)
        report = LoadReport()
        try:
            pieces = list(read_corpus(path, skip_invalid=skip_invalid, report=report,
                                      csv_options=CsvOptions()))
        except errors.FramingError:
            return []
        assert report.loaded == len(pieces)
        for piece in pieces:
            assert any(ch.isalnum() for ch in piece.text)
            json.dumps(piece.to_record(), ensure_ascii=False).encode("utf-8")  # writable as output
        return pieces


@SETTINGS
@given(text=CORPUS_TEXT, encoding=ENCODINGS, suffix=st.sampled_from([".jsonl", ".csv", ".tsv", ".txt"]),
       skip_invalid=st.booleans())
def test_any_text_file_loads_or_raises_framing_error(text, encoding, suffix, skip_invalid):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    _load(data, suffix, skip_invalid)


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".jsonl", ".csv", ".txt"]))
def test_any_bytes_load_or_raise_framing_error(data, suffix):
    _load(data, suffix, skip_invalid=True)
    _load(data, suffix, skip_invalid=False)


@SETTINGS
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "text", "title", "kind", "labels", "meta", "offsets", "x"]),
                                        st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                                                     lambda c: st.lists(c, max_size=3)
                                                     | st.dictionaries(st.text(max_size=5), c, max_size=3),
                                                     max_leaves=6)),
                        max_size=6))
def test_any_json_records_load_or_raise_framing_error(records):
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    pieces = _load(data, ".jsonl", skip_invalid=True)
    assert len(pieces) <= len(records)


@SETTINGS
@given(text=CORPUS_TEXT, encoding=ENCODINGS)
def test_streamed_lines_match_whole_file_reading(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    if encoding == "utf-8-sig" and text.startswith("\ufeff"):
        return  # two BOMs: ambiguous by construction
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.txt"
        path.write_bytes(data)
        try:
            whole = read_text(path)
        except errors.FramingError:
            return
        try:
            streamed = "".join(line for _, line in iter_lines(path))
        except errors.FramingError:
            return
        if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in data:
            return
        assert streamed == whole


ROUNDUP_LINES = st.sampled_from([
    "Police pause facial recognition – The Daily Planet – 6/11/2020",
    "Jane Doe (@jdoe) on X, June 11, 2020: This is wrong.", "By John Smith", "Advertisement",
    "The city council voted on Tuesday to end the program.", "Read more", "", "—", "Share this",
    "Updated June 12, 2020, 4:05 PM", "Editorial – Bayside Tribune – June 9, 2020", "@user tweeted:",
])


@SETTINGS
@given(lines=st.lists(st.one_of(ROUNDUP_LINES, st.text(max_size=30)), max_size=25))
def test_roundup_splitter_splits_or_raises_framing_error(lines):
    text = "\n".join(lines)
    try:
        roundup = split_roundup(text, document_id="doc")
    except errors.FramingError:
        return
    for piece in roundup.pieces:
        assert isinstance(piece, Piece)
        if piece.offsets is not None:
            start, end = piece.offsets
            assert 0 <= start <= end <= len(text)


@SETTINGS
@given(value=st.one_of(st.binary(max_size=20), st.integers(), st.none()))
def test_roundup_splitter_refuses_non_text(value):
    try:
        split_roundup(value, document_id="doc")
    except errors.FramingError:
        pass
