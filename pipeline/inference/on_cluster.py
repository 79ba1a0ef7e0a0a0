"""``classify_to`` on a Dask cluster: the same records as a local run, merged into one file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus import CsvOptions
from ..progress import ProgressFactory

if TYPE_CHECKING:
    from .use_cases import ClassifyResult


def classify_on_cluster(inputs: list[str], output: Path, *, fmt: str, dask: Any, model: Any, trust: bool,
                        entities: bool, min_confidence: float, batch_size: int, entity_types: Sequence[str] | None,
                        csv_options: CsvOptions | None, skip_invalid: bool, cache_dir: Path | None, no_cache: bool,
                        text: bool, target: str | None, story: str | None, resume: bool, workers_read: bool,
                        shard_size: int, shard_bytes: int | None, parts_dir: Path | None,
                        progress: ProgressFactory | None, result: ClassifyResult,
                        zero_shot: bool | str | Path = True) -> None:
    """Run :func:`~.distributed.classify_inputs_on_dask` with a local run's output format;
    ``result`` gets the load report, the parts folder and the run."""
    from ..cluster import local_workers
    from ..corpus.sources import DEFAULT_BLOCKSIZE
    from ..models.persist import DEFAULT_MODEL, read_model_info
    from .distributed import JSONL, Encoding, WorkerOptions, classify_inputs_on_dask
    from .resumable import _csv_text
    from .writers import csv_encoder, csv_header

    tasks = read_model_info(model or DEFAULT_MODEL)["tasks"]
    header = csv_header(list(tasks), {t: meta.get("labels", []) for t, meta in tasks.items()}, text=text)
    encoding = JSONL if fmt == "jsonl" else Encoding("csv", csv_encoder(header), _csv_text([header]).encode("utf-8"))
    options = WorkerOptions(entities=entities, min_confidence=min_confidence, batch_size=batch_size,
                            entity_types=tuple(entity_types) if entity_types else None,
                            cache_dir=str(cache_dir) if cache_dir else None, no_cache=no_cache,
                            text=text, target=target, story=story, skip_invalid=skip_invalid,
                            zero_shot=zero_shot if isinstance(zero_shot, bool) else str(Path(zero_shot).resolve()))
    # a local cluster's workers see this machine's files: they read them themselves
    workers_read = workers_read or (isinstance(dask, str) and local_workers(dask) is not None)
    result.parts_dir = parts_dir or output.with_name(output.name + ".parts")
    result.dask = classify_inputs_on_dask(inputs, output=output, dask=dask, workers_read=workers_read,
                                          blocksize=shard_bytes or DEFAULT_BLOCKSIZE, shard_size=shard_size,
                                          csv_options=csv_options, report=result.report, model=model, trust=trust,
                                          options=options, encoding=encoding, parts_dir=result.parts_dir,
                                          resume=resume, progress=progress)
    result.pieces = result.dask.records
