"""The versions that made a model (model.json's ``versions``) and the warning when it is loaded under others."""

from __future__ import annotations

import sys
import warnings
from importlib import metadata

import pytest

import pipeline.models.versions as versions
from pipeline.models.versions import _versions, _warn_versions
from pipeline.version import __version__


def test_records_framing_python_and_the_installed_libraries():
    found = _versions(None)
    assert found["framing"] == __version__
    assert found["python"] == ".".join(map(str, sys.version_info[:3]))
    for dist in ("spacy", "scikit-learn", "joblib", "numpy"):
        assert found[dist] == metadata.version(dist)
    assert found["spacy_model"] is None  # no spaCy pipeline named


def test_the_spacy_pipeline_is_looked_up_as_its_distribution(monkeypatch):
    asked = []

    def version(dist):
        asked.append(dist)
        if dist == "en-core-web-sm":
            return "3.8.0"
        raise metadata.PackageNotFoundError(dist)

    monkeypatch.setattr(versions.metadata, "version", version)
    found = _versions("en_core_web_sm")
    assert "en-core-web-sm" in asked and found["spacy_model"] == "3.8.0"
    assert found["spacy"] is None and found["numpy"] is None  # not installed: recorded as None, no error


def _info(**saved):
    return {"versions": saved, "spacy_model": {"name": None}}


def test_another_version_warns_naming_the_model_both_versions_and_the_fix(tmp_path):
    now = _versions(None)
    with pytest.warns(UserWarning) as caught:
        _warn_versions(_info(**{**now, "scikit-learn": "0.1.0"}), tmp_path / "mine")
    assert len(caught) == 1
    assert str(caught[0].message) == (f"{tmp_path / 'mine'}: made with scikit-learn 0.1.0, running "
                                      f"{now['scikit-learn']}; predictions may differ. Retrain the model to be sure.")


def test_one_warning_per_library_that_differs(tmp_path):
    now = _versions(None)
    with pytest.warns(UserWarning) as caught:
        _warn_versions(_info(**{**now, "numpy": "1.0", "spacy": "2.0"}), tmp_path)
    assert sorted(str(w.message).split(" made with ")[1].split()[0] for w in caught) == ["numpy", "spacy"]


@pytest.mark.parametrize("saved", [
    _versions(None),  # the same versions
    {},  # an old model.json without versions
    {"scikit-learn": None, "python": "2.7.0", "framing": "0.0.1"},  # unknown, or not what predictions depend on
])
def test_no_warning_when_nothing_that_matters_differs(tmp_path, saved):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _warn_versions(_info(**saved), tmp_path)
