"""Shared fixtures: the sample corpus, a small trained model, an isolated cache and model folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
SHARED_DATA = ROOT.parent / "shared" / "data"
DATA = ROOT / "tests" / "data"

# Eight short, already tokenised texts that a linear model separates at once: for tests
# where a trained model is needed but its quality is not the point.
TINY_STANCE_TEXTS = [
    ("police must stop using this dangerous surveillance", "oppose"),
    ("ban the cameras now , they harm our rights", "oppose"),
    ("this tool is a threat to privacy and must end", "oppose"),
    ("critics say the system is biased and wrong", "oppose"),
    ("the tool helps police solve crimes quickly", "support"),
    ("officials praise the system for catching suspects", "support"),
    ("supporters say cameras keep streets safe", "support"),
    ("the technology works well and saves lives", "support"),
]


def data_script(folder: str, script: str) -> ModuleType:
    """``tests/data/FOLDER/SCRIPT.py``, the script that saved that fixture, imported as a module so
    that a test can rebuild what it saved. Imported by path, under a name of its own: these scripts
    share names (``save.py``) and must not find each other in ``sys.modules``."""
    import importlib.util

    path = DATA / folder / f"{script}.py"
    spec = importlib.util.spec_from_file_location(f"tests_data_{folder}_{script}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The terminal variables as the caller had them. pytest-xdist's workers start with COLUMNS=80
# and LINES=24 set, which the CLI reads as a chosen width (tables piped to a file are otherwise
# as wide as their content), so a worker takes the controller's values back.
_TERMINAL_ENV = ("COLUMNS", "LINES")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """(pytest-xdist, on the controller) hand each worker the caller's terminal variables."""
    node.workerinput["framing_terminal_env"] = {k: os.environ.get(k) for k in _TERMINAL_ENV}


def pytest_configure(config):
    """(on an xdist worker) restore the caller's terminal variables before any test runs."""
    for key, value in getattr(config, "workerinput", {}).get("framing_terminal_env", {}).items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Every test run gets its own doc cache and trusts its own temporary model folder."""
    os.environ["FRAMING_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["FRAMING_MODELS"] = str(tmp_path_factory.mktemp("models"))
    # the key that signs every model the tests save, never the user's own
    os.environ["FRAMING_KEY_FILE"] = str(tmp_path_factory.mktemp("config") / "key")
    yield


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """A trusted folder for models written by tests."""
    return Path(os.environ["FRAMING_MODELS"])


@pytest.fixture(scope="session")
def sample_pieces():
    """The shipped sample corpus, as pieces."""
    from pipeline.corpus import read_corpus

    return list(read_corpus(SAMPLE))


@pytest.fixture(scope="session")
def fast_config():
    """The default config without calibration folds: same decisions, quicker fits."""
    from pipeline.config import load_config

    return load_config(overrides={"classifier": {"calibration_folds": 0}})


@pytest.fixture(scope="session")
def small_model(sample_pieces, models_dir):
    """A model trained (with calibration, without cross-validation) on every other sample piece."""
    from pipeline.config import load_config
    from pipeline.models.persist import save_model
    from pipeline.training.train import train

    config = load_config(overrides={"classifier": {"calibration_folds": 3}})
    result = train(sample_pieces[::2], config=config, evaluate=False)
    path = save_model(result.model, models_dir / "small")
    return result.model, path


@pytest.fixture(scope="session")
def dask_client():
    """A real LocalCluster: two single-threaded worker processes (restarted by their nanny)."""
    pytest.importorskip("distributed")
    from pipeline.cluster import connect

    with connect("local:2") as client:
        yield client


@pytest.fixture(scope="session")
def dask_cli_cluster(tmp_path_factory):
    """A scheduler and a worker started with ``dask scheduler`` / ``dask worker`` on 127.0.0.1,
    on a free port; both always stopped at the end."""
    distributed = pytest.importorskip("distributed")
    folder = tmp_path_factory.mktemp("dask-cli")
    scheduler_file = folder / "scheduler.json"
    dask_bin = Path(sys.executable).with_name("dask")
    command = [str(dask_bin)] if dask_bin.exists() else [sys.executable, "-m", "dask"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log = open(folder / "dask.log", "wb")
    procs = []
    try:
        procs.append(subprocess.Popen([*command, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                       "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        procs.append(subprocess.Popen([*command, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                       "--nworkers", "1", "--no-dashboard", "--local-directory", str(folder / "w")],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        address = json.loads(scheduler_file.read_text())["address"]
        with distributed.Client(address, timeout=60) as probe:
            probe.wait_for_workers(1, timeout=180)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
