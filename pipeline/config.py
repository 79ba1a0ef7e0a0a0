"""Training configuration: defaults shipped with the package, overridden by a TOML file."""

from __future__ import annotations

import copy
import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from . import errors


def default_config() -> dict[str, Any]:
    """Return a fresh copy of the default configuration."""
    return copy.deepcopy(_defaults())


@functools.lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    text = resources.files("pipeline").joinpath("default_config.toml").read_text("utf-8")
    return tomllib.loads(text)


def default(section: str, key: str) -> Any:
    """The default of one setting, from ``default_config.toml``: the only place defaults are written.

    Args:
        section: The TOML table, e.g. ``"features"``.
        key: The setting, e.g. ``"max_tokens"``.
    """
    return copy.deepcopy(_defaults()[section][key])


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Load the defaults, merge the TOML file at ``path`` over them, then ``overrides``.

    Raises:
        ConfigError: When the file is missing, not TOML, or names an unknown section or key.
    """
    config = default_config()
    if path is not None:
        path = Path(path)
        try:
            user = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise errors.ConfigError.of(errors.CONFIG_MISSING, path=path) from None
        except tomllib.TOMLDecodeError as exc:
            raise errors.ConfigError(f"{path}: not valid TOML ({exc}). Fix the file.") from None
        _merge(config, user, where=str(path))
    if overrides:
        _merge(config, overrides, where="overrides")
    _check_task_sections(config)
    return config


# Settings that cannot differ between tasks: every piece is tokenised, and its sample built,
# once for all tasks.
SHARED_SETTINGS = (("spacy", None), ("features", "max_tokens"))


def _check_task_sections(config: dict[str, Any]) -> None:
    for task, sections in config.get("tasks", {}).items():
        for section, key in SHARED_SETTINGS:
            if section in sections and (key is None or key in sections[section]):
                name = f"{section}.{key}" if key else section
                raise errors.ConfigError(
                    f"[tasks.{task}]: '{name}' applies to every task (each piece is processed once for all "
                    f"tasks); set it in the top-level [{section}] section instead."
                )


def task_config(config: dict[str, Any], task: str) -> dict[str, Any]:
    """The configuration for one task: the global sections with ``[tasks.TASK.*]`` merged over."""
    merged = {k: copy.deepcopy(v) for k, v in config.items() if k != "tasks"}
    _merge(merged, config.get("tasks", {}).get(task, {}), where=f"[tasks.{task}]")
    return merged


def _merge(base: dict[str, Any], update: dict[str, Any], *, where: str, prefix: str = "") -> None:
    for key, value in update.items():
        name = f"{prefix}{key}"
        if key == "tasks" and not prefix:
            base.setdefault("tasks", {})
            for task, sections in value.items():
                base["tasks"].setdefault(task, {})
                base["tasks"][task] = _deep_update(base["tasks"][task], sections)
            continue
        if key not in base:
            known = ", ".join(sorted(base))
            raise errors.ConfigError(f"{where}: unknown setting '{name}'. Known here: {known}.")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise errors.ConfigError(f"{where}: '{name}' must be a table like [{name}].")
            _merge(base[key], value, where=where, prefix=f"{name}.")
        else:
            if base[key] is not None and type(value) is not type(base[key]) and not (
                isinstance(base[key], float) and isinstance(value, int)
            ):
                raise errors.ConfigError(
                    f"{where}: '{name}' must be {type(base[key]).__name__}, found {value!r}."
                )
            base[key] = value


def _deep_update(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_update(out[key], value)
        else:
            out[key] = value
    return out
