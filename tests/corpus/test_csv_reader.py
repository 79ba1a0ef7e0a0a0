"""Tests for pipeline.corpus.csv_reader: column mapping, label columns, rows that break the header."""

from __future__ import annotations

import pytest

from pipeline import errors
from pipeline.corpus import CsvOptions, read_corpus
from pipeline.corpus.csv_reader import table_header


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


class TestCsv:
    def test_mapping_labels_and_meta(self, tmp_path):
        f = write(tmp_path / "c.csv", 'uid,body,outlet,stance,extra\n1,"Text, with comma",Daily,oppose,x\n2,"Multi\nline",Weekly,support,y\n')
        pieces = list(read_corpus(f, csv_options=CsvOptions(columns={"id": "uid", "text": "body", "source": "outlet"})))
        assert [(p.id, p.source, p.labels) for p in pieces] == [("1", "Daily", {"stance": "oppose"}), ("2", "Weekly", {"stance": "support"})]
        assert pieces[1].text == "Multi\nline"
        assert pieces[0].meta == {"extra": "x"}

    def test_tsv(self, tmp_path):
        f = write(tmp_path / "c.tsv", "id\ttext\tframe\na\tSome text\teconomic\n")
        assert next(read_corpus(f)).labels == {"frame": "economic"}

    def test_row_with_extra_cells_names_its_line(self, tmp_path):
        f = write(tmp_path / "c.csv", 'id,text\n1,"ok"\n2,"multi\nline"\n3,too,many\n')
        with pytest.raises(errors.CorpusError, match=r"c\.csv:5: the row has 3 cells but the header has 2"):
            list(read_corpus(f))

    def test_no_text_column(self, tmp_path):
        f = write(tmp_path / "c.csv", "id,body\n1,x\n")
        with pytest.raises(errors.CorpusError, match=r"CsvOptions\(columns={'text': COLUMN}\)") as caught:
            list(read_corpus(f))
        assert caught.value.options == ("column_map_text",)

    def test_fields_and_label_columns_in_another_case(self, tmp_path):
        # A shared-task layout: capitalised names are the fields and tasks, not meta.
        f = write(tmp_path / "c.tsv", "ID\tTarget\tText\tStance\tOpinion\n7\tAtheism\tSome words\tAGAINST\tx\n")
        piece = next(read_corpus(f))
        assert (piece.id, piece.target, piece.text) == ("7", "Atheism", "Some words")
        assert piece.labels == {"stance": "AGAINST"}
        assert piece.meta == {"Opinion": "x"}

    def test_the_exact_name_wins_over_another_case(self, tmp_path):
        f = write(tmp_path / "c.csv", "text,Stance,stance\nwords,a,b\n")
        piece = next(read_corpus(f))
        assert piece.labels == {"stance": "b"}
        assert piece.meta == {"Stance": "a"}

    def test_no_text_column_names_a_likely_column(self, tmp_path):
        f = write(tmp_path / "c.csv", "id,Tweet,stance\n1,x,FAVOR\n")
        with pytest.raises(errors.CorpusError, match=r"c\.csv:1: .*Perhaps the text is in 'Tweet'\."):
            list(read_corpus(f))

    def test_a_tab_separated_csv_is_named_as_such(self, tmp_path):
        f = write(tmp_path / "c.csv", "id\ttext\n1\tx\n")
        with pytest.raises(errors.CorpusError, match=r"reads as one column: the file looks tab-separated: name it \.tsv"):
            list(read_corpus(f))


class TestTableHeader:
    def test_tab_and_comma_tables(self):
        tsv = "ID\tTarget\tTweet\tStance\n1\tx\tsome words\tFAVOR\n2\tx\tmore words\tNONE\n"
        assert table_header(tsv) == ("\t", ["ID", "Target", "Tweet", "Stance"])
        quoted = 'id,text,stance\n1,"a claim, with a comma",oppose\n2,plain words,support\n'
        assert table_header(quoted) == (",", ["id", "text", "stance"])

    @pytest.mark.parametrize("text", [
        "One line only\tstance\n",
        "Headline, a long one that goes on for far too long to be a column name\nBody text.\n",
        "Apples,\tpears\nThe market opened, and prices fell.\nThen, rose again.\n",  # no known column
        "Text\tStance\nA body line with no tabs at all.\nAnother one.\nA third.\n",  # rows do not split alike
    ])
    def test_prose_is_not_a_table(self, text):
        assert table_header(text) is None
