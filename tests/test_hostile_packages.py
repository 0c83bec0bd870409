"""Hostile Anki packages: every member is read bounded, every bad value is one line.

A zip bomb (a few kilobytes that unpack to hundreds of megabytes) in any member is refused in
one line while it is read, with little memory and nothing written to the system's temp folder;
reviews with a negative time (which Anki keeps) are left out and counted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke

from ec2cards.interop import anki_media, anki_read

MB = 1024**2
BOMB_MB = 320


def exported(tmp_path: Path) -> Path:
    """A bundled deck exported as a legacy package: a real collection to build on."""
    package = tmp_path / "v.apkg"
    result: Any = invoke(["export", "--deck", "virtualization", "-o", str(package)])
    assert result.exit_code == 0, result.output
    return package


def write_zeros(out: Any, megabytes: int) -> None:
    zeros = bytes(MB)
    for _ in range(megabytes):
        out.write(zeros)


def bomb_package(tmp_path: Path, where: str) -> Path:
    """The exported package with a bomb of BOMB_MB of zeros as its media list: JSON deflated
    (legacy), or zstd (a version 3 package), written by streaming so the test stays light."""
    collection = zipfile.ZipFile(exported(tmp_path)).read("collection.anki2")
    package = tmp_path / f"bomb-{where}.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", collection, zipfile.ZIP_DEFLATED)
        if where == "zstd-media":
            import zstandard

            archive.writestr("meta", b"\x08\x03")  # version 3: the media list is zstd
            compressor = zstandard.ZstdCompressor(level=1)
            with (
                archive.open("media", "w", force_zip64=True) as raw,
                compressor.stream_writer(raw, closefd=False) as z,
            ):
                write_zeros(z, BOMB_MB)
        else:
            info = zipfile.ZipInfo("media")
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as raw:
                write_zeros(raw, BOMB_MB)
    return package


CHILD = """
import resource, sys
from ec2cards.cli.entry import main
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.argv = ["ec2cards", "import", sys.argv[1]]
try:
    main()
except SystemExit as done:
    code = done.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"RSS {before} {after} {code}", file=sys.stderr)
"""


@pytest.mark.parametrize("where", ["deflated-media", "zstd-media"])
def test_a_zip_bomb_media_list_is_one_line_with_little_memory(
    home: Path, tmp_path: Path, where: str
) -> None:
    package = bomb_package(tmp_path, where)
    assert package.stat().st_size < 2 * MB  # the bomb: small on disk, BOMB_MB unpacked
    scratch = tmp_path / "system-tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "EC2CARDS_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(package)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    *lines, rss = done.stderr.strip().splitlines()
    _, before, after, code = rss.split()
    assert code == "1", done.stderr
    assert len(lines) == 1 and lines[0].startswith(f"error: {package}: its media list is larger"), (
        done.stderr
    )
    assert (int(after) - int(before)) * 1024 < 100 * MB  # ru_maxrss is in kB on Linux
    assert list(scratch.iterdir()) == []  # nothing in the system's temp folder
    # No deck, no database, no scratch copy (the deck cache is the export's).
    assert [p.name for p in home.iterdir() if p.name != "cache"] == []


@pytest.mark.parametrize("member", ["collection.anki2", "collection.anki21b"])
def test_a_collection_past_its_limit_is_refused_while_it_is_copied(
    home: Path, tmp_path: Path, member: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collection is streamed into the data folder, not the system's temp folder, and the
    limit holds however small the zip says the member is."""
    import tempfile

    monkeypatch.setattr(anki_read, "MAX_COLLECTION_BYTES", 2 * MB)
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    package = tmp_path / "big.apkg"
    with (
        zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w") as raw,
    ):
        if member.endswith("b"):
            import zstandard

            with zstandard.ZstdCompressor(level=1).stream_writer(raw, closefd=False) as z:
                write_zeros(z, 8)
        else:
            write_zeros(raw, 8)
    result: Any = invoke(["import", str(package)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"error: {package}: the collection inside is larger than 2 MB; nothing imported\n"
    )
    assert list(system_tmp.iterdir()) == []
    assert [p.name for p in home.iterdir() if p.name != "cache"] == []  # no scratch copy


def media_package(tmp_path: Path, files: dict[str, bytes | int]) -> Path:
    """A legacy package made by Anki whose one note shows every file named in `files`; a
    file given as an int is that many MB of zeros (deflated, so a bomb)."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(tmp_path / "anki.anki2"))
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "Which? " + "".join(f'<img src="{name}">' for name in files)
    note["Back"] = "That one"
    col.add_note(note, col.decks.id("Pictures"))  # type: ignore[arg-type]
    plain = tmp_path / "plain.apkg"
    options = ExportAnkiPackageOptions(
        with_scheduling=False, with_deck_configs=False, with_media=False, legacy=True
    )
    col.export_anki_package(out_path=str(plain), options=options, limit=None)
    col.close()
    package = tmp_path / "pictures.apkg"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(package, "w") as target:
        for info in source.infolist():
            if info.filename != "media":
                target.writestr(info, source.read(info))
        target.writestr("media", json.dumps({str(i): name for i, name in enumerate(files)}))
        for index, data in enumerate(files.values()):
            info = zipfile.ZipInfo(str(index))
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w") as raw:
                if isinstance(data, int):
                    write_zeros(raw, data)
                else:
                    raw.write(data)
    return package


def test_a_media_file_past_its_limit_is_one_line_and_nothing_stays(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_media, "MAX_MEDIA_BYTES", 2 * MB)
    package = media_package(tmp_path, {"small.png": b"\x89PNG tiny", "huge.png": 16})
    result: Any = invoke(["import", str(package)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"error: {package}: media file huge.png is larger than 2 MB; nothing imported\n"
    )
    assert not (home / "decks").exists() or list((home / "decks").iterdir()) == []
    assert not (home / "media").exists() or list((home / "media").iterdir()) == []


def test_the_media_files_of_one_import_have_a_limit_in_total(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(anki_media, "MAX_MEDIA_BYTES", 2 * MB)
    monkeypatch.setattr(anki_media, "MAX_MEDIA_TOTAL", 3 * MB)
    package = media_package(tmp_path, {"a.png": 2, "b.png": 2})
    result: Any = invoke(["import", str(package)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"error: {package}: the media files to copy come to more than 3 MB; nothing imported\n"
    )
    assert not (home / "media").exists() or list((home / "media").iterdir()) == []
    monkeypatch.setattr(anki_media, "MAX_MEDIA_TOTAL", 4 * MB)
    result = invoke(["import", str(package)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (home / "media").iterdir()) == ["a.png", "b.png"]


def test_reviews_with_a_negative_time_are_left_out_and_counted(home: Path, tmp_path: Path) -> None:
    """Anki keeps revlog rows with a negative id (its importer and Check Database leave them
    as they are), so a package may hold some: they are no answers given before 1970, and are
    left out, counted, while the card and its other reviews come in."""
    from anki.collection import (
        Collection,
        ExportAnkiPackageOptions,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    col = Collection(str(tmp_path / "anki.anki2"))
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"], note["Back"] = "What is EC2?", "Elastic Compute Cloud"
    col.add_note(note, col.decks.id("Compute"))  # type: ignore[arg-type]
    for _ in range(3):
        card = col.get_card(note.cards()[0].id)
        card.start_timer()
        col.sched.answerCard(card, 3)
    first, second, _third = (row[0] for row in col.db.all("SELECT id FROM revlog ORDER BY id"))
    col.db.execute("UPDATE revlog SET id = -id WHERE id = ?", first)
    col.db.execute("UPDATE revlog SET id = -9223372036854775807 WHERE id = ?", second)
    package = tmp_path / "negative.apkg"
    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False
    )
    col.export_anki_package(out_path=str(package), options=options, limit=None)
    col.close()
    # Anki itself keeps them when it imports the package.
    other = Collection(str(tmp_path / "other.anki2"))
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
    )
    other.import_anki_package(request)
    assert other.db.scalar("SELECT count() FROM revlog WHERE id < 0") == 2
    other.close()

    result: Any = invoke(["import", str(package)])
    assert result.exit_code == 0, result.output
    assert "imported 1 review of 1 card" in result.output
    assert "left out 2 reviews dated before 1970" in result.output
    db = sqlite3.connect(home / "ec2cards.db")
    try:
        (earliest,) = db.execute("SELECT min(reviewed_at) FROM review_log").fetchone()
    finally:
        db.close()
    assert earliest > "2000"


def test_a_zip_listing_too_many_members_is_refused_before_it_is_opened(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The zip module reads a record of every member at once; a zip of a million empty
    members would take gigabytes, so the directory's size is read from its end record first."""
    from ec2cards.interop.package_members import directory_size

    package = tmp_path / "many.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", b"")
        for number in range(200):
            archive.writestr(str(number), b"", zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(package) as archive:
        listed = sum(46 + len(i.filename) + len(i.extra) for i in archive.infolist())
    assert directory_size(package) == listed
    monkeypatch.setattr(anki_read, "MAX_DIRECTORY_BYTES", listed - 1)
    result: Any = invoke(["import", str(package)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"error: {package}: its list of files is larger than")
    assert len(result.output.splitlines()) == 1


@pytest.mark.skipif(sys.version_info < (3, 11), reason="sqlite3's setlimit is Python 3.11+")
def test_a_collection_value_past_its_limit_is_one_line(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid collection can hold one note of gigabytes (zeros zip to nothing): no value is
    read past MAX_VALUE_BYTES."""
    from ec2cards.interop import anki_collection

    monkeypatch.setattr(anki_collection, "MAX_VALUE_BYTES", MB)
    collection = tmp_path / "collection.anki2"
    collection.write_bytes(zipfile.ZipFile(exported(tmp_path)).read("collection.anki2"))
    db = sqlite3.connect(collection)
    db.execute(
        "UPDATE notes SET flds = flds || ? WHERE id = (SELECT min(id) FROM notes)",
        ("x" * (2 * MB),),
    )
    db.commit()
    db.close()
    package = tmp_path / "one-big-note.apkg"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(collection, "collection.anki2")
    result: Any = invoke(["import", str(package)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"error: {package}: the Anki collection holds a value larger than 1 MB (a note, a note"
        " type or a deck), more than Anki writes; nothing imported\n"
    )


def test_a_note_with_a_field_of_megabytes_is_skipped_and_counted(
    home: Path, tmp_path: Path
) -> None:
    """HTML to Markdown takes some 200 times a field's size in memory: a note with a field
    longer than any card shows is skipped, counted in a warning, and the others come in."""
    collection = tmp_path / "collection.anki2"
    collection.write_bytes(zipfile.ZipFile(exported(tmp_path)).read("collection.anki2"))
    db = sqlite3.connect(collection)
    (cards,) = db.execute(
        "SELECT count() FROM cards WHERE nid != (SELECT min(id) FROM notes)"
    ).fetchone()
    huge = "<b>a</b>" * (anki_read.MAX_FIELD_HTML // 8 + 1)
    db.execute("UPDATE notes SET flds = ? || flds WHERE id = (SELECT min(id) FROM notes)", (huge,))
    db.commit()
    db.close()
    package = tmp_path / "one-huge-field.apkg"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(collection, "collection.anki2")
    result: Any = invoke(["import", str(package)])
    assert result.exit_code == 0, result.output
    assert f"{package}: skipped 1 notes with a field longer than 256 KB of HTML" in result.output
    assert f"deck 'virtualization': {cards} cards, all already there" in result.output
