"""Settings in a human-editable TOML file in the data folder, validated key by key."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ec2cards.config.settings import HELP, Settings, known_key, validate
from ec2cards.errors import UsageError

CONFIG_FILE = "config.toml"


def config_path(home: Path) -> Path:
    return home / CONFIG_FILE


def load_settings(home: Path) -> Settings:
    """The settings of the data folder; an unknown key in the file is passed over (see
    `unknown_settings`), so that a stale or mistyped line never stops every command."""
    return read_settings(home)[0]


def unknown_settings(home: Path) -> str | None:
    """One line naming the keys (and tables) of config.toml that no setting has, ignored:
    what each command says once; None when there are none or no file."""
    path = config_path(home)
    if not path.exists():
        return None
    try:
        unknown = read_settings(home)[1]
    except UsageError:
        return None  # a bad value of a known setting: the command itself says so
    if not unknown:
        return None
    from ec2cards.model.wording import did_you_mean, plural

    names = ", ".join(f"'{name}'" for name in unknown)
    hint = did_you_mean(unknown[0], Settings._fields)
    return (
        f"{path}: {plural(len(unknown), 'unknown setting')} ignored: {names}"
        + (f" ({hint})" if hint else "")
        + "; fix or delete each in the file (`ec2cards config` lists the settings)"
    )


def read_settings(home: Path) -> tuple[Settings, list[str]]:
    """The settings, and the keys of the file that are no setting (in file order)."""
    path = config_path(home)
    if not path.exists():
        return Settings(), []
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
    unknown = [key for key in data if key not in Settings._fields]
    for key, value in data.items():
        if key in unknown:
            continue
        try:
            values[known_key(key)] = validate(key, value)
        except UsageError as error:
            raise UsageError(f"{path}: {error}") from None
    return Settings()._replace(**values), unknown


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


class Edit(NamedTuple):
    """A change of one setting, worked out but not yet written: the settings it gives, the
    file's new text, and its text before (None when there was no file)."""

    name: str
    settings: Settings
    text: str
    before: str | None


def edit_value(home: Path, key: str, raw: str) -> Edit:
    """Change one setting, keeping the rest of the file as the user wrote it (comments,
    order, layout): tomlkit edits the document in place. Nothing is written yet."""
    import tomlkit

    key = known_key(key)
    settings = load_settings(home)._replace(**{key: validate(key, raw)})
    value = getattr(settings, key)
    path = config_path(home)
    before = path.read_text(encoding="utf-8") if path.exists() else None
    document = tomlkit.parse(before if before is not None else render(Settings()))
    document[key] = list(value) if isinstance(value, tuple) else value
    return Edit(key, settings, tomlkit.dumps(document), before)


def write_edit(home: Path, edit: Edit) -> None:
    """Write an edit's text in place of the file."""
    from ec2cards.files import atomic_write  # only to write: reading settings never needs it

    atomic_write(config_path(home), edit.text)


def undo_edit(home: Path, edit: Edit) -> None:
    """Put the file back as it was before `edit` was written."""
    from ec2cards.files import atomic_write

    path = config_path(home)
    if edit.before is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write(path, edit.before)


def set_value(home: Path, key: str, raw: str) -> Settings:
    """Change one setting in the file at once (see `edit_value`)."""
    edit = edit_value(home, key, raw)
    write_edit(home, edit)
    return edit.settings


def parameters_text(parameters: Sequence[float]) -> str:
    """Fitted FSRS parameters as `config parameters` takes them."""
    return " ".join(str(p) for p in parameters)
