"""Settings in a human-editable TOML file in the data folder, validated key by key."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ec2cards.config.settings import HELP, Settings, known_key, validate
from ec2cards.errors import UsageError
from ec2cards.files import atomic_write

CONFIG_FILE = "config.toml"


def config_path(home: Path) -> Path:
    return home / CONFIG_FILE


def load_settings(home: Path) -> Settings:
    path = config_path(home)
    if not path.exists():
        return Settings()
    from ec2cards.files import special_kind

    if kind := special_kind(path):
        raise UsageError(f"{path}: is {kind}, not a settings file; remove it to use defaults")
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
    return Settings()._replace(**values)


def toml_value(value: Any) -> str:
    """A setting's value as TOML writes it (what `ec2cards config` prints and the file holds)."""
    import tomlkit

    item = tomlkit.item(list(value) if isinstance(value, tuple) else value)
    return str(item.as_string())


def render(settings: Settings) -> str:
    """A new settings file: every setting with a comment saying what it is."""
    lines = ["# ec2cards settings. Edit this file or run: ec2cards config KEY VALUE", ""]
    for name in Settings._fields:
        lines.append(f"# {HELP[name]}")
        lines.append(f"{name} = {toml_value(getattr(settings, name))}")
    return "\n".join(lines) + "\n"


def save_settings(home: Path, settings: Settings) -> Path:
    """A settings file written anew from `settings`, commented."""
    path = config_path(home)
    atomic_write(path, render(settings))
    return path


def set_value(home: Path, key: str, raw: str) -> Settings:
    """Change one setting, keeping the rest of the file as the user wrote it (comments,
    order, layout): tomlkit edits the document in place."""
    import tomlkit

    key = known_key(key)
    settings = load_settings(home)._replace(**{key: validate(key, raw)})
    value = getattr(settings, key)
    path = config_path(home)
    text = path.read_text(encoding="utf-8") if path.exists() else render(Settings())
    document = tomlkit.parse(text)
    document[key] = list(value) if isinstance(value, tuple) else value
    atomic_write(path, tomlkit.dumps(document))
    return settings


def save_parameters(home: Path, parameters: Sequence[float]) -> Settings:
    """Keep fitted FSRS parameters in the settings (validated like any other value)."""
    return set_value(home, "parameters", " ".join(str(p) for p in parameters))
