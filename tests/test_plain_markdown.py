"""Media placeholders in card text shown as paths into the media folder the caller passes in
(terminal/plain_markdown.py): the terminal never looks the folder up itself."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from ec2cards.model.cards import Card, CardKind
from ec2cards.study.loop import Progress
from ec2cards.study.session import Left
from ec2cards.terminal.markdown import rendered_text
from ec2cards.terminal.plain_markdown import plain_markdown, with_media_paths
from ec2cards.terminal.study_lines import PlainFrontend
from ec2cards.terminal.study_screen import RichFrontend

CARD = Card("d", "pic", CardKind.BASIC, "What is shown? [image: x.png]", answer="a \\<thread\\>")


def media_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "x.png").write_bytes(b"png")
    return folder


def test_a_placeholder_becomes_a_path_only_when_the_file_is_in_the_folder(tmp_path: Path) -> None:
    folder = media_folder(tmp_path)
    assert plain_markdown("see [image: x.png]", folder) == f"see [image: {folder / 'x.png'}]"
    assert with_media_paths("[sound: y.mp3]", folder) == "[sound: y.mp3]"  # not there
    assert with_media_paths("[image: ../x.png]", folder) == "[image: ../x.png]"  # no escaping out


def test_without_a_folder_the_text_stays_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = media_folder(tmp_path)
    monkeypatch.chdir(folder)  # even a file of that name at hand is not looked for
    assert with_media_paths("see [image: x.png]", None) == "see [image: x.png]"
    assert plain_markdown("a \\<thread\\> [image: x.png]") == "a <thread> [image: x.png]"


def test_line_mode_shows_the_path_it_is_given(tmp_path: Path) -> None:
    folder = media_folder(tmp_path)
    out = io.StringIO()
    frontend = PlainFrontend(io.StringIO(), out, media=folder)
    frontend.question(CARD, [], Progress("d", 0, Left(1, 0, 0)))
    assert f"Q: What is shown? [image: {folder / 'x.png'}]" in out.getvalue()


def test_the_study_screen_and_one_line_renders_show_the_path_they_are_given(
    tmp_path: Path,
) -> None:
    folder = media_folder(tmp_path)
    console = Console(width=200, color_system=None, record=True, file=io.StringIO())
    frontend = RichFrontend(console, media=folder)
    frontend.question(CARD, [], Progress("d", 0, Left(1, 0, 0)))
    with console.capture() as captured:
        for part in frontend.body:
            console.print(part)
    assert str(folder / "x.png") in captured.get()
    assert str(folder / "x.png") in rendered_text(CARD.question, folder)
    assert "[image: x.png]" in rendered_text(CARD.question)
