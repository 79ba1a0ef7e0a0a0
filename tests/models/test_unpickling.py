"""The C-unpickler path reads joblib files into the same objects as joblib's own loader."""

import functools
import io
from collections import namedtuple

import joblib
import numpy as np
import pytest
import scipy.sparse as sp

from pipeline.models import renames, unpickling
from pipeline.models.persist import DEFAULT_MODEL
from pipeline.models.unpickling import NotFast, load_fast

Pair = namedtuple("Pair", "left right")


class Holder:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class Slotted:
    __slots__ = ("weights", "name")

    def __init__(self, weights, name):
        self.weights, self.name = weights, name


def _find(module, name):
    return renames._find_class(*renames.renamed(module, name))


def _dumped(obj, compress):
    buffer = io.BytesIO()
    joblib.dump(obj, buffer, compress=compress)
    return buffer.getvalue()


def _joblib(data):
    return joblib.load(io.BytesIO(data))


@pytest.mark.parametrize("compress", [0, 3])
def test_arrays_anywhere_in_the_objects_come_back_equal(compress):
    shared = np.arange(12, dtype="float32").reshape(3, 4)
    objects = np.empty(2, dtype=object)
    objects[:] = [np.ones(3), "word"]
    obj = {
        "list": [shared, np.zeros(2, dtype="int64"), {"vocab": {"a": np.int64(1), "b": 2}}],
        "tuple": (shared, 1.5),
        "pair": Pair(np.array([1, 2]), None),
        "holder": Holder(coef_=np.full((2, 2), 0.5), classes_=np.array(["for", "against"]), steps=[("x", shared)]),
        "slotted": Slotted(np.array([3.0]), "s"),
        "objects": objects,
        "sparse": sp.csr_matrix(np.eye(3)),
        "big-endian": np.arange(4, dtype=">f8"),
    }
    data = _dumped(obj, compress)
    fast, reference = load_fast(data, _find), _joblib(data)
    assert joblib.hash(fast) == joblib.hash(reference)
    assert isinstance(fast["tuple"][0], np.ndarray) and isinstance(fast["holder"].steps[0][1], np.ndarray)
    # joblib writes an array once per reference; the copies are as separate as joblib's
    assert (fast["tuple"][0] is fast["list"][0]) == (reference["tuple"][0] is reference["list"][0])
    assert type(fast["pair"]) is Pair and isinstance(fast["slotted"].weights, np.ndarray)
    assert fast["big-endian"].dtype.isnative and fast["big-endian"].tolist() == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("task", ["frame", "stance", "entity_stance"])
def test_the_default_models_files_load_as_with_joblib(task):
    data = (DEFAULT_MODEL / f"{task}.joblib").read_bytes()
    fast = load_fast(data, _find)
    with joblib.numpy_pickle._validate_fileobject_and_memmap(io.BytesIO(data), "", None) as (fobj, _):
        reference = renames._RenamingUnpickler("", fobj, ensure_native_byte_order=True, mmap_mode=None).load()
    assert joblib.hash(fast) == joblib.hash(reference)


def test_what_the_fast_path_cannot_read_goes_to_joblibs_loader(monkeypatch):
    data = _dumped({"w": np.arange(3)}, 3)

    def refuse(*_):
        raise NotFast("test")

    monkeypatch.setattr(unpickling, "load_fast", refuse)  # renames._unpickle imports it on use
    assert renames._unpickle(data)["w"].tolist() == [0, 1, 2]


class UsesItsArrayWhenLoaded:
    def __init__(self, weights):
        self.weights, self.total = weights, float(weights.sum())

    def __setstate__(self, state):  # like sklearn's tree predictors: reads an array while unpickling
        self.__dict__.update(state)
        self.total = float(self.weights.sum())


def test_an_object_reading_its_array_while_loaded_goes_to_joblibs_loader():
    data = _dumped([UsesItsArrayWhenLoaded(np.arange(4.0))], 3)
    with pytest.raises(Exception):
        load_fast(data, _find)
    [loaded] = renames._unpickle(data)
    assert loaded.total == 6.0 and loaded.weights.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_a_placeholder_out_of_reach_of_the_walk_is_refused():
    data = _dumped([functools.partial(np.add, np.arange(2))], 0)  # partial keeps its args in C
    with pytest.raises(NotFast, match="not replaced"):
        load_fast(data, _find)
    [add] = renames._unpickle(data)
    assert add(1).tolist() == [1, 2]


def test_sets_and_frozenset_keys_load():
    data = _dumped({frozenset({1}): Holder(w=np.arange(2))}, 0)
    assert load_fast(data, _find)[frozenset({1})].w.tolist() == [0, 1]
