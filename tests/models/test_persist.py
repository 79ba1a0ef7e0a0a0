"""Saving, loading, refusing and exchanging models: integrity before unpickling, trust, atomicity, skops.

The helpers on their own: tests/models/test_integrity.py (checksums, names, links),
test_folders.py (the shipped models' folders, the atomic swap), test_versions.py (recorded versions).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import joblib
import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline import errors
from pipeline.features.samples import Sample
from pipeline.models.exchange import audit_types, export_model, import_model, is_trusted_name
from pipeline.models.persist import MODEL_JSON, load_model, save_model

from ..conftest import TINY_STANCE_TEXTS as TEXTS

ROOT = Path(__file__).resolve().parents[2]
PROBE = [Sample("police should stop the cameras"), Sample("the tool saves lives")]


def make_model(path: Path) -> Path:
    """A small real model (fitted without spaCy, so it is quick), saved at ``path``."""
    from pipeline.config import load_config, task_config
    from pipeline.models.factory import fit_task
    from pipeline.models.framing import FramingModel
    from pipeline.nlp.processor import model_id

    config = load_config(overrides={"classifier": {"calibration_folds": 0}})
    pipe = fit_task(task_config(config, "stance"), [Sample(t) for t, _ in TEXTS], [y for _, y in TEXTS],
                    use_target=False)
    name, version = model_id().split("==")
    info = {"spacy_model": {"name": name, "version": version}, "config": config.to_dict()}
    return save_model(FramingModel(tasks={"stance": pipe}, info=info), path)


class Marker:
    """Unpickling this creates ``path``: the stand-in for code run by a malicious model file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


@pytest.fixture()
def model_path(models_dir, tmp_path):
    return make_model(models_dir / f"m-{tmp_path.name}")


class TestLoad:
    def test_round_trip_keeps_predictions(self, model_path):
        model = load_model(model_path)
        again = load_model(save_model(model, model_path))
        assert np.allclose(model.tasks["stance"].predict_proba(PROBE), again.tasks["stance"].predict_proba(PROBE))
        assert again.labels("stance") == ["oppose", "support"]

    def test_the_payload_really_runs_code_when_unpickled(self, tmp_path):
        # Proves the refusal tests below are meaningful: loading this file does run code.
        joblib.dump(Marker(tmp_path / "ran"), tmp_path / "evil.joblib")
        joblib.load(tmp_path / "evil.joblib")
        assert (tmp_path / "ran").exists()

    def test_tampered_file_is_refused_and_nothing_runs(self, model_path, tmp_path):
        marker = tmp_path / "ran"
        joblib.dump(Marker(marker), model_path / "stance.joblib")
        with pytest.raises(errors.ModelIntegrityError, match="checksum does not match"):
            load_model(model_path)
        assert not marker.exists()

    def test_untrusted_folder_is_refused_and_nothing_runs(self, tmp_path):
        path = make_model(tmp_path / "elsewhere")
        marker = tmp_path / "ran"
        joblib.dump(Marker(marker), path / "stance.joblib")
        _rewrite_checksums(path)  # a consistent but malicious model from a stranger
        with pytest.raises(errors.UntrustedModelError, match="trust=True"):
            load_model(path)
        assert not marker.exists()

    def test_symlinked_folder_into_trusted_root_is_still_untrusted(self, models_dir, tmp_path):
        outside = make_model(tmp_path / "outside")
        _unsign(outside)  # a stranger's model
        link = models_dir / f"link-{tmp_path.name}"
        link.symlink_to(outside)
        with pytest.raises(errors.UntrustedModelError):
            load_model(link)

    def test_missing_and_garbled_model_json(self, model_path):
        (model_path / MODEL_JSON).write_text("[1, 2]")
        with pytest.raises(errors.ModelError, match="expected a JSON object"):
            load_model(model_path)
        (model_path / MODEL_JSON).unlink()
        with pytest.raises(errors.ModelError, match="model.json is missing"):
            load_model(model_path)


class TestAtomicSave:
    def test_failed_save_keeps_the_old_model(self, model_path, monkeypatch):
        before = (model_path / MODEL_JSON).read_text()
        model = load_model(model_path)

        def boom(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(joblib, "dump", boom)
        with pytest.raises(OSError):
            save_model(model, model_path)
        assert (model_path / MODEL_JSON).read_text() == before
        assert load_model(model_path).labels("stance") == ["oppose", "support"]
        assert not [p for p in model_path.parent.iterdir() if p.name.startswith(f".{model_path.name}.")]

    def test_sigkill_during_a_real_train_keeps_the_old_model(self, model_path, tmp_path):
        before = (model_path / MODEL_JSON).read_text()
        corpus = tmp_path / "c.jsonl"
        corpus.write_text("".join(json.dumps({"id": str(i), "text": t, "labels": {"stance": y}}) + "\n"
                                  for i, (t, y) in enumerate(TEXTS)))
        # framing train itself, with joblib.dump slowed down so the kill lands mid-write.
        launcher = ("import time, joblib, sys; dump = joblib.dump\n"
                    "def slow(*a, **k):\n    r = dump(*a, **k); time.sleep(30); return r\n"
                    "joblib.dump = slow\nfrom pipeline.cli import main\n"
                    "sys.argv = ['framing'] + sys.argv[1:]; main()\n")
        proc = subprocess.Popen([sys.executable, "-c", launcher, "train", str(corpus), "--out", str(model_path),
                                 "--no-eval", "-q", "--no-cache"], cwd=tmp_path, env=os.environ.copy(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while not list(model_path.parent.glob(f".{model_path.name}.tmp-*/*.joblib")):
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "framing train never started writing"
                time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        assert (model_path / MODEL_JSON).read_text() == before
        assert load_model(model_path).labels("stance") == ["oppose", "support"]


class TestExchange:
    def test_export_import_round_trip(self, model_path, models_dir, tmp_path):
        original = load_model(model_path)
        file = export_model(original, tmp_path / "m.zip")
        trusted, refused = audit_types(file)
        assert refused == []
        assert "pipeline.models.linear.CalibratedLinearClassifier" in trusted
        imported = load_model(import_model(file, models_dir / f"imp-{tmp_path.name}"))
        assert np.allclose(original.tasks["stance"].predict_proba(PROBE),
                           imported.tasks["stance"].predict_proba(PROBE))
        tfidf = imported.tasks["stance"].named_steps["features"].transformer_list[0][1].named_steps["tfidf"]
        assert tfidf.tokenizer is str.split
        # exporting gave the caller its model back unchanged
        assert original.tasks["stance"].named_steps["features"].transformer_list[0][1] \
            .named_steps["tfidf"].tokenizer is str.split

    @pytest.mark.parametrize("name, ok", [
        ("sklearn.pipeline.Pipeline", True), ("pipeline.features.union.FieldSelector", True),
        ("numpy.ndarray", True), ("scipy.sparse._csr.csr_matrix", True),
        ("pipeline.models.exchange.split_tokens", True), ("numpy.load", False),
        ("pipeline.models.persist.load_model", False), ("posix.system", False), ("builtins.eval", False),
        ("sklearn.__import__", False), ("numpy.ndarray.tofile", False),
    ])
    def test_trusted_names(self, name, ok):
        assert is_trusted_name(name) is ok

    def test_import_refuses_untrusted_types_and_runs_nothing(self, tmp_path):
        import skops.io as sio

        marker = tmp_path / "ran"
        payload = {"format": 1, "info": "{}", "tasks": {"stance": _Evil(str(marker))}, "extras": {}}
        file = tmp_path / "evil.zip"
        sio.dump(payload, file)
        with pytest.raises(errors.UntrustedModelError, match="_Evil"):
            import_model(file, tmp_path / "out")
        assert not marker.exists()
        assert not (tmp_path / "out").exists()

    def test_cli_export_then_import_lists_types(self, model_path, models_dir, tmp_path):
        from pipeline.cli.model import model_app

        runner = CliRunner()
        zip_file = tmp_path / "m.zip"
        result = runner.invoke(model_app, ["export", str(model_path), "--out", str(zip_file)])
        assert result.exit_code == 0, result.output
        target = models_dir / f"cli-{tmp_path.name}"
        result = runner.invoke(model_app, ["import", str(zip_file), "--out", str(target)])
        assert result.exit_code == 0, result.output
        assert "trusted  pipeline.models.linear.CalibratedLinearClassifier" in result.output
        assert load_model(target).labels("stance") == ["oppose", "support"]

    def test_cli_import_of_a_non_skops_file_fails_cleanly(self, tmp_path):
        from pipeline.cli.model import model_app

        bad = tmp_path / "x.zip"
        bad.write_bytes(b"not a zip")
        result = CliRunner().invoke(model_app, ["import", str(bad), "--out", str(tmp_path / "o")])
        assert result.exit_code == 1
        assert "not a skops model file" in result.output


class _Evil:
    """Building this object (skops calls __setstate__) would create the marker file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __setstate__(self, state):
        Path(state["path"]).touch()
        self.__dict__.update(state)


def _rewrite_checksums(path: Path) -> None:
    import hashlib

    info = json.loads((path / MODEL_JSON).read_text())
    info["files"] = {n: hashlib.sha256((path / n).read_bytes()).hexdigest() for n in info["files"]}
    (path / MODEL_JSON).write_text(json.dumps(info))


def _unsign(path: Path) -> None:
    info = json.loads((path / MODEL_JSON).read_text())
    info.pop("signature")
    (path / MODEL_JSON).write_text(json.dumps(info))


class TestSignatures:
    """Models this user saves load from anywhere; unsigned, foreign or edited ones need trust."""

    def test_a_model_saved_anywhere_loads_and_the_key_is_private(self, tmp_path):
        import os
        import stat

        from pipeline.models.trust import key_file

        path = make_model(tmp_path / "home" / "models" / "mine")
        assert not path.resolve().is_relative_to(Path(os.environ["FRAMING_MODELS"]).resolve())
        assert load_model(path).labels("stance") == ["oppose", "support"]
        assert stat.S_IMODE(key_file().stat().st_mode) == 0o600
        assert json.loads((path / MODEL_JSON).read_text())["signature"]["algorithm"] == "hmac-sha256"

    def test_another_users_key_is_refused_and_nothing_runs(self, tmp_path, monkeypatch):
        path = make_model(tmp_path / "theirs")
        monkeypatch.setenv("FRAMING_KEY_FILE", str(tmp_path / "other-key"))
        marker = tmp_path / "ran"
        with pytest.raises(errors.UntrustedModelError, match="signed with another key.*trust=True.*import_model"):
            load_model(path)
        assert load_model(path, trust=True).labels("stance") == ["oppose", "support"]
        joblib.dump(Marker(marker), path / "stance.joblib")
        _rewrite_checksums(path)
        with pytest.raises(errors.UntrustedModelError):
            load_model(path)
        assert not marker.exists()

    def test_an_edited_model_json_is_refused(self, tmp_path):
        path = make_model(tmp_path / "edited")
        info = json.loads((path / MODEL_JSON).read_text())
        info["tasks"]["stance"]["labels"] = ["support", "oppose"]
        (path / MODEL_JSON).write_text(json.dumps(info))
        with pytest.raises(errors.UntrustedModelError, match="changed after it was signed"):
            load_model(path)

    def test_unsigned_is_refused(self, tmp_path):
        path = make_model(tmp_path / "unsigned")
        _unsign(path)
        with pytest.raises(errors.UntrustedModelError, match="not signed"):
            load_model(path)

    def test_a_missing_folder_says_no_model_here(self, tmp_path):
        with pytest.raises(errors.ModelError, match="no model here") as caught:
            load_model(tmp_path / "nope")
        assert not isinstance(caught.value, errors.UntrustedModelError)

    def test_imported_models_are_signed(self, tmp_path, monkeypatch):
        path = make_model(tmp_path / "to-export")
        export_model(load_model(path), tmp_path / "m.zip")
        monkeypatch.setenv("FRAMING_KEY_FILE", str(tmp_path / "importer-key"))
        imported = import_model(tmp_path / "m.zip", tmp_path / "imported")
        assert load_model(imported if isinstance(imported, Path) else tmp_path / "imported").labels("stance")

    def test_the_shipped_default_model_loads_unsigned(self):
        from pipeline.models.persist import DEFAULT_MODEL

        assert "signature" not in json.loads((DEFAULT_MODEL / MODEL_JSON).read_text())
        assert load_model(DEFAULT_MODEL).tasks



class TestTaskNames:
    """Any label column name works as a task: its file in the folder is safe, model.json keeps the name."""

    NAMES = ["stance/2020", "a\\b", "..", "../up", "x\x00y", "Haltung gegenüber", ".hidden", "s" * 5000, "stance"]

    def test_any_task_name_saves_and_reloads_with_identical_predictions(self, models_dir, tmp_path):
        from pipeline.models.framing import FramingModel

        base = load_model(make_model(models_dir / f"names-base-{tmp_path.name}"))
        pipe = base.tasks["stance"]
        tasks = {name: pipe for name in [*self.NAMES, "Stance"]}
        folder = models_dir / f"names-{tmp_path.name}"
        save_model(FramingModel(tasks=tasks, info=base.info), folder)
        again = load_model(folder)
        assert list(again.tasks) == list(tasks)
        expected = pipe.predict_proba(PROBE)
        for name in tasks:
            assert np.array_equal(again.tasks[name].predict_proba(PROBE), expected), name
            assert again.labels(name) == ["oppose", "support"]
        files = sorted(p.name for p in folder.iterdir())
        assert len(files) == len(tasks) + 1 and all(len(f) <= 80 for f in files)  # one file a task, model.json
        assert len({f.casefold() for f in files}) == len(files)  # `Stance` and `stance` apart on any file system
        assert not any(p.name.startswith("up") for p in models_dir.iterdir())  # nothing written beside the folder
        info = json.loads((folder / MODEL_JSON).read_text("utf-8"))
        assert info["tasks"]["stance"]["file"] == "stance.joblib"  # a plain name keeps its file name
        assert info["tasks"]["stance/2020"]["file"].startswith("stance_2020-")

    def test_such_names_survive_a_skops_export_and_import(self, models_dir, tmp_path):
        from pipeline.models.framing import FramingModel

        base = load_model(make_model(models_dir / f"names-x-{tmp_path.name}"))
        folder = save_model(FramingModel(tasks={"stance/2020": base.tasks["stance"], "..": base.tasks["stance"]},
                                         info=base.info), models_dir / f"names-y-{tmp_path.name}")
        export_model(load_model(folder), tmp_path / "m.zip")
        imported = load_model(import_model(tmp_path / "m.zip", models_dir / f"names-z-{tmp_path.name}"))
        assert list(imported.tasks) == ["stance/2020", ".."]
        assert np.array_equal(imported.tasks[".."].predict_proba(PROBE), base.tasks["stance"].predict_proba(PROBE))
