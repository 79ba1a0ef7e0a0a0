"""Label checks before training: task names off by case, no task, labels one edit apart."""

from __future__ import annotations

import pytest

from pipeline import errors
from pipeline.cli._errors import message as cli_message
from pipeline.corpus import Piece
from pipeline.corpus.labels import check_labels, label_problems, one_edit_apart


def pieces(*labels: str, task: str = "stance", meta: dict | None = None) -> list[Piece]:
    return [Piece(id=f"p{i}", text=f"text {i}", labels={task: lab} if lab else {}, meta=meta or {})
            for i, lab in enumerate(labels)]


class TestOneEdit:
    @pytest.mark.parametrize("a, b", [("oppose", "opose"), ("oppose", "opposse"), ("oppose", "opopse"),
                                      ("neutral", "nuetral"), ("support", "suport")])
    def test_typos_are_one_edit(self, a, b):
        assert one_edit_apart(a, b) and one_edit_apart(b, a)

    @pytest.mark.parametrize("a, b", [("agree", "disagree"), ("oppose", "oppose"), ("left", "right"),
                                      ("positive", "negative")])
    def test_different_words_are_not(self, a, b):
        assert not one_edit_apart(a, b)


class TestProblems:
    def test_clean_labels_pass(self, sample_pieces):
        assert label_problems(sample_pieces) == []
        check_labels(sample_pieces)

    def test_a_typo_and_a_capital_are_named_rarer_first(self):
        found = label_problems(pieces(*["oppose"] * 5, "opose", *["support"] * 4, "Support"))
        assert found == ["task 'stance': labels 'opose' (1 pieces) and 'oppose' (5) are one edit apart: "
                         "fix the rarer one if it is a typo",
                         "task 'stance': labels 'Support' (1 pieces) and 'support' (4) differ only in case: "
                         "fix the rarer one if it is a typo"]

    def test_short_codes_and_numbers_one_edit_apart_are_fine(self):
        assert label_problems(pieces("A1", "A2", "pro", "con", task="frame")) == []
        assert label_problems(pieces("frame1", "frame2", task="frame")) == []

    def test_a_column_named_like_a_task_but_for_case(self):
        found = label_problems(pieces("", "", meta={"Stance": "oppose"}))
        assert len(found) == 1 and "column 'Stance' is read as metadata" in found[0]
        assert "rename it 'stance'" in found[0] and "CsvOptions(labels=('Stance',))" in found[0]

    def test_a_task_named_like_a_known_one_but_for_case(self):
        assert "task 'Frame' differs from the known task 'frame' only in case" in label_problems(
            pieces("economic", "political", task="Frame"))[0]

    def test_no_task_at_all(self):
        with pytest.raises(errors.LabelError, match=r"^c.csv: no piece has a label.*CsvOptions\(labels=.*\.$") as caught:
            check_labels(pieces("", ""), where="c.csv")
        assert "allow_labels" not in str(caught.value)  # it would not help
        assert caught.value.options == ("label_column", "folder_task")
        assert "--label COLUMN (CSV) or --folder-task TASK (folders)" in cli_message(caught.value)

    def test_the_error_is_one_line_with_file_values_and_fix(self):
        with pytest.raises(errors.LabelError) as caught:
            check_labels(pieces("oppose", "oppose", "opose"), where="data.csv")
        message = str(caught.value)
        assert message.startswith("data.csv: task 'stance': labels 'opose'") and "\n" not in message
        assert message.endswith("or pass allow_labels=True to train on the labels as they are.")
        assert cli_message(caught.value).endswith("or pass --allow-labels to train on the labels as they are.")

    def test_train_refuses_unless_allowed(self):
        from pipeline.training.train import train

        with pytest.raises(errors.LabelError):
            train(pieces("oppose", "support", "opose"), evaluate=False)
        with pytest.raises(errors.TrainingError, match="no piece has a label"):
            train(pieces("", ""), evaluate=False, allow_labels=True)
