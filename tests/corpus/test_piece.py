import pytest

from pipeline import errors
from pipeline.corpus import Piece, normalise_text, text_hash


class TestFromRecord:
    def test_full_record_round_trips(self):
        record = {"id": "a1", "text": "Council votes on rent cap.", "title": "Vote", "source": "Daily",
                  "kind": "snippet", "date": "2023-04-02", "story": "rent", "target": "a rent cap",
                  "labels": {"stance": "support"}, "meta": {"x": 1}, "offsets": [3, 30]}
        piece = Piece.from_record(record, where="f.jsonl:1")
        assert piece.offsets == (3, 30)
        assert piece.origin == "f.jsonl:1"
        assert piece.to_record() == record

    def test_integer_id_and_label_become_strings(self):
        piece = Piece.from_record({"id": 7, "text": "Hello there", "labels": {"lean": 1}})
        assert piece.id == "7" and piece.labels == {"lean": "1"}

    def test_missing_id_uses_default(self):
        assert Piece.from_record({"text": "Some words"}, default_id="f:3").id == "f:3"

    def test_empty_labels_are_unlabelled(self):
        assert Piece.from_record({"id": "x", "text": "Words", "labels": {"stance": None, "frame": ""}}).labels == {}

    @pytest.mark.parametrize("record, fragment", [
        ({"id": "x"}, "missing required field 'text'"),
        ({"id": "x", "text": "  ...  "}, "no words"),
        ({"id": "x", "text": 5}, "must be a string"),
        ({"id": "x", "text": "a b", "body": "c"}, "unknown field(s) ['body']"),
        ({"id": "x", "text": "a b", "kind": "tweet"}, "must be one of article, snippet, post"),
        ({"id": "x", "text": "a b", "labels": ["oppose"]}, "'labels' must be an object"),
        ({"id": "x", "text": "a b", "labels": {"stance": ["a"]}}, "labels.stance"),
        ({"id": "x", "text": "a b", "offsets": [1]}, "offsets"),
        ({"id": True, "text": "a b"}, "field 'id'"),
        ([1, 2], "expected a JSON object"),
    ])
    def test_invalid_records_name_the_place_and_the_problem(self, record, fragment):
        with pytest.raises(errors.CorpusError) as info:
            Piece.from_record(record, where="c.jsonl:9")
        assert str(info.value).startswith("c.jsonl:9: ")
        assert fragment in str(info.value)


def test_normalisation_ignores_case_and_spacing():
    assert normalise_text("  The  Mayor\nSaid ") == "the mayor said"
    assert text_hash("The mayor said") == text_hash("the  MAYOR said\n")
    assert text_hash("The mayor said") != text_hash("The mayor says")
