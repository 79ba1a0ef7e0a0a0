"""Model folders on disk: the shipped models' folder for each kind of install, file hashes,
flushing, and the atomic swap that keeps the old model when a save is interrupted."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

import pipeline.models.folders as folders
from pipeline.models.folders import _exchange, _fsync_folder, _sha256, _swap_in, shipped

ROOT = Path(__file__).resolve().parents[2]


def _model_folder(path: Path, marker: str) -> Path:
    path.mkdir(parents=True)
    (path / "model.json").write_text(f'{{"name": "{marker}"}}')
    return path


class TestShipped:
    """Where the default and zero-shot models are found (the wheel itself: tests/test_packaging.py)."""

    def test_a_wheel_or_sdist_install_reads_the_copy_inside_the_package(self, tmp_path):
        packaged = _model_folder(tmp_path / "site-packages" / "pipeline" / "default_model", "packaged")
        repository = _model_folder(tmp_path / "clone" / "models" / "default", "repository")
        assert shipped(packaged, repository) == packaged

    def test_a_clone_or_editable_install_reads_the_repository_folder(self, tmp_path):
        repository = _model_folder(tmp_path / "clone" / "models" / "default", "repository")
        assert shipped(tmp_path / "clone" / "pipeline" / "default_model", repository) == repository

    def test_a_packaged_folder_without_model_json_is_not_a_model(self, tmp_path):
        packaged = tmp_path / "pipeline" / "default_model"
        packaged.mkdir(parents=True)
        (packaged / "stance.joblib").write_bytes(b"half an install")
        repository = tmp_path / "models" / "default"
        assert shipped(packaged, repository) == repository

    def test_this_checkout_reads_its_own_models(self):
        from pipeline.models import persist

        if (persist.PACKAGED_MODEL / "model.json").is_file():
            pytest.skip("a built copy of the default model sits inside this checkout's package")
        assert persist.DEFAULT_MODEL == ROOT / "models" / "default"
        assert persist.DEFAULT_ZERO_SHOT == ROOT / "models" / "stance-any"
        assert (persist.DEFAULT_MODEL / "model.json").is_file()


class TestSha256:
    @pytest.mark.parametrize("size", [0, 1, (1 << 20) + 3])  # empty, one byte, more than one read block
    def test_the_digest_of_the_bytes(self, tmp_path, size):
        content = os.urandom(size)
        (tmp_path / "f.joblib").write_bytes(content)
        assert _sha256(tmp_path / "f.joblib") == hashlib.sha256(content).hexdigest()

    def test_a_missing_file_raises(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            _sha256(tmp_path / "absent.joblib")


def test_fsync_folder_flushes_every_file(tmp_path, monkeypatch):
    for name in ("a.joblib", "b.joblib", "model.json"):
        (tmp_path / name).write_text(name)
    flushed: list[int] = []
    real = os.fsync
    monkeypatch.setattr(folders.os, "fsync", lambda fd: (flushed.append(fd), real(fd))[1])
    _fsync_folder(tmp_path)
    assert len(flushed) == 3


class TestSwapIn:
    def _leftovers(self, parent: Path, name: str) -> list[str]:
        return sorted(p.name for p in parent.iterdir() if p.name != name)

    @pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "moved-aside"])
    def test_the_new_folder_replaces_the_old_and_nothing_is_left(self, tmp_path, monkeypatch, exchange):
        if exchange and not sys.platform.startswith("linux"):
            pytest.skip("renameat2 is Linux's")
        if not exchange:
            monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
        path = _model_folder(tmp_path / "mine", "old")
        (path / "old.joblib").write_text("old")
        tmp = _model_folder(tmp_path / ".mine.tmp-1", "new")
        _swap_in(tmp, path)
        assert (path / "model.json").read_text() == '{"name": "new"}' and not (path / "old.joblib").exists()
        assert self._leftovers(tmp_path, "mine") == []  # neither the temporary nor the old folder

    def test_a_first_save_moves_the_folder_in(self, tmp_path):
        tmp = _model_folder(tmp_path / ".mine.tmp-1", "new")
        _swap_in(tmp, tmp_path / "mine")
        assert (tmp_path / "mine" / "model.json").read_text() == '{"name": "new"}'
        assert self._leftovers(tmp_path, "mine") == []

    @pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
    def test_exchange_swaps_two_folders_in_one_call(self, tmp_path):
        a, b = _model_folder(tmp_path / "a", "a"), _model_folder(tmp_path / "b", "b")
        assert _exchange(a, b) is True
        assert (a / "model.json").read_text() == '{"name": "b"}' and (b / "model.json").read_text() == '{"name": "a"}'

    def test_exchange_says_when_it_cannot(self, tmp_path):
        assert _exchange(tmp_path / "absent", tmp_path / "also-absent") is False
