"""Classifying on a real Dask cluster: a LocalCluster, and a scheduler and worker started with the
``dask`` command line. Outputs are compared byte for byte with a local ``framing classify`` run."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from pipeline import errors
from pipeline.cli import app
from pipeline.features.samples import Sample

from ..conftest import TINY_STANCE_TEXTS

distributed = pytest.importorskip("distributed")

from pipeline.cluster import connect, local_workers  # noqa: E402
from pipeline.inference.distributed import (  # noqa: E402
    JSONL,
    Encoding,
    ModelPlugin,
    WorkerOptions,
    classify_on_dask,
    encode_jsonl,
    ship_model,
)

OUTLETS = ["Harbour Ledger", "Valley Courier", "Northgate Post"]
CLAIMS = ["the new cameras harm our rights", "the tool helps police solve crimes quickly",
          "critics say the system is biased", "officials praise the scheme for catching suspects",
          "this surveillance must end now", "supporters say the streets feel safer"]


def write_corpus(path: Path, n: int) -> Path:
    """``n`` short invented pieces with every kind of field, a non-ASCII text and a CSV formula."""
    lines = []
    for i in range(n):
        record = {"id": f"p{i}", "text": f"Report {i}: {CLAIMS[i % len(CLAIMS)]}, said a resident of Ward {i % 7}.",
                  "title": f"Story {i}", "source": OUTLETS[i % 3], "target": "police use of cameras"}
        if i % 4 == 0:
            record["meta"] = {"n": i}
        if i % 5 == 0:
            record["labels"] = {"stance": "oppose"}
        lines.append(record)
    lines[1]["text"] = "Café owners in Zürich – and Łódź – say the cameras are “a threat” ✓."
    lines[2]["text"] = "=SUM(A1) is not how the council should count the cameras' benefits."
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
    return path


@pytest.fixture(scope="module")
def model(models_dir):
    """A small real model, fitted without spaCy so that it is quick to make."""
    from pipeline.config import load_config, task_config
    from pipeline.models.factory import fit_task
    from pipeline.models.framing import FramingModel
    from pipeline.models.persist import save_model
    from pipeline.nlp.processor import model_id

    config = load_config(overrides={"classifier": {"calibration_folds": 0}})
    pipe = fit_task(task_config(config, "stance"), [Sample(t) for t, _ in TINY_STANCE_TEXTS],
                    [y for _, y in TINY_STANCE_TEXTS], use_target=False)
    name, version = model_id().split("==")
    info = {"spacy_model": {"name": name, "version": version}, "config": config.to_dict()}
    return save_model(FramingModel(tasks={"stance": pipe}, info=info), models_dir / "dask")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("dask-in") / "in.jsonl", 40)


def classify(*args: str):
    return CliRunner().invoke(app, ["classify", *args, "-q"])


@pytest.fixture(scope="module")
def local_run(model, corpus, tmp_path_factory):
    """The reference: the same inputs classified locally, as jsonl and csv bytes."""
    folder = tmp_path_factory.mktemp("local")
    out = {}
    for fmt in ("jsonl", "csv"):
        result = classify(str(corpus), "--model", str(model), "-f", fmt, "-o", str(folder / f"o.{fmt}"),
                          "--no-entities")
        assert result.exit_code == 0, result.output
        out[fmt] = (folder / f"o.{fmt}").read_bytes()
    return out


def worker_pids(dask_client) -> set[int]:
    return set(dask_client.run(os.getpid).values())


def pieces_of(path: Path):
    from pipeline.corpus import read_corpus

    return list(read_corpus(path))


def interrupt_after(shards: int):
    """A progress factory that interrupts the run (as Ctrl-C would) once ``shards`` shards are done."""
    def start(stage, total):
        done = []

        def advance(n):
            done.append(n)
            if len(done) == shards:
                raise KeyboardInterrupt
        return advance
    return start


class TestLocalCluster:
    def test_output_is_byte_identical_to_a_local_run(self, dask_client, model, corpus, local_run, tmp_path):
        out = tmp_path / "d.jsonl"
        seen = []

        def progress(stage, total):
            return seen.append

        run = classify_on_dask(pieces_of(corpus), output=out, dask=dask_client, model=model,
                               options=WorkerOptions(entities=False), shard_size=7, progress=progress)
        assert out.read_bytes() == local_run["jsonl"]
        assert run.records == 40 and len(run.shards) == 6 and sum(seen) == 6
        assert {s.worker for s in run.shards} <= set(dask_client.scheduler_info()["workers"])
        assert not (tmp_path / "d.jsonl.parts").exists()  # parts are removed once merged

    def test_workers_that_cannot_see_the_parts_folder_send_their_records_back(
            self, dask_client, model, corpus, local_run, tmp_path, monkeypatch):
        from pipeline.inference import distributed as module

        assert module.workers_see(dask_client, tmp_path)  # a local cluster shares this machine's disk
        monkeypatch.setattr(module, "workers_see", lambda *args: False)
        out = tmp_path / "c.jsonl"
        run = classify_on_dask(pieces_of(corpus), output=out, dask=dask_client, model=model,
                               options=WorkerOptions(entities=False), shard_size=16)
        assert out.read_bytes() == local_run["jsonl"] and run.records == 40

    def test_entities_too(self, dask_client, model, tmp_path):
        src = write_corpus(tmp_path / "e.jsonl", 6)
        local = tmp_path / "local.jsonl"
        assert classify(str(src), "--model", str(model), "-f", "jsonl", "-o", str(local)).exit_code == 0
        out = tmp_path / "d.jsonl"
        classify_on_dask(pieces_of(src), output=out, dask=dask_client, model=model, shard_size=4)
        assert out.read_bytes() == local.read_bytes()
        assert any(json.loads(line)["entities"] for line in out.read_text("utf-8").splitlines())

    def test_resume_keeps_complete_parts_and_redoes_damaged_ones(self, dask_client, model, corpus, local_run, tmp_path):
        out, parts = tmp_path / "r.jsonl", tmp_path / "parts"
        options = WorkerOptions(entities=False)
        with pytest.raises(KeyboardInterrupt):
            classify_on_dask(pieces_of(corpus), output=out, dask=dask_client, model=model, options=options,
                             shard_size=5, parts_dir=parts, max_in_flight=1, progress=interrupt_after(3))
        assert not out.exists()  # one shard at a time: none is still running after the interrupt
        finished = sorted(int(p.stem[5:]) for p in parts.glob("part-*.json"))
        assert finished == [0, 1, 2]
        damaged, unlisted = finished[0], finished[1]
        data = parts / f"part-{damaged:06d}.data"
        data.write_bytes(data.read_bytes().replace(b"p", b"q", 1))  # same size, other bytes
        (parts / f"part-{unlisted:06d}.json").unlink()  # as if killed between data and sidecar
        run = classify_on_dask(pieces_of(corpus), output=out, dask=dask_client, model=model, options=options,
                               shard_size=5, parts_dir=parts, resume=True)
        assert out.read_bytes() == local_run["jsonl"]
        resumed = {s.index for s in run.shards if s.resumed}
        assert resumed == set(finished) - {damaged, unlisted}

    def test_resume_redoes_parts_made_with_other_settings(self, dask_client, model, corpus, local_run, tmp_path):
        out, parts = tmp_path / "s.jsonl", tmp_path / "parts"
        with pytest.raises(KeyboardInterrupt):
            classify_on_dask(pieces_of(corpus), output=out, dask=dask_client, model=model, shard_size=5,
                             options=WorkerOptions(entities=False, min_confidence=0.99), parts_dir=parts,
                             max_in_flight=2, progress=interrupt_after(2))
        assert list(parts.glob("part-*.json"))
        run = classify_on_dask(pieces_of(corpus), output=out, dask=dask_client, model=model,
                               options=WorkerOptions(entities=False), shard_size=5, parts_dir=parts, resume=True)
        assert run.resumed == 0 and out.read_bytes() == local_run["jsonl"]

    def test_a_worker_killed_mid_shard_loses_and_duplicates_nothing(self, dask_client, model, corpus, local_run, tmp_path):
        marker = tmp_path / "kill-once"
        marker.touch()
        before = worker_pids(dask_client)

        def encode_or_die(records):
            # Shard 1 is p8..p15 in batches of 4: dying at its second batch leaves half a part.
            if records[0]["id"] == "p12":
                try:
                    os.unlink(marker)
                except FileNotFoundError:
                    pass
                else:
                    os._exit(1)
            return encode_jsonl(records)

        out = tmp_path / "k.jsonl"
        run = classify_on_dask(pieces_of(corpus), output=out, dask=dask_client, model=model,
                               options=WorkerOptions(entities=False, batch_size=4), shard_size=8,
                               encoding=Encoding("jsonl-or-die", encode_or_die))
        assert not marker.exists()  # a worker did die
        assert out.read_bytes() == local_run["jsonl"]
        assert run.records == 40
        dask_client.wait_for_workers(2, timeout=120)
        assert worker_pids(dask_client) - before  # the nanny started a new worker process


    def test_unseen_targets_get_the_zero_shot_stance_as_here(self, dask_client, small_model, tmp_path, monkeypatch):
        """The zero-shot model's files travel with the model; the records (jsonl and csv) are the
        local run's. The sentence encoder is a stub, here and on the workers."""
        from pipeline.models import stance_any

        from .test_zero_shot import TEXTS, UNSEEN, hashed

        def stub(install: bool) -> None:  # run on each worker (defined here: shipped by value)
            from pipeline.models import stance_any as module

            if install:
                module._real_packaged_encoder = module.packaged_encoder
                module.packaged_encoder = lambda model, n_threads=None: hashed
            else:
                module.packaged_encoder = module._real_packaged_encoder

        src = tmp_path / "z.jsonl"
        src.write_text("".join(json.dumps({"id": f"z{i}", "text": t, "target": UNSEEN}) + "\n"
                               for i, t in enumerate(TEXTS * 3)), "utf-8")
        monkeypatch.setattr(stance_any, "packaged_encoder", lambda model, n_threads=None: hashed)
        dask_client.run(stub, True)
        try:
            for fmt in ("jsonl", "csv"):
                common = [str(src), "--model", str(small_model[1]), "-f", fmt, "--no-entities",
                          "--cache-dir", str(tmp_path / "cache")]  # its own worker Framer, made with the stub
                assert classify(*common, "-o", str(tmp_path / f"here.{fmt}")).exit_code == 0
                result = classify(*common, "-o", str(tmp_path / f"there.{fmt}"), "--dask",
                                  dask_client.scheduler.address, "--shard-size", "2")
                assert result.exit_code == 0, result.output
                assert (tmp_path / f"there.{fmt}").read_bytes() == (tmp_path / f"here.{fmt}").read_bytes()
        finally:
            dask_client.run(stub, False)
        records = [json.loads(line) for line in (tmp_path / "there.jsonl").read_text("utf-8").splitlines()]
        assert {r["predictions"]["stance"]["source"] for r in records} == {"stance-any"}


class TestDaskCommandLine:
    def test_csv_on_a_scheduler_and_worker_started_with_dask(self, dask_cli_cluster, model, corpus, local_run, tmp_path):
        out = tmp_path / "c.csv"
        assert dask_cli_cluster.startswith("tcp://127.0.0.1:")
        result = classify(str(corpus), "--model", str(model), "-f", "csv", "-o", str(out), "--no-entities",
                          "--dask", dask_cli_cluster, "--shard-size", "9")
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == local_run["csv"]
        assert "40 piece(s) in 5 shard(s)" in result.output

    def test_local_address_starts_and_stops_a_cluster(self, model, corpus, local_run, tmp_path):
        out = tmp_path / "l.jsonl"
        result = classify(str(corpus), "--model", str(model), "-f", "jsonl", "-o", str(out), "--no-entities",
                          "--dask", "local:1", "--shard-size", "20")
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == local_run["jsonl"]

    def test_dask_needs_a_streaming_output_file(self, model, corpus):
        result = classify(str(corpus), "--model", str(model), "-f", "table", "--dask", "local:1")
        assert result.exit_code == 2 and "--dask writes --format jsonl or csv" in result.output


class TestChecks:
    def test_local_addresses(self):
        assert local_workers("local:3") == 3 and local_workers("tcp://h:8786") is None
        assert local_workers("local") == (os.cpu_count() or 1)
        with pytest.raises(errors.ConfigError, match="local:N"):
            local_workers("local:zero")

    def test_unreachable_scheduler(self, monkeypatch):
        monkeypatch.setattr("pipeline.cluster.CONNECT_TIMEOUT_S", 2)
        with pytest.raises(errors.ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
            with connect("tcp://127.0.0.1:9"):
                pass

    def test_untrusted_model_is_refused_on_the_client(self, model, tmp_path):
        import shutil

        copy = shutil.copytree(model, tmp_path / "elsewhere")
        info = json.loads((copy / "model.json").read_text())
        info.pop("signature")  # a stranger's model: this user's own would load from anywhere
        (copy / "model.json").write_text(json.dumps(info))
        with pytest.raises(errors.UntrustedModelError):
            ship_model(copy)
        assert ship_model(copy, trust=True)[0]["model.json"] == (copy / "model.json").read_bytes()

    def test_workers_verify_the_shipped_files(self, model, tmp_path):
        files, digest = ship_model(model)
        worker = SimpleNamespace(local_directory=str(tmp_path), address="tcp://w:1")
        with pytest.raises(errors.ModelIntegrityError, match="changed"):
            ModelPlugin(files, "0" * 64).setup(worker)
        joblib_file = next(name for name in files if name.endswith(".joblib"))
        tampered = {**files, joblib_file: files[joblib_file] + b"\0"}
        with pytest.raises(errors.ModelIntegrityError, match="checksum"):
            ModelPlugin(tampered, digest).setup(worker)
        plugin = ModelPlugin(files, digest)
        plugin.setup(worker)
        from pipeline.inference import worker as module

        assert set(module._MODELS[digest].tasks) == {"stance"}
        plugin.teardown(worker)
        assert digest not in module._MODELS
        assert JSONL.encode([{"a": "é"}]) == '{"a": "é"}\n'.encode()

    def test_a_shard_that_killed_its_workers_too_often_is_a_clear_error(self, tmp_path):
        from distributed import KilledWorker

        from pipeline.inference import distributed as module
        from pipeline.inference.sharding import Job

        class Lost:
            def result(self):
                raise KilledWorker("framing-shard-x-0", "tcp://127.0.0.1:1", 3)

        with pytest.raises(errors.ClusterError, match="died 3 time"):
            module._result(Lost(), 0, Job(0, [], "s", 5), tmp_path, "r")
