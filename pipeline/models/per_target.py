"""Per-target learning for stance: one linear model with shared and per-target weights.

The same words can mean favour toward one target and opposition toward another ("lock him up"
under two politicians). One global model cannot learn that; one model per target cannot serve
a target it has not seen. Feature augmentation (Daumé III, "Frustratingly Easy Domain
Adaptation", ACL 2007) does both in one linear model: every row's features appear once in a
*shared* block and once more in the block of its own target, so the model learns weights that
hold for every target plus corrections for each; a row whose target was not trained on
(or had too few pieces) has only the shared block, i.e. the shared weights.

:class:`TargetIndex` is a block of a task's feature union: one column holding the row's target
number (0: none of the training targets), named ``target_index__target_index`` among the union's
feature names. :class:`TargetAugmentedClassifier` finds that column by its name, takes it off,
builds the augmented matrix and fits its estimator on it, so the pipeline keeps the scikit-learn
contract and every probability stays linear in the features.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from .. import errors

# The name a feature union gives TargetIndex's column: block "target_index", column "target_index".
TARGET_COLUMN = "target_index__target_index"


class TargetIndex(TransformerMixin, BaseEstimator):
    """One column: the number of each sample's target among the training targets (1, 2, ...),
    0 for a target that is not one of them.

    Args:
        min_pieces: A target gets its own number (its own weights downstream) only with at
            least this many training pieces; rarer ones share the shared weights with unseen
            targets. With fewer than two such targets every row gets 0 (nothing per target).
    """

    def __init__(self, min_pieces: int = 50) -> None:
        self.min_pieces = min_pieces

    def fit(self, X: Any, y: Any = None) -> TargetIndex:
        """Count the training targets (the samples' normalised ``target``)."""
        counts = Counter(s.target for s in X if s.target)
        self.target_counts_ = dict(counts.most_common())
        kept = sorted(t for t, n in counts.items() if n >= self.min_pieces)
        self.targets_ = kept if len(kept) >= 2 else []
        self.index_ = {t: i + 1 for i, t in enumerate(self.targets_)}
        return self

    def transform(self, X: Any) -> np.ndarray:
        """The target number of every sample, as a float column."""
        check_is_fitted(self, "index_")
        return np.asarray([[self.index_.get(s.target, 0)] for s in X], dtype=np.float32)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """One column, named ``target_index``."""
        return np.asarray(["target_index"], dtype=object)


def augment(X: Any, index: np.ndarray, n_targets: int, *, target_weight: float = 1.0,
            columns: list[np.ndarray] | None = None) -> sparse.csr_matrix:
    """``[X, X of target 1's rows, ..., X of target k's rows]``: the shared block, then one block
    per target holding only its own rows (times ``target_weight``).

    Args:
        X: The features (rows x d), without the target column.
        index: Each row's target number, 0 (shared block only) to ``n_targets``.
        n_targets: How many per-target blocks.
        target_weight: Scale of the per-target copies: larger lets each target's weights move
            further from the shared ones for the same regularisation cost.
        columns: From :func:`target_columns`: target t's block then holds only the features its
            training rows use (``columns[t - 1]``, in that order), the others dropped from the
            copy. Without it every block is ``d`` wide, so the weights take ``d x (k + 1)`` per
            class: 186 ARC claims x 250,000 n-grams passed 15 GB while fitting.
    """
    X = sparse.csr_matrix(X, dtype=np.float64)
    if n_targets == 0:
        return X
    if columns is not None:
        return _augment_compact(X, index, columns, target_weight)
    n, d = X.shape
    index = np.asarray(index, dtype=np.int64).ravel()
    lengths = np.diff(X.indptr)
    own = index > 0
    # The copy of row i sits in columns index[i] * d ... : same values, shifted column numbers.
    copy_lengths = np.where(own, lengths, 0)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths + copy_lengths, out=indptr[1:])
    data = np.empty(indptr[-1], dtype=np.float64)
    cols = np.empty(indptr[-1], dtype=np.int64)
    row_of = np.repeat(np.arange(n), lengths)
    start = indptr[:-1][row_of]
    offset = np.arange(X.nnz) - X.indptr[:-1][row_of]
    data[start + offset] = X.data
    cols[start + offset] = X.indices
    mask = own[row_of]
    copy_at = (start + lengths[row_of] + offset)[mask]
    data[copy_at] = X.data[mask] * target_weight
    cols[copy_at] = X.indices[mask] + index[row_of][mask] * d
    return sparse.csr_matrix((data, cols, indptr), shape=(n, d * (n_targets + 1)))


def target_columns(X: Any, index: np.ndarray, n_targets: int, copy_cap: float = 0.0) -> list[np.ndarray]:
    """For each target number 1..``n_targets``, the sorted feature columns its rows of ``X`` use
    (with ``copy_cap``, the most used of them).

    An L2-regularised linear model fitted on :func:`augment`'s full layout keeps a zero weight on
    every per-target copy of a feature that target's training rows never use (its gradient is
    always zero), so dropping those copies fits the same model in ``d`` plus the summed
    vocabularies of the targets instead of ``d x (k + 1)`` columns.

    Args:
        copy_cap: With ``n`` rows of a target, give it at most ``copy_cap * sqrt(n)`` copies:
            the features used by at least ``m`` of its rows, ``m`` the smallest count that keeps
            within that (0: every feature its rows use). The features ``n`` texts use grow about
            as ``sqrt(n)`` (Heaps' law), faster for long texts than for short ones; a copy used by
            one row of its target can only learn that row, and article bodies bring hundreds of
            such rare n-grams each. So the cap is a bound on how rich a target's texts are, the
            same for a target of any size.
    """
    X = sparse.csr_matrix(X)
    index = np.asarray(index, dtype=np.int64).ravel()
    out = []
    for t in range(1, n_targets + 1):
        rows = X[index == t]
        used = np.bincount(rows.indices, minlength=X.shape[1])  # rows of t using each feature
        least = 1
        if copy_cap > 0:
            kept = np.cumsum(np.bincount(used)[::-1])[::-1]  # kept[m]: features used by >= m rows, falling
            least += int(np.count_nonzero(kept[1:] > copy_cap * np.sqrt(rows.shape[0])))
        out.append(np.flatnonzero(used >= least).astype(np.int64))
    return out


def _augment_compact(X: sparse.csr_matrix, index: np.ndarray, columns: list[np.ndarray],
                     target_weight: float) -> sparse.csr_matrix:
    """:func:`augment` in the layout of ``columns``: ``[X, copies]``, target t's copies in
    ``d + sum(len(columns[:t - 1]))`` onwards, a feature t's training rows never used left out."""
    n, d = X.shape
    index = np.asarray(index, dtype=np.int64).ravel()
    sizes = np.asarray([len(c) for c in columns], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    row_of = np.repeat(np.arange(n), np.diff(X.indptr))
    target_of = index[row_of]
    keep = np.zeros(X.nnz, dtype=bool)
    new_cols = np.zeros(X.nnz, dtype=np.int64)
    order = np.argsort(target_of, kind="stable")  # entries grouped by target, rows in order inside
    bounds = np.searchsorted(target_of[order], np.arange(len(columns) + 2))
    for t, cols in enumerate(columns, start=1):
        entries = order[bounds[t]:bounds[t + 1]]
        if not len(entries) or not len(cols):
            continue
        at = np.minimum(np.searchsorted(cols, X.indices[entries]), len(cols) - 1)
        found = cols[at] == X.indices[entries]
        keep[entries[found]] = True
        new_cols[entries[found]] = starts[t - 1] + at[found]
    copies = sparse.csr_matrix((X.data[keep] * target_weight, (row_of[keep], new_cols[keep])),
                               shape=(n, int(starts[-1])))
    return sparse.hstack([X, copies], format="csr")


class TargetAugmentedClassifier(ClassifierMixin, BaseEstimator):
    """A linear classifier over shared plus per-target copies of the features.

    One input column is the :class:`TargetIndex` number of each row, found by its name
    (``target_column``) among the feature names given to :meth:`fit` (a feature union's
    ``get_feature_names_out()``) or a DataFrame's columns; a bare matrix without names has it last,
    where :class:`TargetIndex` appended alone puts it. The other columns are the features. With no
    per-target numbers in training (one target, or none with enough pieces) this is exactly
    ``estimator`` on the features.

    Args:
        estimator: The linear classifier (``CalibratedLinearClassifier``).
        target_weight: Scale of the per-target copies (see :func:`augment`).
        target_column: The name of the target-number column.
        copy_cap: A target of ``n`` training pieces gets at most ``copy_cap * sqrt(n)``
            per-target copies (see :func:`target_columns`; 0: a copy of every feature its pieces use).

    Attributes:
        target_column_: The number of that column in ``X``.
        n_targets_: How many targets have weights of their own.
    """

    def __init__(self, estimator: Any = None, target_weight: float = 1.0,
                 target_column: str = TARGET_COLUMN, copy_cap: float = 0.0) -> None:
        self.estimator = estimator
        self.target_weight = target_weight
        self.target_column = target_column
        self.copy_cap = copy_cap

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pickled before the column was found by name: it read the last one, which TargetIndex
        # (the union's last block then) filled; target_column keeps get_params, repr and clone working.
        if "target_column_" not in state and "n_features_in_" in state:
            state = {**state, "target_column_": state["n_features_in_"] - 1}
        state.setdefault("target_column", TARGET_COLUMN)
        state.setdefault("copy_cap", 0.0)  # pickled before the cap: every used feature was copied
        super().__setstate__(state)

    def _find_column(self, X: Any, feature_names: Any) -> int:
        """The number of the ``target_column`` column among ``X``'s named columns (the last without names)."""
        names = feature_names if feature_names is not None else getattr(X, "columns", None)
        if names is None:
            return X.shape[1] - 1
        names = [str(name) for name in names]
        if len(names) != X.shape[1]:
            raise errors.TrainingError.of(errors.FEATURE_NAMES_COUNT, n_names=len(names), n_columns=X.shape[1])
        if self.target_column not in names:
            raise errors.TrainingError.of(errors.PER_TARGET_NO_COLUMN, column=self.target_column,
                                          n_names=len(names), last=names[-1] if names else None)
        return names.index(self.target_column)

    def _split(self, X: Any) -> tuple[Any, np.ndarray]:
        X = sparse.csr_matrix(X) if not sparse.issparse(X) else X.tocsr()
        column = self.target_column_
        index = X[:, column].toarray().ravel().astype(np.int64)
        if column == X.shape[1] - 1:  # where TargetIndex sits in the product: a plain slice
            return X[:, :-1], index
        return sparse.hstack([X[:, :column], X[:, column + 1:]], format="csr"), index

    def target_numbers(self, X: Any) -> np.ndarray:
        """Each row's target number, as :class:`TargetIndex` wrote it in the target column of ``X``."""
        check_is_fitted(self, "estimator_")
        return self._split(X)[1]

    def fit(self, X: Any, y: Any, sample_weight: Any = None, feature_names: Any = None) -> TargetAugmentedClassifier:
        """Fit ``estimator`` on the augmented features of ``X``.

        Args:
            X: The features, the target-number column among them.
            y: The labels.
            sample_weight: Per-row weights for ``estimator``.
            feature_names: The name of each column of ``X`` (default: a DataFrame's column names;
                without names the target column is the last).

        Raises:
            TrainingError: When the names do not match the columns or none is ``target_column``.
        """
        self.target_column_ = self._find_column(X, feature_names)
        features, index = self._split(X)
        self.n_targets_ = int(index.max()) if len(index) else 0
        self.n_features_in_ = X.shape[1]
        if self.n_targets_:  # copies of the features each target's rows use (the full layout's fit), at most the cap
            self.columns_ = target_columns(features, index, self.n_targets_, self.copy_cap)
        elif hasattr(self, "columns_"):  # refitted without targets of their own
            del self.columns_
        self.estimator_ = clone(self.estimator)
        weights = {} if sample_weight is None else {"sample_weight": sample_weight}
        self.estimator_.fit(self._augment(features, index), y, **weights)
        self.classes_ = self.estimator_.classes_
        return self

    def training_matrix(self, X: Any, feature_names: Any = None) -> sparse.csr_matrix:
        """The augmented matrix :meth:`fit` would train ``estimator`` on for ``X`` (nothing is kept)."""
        probe = clone(self)
        probe.target_column_ = probe._find_column(X, feature_names)
        features, index = probe._split(X)
        n_targets = int(index.max()) if len(index) else 0
        return augment(features, index, n_targets, target_weight=self.target_weight,
                       columns=target_columns(features, index, n_targets, self.copy_cap) if n_targets else None)

    def _augment(self, features: Any, index: np.ndarray) -> sparse.csr_matrix:
        index = np.where((index >= 0) & (index <= self.n_targets_), index, 0)
        # a model pickled before columns_ existed was fitted on the full layout
        return augment(features, index, self.n_targets_, target_weight=self.target_weight,
                       columns=getattr(self, "columns_", None))

    def augmented(self, X: Any) -> sparse.csr_matrix:
        """The matrix the inner estimator reads for ``X`` (shared block, then per-target blocks)."""
        check_is_fitted(self, "estimator_")
        return self._augment(*self._split(X))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in the order of ``classes_``."""
        return self.estimator_.predict_proba(self.augmented(X))

    def decision_function(self, X: Any) -> np.ndarray:
        """The inner estimator's decision values on the augmented features."""
        return self.estimator_.decision_function(self.augmented(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        return self.estimator_.predict(self.augmented(X))

    def coef_for(self, target: int) -> np.ndarray:
        """Per-class weights of the input features (0 for the target column) for rows of target
        number ``target``: the shared weights plus that target's own (0: shared only)."""
        check_is_fitted(self, "estimator_")
        coef = np.asarray(self.estimator_.coef_)
        d = self.n_features_in_ - 1
        total = coef[:, :d].copy()
        columns = getattr(self, "columns_", None)
        if 0 < target <= self.n_targets_ and columns is None:
            total += self.target_weight * coef[:, target * d:(target + 1) * d]
        elif 0 < target <= self.n_targets_:
            start = d + sum(len(c) for c in columns[:target - 1])
            total[:, columns[target - 1]] += self.target_weight * coef[:, start:start + len(columns[target - 1])]
        return np.insert(total, self.target_column_, 0.0, axis=1)

    @property
    def coef_(self) -> np.ndarray:
        """The shared weights (those unseen targets get), with 0 for the target column."""
        return self.coef_for(0)

    @property
    def intercept_(self) -> np.ndarray:
        """The inner estimator's intercepts."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.intercept_

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
