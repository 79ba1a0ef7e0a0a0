"""A sparse matrix as plain CSR arrays, for predicting from a model's arrays with numpy alone.

:class:`Rows` holds what a SciPy ``csr_matrix`` holds (``indptr``, ``indices``, ``data``,
the column count), in canonical order: each row's columns ascending, no duplicates. The array
form of the feature blocks (:mod:`.tfidf_arrays`, :mod:`.union_arrays`) builds it and the
array form of the linear models (:mod:`pipeline.models.linear_arrays`) multiplies it, in the
order SciPy's CSR product adds, so that the probabilities equal those of the scikit-learn
pipeline (tested within 1e-9). Importing SciPy costs a one-sentence ``framing classify`` about
0.08 s; nothing here does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np


class Rows(NamedTuple):
    """CSR arrays of a ``(len(indptr) - 1) x n_columns`` matrix."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_columns: int

    @property
    def n_rows(self) -> int:
        """How many rows."""
        return len(self.indptr) - 1

    def row_of(self) -> np.ndarray:
        """The row of every stored entry."""
        return np.repeat(np.arange(self.n_rows), np.diff(self.indptr))

    def to_scipy(self) -> Any:
        """The same matrix as a SciPy ``csr_matrix`` (imports SciPy: for tests and explanations)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=(self.n_rows, self.n_columns))


def from_entries(rows: np.ndarray, columns: np.ndarray, data: np.ndarray, n_rows: int, n_columns: int) -> Rows:
    """The matrix with ``data[i]`` at ``(rows[i], columns[i])`` (pairs distinct), in canonical order."""
    rows, columns = np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64)
    order = np.lexsort((columns, rows))
    return Rows(indptr_of(rows, n_rows), columns[order], np.asarray(data)[order], n_columns)


def counts(rows: np.ndarray, columns: np.ndarray, n_rows: int, n_columns: int) -> Rows:
    """How often each ``(row, column)`` pair occurs (as ``int32``), in canonical order: what
    SciPy's COO -> CSR conversion of ones gives, duplicates summed."""
    codes = np.asarray(rows, dtype=np.int64) * max(n_columns, 1) + np.asarray(columns, dtype=np.int64)
    unique, number = np.unique(codes, return_counts=True)
    row, column = np.divmod(unique, max(n_columns, 1))
    return Rows(indptr_of(row, n_rows), column, number.astype(np.intc), n_columns)


def hstack(blocks: Sequence[Rows]) -> Rows:
    """The blocks side by side (same rows), as SciPy's ``hstack(..., format="csr")`` lays them out;
    the data of the result has the widest of the blocks' dtypes."""
    n_rows = blocks[0].n_rows
    offsets = np.cumsum([0, *(b.n_columns for b in blocks)])
    dtype = np.result_type(*(b.data.dtype for b in blocks))
    rows = np.concatenate([b.row_of() for b in blocks])
    columns = np.concatenate([b.indices + offset for b, offset in zip(blocks, offsets)])
    data = np.concatenate([b.data.astype(dtype, copy=False) for b in blocks])
    order = np.argsort(rows, kind="stable")  # each row: the blocks in order, each block's columns ascending
    return Rows(indptr_of(rows, n_rows), columns[order], data[order], int(offsets[-1]))


def dense(values: np.ndarray) -> Rows:
    """A dense matrix's nonzero entries (what ``csr_matrix(values)`` keeps)."""
    values = np.asarray(values)
    rows, columns = np.nonzero(values)
    return Rows(indptr_of(rows, values.shape[0]), columns.astype(np.int64), values[rows, columns], values.shape[1])


def dot(matrix: Rows, coef: np.ndarray) -> np.ndarray:
    """``matrix @ coef.T`` (``coef``: classes x columns), in float64, each row's products added in
    column order as SciPy's CSR product adds them."""
    coef = np.asarray(coef, dtype=np.float64)
    if matrix.n_columns != coef.shape[1]:
        raise ValueError(f"{matrix.n_columns} feature columns for weights of {coef.shape[1]}")
    out = np.zeros((matrix.n_rows, coef.shape[0]))
    row_of = matrix.row_of()
    data = matrix.data.astype(np.float64)
    for k in range(coef.shape[0]):  # bincount adds in entry order: the row's columns, ascending
        out[:, k] = np.bincount(row_of, weights=data * coef[k, matrix.indices], minlength=matrix.n_rows)
    return out


def indptr_of(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """The CSR ``indptr`` of ``n_rows`` rows whose entries' rows are ``rows``, once they stand in
    row order: row i's entries are ``indptr[i]:indptr[i + 1]``."""
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return indptr
