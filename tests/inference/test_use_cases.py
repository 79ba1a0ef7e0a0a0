"""``classify_to`` called directly: the same bytes as ``framing classify``, nothing printed, the
run's state in its result (also after an interruption), errors naming Python arguments."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from pipeline import errors
from pipeline.cli import app
from pipeline.inference.use_cases import ClassifyResult, classify_to

from .test_distributed import model as model  # noqa: F401 (a fixture)
from .test_distributed import write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("use-case") / "in.jsonl", 30)


def cli_output(corpus, model, tmp_path, fmt, *extra):
    out = tmp_path / f"cli.{fmt}"
    result = CliRunner().invoke(app, ["classify", str(corpus), "--model", str(model), "-f", fmt, "-o", str(out),
                                      "--no-entities", "-q", *extra])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


class TestClassifyTo:
    @pytest.mark.parametrize("fmt", ["jsonl", "csv", "json", "tsv"])
    def test_writes_what_the_command_writes_and_prints_nothing(self, corpus, model, tmp_path, capsys, fmt):
        out = tmp_path / f"lib.{fmt}"
        result = classify_to([str(corpus)], out, fmt=fmt, model=model, entities=False)
        assert out.read_bytes() == cli_output(corpus, model, tmp_path, fmt)
        assert result.pieces == 30 and result.tasks == ["stance"] and result.records is None
        assert capsys.readouterr() == ("", "")

    def test_a_table_without_output_is_returned_and_a_stream_gets_the_rest(self, corpus, model):
        result = classify_to([str(corpus)], fmt="table", model=model, entities=False, text=False)
        assert [r["id"] for r in result.records] == [f"p{i}" for i in range(30)]
        assert "text" not in result.records[0]
        stream = io.StringIO()
        classify_to([str(corpus)], fmt="jsonl", model=model, entities=False, stream=stream)
        assert [json.loads(line)["id"] for line in stream.getvalue().splitlines()][:2] == ["p0", "p1"]

    def test_an_interrupted_run_says_where_it_stopped_and_resumes(self, corpus, model, tmp_path):
        out = tmp_path / "r.jsonl"

        def stop_after_first_batch(stage, total):
            seen = []

            def advance(n):
                seen.append(n)
                if sum(seen) > 10:
                    raise KeyboardInterrupt
            return advance

        result = ClassifyResult()
        with pytest.raises(KeyboardInterrupt):
            classify_to([str(corpus)], out, model=model, entities=False, batch_size=10,
                        progress=stop_after_first_batch, result=result)
        assert result.partial == tmp_path / "r.jsonl.partial" and result.written in (10, 20) and not out.exists()
        assert len(result.partial.read_text("utf-8").splitlines()) == result.written
        events = []
        again = classify_to([str(corpus)], out, model=model, entities=False, resume=True,
                            events=lambda name, details: events.append((name, details["pieces"])))
        assert events == [("resuming", result.written)] and again.resumed == result.written
        assert again.pieces == 30 - result.written
        assert out.read_bytes() == cli_output(corpus, model, tmp_path, "jsonl")

    def test_summary_and_html_parts(self, corpus, model, tmp_path):
        summary = tmp_path / "s.json"
        result = classify_to([str(corpus)], tmp_path / "o.jsonl", model=model, entities=False, summary=summary,
                             html=True)
        assert json.loads(summary.read_text("utf-8")) == result.summary and result.summary["pieces"] == 30
        assert set(result.summary["by_source"]["stance"]) == {"Harbour Ledger", "Valley Courier", "Northgate Post"}
        assert len(result.html.records) == 30 and "text" not in result.html.records[0]
        assert result.html.texts["p1"].startswith("Café owners")

    def test_options_that_do_not_go_together_name_arguments_not_flags(self, corpus, model):
        with pytest.raises(errors.ConfigError) as caught:
            classify_to([str(corpus)], None, fmt="jsonl", model=model, resume=True)
        assert "resume=True needs fmt='jsonl' or 'csv' and output=PATH" in str(caught.value)
        assert "--" not in str(caught.value)
        with pytest.raises(errors.ConfigError, match="the Dask address writes"):
            classify_to([str(corpus)], None, fmt="table", model=model, dask="local:1")


def test_on_dask_with_its_summary(dask_client, corpus, model, tmp_path):
    out, summary = tmp_path / "d.jsonl", tmp_path / "d.json"
    result = classify_to([str(corpus)], out, model=model, entities=False, dask=dask_client, workers_read=True,
                         shard_bytes=1000, summary=summary)
    assert out.read_bytes() == cli_output(corpus, model, tmp_path, "jsonl")
    assert result.pieces == 30 and len(result.dask.shards) > 2
    local = classify_to([str(corpus)], tmp_path / "l.jsonl", model=model, entities=False, summary=tmp_path / "l.json")
    assert result.summary == local.summary
