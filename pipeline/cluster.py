"""Reaching a Dask cluster: a scheduler address, or a local cluster of worker processes."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import errors

LOCAL = "local"
CONNECT_TIMEOUT_S = 30
DASK_EXTRA = "dask"


def require_dask() -> None:
    """Raise :class:`MissingExtraError` unless ``distributed`` is installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise errors.MissingExtraError.of(errors.DASK_MISSING) from None


def local_workers(address: str) -> int | None:
    """For ``local`` / ``local:N``, the number of workers (``local``: one per core); else None.

    Raises:
        ConfigError: When ``N`` is not a positive whole number.
    """
    if address == LOCAL:
        return os.cpu_count() or 1
    if not address.startswith(LOCAL + ":"):
        return None
    count = address[len(LOCAL) + 1:]
    if not count.isdigit() or int(count) < 1:
        raise errors.ConfigError.of(errors.DASK_BAD_LOCAL, address=address)
    return int(count)


@contextmanager
def connect(dask: Any) -> Iterator[Any]:
    """A ``distributed.Client`` for ``dask``: an existing client (kept open), a scheduler address
    (``tcp://host:8786``), or ``local`` / ``local:N``: a cluster of N single-threaded worker
    processes on this machine, started here and stopped at the end.

    Raises:
        ClusterError: When the scheduler cannot be reached.
    """
    require_dask()
    from distributed import Client, LocalCluster

    if not isinstance(dask, str):
        yield dask
        return
    workers = local_workers(dask)
    if workers is not None:
        # One thread per worker: spaCy and the models are not meant to be shared between
        # threads, and one process per core is how a local pool uses the machine too.
        # ":0": the scheduler serves HTTP (its dashboard) in any case, on 8787 unless told
        # otherwise, and another cluster on this machine may hold that port.
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(dask, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise errors.ClusterError.of(errors.DASK_UNREACHABLE, address=dask, kind=type(exc).__name__,
                                     detail=exc) from None
    with client:
        yield client
