"""Where ec2cards keeps things: the data folder and the bundled decks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HOME_ENV = "EC2CARDS_HOME"


def data_dir() -> Path:
    """`EC2CARDS_HOME` when set (tests, trying things out), else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    if sys.platform.startswith("linux"):
        # platformdirs' rule for Linux (XDG), without its import, which costs a shell prompt's
        # `ec2cards due` a tenth of its time; the tests hold the two to the same answer.
        base = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
        return Path(base) / "ec2cards"
    from platformdirs import user_data_dir

    return Path(user_data_dir("ec2cards", appauthor=False))


def user_decks_dir(home: Path) -> Path:
    return home / "decks"


def media_dir(home: Path) -> Path:
    """Images and sounds of imported Anki cards, which show them as `[image: name]`."""
    return home / "media"


def bundled_decks_dir() -> Path:
    """Decks shipped in the wheel (`ec2cards/bundled`); in a source checkout, the top-level
    `decks/` folder."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "bundled"
    if packaged.is_dir():
        return packaged
    return package.parents[1] / "decks"


def deck_format_guide() -> Path:
    """The deck format's guide (`ec2cards deck format`): shipped in the wheel as
    `ec2cards/guide/deck-format.md`; in a source checkout, `docs/deck-format.md`."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "guide" / "deck-format.md"
    if packaged.is_file():
        return packaged
    return package.parents[1] / "docs" / "deck-format.md"
