"""Settings in a human-editable TOML file in the data folder, validated key by key."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ec2cards.config.settings import HELP, Settings, known_key, validate
from ec2cards.errors import UsageError

CONFIG_FILE = "config.toml"


def config_path(home: Path) -> Path:
    return home / CONFIG_FILE


def load_settings(home: Path) -> Settings:
    path = config_path(home)
    if not path.exists():
        return Settings()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,no-redef]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read settings: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: {error}; fix the file or delete it to use defaults") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        try:
            values[known_key(key)] = validate(key, value)
        except UsageError as error:
            raise UsageError(f"{path}: {error}") from None
    return replace(Settings(), **values)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def render(settings: Settings) -> str:
    lines = ["# ec2cards settings. Edit this file or run: ec2cards config KEY VALUE", ""]
    for f in fields(Settings):
        lines.append(f"# {HELP[f.name]}")
        lines.append(f"{f.name} = {_toml_value(getattr(settings, f.name))}")
    return "\n".join(lines) + "\n"


def save_settings(home: Path, settings: Settings) -> Path:
    """Write atomically: a crash mid-write leaves the old file, never half of the new one."""
    path = config_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".toml.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(render(settings))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return path


def set_value(home: Path, key: str, raw: str) -> Settings:
    key = known_key(key)
    settings = replace(load_settings(home), **{key: validate(key, raw)})
    save_settings(home, settings)
    return settings


def save_parameters(home: Path, parameters: Sequence[float]) -> Settings:
    """Keep fitted FSRS parameters in the settings (validated like any other value)."""
    return set_value(home, "parameters", " ".join(str(p) for p in parameters))
