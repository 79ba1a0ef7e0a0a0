"""The array form of the entity-stance model: featurizer vocabulary, weights and sigmoid
calibration, applied with numpy.

:func:`export_entity_stance` writes a fitted :class:`~pipeline.entities.stance.EntityStanceClassifier` (its
:class:`~pipeline.features.mention.TargetFeaturizer`, then a logistic regression calibrated by
scikit-learn's ``CalibratedClassifierCV(method="sigmoid")``) as a JSON spec and arrays;
:class:`EntityStanceArrays` reads them back and gives the same probabilities without
scikit-learn: the featurizer's entries (:func:`~pipeline.features.mention_features.feature_entries`),
the regression's decision values, each class's sigmoid ``1 / (1 + exp(a * s + b))``, normalised
to sum to 1, as scikit-learn's calibrated classifier computes them (averaged over its calibrated
classifiers). Any other kind raises :class:`~pipeline.features.tfidf_arrays.Unsupported`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..features import rows as R
from ..features.mention_features import check_samples, extract_features, feature_entries
from ..features.tfidf_arrays import Unsupported, _blob, _terms


def export_entity_stance(model: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The spec and arrays of a fitted entity-stance classifier.

    Raises:
        Unsupported: When its featurizer or calibration is of a kind not reproduced here.
    """
    featurizer, calibrated = model.featurizer_, model.model_
    if (type(model).__name__ != "EntityStanceClassifier" or type(featurizer).__name__ != "TargetFeaturizer"
            or type(calibrated).__name__ != "CalibratedClassifierCV" or calibrated.method != "sigmoid"):
        raise Unsupported("entity stance: not a sigmoid-calibrated featurizer + regression")
    classes = [str(c) for c in calibrated.classes_]
    if len(classes) < 3:
        raise Unsupported("entity stance: binary")
    terms = sorted(featurizer.vocabulary_, key=featurizer.vocabulary_.__getitem__)
    if [featurizer.vocabulary_[t] for t in terms] != list(range(len(terms))):
        raise Unsupported("entity stance: vocabulary columns are not 0..n-1")
    arrays = {"terms": _blob(terms, "entity stance")}
    for i, part in enumerate(calibrated.calibrated_classifiers_):
        linear = part.estimator
        if (type(linear).__name__ != "LogisticRegression" or [str(c) for c in part.classes] != classes
                or [str(c) for c in linear.classes_] != classes or len(part.calibrators) != len(classes)
                or any(type(c).__name__ != "_SigmoidCalibration" for c in part.calibrators)):
            raise Unsupported("entity stance: a calibrated classifier of another kind")
        arrays[f"coef{i}"] = np.asarray(linear.coef_, dtype=np.float64)
        arrays[f"intercept{i}"] = np.asarray(linear.intercept_, dtype=np.float64)
        arrays[f"sigmoid{i}"] = np.asarray([[c.a_, c.b_] for c in part.calibrators], dtype=np.float64)
    spec = {"kind": "entity_stance", "classes": classes, "window": int(featurizer.window),
            "mention_words": bool(featurizer.mention_words), "lexicon_weight": float(featurizer.lexicon_weight),
            "n_features": int(featurizer.n_features_out_), "n_calibrated": len(calibrated.calibrated_classifiers_)}
    return spec, arrays


class EntityStanceArrays:
    """An entity-stance classifier read back from :func:`export_entity_stance`'s spec and arrays."""

    def __init__(self, spec: dict[str, Any], arrays: Any) -> None:
        if spec.get("kind") != "entity_stance":
            raise Unsupported(f"entity stance: {spec.get('kind')}")
        self.spec = spec
        terms = _terms(arrays["terms"])
        self.featurizer = dict(zip(terms, range(len(terms))))
        self.parts = [(arrays[f"coef{i}"], arrays[f"intercept{i}"], arrays[f"sigmoid{i}"])
                      for i in range(spec["n_calibrated"])]
        self.classes_ = np.asarray(spec["classes"])

    def predict_proba(self, X: Any) -> np.ndarray:
        """``(n_samples, n_classes)`` probabilities of ``(sentence, start, end)`` samples."""
        X = check_samples(X)
        if not X:
            return np.zeros((0, len(self.classes_)))
        extracted = extract_features(X, self.spec["window"], self.spec["mention_words"])
        rows, cols, data = feature_entries(extracted, self.featurizer, self.spec["lexicon_weight"])
        matrix = R.from_entries(rows, cols, data, len(X), self.spec["n_features"])
        mean = np.zeros((len(X), len(self.classes_)))
        for coef, intercept, sigmoid in self.parts:
            scores = R.dot(matrix, coef) + intercept
            proba = 1.0 / (1.0 + np.exp(sigmoid[:, 0] * scores + sigmoid[:, 1]))  # expit(-(a * s + b))
            total = np.sum(proba, axis=1)[:, np.newaxis]
            proba = np.divide(proba, total, out=np.full_like(proba, 1 / len(self.classes_)), where=total != 0)
            proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
            mean += proba
        return mean / len(self.parts)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable label of each sample."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)] if len(proba) else np.asarray([], dtype=object)
