"""Dataset adapters, on small files written by the tests (never the real data)."""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from pipeline import errors
from pipeline.cli import app
from pipeline.corpus import Piece, read_corpus
from pipeline.corpus.datasets.adapters import convert, read_allsides, read_fnc1, read_gvfc, read_newsmtsc


def _allsides(folder, rows, splits="id\trandom\toutlet\na1\ttrain\ttest\n"):
    folder.mkdir(exist_ok=True)
    with gzip.open(folder / "articles.jsonl.gz", "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    (folder / "splits.tsv").write_text(splits, encoding="utf-8")
    return folder


ARTICLE = {"id": "a1", "source": "Daily Test", "outlet": "daily test", "topic": "elections",
           "date": "2020-01-02", "url": "http://x.test/a", "authors": "A. Writer", "title": "A title",
           "text": "Voters went to the polls.", "lean": "left"}


class TestAllSides:
    def test_fields_and_splits(self, tmp_path):
        folder = _allsides(tmp_path / "allsides", [ARTICLE])
        [piece] = read_allsides(folder)
        assert piece.id == "a1" and piece.source == "daily test" and piece.story == "elections"
        assert piece.labels == {"lean": "left"} and piece.title == "A title"
        assert piece.meta["split"] == {"random": "train", "outlet": "test"}
        assert piece.meta["authors"] == "A. Writer"

    def test_bad_json_names_file_and_line(self, tmp_path):
        folder = tmp_path / "allsides"
        folder.mkdir()
        (folder / "articles.jsonl").write_text(json.dumps(ARTICLE) + "\n{oops\n", encoding="utf-8")
        with pytest.raises(errors.CorpusError, match=r"articles\.jsonl:2"):
            list(read_allsides(folder))

    def test_missing_label(self, tmp_path):
        folder = _allsides(tmp_path / "allsides", [{**ARTICLE, "lean": ""}])
        with pytest.raises(errors.CorpusError, match="lean"):
            list(read_allsides(folder))


def _fnc(folder, stances="Headline,Body ID,Stance\nAliens land,1,agree\n\"No, they did not\",1,disagree\n",
         bodies='Body ID,articleBody\n1,"Aliens landed.\n\nOfficials said so."\n'):
    folder.mkdir(exist_ok=True)
    for prefix in ("train", "competition_test"):
        (folder / f"{prefix}_stances.csv").write_text(stances, encoding="utf-8")
        (folder / f"{prefix}_bodies.csv").write_text(bodies, encoding="utf-8")
    return folder


class TestFnc1:
    def test_pairs_become_pieces_with_targets(self, tmp_path):
        pieces = list(read_fnc1(_fnc(tmp_path / "fnc1")))
        assert len(pieces) == 4
        first = pieces[0]
        assert first.target == "Aliens land" and first.text.startswith("Aliens landed.")
        assert first.labels == {"stance": "agree"} and first.meta == {"dataset": "fnc1", "split": "train",
                                                                       "body_id": "1"}
        assert pieces[1].target == "No, they did not"
        assert {p.meta["split"] for p in pieces} == {"train", "test"}
        assert len({p.id for p in pieces}) == 4

    def test_unknown_body_names_line(self, tmp_path):
        folder = _fnc(tmp_path / "fnc1", stances="Headline,Body ID,Stance\nA,1,agree\nB,9,agree\n")
        with pytest.raises(errors.CorpusError, match=r"train_stances\.csv:3.*Body ID '9'"):
            list(read_fnc1(folder, splits=("train",)))

    def test_bad_stance(self, tmp_path):
        folder = _fnc(tmp_path / "fnc1", stances="Headline,Body ID,Stance\nA,1,maybe\n")
        with pytest.raises(errors.CorpusError, match=r":2: Stance 'maybe'"):
            list(read_fnc1(folder))

    def test_line_numbers_follow_multiline_bodies(self, tmp_path):
        bodies = 'Body ID,articleBody\n1,"one\n\ntwo"\n2\n'
        folder = _fnc(tmp_path / "fnc1", bodies=bodies)
        with pytest.raises(errors.CorpusError, match=r"train_bodies\.csv:5"):
            list(read_fnc1(folder))


class TestGvfc:
    def test_headlines_get_frames(self, tmp_path):
        path = tmp_path / "headlines.csv"
        path.write_text("Example,Category\nSenate debates gun bill,Politics\n", encoding="utf-8")
        [piece] = read_gvfc(tmp_path)
        assert piece.text == "Senate debates gun bill" and piece.labels == {"frame": "Politics"}
        assert piece.kind == "snippet"

    def test_wrong_header(self, tmp_path):
        (tmp_path / "headlines.csv").write_text("text,label\nx,y\n", encoding="utf-8")
        with pytest.raises(errors.CorpusError, match=r"headlines\.csv:1: missing column"):
            list(read_gvfc(tmp_path))


SENTENCE = "Smith praised Jones at the rally."
NEWSMTSC = {"primary_gid": "g1", "sentence_normalized": SENTENCE,
            "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 4.0},
                        {"from": 14, "to": 19, "mention": "Jones", "polarity": 6.0}]}


class TestNewsMtsc:
    def test_one_piece_per_target(self, tmp_path):
        (tmp_path / "train.jsonl").write_text(json.dumps(NEWSMTSC) + "\n", encoding="utf-8")
        pieces = list(read_newsmtsc(tmp_path))
        assert [p.target for p in pieces] == ["Smith", "Jones"]
        assert [p.labels["sentiment"] for p in pieces] == ["neutral", "positive"]
        assert pieces[1].meta == {"dataset": "newsmtsc", "split": "train", "from": 14, "to": 19}
        assert pieces[0].story == pieces[1].story == "g1"

    def test_bad_polarity_names_line(self, tmp_path):
        bad = {**NEWSMTSC, "targets": [{"from": 0, "to": 5, "mention": "Smith", "polarity": 3.0}]}
        path = tmp_path / "devtest_mt.jsonl"
        path.write_text(json.dumps(NEWSMTSC) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(errors.CorpusError, match=r"devtest_mt\.jsonl:2"):
            list(read_newsmtsc(path))


def test_unknown_format(tmp_path):
    with pytest.raises(errors.ConfigError, match="allsides"):
        convert("reuters", tmp_path)


def test_adapters_stream(tmp_path):
    """A reader yields its first piece before the file is read to the end."""
    folder = tmp_path / "allsides"
    folder.mkdir()
    (folder / "articles.jsonl").write_text(json.dumps(ARTICLE) + "\nnot json\n", encoding="utf-8")
    assert isinstance(next(read_allsides(folder)), Piece)


class TestConvertCli:
    def test_writes_a_corpus_that_reads_back(self, tmp_path):
        folder = _fnc(tmp_path / "fnc1")
        out = tmp_path / "out" / "fnc1.jsonl"
        result = CliRunner().invoke(app, ["corpus", "convert", "--from", "fnc1", str(folder), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "wrote 4 pieces" in result.output
        pieces = list(read_corpus(out))
        assert [p.target for p in pieces][:2] == ["Aliens land", "No, they did not"]
        assert pieces[0].labels == {"stance": "agree"}
        stats = CliRunner().invoke(app, ["corpus", "stats", str(out)])
        assert stats.exit_code == 0 and "stance" in stats.output

    def test_error_leaves_no_file(self, tmp_path):
        folder = _fnc(tmp_path / "fnc1", stances="Headline,Body ID,Stance\nA,1,agree\nB,1,maybe\n")
        out = tmp_path / "fnc1.jsonl"
        out.write_text("old\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["corpus", "convert", "--from", "fnc1", str(folder), "--out", str(out)])
        assert result.exit_code == 2
        assert "train_stances.csv:3" in result.output
        assert out.read_text(encoding="utf-8") == "old\n"
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    def test_unknown_format_is_rejected(self, tmp_path):
        result = CliRunner().invoke(app, ["corpus", "convert", "--from", "nope", str(tmp_path), "--out",
                                          str(tmp_path / "x.jsonl")])
        assert result.exit_code == 2
