"""Training on a Dask cluster: cross-validation folds and per-task fits through joblib's dask
backend, tokenising on the workers into this machine's doc cache. The model is the same as a
local run's: the same fits, run elsewhere.

>>> with on_dask("tcp://scheduler:8786", processor) as remote:        # doctest: +SKIP
...     result = train(pieces, processor=remote, n_jobs=-1)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..cluster import connect, require_dask
from ..nlp.processor import Processor


@contextmanager
def on_dask(dask: Any, processor: Processor) -> Iterator[Processor]:
    """Within it, joblib runs on the cluster ``dask`` (an address, ``local:N`` or a client), and the
    processor it yields tokenises there, through ``processor``'s cache.

    Pass the yielded processor and ``n_jobs=-1`` to :func:`pipeline.training.train.train`.

    Raises:
        MissingExtraError: When Dask's distributed scheduler is not installed.
        ClusterError: When the cluster cannot be reached.
    """
    require_dask()
    from joblib import parallel_config

    from ..nlp.distributed import DaskProcessor

    with connect(dask) as client, parallel_config(backend="dask", n_jobs=-1):
        yield DaskProcessor(client, processor.model, cache=processor.cache, batch_size=processor.batch_size)
