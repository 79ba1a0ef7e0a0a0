"""Training configuration: defaults shipped with the package, overridden by a TOML file.

:func:`load_config` reads ``default_config.toml`` (the only place defaults are written), merges a
user's TOML file and then ``overrides`` over it, checks every key and value once, and returns a
frozen :class:`~pipeline.config.settings.Config`. :func:`saved_config` reads the plain dict a
saved model's ``model.json`` holds.
"""

from __future__ import annotations

import copy
import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .. import errors
from .checks import check_layer, section_values
from .settings import (
    SECTIONS,
    ClassifierSettings,
    Config,
    EvaluationSettings,
    FeatureSettings,
    FinetuneSettings,
    Settings,
    SpacySettings,
)

__all__ = ["ClassifierSettings", "Config", "EvaluationSettings", "FeatureSettings", "FinetuneSettings",
           "SECTIONS", "SHARED_SETTINGS", "Settings", "SpacySettings", "as_config", "default", "defaults",
           "load_config", "saved_config", "task_config"]

DEFAULTS_FILE = "default_config.toml"
# Settings that cannot differ between tasks: every piece is tokenised, and its sample built,
# once for all tasks.
SHARED_SETTINGS = (("spacy", None), ("features", "max_tokens"))


@functools.lru_cache(maxsize=1)
def _default_layer() -> dict[str, Any]:
    text = resources.files("pipeline").joinpath(DEFAULTS_FILE).read_text("utf-8")
    return tomllib.loads(text)


@functools.lru_cache(maxsize=1)
def defaults() -> Config:
    """The default configuration (``default_config.toml``)."""
    return load_config()


def default(section: str, key: str) -> Any:
    """The default of one setting, from ``default_config.toml``.

    Args:
        section: The TOML table, e.g. ``"features"``.
        key: The setting, e.g. ``"max_tokens"``.
    """
    return getattr(getattr(defaults(), section), key)


def load_config(path: str | Path | None = None, overrides: Mapping[str, Any] | None = None) -> Config:
    """Load the defaults, merge the TOML file at ``path`` over them, then ``overrides``; check it all once.

    Args:
        path: A TOML file giving only what it changes (``[classifier]`` ``C = 2.0``; per task under
            ``[tasks.NAME.SECTION]``).
        overrides: The same shape as the file, as a dict, e.g. ``{"classifier": {"C": 2.0}}``.

    Raises:
        ConfigError: When the file is missing or not TOML, or a setting is unknown or of the wrong
            type; the message names the file, the setting and what it allows.
    """
    layers = [(DEFAULTS_FILE, _default_layer())]
    if path is not None:
        path = Path(path)
        try:
            user = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise errors.ConfigError.of(errors.CONFIG_MISSING, path=path) from None
        except tomllib.TOMLDecodeError as exc:
            raise errors.ConfigError.of(errors.CONFIG_NOT_TOML, path=path, detail=exc) from None
        layers.append((str(path), user))
    if overrides:
        layers.append(("overrides", overrides))
    return _build(layers)


def saved_config(saved: Mapping[str, Any] | None, *, old_values: Mapping[tuple[str, str], Any] | None = None,
                 where: str = "model.json") -> Config:
    """The configuration a model saved as a plain dict (``model.json``'s ``"config"``).

    Models are saved with every setting of their version; a setting added since is missing from
    older ones. It gets ``old_values[(section, key)]`` (how models behaved before the setting
    existed, :data:`pipeline.models.renames.OLD_SETTINGS`), else its default. Settings that no
    longer exist are left out.

    Args:
        saved: The saved dict (None: the defaults; a :class:`Config` is returned as it is).
        old_values: Values of settings for models saved before the setting existed.
        where: The file, for messages.
    """
    if isinstance(saved, Config):
        return saved
    known = _known(saved or {})
    for (section, key), value in (old_values or {}).items():
        if key not in known.setdefault(section, {}):
            known[section][key] = value
    return _build([(DEFAULTS_FILE, _default_layer()), (where, known)])


def as_config(config: Config | Mapping[str, Any] | None) -> Config:
    """``config`` as a :class:`Config`: the defaults for None, a plain dict read as overrides."""
    if config is None:
        return defaults()
    if isinstance(config, Config):
        return config
    return load_config(overrides=config)


def task_config(config: Config, task: str) -> Settings:
    """The configuration for one task: the global sections with ``[tasks.TASK.*]`` merged over."""
    return as_config(config).task(task)


def _known(saved: Mapping[str, Any]) -> dict[str, Any]:
    """The sections and settings of ``saved`` that exist in this version."""
    def sections(values: Mapping[str, Any]) -> dict[str, Any]:
        return {s: {k: v for k, v in values[s].items() if k in _default_layer()[s]}
                for s in SECTIONS if isinstance(values.get(s), Mapping)}

    out = sections(saved)
    tasks = saved.get("tasks")
    out["tasks"] = {t: sections(v) for t, v in tasks.items() if isinstance(v, Mapping)} if isinstance(tasks, Mapping) else {}
    return out


def _build(layers: list[tuple[str, Mapping[str, Any]]]) -> Config:
    """Check each layer where it was written, merge them in order, and build the frozen settings."""
    merged: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    task_layers: dict[str, dict[str, dict[str, Any]]] = {}
    for where, layer in layers:
        check_layer(layer, where=where)
        for section, values in layer.items():
            if section == "tasks":
                for task, sections in values.items():
                    for name, own in sections.items():
                        _check_shared(task, name, own, where)
                        task_layers.setdefault(task, {}).setdefault(name, {}).update(copy.deepcopy(own))
            else:
                merged[section].update(copy.deepcopy(values))
    built = {name: section_values(name, merged[name], where=DEFAULTS_FILE) for name in SECTIONS}
    tasks = []
    for task, sections in task_layers.items():
        own = {name: section_values(name, {**merged[name], **sections.get(name, {})}, where=f"[tasks.{task}]")
               for name in SECTIONS}
        tasks.append((task, Settings(**own)))
    return Config(**built, tasks=tuple(tasks))


def _check_shared(task: str, section: str, values: Mapping[str, Any], where: str) -> None:
    for shared, key in SHARED_SETTINGS:
        if section == shared and (key is None or key in values):
            name = f"{shared}.{key}" if key else shared
            raise errors.ConfigError.of(errors.CONFIG_PER_TASK_SHARED, file=where, task=task, name=name,
                                        section=shared)
