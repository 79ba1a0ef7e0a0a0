"""The CLI through typer's CliRunner: exit codes and what it prints."""

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from ..conftest import ROOT, SAMPLE

runner = CliRunner()
PAGE = ROOT / "corpus" / "roundups" / "facial-recognition-2020.txt"


@pytest.fixture(scope="module")
def expected_page():
    """The pieces and removed lines written down for the sample roundup page."""
    return json.loads(PAGE.with_suffix(".expected.json").read_text())


@pytest.fixture(scope="module")
def trained(models_dir, tmp_path_factory):
    """A model trained through the CLI on a small corpus written for the test."""
    corpus = tmp_path_factory.mktemp("corpus") / "c.jsonl"
    rows = []
    for i in range(24):
        good = i % 2 == 0
        rows.append({"id": f"p{i}", "source": f"Outlet {i % 4}", "story": f"story {i % 3}",
                     "text": ("Residents welcome the overdue plan, a clear win. " if good
                              else "Critics call the reckless plan a costly mistake. ") + f"Item {i}.",
                     "labels": {"stance": "support" if good else "oppose", "frame": "economic" if i % 3 else "political"}})
    corpus.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = models_dir / "cli"
    result = runner.invoke(app, ["train", str(corpus), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_train_prints_grouped_summary_and_saves(trained):
    out, output = trained
    assert (out / "model.json").exists()
    assert "by source" in output and "by story" in output and "random" in output
    assert f"saved {out}" in output


def test_classify_json_on_stdin(trained):
    out, _ = trained
    result = runner.invoke(app, ["classify", "-", "--model", str(out), "--format", "json", "--no-entities"],
                           input="Residents welcome the overdue plan, a clear win.")
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert record["predictions"]["stance"]["label"] == "support"
    assert set(record["predictions"]["stance"]["probabilities"]) == {"support", "oppose"}


def test_classify_table_with_entities(trained, tmp_path):
    out, _ = trained
    page = tmp_path / "page.txt"
    page.write_text("Microsoft said the reckless plan is a costly mistake for Boston.")
    result = runner.invoke(app, ["classify", str(page), "--model", str(out)])
    assert result.exit_code == 0, result.output
    assert "oppose" in result.stdout
    assert "Microsoft" in result.stdout


def test_classify_roundup_page_gives_one_row_per_piece(trained, expected_page):
    out, _ = trained
    result = runner.invoke(app, ["classify", str(PAGE), "--model", str(out), "--format", "jsonl", "--no-entities"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["kind"] for r in records] == [p["kind"] for p in expected_page["pieces"]]
    assert all(r["offsets"] for r in records)


def test_corpus_stats(tmp_path):
    result = runner.invoke(app, ["corpus", "stats", str(SAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert stats["pieces"] >= 300 and stats["duplicates"] == []
    assert set(stats["tasks"]) == {"stance", "frame"}
    assert stats["load"]["ignored"][0]["path"].endswith("CODEBOOK.md")


def test_split_prints_pieces_and_removed(tmp_path):
    result = runner.invoke(app, ["split", str(PAGE), "--show-removed"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    pieces = [x for x in lines if "removed" not in x]
    removed = [x for x in lines if "removed" in x]
    assert {p["kind"] for p in pieces} == {"article", "snippet", "post"}
    assert removed and all(r["reason"] for r in removed)
    learned = [r for r in removed if r["reason"] == "furniture"]
    assert learned and all(0.0 <= r["confidence"] <= 1.0 for r in learned)
    assert all("confidence" not in r for r in removed if r["reason"] not in ("furniture", "interruption"))


def test_split_show_removed_gives_each_notice_its_confidence(tmp_path):
    from ..corpus.test_learned_cleaning import PAYWALL_PAGE

    page = tmp_path / "ferry.txt"
    page.write_text(PAYWALL_PAGE, encoding="utf-8")
    result = runner.invoke(app, ["split", str(page), "--show-removed"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    (piece,) = [x for x in lines if "removed" not in x]
    assert piece["title"] == "Harbour council backs new ferry timetable"
    assert "could start in June" in piece["text"]
    removed = {r["removed"]: r for r in lines if "removed" in r}
    assert removed["Related stories"]["reason"] == "furniture" and removed["Related stories"]["confidence"] > 0.5


def test_bad_corpus_line_is_one_line_error_with_exit_code(tmp_path, models_dir):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "fine", "labels": {"stance": "a"}}\n{"id": "2", "txt": "oops"}\n')
    result = runner.invoke(app, ["train", str(bad), "--out", str(models_dir / "never")])
    assert result.exit_code == 2
    assert f"{bad}:2: unknown field(s) ['txt']" in " ".join(result.output.split())
    assert not (models_dir / "never").exists()


def test_missing_model_is_a_clear_error(tmp_path, models_dir):
    result = runner.invoke(app, ["classify", "-", "--model", str(models_dir / "absent")], input="text")
    assert result.exit_code == 1
    assert "no model here" in result.output


def test_help_lists_every_verb():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for verb in ("train", "classify", "evaluate", "inspect", "split", "corpus"):
        assert verb in result.stdout


def test_inspect_shows_the_boilerplate_removed_from_a_page(trained, expected_page):
    out, _ = trained
    result = runner.invoke(app, ["inspect", str(PAGE), "--model", str(out), "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    removed = shown["removed"][str(PAGE)]
    assert [r["text"] for r in removed] == [r["text"] for r in expected_page["removed"]]
    assert all(r["reason"] == w["reason"] for r, w in zip(removed, expected_page["removed"]) if r["reason"] != "furniture")
    assert all(0.0 <= r["confidence"] <= 1.0 for r in removed if r["reason"] == "furniture")
    assert len(shown["pieces"]) == 2


def test_plain_text_article_is_cleaned_of_furniture(tmp_path):
    from pipeline.corpus import read_corpus

    page = tmp_path / "article.txt"
    page.write_text("The council approved the budget on Monday.\n\n"
                    "Sign up for our newsletter to get the latest news in your inbox.\n\n"
                    "Critics said the plan would raise taxes.\n")
    [piece] = read_corpus(page)
    assert "newsletter" not in piece.text
    assert "Critics said the plan would raise taxes." in piece.text
    assert piece.meta["boilerplate_removed"] == 1


def test_split_of_an_html_page_uses_the_rules_alone_after_trafilatura(tmp_path):
    pytest.importorskip("trafilatura")
    paragraphs = [f"The harbour board met for the {n} time this year and agreed to publish every ferry "
                  f"timetable change a month ahead, after complaints from island workers." for n in
                  ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")]
    page = tmp_path / "board.html"
    page.write_text("<html><body><article><h1>Harbour board promises notice of timetable changes</h1>"
                    + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>", encoding="utf-8")
    result = runner.invoke(app, ["split", str(page), "--show-removed"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    text = " ".join(x["text"] for x in lines if "removed" not in x)
    assert all(p in text for p in paragraphs)
    assert all("confidence" not in x for x in lines if "removed" in x)


def test_a_config_file_is_checked_and_kept_in_the_model(tmp_path, models_dir):
    """--config: a bad value stops with the file, the setting and what it allows; a good one reaches model.json."""
    from ..conftest import TINY_STANCE_TEXTS

    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps({"text": t, "labels": {"stance": y}}) + "\n" for t, y in TINY_STANCE_TEXTS))
    bad = tmp_path / "bad.toml"
    bad.write_text("[classifier]\nkind = 'forest'\n")
    result = runner.invoke(app, ["train", str(data), "--out", str(models_dir / "never"), "--config", str(bad), "-q"])
    assert result.exit_code == 2
    assert f"{bad}: 'classifier.kind' must be one of 'linear', 'finetune', found 'forest'." in " ".join(result.output.split())
    missing = runner.invoke(app, ["train", str(data), "--out", str(models_dir / "never"), "--config",
                                  str(tmp_path / "nope.toml"), "-q"])
    assert missing.exit_code == 2 and "Check the path given as --config." in missing.output
    good = tmp_path / "good.toml"
    good.write_text("[classifier]\nC = 2\ncalibration_folds = 0\n")
    out = models_dir / "configured"
    result = runner.invoke(app, ["train", str(data), "--out", str(out), "--config", str(good), "-q", "--no-eval"])
    assert result.exit_code == 0, result.output
    saved = json.loads((out / "model.json").read_text())["config"]
    assert saved["classifier"]["C"] == 2.0 and saved["classifier"]["calibration_folds"] == 0
    assert saved["tasks"] == {"frame": {"features": {"target_features": False}}}
