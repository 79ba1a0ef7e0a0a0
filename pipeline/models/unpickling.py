"""Reading a joblib file with Python's C unpickler: joblib's own is the pure-Python one.

``joblib.load`` runs ``pickle._Unpickler`` (written in Python) so that it can catch each
``BUILD`` of an array placeholder and read the array's bytes, which follow it in the stream.
On the default model's three files that is 0.4 s of a one-sentence ``framing classify``
(about 250,000 opcodes, mostly the TF-IDF vocabularies' words); the C unpickler reads the
same objects in 0.03 s. Here the C unpickler reads the stream; each placeholder's state,
when it is set, reads its array from the stream at that point (joblib ends a pickle frame
before each array's bytes, so the stream stands right after the placeholder), and the
placeholders are then replaced by their arrays in the loaded objects.

:func:`load_fast` raises :class:`NotFast` when a file is of a kind it does not read (joblib's
pre-0.10 format, a memory map, an array placeholder left where it cannot be replaced);
:func:`pipeline.models.renames._unpickle` then uses joblib's own loader.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from functools import lru_cache
from types import ModuleType
from typing import Any

import numpy as np
from joblib import numpy_pickle

__all__ = ["NotFast", "load_fast"]


class NotFast(Exception):
    """This file needs joblib's own (pure-Python) loader."""


class _Reader:
    """What ``NumpyArrayWrapper.read`` uses of joblib's unpickler."""

    def __init__(self, file_handle: io.BytesIO, find_class: Callable[[str, str], Any]) -> None:
        self.file_handle = file_handle
        self.find_class = find_class  # for object arrays, which joblib pickles inside the stream
        self.mmap_mode = None
        self.np = np
        self.filename = ""


def load_fast(data: bytes, find_class: Callable[[str, str], Any]) -> Any:
    """The object in one joblib file's bytes (compressed or not), read by the C unpickler.

    Args:
        data: The file's bytes.
        find_class: ``(module, name) -> object``, as in :meth:`pickle.Unpickler.find_class`.

    Raises:
        NotFast: When the file needs joblib's own loader.
    """
    with numpy_pickle._validate_fileobject_and_memmap(io.BytesIO(data), "", None) as (fobj, _):
        stream = io.BytesIO(fobj.read())  # no peek(): the C unpickler reads exactly what it needs
    reader = _Reader(stream, find_class)
    made: list[Any] = []

    class Placeholder:
        """Stands for an array; reads it when its state is set (the stream is right at its bytes).
        Anything that uses it before it is replaced (a ``__setstate__`` reading an array) fails."""

        def __setstate__(self, state: dict) -> None:
            wrapper = numpy_pickle.NumpyArrayWrapper.__new__(numpy_pickle.NumpyArrayWrapper)
            wrapper.__dict__.update(state)
            self.array = wrapper.read(reader, True)
            made.append(self)

    class Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if module == "joblib.numpy_pickle" and name == "NumpyArrayWrapper":
                return Placeholder
            if module == "joblib.numpy_pickle" and name == "NDArrayWrapper":
                raise NotFast("joblib's pre-0.10 format")
            return find_class(module, name)

    obj = Unpickler(stream).load()
    if stream.read(1):
        raise NotFast("bytes after the pickle")
    replacer = _Replacer(Placeholder)
    obj = replacer.replace(obj)
    if replacer.replaced != len(made):  # one kept somewhere the walk does not reach
        raise NotFast(f"{len(made) - replacer.replaced} array placeholder(s) not replaced")
    return obj


class _Replacer:
    """Replaces each placeholder by its array, in containers and object attributes, once per object."""

    def __init__(self, placeholder: type) -> None:
        self.placeholder = placeholder
        self.done: dict[int, Any] = {}
        self.keep: list[Any] = []  # holds what ``done`` names, so that no id is reused meanwhile
        self.replaced = 0  # distinct placeholders found

    def replace(self, obj: Any) -> Any:
        if type(obj) in _ATOMIC:  # most of what is loaded: the vocabularies' words and indices
            return obj
        if isinstance(obj, self.placeholder):
            if not hasattr(obj, "array"):
                raise NotFast("an array placeholder without its state")
            if id(obj) not in self.done:
                self.done[id(obj)] = obj.array
                self.keep.append(obj)
                self.replaced += 1
            return obj.array
        if obj is None or isinstance(obj, (str, bytes, int, float, complex, type, ModuleType, np.generic)):
            return obj
        if isinstance(obj, np.ndarray) and obj.dtype != object:
            return obj
        key = id(obj)
        if key in self.done:
            return self.done[key]
        self.done[key] = obj
        self.keep.append(obj)
        if isinstance(obj, tuple):
            items = tuple(self.replace(x) for x in obj)
            if any(a is not b for a, b in zip(items, obj)):
                new = type(obj)(*items) if hasattr(obj, "_fields") else type(obj)(items)
                self.done[key] = new
                return new
            return obj
        if isinstance(obj, list):
            obj[:] = [self.replace(x) for x in obj]
        elif isinstance(obj, dict):
            for k, v in obj.items():
                if type(v) not in _ATOMIC:
                    obj[k] = self.replace(v)
        elif isinstance(obj, (set, frozenset)):
            if any(isinstance(x, self.placeholder) for x in obj):
                raise NotFast("an array placeholder in a set")
        elif isinstance(obj, np.ndarray):  # an object array
            for i, v in np.ndenumerate(obj):
                obj[i] = self.replace(v)
        else:
            state = getattr(obj, "__dict__", None)
            if isinstance(state, dict):
                for k, v in state.items():
                    state[k] = self.replace(v)
            for name in _slots(type(obj)):
                if hasattr(obj, name):
                    value = getattr(obj, name)
                    new = self.replace(value)
                    if new is not value:
                        setattr(obj, name, new)
        return obj


_ATOMIC = frozenset({str, bytes, int, float, bool, complex, type(None), np.int64, np.int32, np.float64, np.float32})


@lru_cache(maxsize=None)
def _slots(cls: type) -> list[str]:
    return [s for c in cls.__mro__ for s in (getattr(c, "__slots__", ()) if not isinstance(getattr(c, "__slots__", ()), str)
                                              else (c.__slots__,)) if s not in ("__dict__", "__weakref__")]
