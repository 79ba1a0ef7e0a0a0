"""Checked reading of a model's files: every file model.json needs, read once, against its
recorded SHA-256; plain ``*.joblib`` names inside the folder only; no symbolic links. Each
refusal names the file and what to do. (That load_model checks before it unpickles anything:
tests/models/test_persist.py.)"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline import errors
from pipeline.models.integrity import MODEL_JSON, _verified_files

CONTENT = {"stance.joblib": b"stance bytes", "frame.joblib": b"frame bytes", "entity_stance.joblib": b"extra"}


def _folder(path: Path) -> tuple[Path, dict]:
    """A model folder with three files and the model.json part that lists them (no pickles needed)."""
    path.mkdir()
    for name, content in CONTENT.items():
        (path / name).write_bytes(content)
    info = {"tasks": {"stance": {"file": "stance.joblib"}, "frame": {"file": "frame.joblib"}},
            "extras": {"entity_stance": "entity_stance.joblib"},
            "files": {name: hashlib.sha256(content).hexdigest() for name, content in CONTENT.items()}}
    (path / MODEL_JSON).write_text(json.dumps(info))
    return path, info


@pytest.fixture()
def folder(tmp_path):
    return _folder(tmp_path / "m")


def test_every_needed_file_is_read_once_as_it_is(folder):
    path, info = folder
    assert _verified_files(path, info) == CONTENT


def test_a_changed_file_is_refused_naming_it_and_the_fix(folder):
    path, info = folder
    (path / "frame.joblib").write_bytes(b"frame bytes, edited")
    with pytest.raises(errors.ModelIntegrityError) as caught:
        _verified_files(path, info)
    message = str(caught.value)
    assert message.startswith(f"{path / 'frame.joblib'}: checksum does not match model.json")
    assert "could run code" in message and "Retrain or restore the model" in message


def test_a_missing_file_says_the_model_is_incomplete(folder):
    path, info = folder
    (path / "entity_stance.joblib").unlink()
    with pytest.raises(errors.ModelIntegrityError,
                       match=r"entity_stance\.joblib: missing\. The model is incomplete; retrain or restore it"):
        _verified_files(path, info)


def test_a_file_without_a_recorded_checksum_is_refused(folder):
    path, info = folder
    del info["files"]["stance.joblib"]
    with pytest.raises(errors.ModelIntegrityError) as caught:
        _verified_files(path, info)
    assert str(caught.value).startswith(f"{path / 'stance.joblib'}: no checksum recorded in model.json")
    assert "save the model again, or restore it" in str(caught.value)


def test_an_unreadable_file_names_the_reason(folder):
    path, info = folder
    (path / "stance.joblib").unlink()
    (path / "stance.joblib").mkdir()  # a folder in its place: reading it fails with an OSError
    with pytest.raises(errors.ModelIntegrityError, match=r"stance\.joblib: cannot be read \(Is a directory\)\. "
                       r"Check that it is a file you may read, or restore the model"):
        _verified_files(path, info)


@pytest.mark.parametrize("name", ["../outside.joblib", "/etc/passwd", "sub/x.joblib", "model.json"])
def test_model_json_may_not_name_files_outside_the_folder(folder, name):
    path, info = folder
    info["tasks"]["stance"]["file"] = name
    info["files"][name] = "0" * 64
    with pytest.raises(errors.ModelIntegrityError, match="plain \\*.joblib files") as caught:
        _verified_files(path, info)
    assert str(caught.value).startswith(f"{path / MODEL_JSON}: lists the file {name!r}")


def test_a_symlinked_model_file_is_refused(folder, tmp_path):
    path, info = folder
    real = tmp_path / "real.joblib"
    (path / "stance.joblib").rename(real)
    (path / "stance.joblib").symlink_to(real)
    with pytest.raises(errors.ModelIntegrityError, match="stance.joblib: is a symbolic link"):
        _verified_files(path, info)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda info: info.update(files=["stance.joblib"]), "'files', 'tasks' and 'extras' must be objects"),
    (lambda info: info.pop("tasks"), "'files', 'tasks' and 'extras' must be objects"),
    (lambda info: info["tasks"].update(stance={"labels": ["a"]}), "task 'stance' names no file"),
])
def test_a_malformed_listing_is_refused_naming_model_json(folder, edit, message):
    path, info = folder
    edit(info)
    with pytest.raises(errors.ModelIntegrityError, match=message) as caught:
        _verified_files(path, info)
    assert str(caught.value).startswith(str(path / MODEL_JSON))
