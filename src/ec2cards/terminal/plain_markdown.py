"""Card text without a Markdown renderer, for line mode: media placeholders made paths and
Markdown's backslash escapes taken out, so an imported `\\<thread>` reads `<thread>`."""

from __future__ import annotations

import re
from pathlib import Path

# An imported card's media placeholder, `[image: name]` (the name escaped as Markdown text).
_MEDIA = re.compile(r"\[(image|sound|video): ((?:\\.|[^\]\\\n])+)\]")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def with_media_paths(text: str, media: Path | None) -> str:
    """`[image: x.png]` as `[image: /data/folder/media/x.png]` when the file is in `media` (the
    media folder, given by the caller; None: none to look in): a path the user can open from the
    terminal (names of files not there stay as they are)."""
    if media is None or "[" not in text or not _MEDIA.search(text):
        return text
    from ec2cards.interop.html_text import placeholder

    folder = media

    def path(match: re.Match[str]) -> str:
        name = _ESCAPED.sub(r"\1", match.group(2))
        found = folder / name
        if "/" in name or "\\" in name or not found.is_file():
            return match.group(0)
        return placeholder(match.group(1), str(found))

    return _MEDIA.sub(path, text)


def plain_markdown(text: str, media: Path | None = None) -> str:
    """The text as a reader of the Markdown sees it, escapes resolved, media placeholders made
    paths into `media`; other marks (`code`, **bold**) stay, as plain text shows them."""
    return _ESCAPED.sub(r"\1", with_media_paths(text, media))
