"""`ec2cards.files`: every file that must never be half-written is replaced whole, through
symlinks, never over a device or a FIFO, with its mode kept and no temp file left behind."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, write_deck
from hypothesis import given
from hypothesis import strategies as st

from ec2cards import files
from ec2cards.files import NotAFileError, WriteError, atomic_path, atomic_write, target_of

DECK = "deck: mine\ntitle: Mine\ntopic: mine\ncards:\n  - q: First?\n    a: One\n"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@given(data=st.binary() | st.text(), old=st.none() | st.binary())
def test_what_is_written_is_what_is_read_back_and_nothing_else_is_left(
    data: bytes | str, old: bytes | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.yaml"
        if old is not None:
            path.write_bytes(old)
        atomic_write(path, data)
        expected = data.encode("utf-8") if isinstance(data, str) else data
        assert path.read_bytes() == expected  # text as given: no newline translation
        assert _names(Path(folder)) == ["file.yaml"]


def test_the_file_then_the_rename_then_the_folder_are_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle: int) -> None:
        steps.append("folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "file")
        real_fsync(handle)

    def replace(source: str, target: str) -> None:
        steps.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    atomic_write(tmp_path / "a", "x")
    assert steps == ["file", "rename", "folder"]
    steps.clear()
    atomic_write(tmp_path / "a", "y", durable=False)  # a cache: renamed, never flushed
    assert steps == ["rename"] and (tmp_path / "a").read_text() == "y"


@pytest.mark.parametrize("step", ["chmod", "fsync", "replace"])
def test_a_failure_at_any_step_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("old")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, step, broken)
    with pytest.raises(WriteError) as failure:
        atomic_write(path, "new")
    assert str(failure.value) == f"{path}: cannot write (No space left on device); nothing changed"
    assert path.read_text() == "old" and _names(tmp_path) == ["deck.yaml"]


def test_a_writer_failing_inside_the_block_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "cards.apkg"
    with pytest.raises(RuntimeError, match="writer broke"), atomic_path(path) as temp:
        temp.write_bytes(b"half")
        raise RuntimeError("writer broke")
    assert _names(tmp_path) == []


def test_temp_names_are_unique_and_in_the_targets_folder(tmp_path: Path) -> None:
    path = tmp_path / "known-keys"
    with atomic_path(path) as first, atomic_path(path) as second:
        assert first != second and first.parent == second.parent == tmp_path
        assert first.name.startswith(".known-keys.") and first.name.endswith(".tmp")
        first.write_text("1")
        second.write_text("2")
    assert path.read_text() == "1" and _names(tmp_path) == ["known-keys"]  # the last one in


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "deck.yaml").write_text("old")
    (tmp_path / "middle").symlink_to("repo/deck.yaml")  # a relative link, then a chain
    link = tmp_path / "deck.yaml"
    link.symlink_to(tmp_path / "middle")
    atomic_write(link, "new")
    assert link.is_symlink() and (tmp_path / "middle").is_symlink()
    assert (repo / "deck.yaml").read_text() == "new"
    assert _names(repo) == ["deck.yaml"]  # the temp file lived beside the target
    dangling = tmp_path / "new.yaml"
    dangling.symlink_to("repo/made.yaml")
    atomic_write(dangling, "made")
    assert dangling.is_symlink() and (repo / "made.yaml").read_text() == "made"


def test_a_fifo_is_refused_in_one_line_and_left_as_it_is(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(NotAFileError) as refused:
        atomic_write(fifo, "never")
    assert str(refused.value) == (
        f"{fifo}: is a named pipe (FIFO), not a regular file; give the path of a file to write"
        " (nothing was written)"
    )
    link = tmp_path / "link.csv"
    link.symlink_to(fifo)
    with pytest.raises(NotAFileError, match=r"link\.csv \(a link to .*out\.csv\): is a named"):
        atomic_write(link, "never")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and _names(tmp_path) == ["link.csv", "out.csv"]


def test_devices_and_folders_are_not_files(tmp_path: Path) -> None:
    # target_of only looks (stat): /dev/null is never opened, let alone replaced.
    with pytest.raises(NotAFileError, match=r"^/dev/null: is a character device, not a regular"):
        target_of(Path("/dev/null"))
    with pytest.raises(NotAFileError, match="is a folder"):
        atomic_write(tmp_path, "x")
    import socket

    with tempfile.TemporaryDirectory(dir="/tmp") as short:  # a socket's path must be short
        path = Path(short) / "s"
        with socket.socket(socket.AF_UNIX) as listening:
            listening.bind(str(path))
            with pytest.raises(NotAFileError, match="is a socket"):
                atomic_write(path, "x")
            assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_the_mode_of_the_replaced_file_is_kept_or_the_one_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("a")
    path.chmod(0o640)
    atomic_write(path, "b")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    atomic_write(path, "c", mode=0o600)  # a secret: the sync login
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    umask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new", "d")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o644  # as open() would make it


# -- what a user sees ---------------------------------------------------------------------------


def test_add_to_a_deck_that_is_a_symlink_keeps_the_link(home: Path, tmp_path: Path) -> None:
    repo = write_deck(tmp_path / "repo", "mine.yaml", DECK)
    (home / "decks").mkdir(parents=True)
    link = home / "decks" / "mine.yaml"
    link.symlink_to(repo)
    result: Any = invoke(["add", "--q", "Second?", "--a", "Two"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "Second?" in repo.read_text()
    assert _names(repo.parent) == ["mine.yaml"]


def test_config_keeps_a_symlinked_config_toml_a_link(home: Path, tmp_path: Path) -> None:
    repo = tmp_path / "dotfiles" / "config.toml"
    repo.parent.mkdir()
    repo.write_text("# mine\nnew_per_day = 20\n")
    home.mkdir(parents=True)
    (home / "config.toml").symlink_to(repo)
    result: Any = invoke(["config", "new_per_day", "30"])
    assert result.exit_code == 0, result.output
    assert (home / "config.toml").is_symlink()
    assert repo.read_text() == "# mine\nnew_per_day = 30\n"


def test_export_onto_a_fifo_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    fifo = tmp_path / "out" / "cards.csv"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    result: Any = invoke(["export", "-o", str(fifo)])
    output = result.output.strip()
    assert result.exit_code == 1 and len(output.splitlines()) == 1, output
    assert f"{fifo}: is a named pipe (FIFO), not a regular file" in output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and _names(fifo.parent) == ["cards.csv"]


def test_export_onto_a_device_is_one_line_and_never_touches_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_temp = files._create_temp

    def guarded(path: Path, target: Path, mode: int | None) -> Path:
        assert target.parent != Path("/dev"), "a temp file was about to be made in /dev"
        return create_temp(path, target, mode)

    monkeypatch.setattr(files, "_create_temp", guarded)  # a safety net, should the check go
    result: Any = invoke(["export", "-o", "/dev/null", "--format", "csv"])
    output = result.output.strip()
    assert result.exit_code == 1 and len(output.splitlines()) == 1, output
    assert "/dev/null: is a character device, not a regular file" in output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_disk_while_copying_media_names_the_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    from ec2cards.interop.common import MediaFile
    from ec2cards.interop.import_media import MediaPlan, copy_media

    package = tmp_path / "deck.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("0", b"first image")
        archive.writestr("1", b"second image")
    media = tmp_path / "media"
    plan = MediaPlan(
        copies=[
            (MediaFile("a.png", package, "0", False), media / "a.png"),
            (MediaFile("b.png", package, "1", False), media / "b.png"),
        ]
    )
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        if str(target).endswith("b.png"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", replace)
    with pytest.raises(WriteError, match=r"b\.png: cannot write \(No space left on device\)"):
        copy_media(plan)
    assert _names(media) == []  # the first copy taken back, no temp file of the second left


def test_a_temp_left_by_a_killed_writer_is_found_and_a_live_ones_is_not(tmp_path: Path) -> None:
    import subprocess

    finished = subprocess.Popen(["true"])  # a process id that has ended
    finished.wait()
    dead = tmp_path / f".deck.yaml.{finished.pid}-0a1b2c3d.tmp"
    live = tmp_path / f".deck.yaml.{os.getpid()}-0a1b2c3d.tmp"
    other = tmp_path / ".notes.tmp"  # not one of ours: no process id in its name
    for path in (dead, live, other):
        path.write_text("half")
    assert files.stale_temps(tmp_path) == [dead]


def test_a_scratch_file_is_private_removed_after_and_a_killed_ones_is_cleared(
    tmp_path: Path,
) -> None:
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()
    dead = tmp_path / f".package-collection.db.{finished.pid}-0a1b2c3d.tmp"
    others = tmp_path / f".deck.yaml.{finished.pid}-0a1b2c3d.tmp"  # another writer's: kept
    for path in (dead, others):
        path.write_text("half")
    with pytest.raises(RuntimeError), files.scratch_file(tmp_path, "package-collection.db") as made:
        assert made.parent == tmp_path and made.stat().st_mode & 0o777 == 0o600
        assert not dead.exists() and others.exists()
        raise RuntimeError("the reader failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == [others.name]


def test_pruning_backups_removes_a_backup_half_made_by_a_killed_writer(home: Path) -> None:
    import subprocess

    from ec2cards.storage.backups import backup_dir, prune

    finished = subprocess.Popen(["true"])
    finished.wait()
    folder = backup_dir(home)
    folder.mkdir(parents=True)
    dead = folder / f".ec2cards-x.db.{finished.pid}-0a1b2c3d.tmp"
    live = folder / f".ec2cards-y.db.{os.getpid()}-0a1b2c3d.tmp"
    dead.write_text("half")
    live.write_text("being written")
    assert prune(home) == [dead]
    assert _names(folder) == [live.name]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", "{fifo}"], "is a named pipe (FIFO), not a deck file"),
        (["study", "--deck", "{fifo}"], "is a named pipe (FIFO), not a deck file"),
        (["quiz", "--deck", "{fifo}", "--count", "1"], "is a named pipe (FIFO), not a deck file"),
        (["import", "{fifo}"], "is a named pipe (FIFO), not a file to import"),
        (["optimize", "--revlog", "{fifo}"], "is a named pipe (FIFO), not a review log"),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v),
)
def test_a_fifo_named_to_read_is_one_line_never_a_wait(
    tmp_path: Path, args: list[str], said: str
) -> None:
    """Opening a FIFO to read waits for a writer that never comes: a FIFO named as a deck, a
    package or a review log is refused before it is opened."""
    fifo = tmp_path / "deck.yaml"
    os.mkfifo(fifo)
    result: Any = invoke([arg.format(fifo=fifo) for arg in args])
    output = result.output.strip()
    assert result.exit_code == 2 and len(output.splitlines()) == 1, output
    assert output.startswith("error: ") and f"{fifo}: {said}" in output


def test_a_fifo_as_the_settings_file_is_one_line_never_a_wait(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    os.mkfifo(home / "config.toml")
    result: Any = invoke(["stats"])
    assert result.exit_code == 2, result.output
    assert "config.toml: is a named pipe (FIFO), not a settings file" in result.output


def test_a_deck_that_is_no_regular_file_is_a_located_problem(tmp_path: Path) -> None:
    """The loader itself never opens a FIFO (a folder scan already passes such names over)."""
    from ec2cards.decks.format import load_deck

    fifo = tmp_path / "deck.yaml"
    os.mkfifo(fifo)
    deck, problems = load_deck(fifo)
    assert deck is None and [str(p) for p in problems] == [
        f"{fifo}:1:1: not a regular file; a deck is a YAML file"
    ]
