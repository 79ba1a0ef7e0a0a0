import json

import pytest

from pipeline import errors
from pipeline.corpus import CsvOptions, LoadReport, corpus_stats, read_corpus


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


class TestJsonl:
    def test_reads_records_in_order(self, tmp_path):
        f = write(tmp_path / "c.jsonl", '{"id": "a", "text": "One two"}\n\n{"id": "b", "text": "Three"}\n')
        assert [p.id for p in read_corpus(f)] == ["a", "b"]

    def test_bad_json_names_file_and_line(self, tmp_path):
        f = write(tmp_path / "c.jsonl", '{"id": "a", "text": "ok"}\n{"id": "b", "text": \n')
        with pytest.raises(errors.CorpusError, match=r"c\.jsonl:2: not valid JSON"):
            list(read_corpus(f))

    def test_skip_invalid_reports_every_skipped_record(self, tmp_path):
        f = write(tmp_path / "c.jsonl", '{"id": "a", "text": "ok"}\nnot json\n{"id": "c"}\n{"id": "d", "text": "fine"}\n')
        report = LoadReport()
        pieces = list(read_corpus(f, skip_invalid=True, report=report))
        assert [p.id for p in pieces] == ["a", "d"]
        assert [w for w, _ in report.skipped] == [f"{f}:2", f"{f}:3"]
        assert "missing required field 'text'" in report.skipped[1][1]
        assert report.loaded == 2

    def test_duplicate_ids_are_refused(self, tmp_path):
        f = write(tmp_path / "c.jsonl", '{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n')
        with pytest.raises(errors.CorpusError, match=r"c\.jsonl:2: id 'a' was already used at .*c\.jsonl:1"):
            list(read_corpus(f))

    def test_missing_ids_get_file_and_line(self, tmp_path):
        f = write(tmp_path / "news.jsonl", '{"text": "one"}\n{"text": "two"}\n')
        assert [p.id for p in read_corpus(f)] == ["news:1", "news:2"]

    @pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "latin-1"])
    def test_encodings_are_detected(self, tmp_path, encoding):
        f = write(tmp_path / "c.jsonl", json.dumps({"id": "a", "text": "Café déjà vu"}, ensure_ascii=False) + "\n", encoding)
        assert next(read_corpus(f)).text == "Café déjà vu"

    def test_binary_file_is_refused_clearly(self, tmp_path):
        f = tmp_path / "c.jsonl"
        f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")
        with pytest.raises(errors.CorpusError, match="binary"):
            list(read_corpus(f))

    def test_missing_path(self, tmp_path):
        with pytest.raises(errors.CorpusError, match="no such file or folder"):
            list(read_corpus(tmp_path / "nope.jsonl"))


class TestFolders:
    def test_text_files_with_sidecar_labels(self, tmp_path):
        write(tmp_path / "one.txt", "First piece of text.")
        write(tmp_path / "two.md", "Second piece.")
        write(tmp_path / "labels.jsonl", '{"id": "one", "stance": "oppose", "source": "Daily"}\n')
        write(tmp_path / "README.md", "About this corpus")
        write(tmp_path / "image.png", "x")
        report = LoadReport()
        pieces = {p.id: p for p in read_corpus(tmp_path, report=report)}
        assert set(pieces) == {"one", "two"}
        assert pieces["one"].labels == {"stance": "oppose"} and pieces["one"].source == "Daily"
        assert pieces["two"].labels == {}
        assert {p.split("/")[-1] for p, _ in report.ignored} == {"README.md", "image.png"}

    def test_sidecar_columns_that_are_not_fields_or_labels_go_to_meta(self, tmp_path):
        write(tmp_path / "one.txt", "First piece of text.")
        write(tmp_path / "labels.csv", "id,stance,coder,notes\none,oppose,ana,sarcastic in tone\n")
        [piece] = read_corpus(tmp_path)
        assert piece.labels == {"stance": "oppose"}
        assert piece.meta == {"coder": "ana", "notes": "sarcastic in tone"}

    @pytest.mark.parametrize("name, sep", [("labels.csv", ","), ("labels.tsv", "\t")])
    def test_sidecar_columns_match_in_any_case(self, tmp_path, name, sep):
        # A CSV corpus reads "ID,Target,Stance" as id, target and the stance task; so does a sidecar.
        write(tmp_path / "one.txt", "First piece of text.")
        write(tmp_path / "two.txt", "Second piece.")
        rows = ["ID", "Target", "Stance", "Coder"], ["one", "a ban", "oppose", "ana"], ["two", "a ban", "support", "bo"]
        write(tmp_path / name, "".join(sep.join(row) + "\n" for row in rows))
        pieces = {p.id: p for p in read_corpus(tmp_path)}
        assert pieces["one"].labels == {"stance": "oppose"} and pieces["two"].labels == {"stance": "support"}
        assert pieces["one"].target == "a ban"
        assert pieces["one"].meta == {"Coder": "ana"}

    def test_sidecar_exact_name_wins_over_another_case(self, tmp_path):
        write(tmp_path / "one.txt", "First piece of text.")
        write(tmp_path / "labels.csv", "id,stance,Stance\none,oppose,support\n")
        [piece] = read_corpus(tmp_path)
        assert piece.labels == {"stance": "oppose"}
        assert piece.meta == {"Stance": "support"}

    def test_a_table_saved_as_txt_is_refused_with_the_fix(self, tmp_path):
        # Shared-task stance files come as tab-separated .txt; read as one piece they lose every label.
        rows = ["ID\tTarget\tTweet\tStance"] + [f"{i}\ta ban\tsome words {i}\tAGAINST" for i in range(5)]
        f = write(tmp_path / "train.txt", "\n".join(rows) + "\n")
        with pytest.raises(errors.CorpusError, match=r"train\.txt:1: .*tab-separated table.*ID, Target, Tweet, Stance.*name it \.tsv"):
            list(read_corpus(f))
        report = LoadReport()
        assert list(read_corpus(f, skip_invalid=True, report=report)) == []
        assert [w for w, _ in report.skipped] == [f"{f}:1"]
        renamed = f.rename(tmp_path / "train.tsv")
        assert [p.labels for p in read_corpus(renamed, csv_options=CsvOptions(columns={"text": "Tweet"}))] == \
            [{"stance": "AGAINST"}] * 5

    def test_prose_with_tabs_and_commas_is_one_piece(self, tmp_path):
        text = "Title\tBy a reporter\nThe council voted, after a long debate, to pause the cameras.\nIt meets again in May.\n"
        [piece] = read_corpus(write(tmp_path / "story.txt", text), split_roundups=False)
        assert "pause the cameras" in piece.text

    def test_subfolder_names_as_labels(self, tmp_path):
        (tmp_path / "oppose").mkdir()
        (tmp_path / "support").mkdir()
        write(tmp_path / "oppose" / "a.txt", "Against it.")
        write(tmp_path / "support" / "b.txt", "For it.")
        pieces = list(read_corpus(tmp_path, folder_task="stance"))
        assert {(p.id, p.labels["stance"]) for p in pieces} == {("oppose/a", "oppose"), ("support/b", "support")}

    def test_sample_corpus_loads_completely(self, sample_pieces):
        assert len(sample_pieces) >= 300
        stats = corpus_stats(sample_pieces)
        assert len(stats.stories) >= 10
        assert set(stats.labels["stance"]) == {"support", "oppose", "neutral"}
        assert len(stats.labels["frame"]) == 15
        assert "facial-recognition-pause-2020" in stats.stories
        assert set(stats.kinds) == {"article", "snippet", "post"}


def test_stats_find_duplicates_after_normalisation(tmp_path):
    f = write(tmp_path / "c.jsonl", '{"id": "a", "text": "Same  Text", "labels": {"stance": "x"}}\n'
                                     '{"id": "b", "text": "same text"}\n{"id": "c", "text": "other"}\n')
    stats = corpus_stats(read_corpus(f))
    assert stats.duplicates == [["a", "b"]]
    assert stats.unlabelled == 2 and stats.unlabelled_for("stance") == 2


def test_a_text_with_several_targets_is_pair_data_not_a_duplicate(tmp_path):
    f = write(tmp_path / "c.jsonl",
              '{"id": "a", "text": "One body", "target": "Claim one"}\n'
              '{"id": "b", "text": "one  body", "target": "Claim two"}\n'
              '{"id": "c", "text": "One body", "target": "claim ONE"}\n'
              '{"id": "d", "text": "Other body", "target": "Claim one"}\n')
    stats = corpus_stats(read_corpus(f))
    assert stats.duplicates == [["a", "c"]]  # same text, same target after normalisation
    assert stats.shared_texts == [["a", "b", "c"]]
    assert stats.several_targets == 1 and stats.to_record()["texts_with_several_targets"] == 1
    pairs = corpus_stats([p for p in read_corpus(f) if p.id != "c"])
    assert pairs.duplicates == [] and pairs.shared_texts == [["a", "b"]] and pairs.several_targets == 1
