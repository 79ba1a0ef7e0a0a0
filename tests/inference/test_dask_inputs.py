"""Workers that read the inputs themselves: byte ranges of JSONL and CSV files, folders of text
files, file:// and memory:// URLs, on a real LocalCluster; every output is compared byte for
byte with a local ``framing classify`` run of the same files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import errors
from pipeline.cli import app
from pipeline.corpus import LoadReport, read_corpus
from pipeline.corpus.text_io import iter_lines

distributed = pytest.importorskip("distributed")

from pipeline.corpus.byte_ranges import align_block, count_lines, csv_cuts  # noqa: E402
from pipeline.corpus.sources import Blocks, ClientInput, plan_inputs  # noqa: E402
from pipeline.inference.distributed import Encoding, WorkerOptions, classify_inputs_on_dask, encode_jsonl  # noqa: E402

from .test_distributed import CLAIMS, OUTLETS, interrupt_after  # noqa: E402
from .test_distributed import model as model  # noqa: E402,F401 (a fixture)


def classify(*args: str):
    return CliRunner().invoke(app, ["classify", *args, "-q"])


def local(path: Path, model: Path, tmp_path: Path, fmt: str = "jsonl", *extra: str) -> bytes:
    out = tmp_path / f"local-{path.name}.{fmt}"
    result = classify(str(path), "--model", str(model), "-f", fmt, "-o", str(out), "--no-entities", *extra)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def record(i: int, **extra) -> dict:
    return {"text": f"Report {i}: {CLAIMS[i % len(CLAIMS)]}, said a resident of Ward {i % 7}.",
            "source": OUTLETS[i % 3], **extra}


def awkward_jsonl(path: Path, *, crlf: bool = False) -> Path:
    """Records without ids (their ids are file:line, so line numbers must continue across ranges),
    blank lines, a lone \\r ending a line, multibyte characters everywhere, no final newline."""
    end = "\r\n" if crlf else "\n"
    parts = []
    for i in range(30):
        rec = record(i, text=f"Zürich – Łódź “{i}” ✓ {CLAIMS[i % len(CLAIMS)]}" + "é" * (i % 5))
        if i % 3 == 0:
            rec["id"] = f"k{i}"
        parts.append(json.dumps(rec, ensure_ascii=False) + (end if i != 12 else "\r"))
        if i % 7 == 0:
            parts.append(end)  # a blank line: counted, never a record
    text = "".join(parts).rstrip("\r\n")  # no newline after the last record
    path.write_bytes(text.encode("utf-8"))
    return path


def run(inputs, out: Path, client, model: Path, **kwargs):
    options = kwargs.pop("options", None) or WorkerOptions(entities=False)
    return classify_inputs_on_dask([str(i) for i in inputs], output=out, dask=client, model=model,
                                   options=options, **kwargs)


class TestCutting:
    def test_blocks_cover_every_line_once_with_its_number(self, tmp_path):
        data = "a\nbb\r\ncc\rdd\n\néé\nlast".encode()
        path = tmp_path / "x.jsonl"
        path.write_bytes(data)
        blocks = [align_block(str(path), o, min(o + 3, len(data))) for o in range(0, len(data), 3)]
        assert blocks[0][0] == 0 and blocks[-1][1] == len(data)
        assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))  # contiguous, no gap, no overlap
        assert sum(n for _, _, n in blocks) == count_lines(data) == len(list(iter_lines(path))) == 7
        for start, end, _ in blocks:  # each starts just after a newline
            assert start in (0, end) or data[start - 1:start] == b"\n"

    def test_lines_read_a_block_at_a_time(self, monkeypatch):
        import io

        from pipeline.corpus import byte_ranges

        data = "ab\ncd\r\n\né✓\nx".encode() * 7
        monkeypatch.setattr(byte_ranges, "_READ_BLOCK", 3)  # lines and characters cut between reads
        assert list(byte_ranges.raw_lines(io.BytesIO(data))) == list(io.BytesIO(data))
        assert b"".join(byte_ranges.raw_lines(io.BytesIO(data), 5, 20)) == data[5:20]

    def test_utf16_and_binary_files_are_not_cut(self, tmp_path):
        wide = tmp_path / "w.jsonl"
        wide.write_bytes('{"text": "a"}\n{"text": "b"}\n'.encode("utf-16"))
        assert align_block(str(wide), 10, 20) is None
        assert csv_cuts(str(wide), "w.csv", 5, None) is None

    def test_csv_cuts_only_between_records(self, tmp_path):
        path = tmp_path / "m.csv"
        rows = ['id,text'] + [f'r{i},"line one\nline two of {i}, quoted"' for i in range(20)]
        path.write_text("\n".join(rows) + "\n", "utf-8")
        data = path.read_bytes()
        cuts = csv_cuts(str(path), str(path), 40, None)
        assert len(cuts) > 5
        for offset, lines in cuts:
            assert data[offset:offset + 1] == b"r" and data[:offset].count(b"\n") == lines

    def test_plan_uses_sizes_only(self, tmp_path):
        big = awkward_jsonl(tmp_path / "big.jsonl")
        planned = plan_inputs([str(big), "-"], workers_read=True, blocksize=500)
        blocks, stdin = planned.entries
        assert isinstance(blocks, Blocks) and isinstance(stdin, ClientInput)
        assert len(blocks.offsets()) == -(-big.stat().st_size // 500)
        assert all(isinstance(e, ClientInput) for e in plan_inputs([str(big)], workers_read=False).entries)


class TestWorkersRead:
    def test_jsonl_in_byte_ranges_is_byte_identical_to_a_local_run(self, dask_client, model, tmp_path):
        src = awkward_jsonl(tmp_path / "awk.jsonl")
        out = tmp_path / "d.jsonl"
        result = run([src], out, dask_client, model, workers_read=True, blocksize=300)
        assert out.read_bytes() == local(src, model, tmp_path)
        assert len(result.shards) >= 5 and result.records == 30
        ids = [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()]
        assert "awk:3" in ids and "k0" in ids  # a default id carries its line number

    def test_crlf_and_csv_with_multiline_fields(self, dask_client, model, tmp_path):
        src = awkward_jsonl(tmp_path / "crlf.jsonl", crlf=True)
        out = tmp_path / "crlf.out.jsonl"
        run([src], out, dask_client, model, workers_read=True, blocksize=256)
        assert out.read_bytes() == local(src, model, tmp_path)
        csv_file = tmp_path / "m.csv"
        lines = ["title,text,source"] + [f'T{i},"{CLAIMS[i % 6]},\nsaid ""Ward {i}"" – é",{OUTLETS[i % 3]}'
                                         for i in range(25)]
        csv_file.write_text("\r\n".join(lines), "utf-8")
        out = tmp_path / "m.out.csv"
        result = classify(str(csv_file), "--model", str(model), "-f", "csv", "-o", str(out), "--no-entities",
                          "--dask", "local:2", "--workers-read", "--shard-bytes", "200")
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == local(csv_file, model, tmp_path, "csv")
        assert "25 piece(s) in" in result.output and " 1 shard" not in result.output

    def test_a_folder_of_text_files_by_file_url(self, dask_client, model, tmp_path):
        folder = tmp_path / "pages"
        (folder / "oppose").mkdir(parents=True)
        (folder / "support").mkdir()
        for i in range(7):
            (folder / ("oppose" if i % 2 else "support") / f"p{i}.txt").write_text(
                f"{CLAIMS[i % 6]}. A resident of Ward {i} – said so.\r\nAnd more.", "utf-8")
        (folder / "README.md").write_text("about these files", "utf-8")
        (folder / ".hidden.txt").write_text("not a piece", "utf-8")
        (folder / "labels.jsonl").write_text(json.dumps({"id": "support/p0", "source": "Harbour Ledger"}) + "\n")
        expected = local(folder, model, tmp_path)
        out = tmp_path / "f.jsonl"
        report = LoadReport()
        result = run([folder.as_uri()], out, dask_client, model, blocksize=60, report=report)
        assert out.read_bytes() == expected and result.records == 7 and len(result.shards) > 2
        assert {reason for _, reason in report.ignored} == {"hidden file or folder", "documentation, not a piece"}
        records = {r["id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
        assert records["support/p0"]["source"] == "Harbour Ledger"  # from the labels sidecar

    def test_memory_urls_on_an_in_process_cluster(self, model, tmp_path):
        import fsspec

        src = awkward_jsonl(tmp_path / "mem.jsonl")
        fs = fsspec.filesystem("memory")
        fs.pipe("/framing-test/mem.jsonl", src.read_bytes())
        out = tmp_path / "mem.out.jsonl"
        with distributed.Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=":0") as client:
            run(["memory://framing-test/mem.jsonl"], out, client, model, blocksize=400)
        fs.rm("/framing-test", recursive=True)
        assert out.read_bytes() == local(src, model, tmp_path)


class TestSameChecksAsLocal:
    def test_an_invalid_line_in_a_later_range_names_its_file_and_line(self, dask_client, model, tmp_path):
        src = tmp_path / "bad.jsonl"
        lines = [json.dumps(record(i)) for i in range(40)]
        lines[33] = '{"text": "cut off'
        src.write_text("\n".join(lines) + "\n", "utf-8")
        with pytest.raises(errors.CorpusError) as local_error:
            list(read_corpus(src))
        with pytest.raises(errors.CorpusError) as dask_error:
            run([src], tmp_path / "o.jsonl", dask_client, model, workers_read=True, blocksize=300)
        assert str(dask_error.value) == str(local_error.value) and f"{src}:34" in str(dask_error.value)
        out = tmp_path / "skip.jsonl"
        report = LoadReport()
        run([src], out, dask_client, model, workers_read=True, blocksize=300, report=report,
            options=WorkerOptions(entities=False, skip_invalid=True))
        assert out.read_bytes() == local(src, model, tmp_path, "jsonl", "--skip-invalid")
        assert [w for w, _ in report.skipped] == [f"{src}:34"]

    def test_an_id_repeated_in_another_range(self, dask_client, model, tmp_path):
        src = tmp_path / "dup.jsonl"
        src.write_text("".join(json.dumps(record(i, id=f"d{i % 25}")) + "\n" for i in range(30)), "utf-8")
        with pytest.raises(errors.CorpusError, match=r"id 'd0' was already used at .*dup.jsonl:1\b"):
            run([src], tmp_path / "o.jsonl", dask_client, model, workers_read=True, blocksize=400)
        out, report = tmp_path / "skip.jsonl", LoadReport()
        run([src], out, dask_client, model, workers_read=True, blocksize=400, report=report,
            options=WorkerOptions(entities=False, skip_invalid=True))
        assert out.read_bytes() == local(src, model, tmp_path, "jsonl", "--skip-invalid")
        assert len(report.skipped) == 5 and report.skipped[0][0] == f"{src}:26"

    def test_no_text_as_locally(self, model, tmp_path):
        src = awkward_jsonl(tmp_path / "nt.jsonl")
        for fmt in ("jsonl", "csv"):
            out = tmp_path / f"nt-out.{fmt}"
            result = classify(str(src), "--model", str(model), "-f", fmt, "-o", str(out), "--no-entities",
                              "--no-text", "--dask", "local:1", "--shard-bytes", "500")
            assert result.exit_code == 0, result.output
            assert out.read_bytes() == local(src, model, tmp_path, fmt, "--no-text")
            assert "Zürich" not in out.read_text("utf-8")

    def test_resume_and_a_killed_worker(self, dask_client, model, tmp_path):
        import os

        src = awkward_jsonl(tmp_path / "res.jsonl")
        expected = local(src, model, tmp_path)
        out, parts = tmp_path / "r.jsonl", tmp_path / "parts"
        kwargs = dict(workers_read=True, blocksize=250, parts_dir=parts)
        with pytest.raises(KeyboardInterrupt):
            run([src], out, dask_client, model, max_in_flight=1, progress=interrupt_after(2), **kwargs)
        assert not out.exists() and len(list(parts.glob("part-*.json"))) == 2
        result = run([src], out, dask_client, model, resume=True, **kwargs)
        assert out.read_bytes() == expected and result.resumed == 2
        marker = tmp_path / "kill-once"
        marker.touch()

        def encode_or_die(records):
            if any(r["id"] == "k15" for r in records):
                try:
                    os.unlink(marker)
                except FileNotFoundError:
                    pass
                else:
                    os._exit(1)
            return encode_jsonl(records)

        out2 = tmp_path / "k.jsonl"
        result = run([src], out2, dask_client, model, workers_read=True, blocksize=250,
                     encoding=Encoding("jsonl-or-die", encode_or_die))
        assert not marker.exists() and out2.read_bytes() == expected and result.records == 30
        dask_client.wait_for_workers(2, timeout=120)


def test_a_url_on_a_scheduler_and_worker_started_with_dask(dask_cli_cluster, model, tmp_path):
    src = awkward_jsonl(tmp_path / "cli.jsonl")
    out = tmp_path / "cli.out.jsonl"
    result = classify(src.as_uri(), "--model", str(model), "-f", "jsonl", "-o", str(out), "--no-entities",
                      "--dask", dask_cli_cluster, "--shard-bytes", "700")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == local(src, model, tmp_path)
