"""Training on a real Dask cluster gives the same model as a local run, and fills the doc cache."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

pytest.importorskip("distributed")

from pipeline.cli import app  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.nlp.cache import DocCache  # noqa: E402
from pipeline.nlp.processor import Processor  # noqa: E402
from pipeline.training.distributed import on_dask  # noqa: E402
from pipeline.training.train import train  # noqa: E402


@pytest.fixture(scope="module")
def config():
    return load_config(overrides={"classifier": {"calibration_folds": 2}, "evaluation": {"folds": 3}})


@pytest.fixture(scope="module")
def pieces(sample_pieces):
    return sample_pieces[::4]  # 81 pieces, both tasks, several sources and stories


def proba(model, pieces):
    from pipeline.features.samples import prepare_samples

    samples = prepare_samples(pieces, Processor(None), max_tokens=model.max_tokens)
    return model.predict_proba(samples)


def test_the_same_model_and_scores_as_a_local_run(dask_client, pieces, sample_pieces, config, tmp_path):
    local = train(pieces, config=config, processor=Processor(None, n_process=1))
    cache = DocCache(tmp_path / "cache")
    from distributed import get_task_stream

    with on_dask(dask_client, Processor(None, cache=cache)) as remote, get_task_stream(client=dask_client) as tasks:
        remote.min_texts, remote.shard_texts = 1, 64  # so few texts would otherwise be tokenised here
        on_cluster = train(pieces, config=config, processor=remote, n_jobs=-1)
    names = [t["key"][0] if isinstance(t["key"], tuple) else t["key"] for t in tasks.data]
    assert sum(name.startswith("_work_job") for name in names) >= 2  # tokenised in shards on the workers
    assert any("Batch" in name or "batch" in name for name in names)  # joblib's folds and fits
    assert on_cluster.evaluation == local.evaluation
    assert list(on_cluster.model.tasks) == list(local.model.tasks) == ["frame", "stance"]
    assert on_cluster.model.info["tasks"] == local.model.info["tasks"]
    ours, theirs = proba(on_cluster.model, sample_pieces), proba(local.model, sample_pieces)
    for task in local.model.tasks:
        np.testing.assert_allclose(ours[task], theirs[task], rtol=0, atol=1e-12)
    # the workers' tokens are in this machine's cache: a local processor reads them back unchanged
    assert len(cache) >= len(pieces)
    texts = [p.text for p in pieces]
    assert Processor(None, cache=cache, n_process=1).lexical(texts) == Processor(None, n_process=1).lexical(texts)


def test_train_cli_on_a_dask_command_line_cluster(dask_cli_cluster, pieces, models_dir, tmp_path):
    import json

    corpus = tmp_path / "slice.jsonl"
    corpus.write_text("".join(json.dumps(p.to_record()) + "\n" for p in pieces[:40]), "utf-8")
    args = ["train", str(corpus), "--task", "stance", "--no-eval", "-q", "--no-cache"]
    local = CliRunner().invoke(app, [*args, "--out", str(models_dir / "local-slice")])
    remote = CliRunner().invoke(app, [*args, "--out", str(models_dir / "dask-slice"), "--dask", dask_cli_cluster])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    from pipeline.models.persist import load_model

    a, b = load_model(models_dir / "local-slice"), load_model(models_dir / "dask-slice")
    np.testing.assert_allclose(proba(a, pieces)["stance"], proba(b, pieces)["stance"], rtol=0, atol=1e-12)
