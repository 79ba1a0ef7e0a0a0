"""The typed, frozen configuration: defaults only in the TOML, every key and value checked once."""

import dataclasses
import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from pipeline import errors
from pipeline.config import SECTIONS, Config, as_config, load_config, saved_config, task_config
from pipeline.models.renames import OLD_SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_and_file_override(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text("[classifier]\nC = 2\n[tasks.frame.features]\nchar_ngrams = [0, 0]\n")
    config = load_config(f)
    assert config.classifier.C == 2.0 and isinstance(config.classifier.C, float)
    assert task_config(config, "frame").features.char_ngrams == (0, 0)
    assert task_config(config, "stance").features.char_ngrams == (2, 5)
    assert config.task("frame").classifier.C == 2.0  # the global change reaches the task with its own section


@pytest.mark.parametrize("text, fragment", [
    ("[classifier]\nCC = 1\n", "c.toml: unknown setting 'classifier.CC'. Known here: kind, C,"),
    ("[classifier]\nC = 'high'\n", "c.toml: 'classifier.C' must be a number, found 'high'."),
    ("[classifier]\nkind = 'forest'\n", "c.toml: 'classifier.kind' must be one of 'linear', 'finetune', found 'forest'."),
    ("[features]\nmax_tokens = 10.5\n", "'features.max_tokens' must be an integer, found 10.5"),
    ("[features]\nsimilarity = 1\n", "'features.similarity' must be true or false, found 1"),
    ("[features]\nword_ngrams = [1, 2, 3]\n", "'features.word_ngrams' must be a list of 2 integers"),
    ("[tasks.frame.classifier]\nC = 'x'\n", "'tasks.frame.classifier.C' must be a number"),
    ("[tasks.frame.bogus]\nx = 1\n", "unknown setting 'tasks.frame.bogus'"),
    ("[bogus]\nx = 1\n", "unknown setting 'bogus'. Known here: spacy, features, classifier, finetune, evaluation, tasks."),
    ("classifier = 3\n", "must be a table"),
    ("[classifier\n", "not valid TOML"),
])
def test_bad_config_is_explained(tmp_path, text, fragment):
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(errors.ConfigError, match=fragment.replace("(", r"\(").replace("[", r"\[").replace(".", r"\.")):
        load_config(f)


def test_overrides_are_checked_and_named():
    with pytest.raises(errors.ConfigError, match=r"^overrides: 'evaluation\.folds' must be an integer, found '5'\.$"):
        load_config(overrides={"evaluation": {"folds": "5"}})


def test_frame_does_not_use_target_features_by_default():
    config = load_config()
    assert task_config(config, "frame").features.target_features is False
    assert task_config(config, "stance").features.target_features is True


@pytest.mark.parametrize("section", ["[tasks.frame.features]\nmax_tokens = 300\n", "[tasks.frame.spacy]\nmodel = 'x'\n"])
def test_settings_shared_by_all_tasks_are_refused_per_task(tmp_path, section):
    f = tmp_path / "c.toml"
    f.write_text(section)
    with pytest.raises(errors.ConfigError, match="applies to every task"):
        load_config(f)


def test_the_toml_and_the_settings_name_the_same_keys():
    """The TOML holds every default, and no setting is missing from it or from the classes."""
    toml = tomllib.loads(resources.files("pipeline").joinpath("default_config.toml").read_text("utf-8"))
    assert set(toml) - {"tasks"} == set(SECTIONS)
    for name, cls in SECTIONS.items():
        fields = dataclasses.fields(cls)
        assert [f.name for f in fields] and set(toml[name]) == {f.name for f in fields}, name
        assert all(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING for f in fields)


def test_frozen_and_replace_makes_a_copy():
    config = load_config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.classifier.C = 1.0
    changed = dataclasses.replace(config, classifier=dataclasses.replace(config.classifier, C=1.0))
    assert changed.classifier.C == 1.0 and config.classifier.C == 4.0


def test_round_trip_through_a_plain_dict():
    config = load_config(overrides={"classifier": {"C": 2.0}, "tasks": {"stance": {"classifier": {"gate_label": "x"}}}})
    plain = json.loads(json.dumps(config.to_dict()))
    assert plain["tasks"]["stance"] == {"classifier": {"gate_label": "x"}}
    assert saved_config(plain) == config == as_config(plain)


def test_a_config_saved_before_settings_existed_reads_as_it_behaved():
    saved = json.loads((ROOT / "tests/data/pre_regroup_model/model/model.json").read_text())["config"]
    assert "per_target" not in saved["classifier"]
    config = saved_config(saved, old_values=OLD_SETTINGS)
    assert isinstance(config, Config)
    assert config.classifier.per_target == "off"  # the default is "auto", but such models had one set of weights
    assert config.classifier.solver == "lbfgs" != load_config().classifier.solver  # refitted as they were fitted
    assert config.task("stance").classifier.stage2 == "boosted"
    assert config.features.similarity is True and config.features.word_max_features == 2000
    # a setting that no longer exists is left out rather than refused
    saved["classifier"]["retired_setting"] = 1
    assert saved_config(saved, old_values=OLD_SETTINGS) == config


def test_a_saved_value_of_the_wrong_type_names_the_file():
    with pytest.raises(errors.ConfigError, match=r"^m/model\.json: 'classifier\.C' must be a number"):
        saved_config({"classifier": {"C": "x"}}, where="m/model.json")


def test_the_shipped_benchmark_configs_load():
    for path in sorted((ROOT / "benchmarks" / "configs").glob("*.toml")):
        assert isinstance(load_config(path), Config), path
