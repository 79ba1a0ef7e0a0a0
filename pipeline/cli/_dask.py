"""``framing classify --dask``: the same records as a local run, computed on a Dask cluster."""

from __future__ import annotations

import functools
from pathlib import Path

from .. import errors
from ..corpus import LoadReport
from ._common import Format, _csv_text, csv_options, err, progress_bars, report_load, safe_cell
from ._text import esc


def classify_on_cluster(inputs: list[str], *, address: str, model: Path | None, trust: bool, fmt: Format,
                        output: Path | None, resume: bool, entities: bool, min_confidence: float,
                        batch_size: int, entity_types: list[str] | None, cache_dir: Path | None,
                        no_cache: bool, shard_size: int, parts_dir: Path | None, skip_invalid: bool,
                        map_: list[str] | None, quiet: bool, target: str | None = None,
                        story: str | None = None, no_text: bool = False, workers_read: bool = False,
                        shard_bytes: int | None = None) -> None:
    """Stream the inputs to the cluster in shards, merge the parts into ``output``, tell how it went."""
    if fmt not in (Format.jsonl, Format.csv) or output is None:
        raise errors.ConfigError("--dask writes --format jsonl or csv to an --output file "
                                 "(the workers' parts are merged into it).")
    from ..cluster import local_workers
    from ..corpus.sources import DEFAULT_BLOCKSIZE
    from ..inference.distributed import JSONL, Encoding, WorkerOptions, classify_inputs_on_dask
    from ..models.persist import DEFAULT_MODEL, read_model_info
    from .classify import csv_header

    tasks = read_model_info(model or DEFAULT_MODEL)["tasks"]
    header = csv_header(list(tasks), {t: meta.get("labels", []) for t, meta in tasks.items()},
                        text=not no_text)  # as a local run
    encoding = JSONL if fmt is Format.jsonl else Encoding(
        "csv", functools.partial(encode_csv, header=header), _csv_text([header]).encode("utf-8"))
    options = WorkerOptions(entities=entities, min_confidence=min_confidence, batch_size=batch_size,
                            entity_types=tuple(entity_types) if entity_types else None,
                            cache_dir=str(cache_dir) if cache_dir else None, no_cache=no_cache,
                            text=not no_text, target=target, story=story, skip_invalid=skip_invalid)
    report = LoadReport()
    # a local cluster's workers see this machine's files: they read them themselves
    workers_read = workers_read or local_workers(address) is not None
    parts = parts_dir or output.with_name(output.name + ".parts")
    try:
        with progress_bars(quiet) as bars:
            run = classify_inputs_on_dask(inputs, output=output, dask=address, workers_read=workers_read,
                                          blocksize=shard_bytes or DEFAULT_BLOCKSIZE, shard_size=shard_size,
                                          csv_options=csv_options(map_, None), report=report, model=model,
                                          trust=trust, options=options, encoding=encoding, parts_dir=parts,
                                          resume=resume, progress=bars)
    except BaseException as exc:
        report_load(report)
        if isinstance(exc, (KeyboardInterrupt, errors.FramingError)) and parts.is_dir():
            err.print(f"[yellow]stopped[/]: the finished shards are in {esc(parts)}; {esc(output)} was not touched. "
                      "Run the same command with --resume to keep them.", highlight=False)
        raise
    report_load(report)
    kept = f", {run.resumed} kept from an earlier run" if run.resumed else ""
    err.print(f"{run.records} piece(s) in {len(run.shards)} shard(s){kept}, on {address}, in "
              f"{run.seconds:.1f} s: {esc(output)}", highlight=False)
    if run.records == 0:
        err.print(f"[yellow]warning:[/] no pieces found in {esc(', '.join(inputs))}; the output is empty.",
                  highlight=False)


def encode_csv(records: list[dict], header: list[str]) -> bytes:
    """Records as spreadsheet-safe CSV rows, as a local ``--format csv --output`` run writes them
    (run on the workers)."""
    from .classify import row_cells

    return _csv_text([[safe_cell(v) for v in row_cells(r, header)] for r in records]).encode("utf-8")
