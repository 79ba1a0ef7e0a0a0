"""What runs on the Dask workers: the model, shipped and verified once per worker, and the task
that classifies one shard into its part file."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from .. import errors
from ..corpus import Piece
from ..corpus.ranges import ShardRead, SourceShard, read_shard
from ..models.persist import DEFAULT_MODEL, DEFAULT_ZERO_SHOT, MODEL_JSON, load_model, read_model_info
from ..models.trust import check_trusted
from .framer import Framer, batched, with_defaults
from .parts import PartInfo, write_part
from .records import Record, without_text
from .zero_shot import DEFAULT_ZERO_SHOT_NAME, ZeroShot


@dataclass(frozen=True)
class WorkerOptions:
    """What each worker is told besides the model: :meth:`Framer.classify` options, its cache,
    whether records keep their text (``text``), the default target and story, for shards
    the workers read themselves, whether invalid records are skipped, and the zero-shot stance
    model for unseen targets (True: the shipped one; a folder on the client; False: none), whose
    files the client ships with the model."""

    entities: bool = True
    min_confidence: float = 0.0
    batch_size: int = 512
    entity_types: tuple[str, ...] | None = None
    cache_dir: str | None = None
    no_cache: bool = False
    text: bool = True
    target: str | None = None
    story: str | None = None
    skip_invalid: bool = False
    zero_shot: bool | str = True


@dataclass
class ShardResult:
    """One shard's outcome: records, the worker that did it, its time there and memory after it;
    for a shard the worker read itself, each piece's ``(id, file:line)``, what it skipped, and
    whether it stopped at an unreadable line (:class:`~pipeline.corpus.ranges.ShardRead`)."""

    index: int
    records: int
    worker: str | None = None
    seconds: float = 0.0
    rss_bytes: int | None = None
    resumed: bool = False
    ids: list[tuple[str, str]] | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stopped: bool = False

    def read(self, found: dict[str, Any] | None) -> ShardResult:
        """Take what reading the shard found (as a part's sidecar records it)."""
        if found is not None:
            self.ids = [tuple(pair) for pair in found["ids"]]
            self.skipped = [tuple(pair) for pair in found["skipped"]]
            self.stopped = bool(found["stopped"])
        return self


def ship_zero_shot(choice: bool | str | Path) -> tuple[str, dict[str, bytes]] | None:
    """The name and files of the zero-shot stance model chosen (``WorkerOptions.zero_shot``), for
    the workers; None when none is asked for or shipped with this install. Loading them runs no
    code (JSON and arrays read without pickle), so no trust check is needed."""
    if choice is False:
        return None
    folder = DEFAULT_ZERO_SHOT if choice is True else Path(choice)
    if choice is True and not (folder / MODEL_JSON).is_file():
        return None
    name = ZeroShot(folder, [], name=DEFAULT_ZERO_SHOT_NAME if choice is True else None).name  # checks it
    return name, {f.name: f.read_bytes() for f in sorted(folder.iterdir()) if f.is_file()}


def ship_model(path: str | Path, *, trust: bool = False) -> tuple[dict[str, bytes], str]:
    """The bytes of a model folder's files (``model.json`` and those it lists), and the SHA-256 of
    its ``model.json``, which pins every other file's checksum: what workers check it against.

    Raises:
        UntrustedModelError: When the folder is outside the trusted folders and not ``trust``.
        ModelError: When ``model.json`` is missing or invalid.
    """
    path = Path(path)
    info = read_model_info(path)
    check_trusted(path, info, trust=trust, default_model=DEFAULT_MODEL)
    names = [MODEL_JSON, *sorted(info.get("files") or {})]
    if any(Path(name).name != name for name in names):
        raise errors.ModelIntegrityError.of(errors.WORKER_LISTS_FILES_OUTSIDE, file=path / MODEL_JSON)
    files = {name: (path / name).read_bytes() for name in names if (path / name).is_file()}
    return files, hashlib.sha256(files[MODEL_JSON]).hexdigest()


_MODELS: dict[str, Any] = {}  # digest -> FramingModel, in each worker process
_ZERO_SHOT: dict[str, Path] = {}  # digest -> the folder of the zero-shot model shipped with it
_local = threading.local()  # each worker thread's Framer: its doc cache connection is per thread


class ModelPlugin(WorkerPlugin):
    """A Dask worker plugin that writes the shipped model files on the worker, checks them, and
    loads the model once per worker process (again on a worker that joins or restarts)."""

    def __init__(self, files: dict[str, bytes], digest: str,
                 zero_shot: tuple[str, dict[str, bytes]] | None = None) -> None:
        self.files = files
        self.digest = digest
        self.zero_shot = zero_shot  # (name, files) of the zero-shot stance model, or None
        self.name = f"framing-model-{digest[:16]}"
        if zero_shot:
            name, found = zero_shot
            self.name += "-" + hashlib.sha256(name.encode() + b"".join(found[k] for k in sorted(found))).hexdigest()[:8]

    def setup(self, worker: Any) -> None:
        """Write, verify (``model.json`` against the client's digest, every file against
        ``model.json``) and load the model."""
        if hashlib.sha256(self.files[MODEL_JSON]).hexdigest() != self.digest:
            raise errors.ModelIntegrityError.of(errors.WORKER_ARRIVED_CHANGED_LOADING, info=MODEL_JSON, address=worker.address)
        folder = Path(worker.local_directory) / self.name
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        _MODELS[self.digest] = load_model(folder, trust=True)  # verified by the checks above and in it
        if self.zero_shot:
            # under the name it has on the client: records give it as their stance's source
            name, found = self.zero_shot
            zero = folder / "zero-shot" / name
            zero.mkdir(parents=True, exist_ok=True)
            for file, data in found.items():
                (zero / Path(file).name).write_bytes(data)
            _ZERO_SHOT[self.digest] = zero

    def teardown(self, worker: Any) -> None:
        """Forget the model."""
        _MODELS.pop(self.digest, None)
        _ZERO_SHOT.pop(self.digest, None)


def _framer(digest: str, options: WorkerOptions) -> Framer:
    framers = getattr(_local, "framers", None)
    if framers is None:
        framers = _local.framers = {}
    if (digest, options) not in framers:
        from ..nlp.cache import DocCache
        from ..nlp.processor import Processor

        model = _MODELS.get(digest)
        if model is None:
            raise errors.ClusterError.of(errors.WORKER_MODEL_PLUGIN_DID)
        cache = None if options.no_cache else DocCache(options.cache_dir)
        processor = Processor(model.spacy_model, cache=cache, n_process=1)
        framers[(digest, options)] = Framer(model, processor=processor, entity_types=options.entity_types,
                                            n_process=1, zero_shot=_ZERO_SHOT.get(digest, False)
                                            if options.zero_shot is not False else False)
    return framers[(digest, options)]


def read_probe(path: str) -> str | None:
    """The text of the probe file ``path`` as this worker sees it (None: it cannot see it)."""
    try:
        return Path(path).read_text("utf-8")
    except OSError:
        return None


def classify_shard(index: int, pieces: list[Piece] | SourceShard, *, digest: str, options: WorkerOptions,
                   encode: Callable[[list[Record]], bytes], parts_dir: str | None, shard: str,
                   run: str, seen: dict[str, str] | None = None) -> tuple[PartInfo | list[tuple[int, bytes]], ShardResult]:
    """Run on a worker: classify one shard into its part file, or, when ``parts_dir`` is None
    (not shared with the client), return its encoded batches for the client to write.

    ``pieces`` is the shard's pieces, or a :class:`SourceShard` that this worker reads itself
    (``seen``: ids of earlier shards that this one repeats, skipped as a local run skips them).
    """
    import psutil
    from distributed import get_worker

    start = time.perf_counter()
    framer = _framer(digest, options)
    read = None
    if isinstance(pieces, SourceShard):
        read = ShardRead()
        read.report._ids.update(seen or {})
        pieces = read_shard(pieces, skip_invalid=options.skip_invalid, read=read)
        ids: list[tuple[str, str]] | None = []
        pieces = _noting(pieces, ids)
    else:
        ids = None
    pieces = with_defaults(pieces, target=options.target, story=options.story)
    records = framer.classify(pieces, entities=options.entities, batch_size=options.batch_size,
                              min_confidence=options.min_confidence)
    if not options.text:
        records = (without_text(r) for r in records)
    chunks: Iterator[tuple[int, bytes]] = ((len(b), encode(b)) for b in batched(records, options.batch_size))
    def found() -> dict[str, Any] | None:
        return None if read is None else {"ids": ids, "skipped": read.report.skipped, "stopped": read.stopped}

    if parts_dir is None:
        info: PartInfo | list[tuple[int, bytes]] = list(chunks)
        count = sum(n for n, _ in info)
    else:
        info = write_part(Path(parts_dir), index, chunks, shard=shard, run=run, read=found)
        count = info.records
    result = ShardResult(index, count, worker=get_worker().address, seconds=time.perf_counter() - start,
                         rss_bytes=psutil.Process().memory_info().rss)
    result.read(found())
    return info, result


def _noting(pieces: Iterator[Piece], ids: list[tuple[str, str]]) -> Iterator[Piece]:
    for piece in pieces:
        ids.append((piece.id, piece.origin or ""))
        yield piece
