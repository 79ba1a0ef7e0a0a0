import pytest

from pipeline import errors
from pipeline.config import load_config, task_config


def test_defaults_and_file_override(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text("[classifier]\nC = 2\n[tasks.frame.features]\nchar_ngrams = [0, 0]\n")
    config = load_config(f)
    assert config["classifier"]["C"] == 2.0
    assert task_config(config, "frame")["features"]["char_ngrams"] == [0, 0]
    assert task_config(config, "stance")["features"]["char_ngrams"] == [2, 5]


@pytest.mark.parametrize("text, fragment", [
    ("[classifier]\nCC = 1\n", "unknown setting 'classifier.CC'"),
    ("[classifier]\nC = 'high'\n", "'classifier.C' must be float"),
    ("classifier = 3\n", "must be a table"),
    ("[classifier\n", "not valid TOML"),
])
def test_bad_config_is_explained(tmp_path, text, fragment):
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(errors.ConfigError, match=fragment.replace("(", r"\(").replace("[", r"\[")):
        load_config(f)


def test_frame_does_not_use_target_features_by_default():
    config = load_config()
    assert task_config(config, "frame")["features"]["target_features"] is False
    assert task_config(config, "stance")["features"]["target_features"] is True


@pytest.mark.parametrize("section", ["[tasks.frame.features]\nmax_tokens = 300\n", "[tasks.frame.spacy]\nmodel = 'x'\n"])
def test_settings_shared_by_all_tasks_are_refused_per_task(tmp_path, section):
    f = tmp_path / "c.toml"
    f.write_text(section)
    with pytest.raises(errors.ConfigError, match="applies to every task"):
        load_config(f)
