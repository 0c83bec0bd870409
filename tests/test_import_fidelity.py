"""Anki packages come in as Anki shows them and remember what Anki remembers (issue 17).

`tests/anki_corpus.py` builds packages with Anki's own library, each reproducing a pattern of
real decks (v1 ratings, filtered decks, set due date, forget, a trimmed log, code with `<...>`,
`<pre>` with `<br>`, `&nbsp;` indentation, tables, broken bold, MathJax, an image-only answer,
an orphan cloze card), and records what Anki makes of them: `compute_memory_state` after Anki
imported the package, and the HTML Anki renders for each card. The tests import the same
packages with ec2cards and compare: memory within 5%, the text a person sees on the study
screen equal to the text Anki shows, and every review either imported or counted as left out.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from anki_corpus import DAY0, TINY_PNG, faketime_library
from anki_corpus import NOW as CORPUS_NOW
from conftest import ROOT, invoke, replayed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_terminal import Tmux, needs_tmux

from ec2cards.decks.format import load_deck
from ec2cards.interop.anki_notes import anki_card_id
from ec2cards.model.cards import Card
from ec2cards.model.ratings import Rating
from ec2cards.model.states import Phase
from ec2cards.storage.store import Store

# The first test to ask for the corpus builds it with Anki's library under libfaketime (about
# 10 s on 2 busy cores): every test here may be that one, so each gets 200 s, not 60.
pytestmark = pytest.mark.timeout(200)

NOW = CORPUS_NOW.isoformat()
PACKAGES = [
    "a1_v1.apkg",
    "a1_v1.colpkg",
    "a2_anki21_schedver1.apkg",
    "a3_v2.apkg",
    "b_filtered.apkg",
    "c5_rescheduled.apkg",
    "c_manual.apkg",
    "d_forget.apkg",
    "e_v3.apkg",
    "e_v3_legacy.apkg",
    "f_html.apkg",
    "f_html_legacy.apkg",
    "v3_all.colpkg",
]
TOLERANCE = 0.05


@dataclass
class Corpus:
    folder: Path
    expected: dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The packages and Anki's verdicts, built once per test run (a few seconds)."""
    pytest.importorskip("anki")
    if faketime_library() is None:
        pytest.skip("libfaketime is not installed (apt-get install libfaketime)")
    out = tmp_path_factory.mktemp("corpus")
    env = {k: v for k, v in os.environ.items() if k != "EC2CARDS_HOME"}
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "anki_corpus.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        env=env,
        timeout=180,
    )
    expected = json.loads((out / "expected.json").read_text())["packages"]
    return Corpus(out, expected)


def deck_cards(home: Path) -> dict[str, Card]:
    """Every card of the data folder's decks, by card id (the part after the deck id)."""
    found: dict[str, Card] = {}
    for path in sorted((home / "decks").glob("*.yaml")):
        deck, problems = load_deck(path)
        assert problems == [] and deck is not None, problems
        found.update({card.card_id: card for card in deck.cards})
    return found


def card_id(anki: dict[str, Any]) -> str:
    base = anki_card_id(anki["guid"])
    if anki["cloze"]:
        return f"{base}-c{anki['ord'] + 1}"
    return base if anki["ord"] == 0 else f"{base}-{anki['ord'] + 1}"


def summary_count(output: str, pattern: str) -> int:
    found = re.search(pattern, output)
    return int(found.group(1)) if found else 0


# -- memory: what Anki computes --------------------------------------------------------------


def moved_log(home: Path) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """The studied cards' states and every log event, comparable across data folders."""
    store = Store.open(home)
    try:
        states = {k: s for k, s in store.cards.states().items() if s.reps or s.suspended}
        events = sorted(
            (e.card_key, e.reviewed_at, e.event, e.rating, e.value)
            for e in store.log.entries(snapshots=False)
        )
    finally:
        store.close()
    return states, events


@pytest.mark.parametrize("name", ["c_manual.apkg", "d_forget.apkg", "v3_all.colpkg"])
def test_what_came_from_anki_moves_on_through_an_export_unchanged(
    home: Path, tmp_path: Path, corpus: Corpus, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anki's history (resets, due dates set, memory started from SM-2 ease) imported here,
    exported, and imported into a fresh data folder: the same log, the same states."""
    assert invoke(["import", str(corpus.folder / name)], now=NOW).exit_code == 0
    out = tmp_path / "moved.apkg"
    assert invoke(["export", "-o", str(out)], now=NOW).exit_code == 0
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("EC2CARDS_HOME", str(fresh))
    moved = invoke(["import", str(out)], now=NOW)
    assert moved.exit_code == 0, moved.output
    (states, events), (states_back, events_back) = moved_log(home), moved_log(fresh)
    assert states and states_back == states
    assert events_back == events


@pytest.mark.parametrize("name", PACKAGES)
def test_memory_is_what_anki_computes_and_no_review_vanishes(
    home: Path, corpus: Corpus, name: str
) -> None:
    result = invoke(["import", str(corpus.folder / name)], now=NOW)
    assert result.exit_code == 0, result.output
    output = result.output
    cards = deck_cards(home)
    expected = corpus.expected[name]
    store = Store.open(home)
    try:
        for anki in expected:
            card = cards.get(card_id(anki))
            if card is None:  # only the cards Anki itself shows as empty stay behind
                assert "No cloze" in anki["answer_html"], anki["guid"]
                continue
            state = store.cards.state(card.key)
            if anki["stability"] is None:
                assert state.phase is Phase.NEW and state.stability is None, anki["guid"]
                continue
            assert state.stability is not None, anki["guid"]
            ratio = state.stability / anki["stability"]
            assert abs(ratio - 1) <= TOLERANCE, (anki["guid"], state.stability, anki)
        # The cached states are what a true replay of the log gives.
        assert replayed(store) == store.cards.states()
    finally:
        store.close()
    # Every answer Anki logged is imported, or counted in the summary as left out.
    answers = sum(anki["reviews"] for anki in expected)
    imported = summary_count(output, r"imported (\d+) reviews? of")
    left_out = (
        summary_count(output, r"with (\d+) reviews?")
        + summary_count(output, r"left out (\d+) reviews? dated after now")
        + summary_count(output, r"left out (\d+) answers? in filtered decks")
    )
    assert imported + left_out == answers, output
    orphans = sum("No cloze" in anki["answer_html"] for anki in expected)
    assert summary_count(output, r"left out (\d+) cloze cards?") == orphans


def test_v1_answers_count_as_anki_upgrades_them(home: Path, corpus: Corpus) -> None:
    """v1's learning buttons were Again, Good, Easy: an Easy on first sight is an Easy (a review
    card for months), not a Good left in learning."""
    assert invoke(["import", str(corpus.folder / "a1_v1.apkg")], now=NOW).exit_code == 0
    cards = deck_cards(home)
    store = Store.open(home)
    try:
        # (A4 graduated through answers in a filtered deck, which Anki's memory skips.)
        for case in ("A1", "A2", "A3", "A5"):
            key = cards[anki_card_id(f"ec2-v1-{case}")].key
            assert store.cards.state(key).phase is Phase.REVIEW, case
        easy = cards[anki_card_id("ec2-v1-A2")].key
        first = next(e for e in store.log.entries(easy) if e.event == "review")
        assert first.rating is Rating.EASY
        assert (store.cards.state(easy).interval_days or 0) > 20
    finally:
        store.close()
    shown = invoke(["card", easy], now=NOW).output
    assert "Easy" in shown


def test_reviews_dated_after_now_are_counted(home: Path, corpus: Corpus) -> None:
    later = (DAY0 + timedelta(days=20, hours=12)).isoformat()
    result = invoke(["import", str(corpus.folder / "e_v3.apkg")], now=later)
    assert result.exit_code == 0, result.output
    future = summary_count(result.output, r"left out (\d+) reviews? dated after now")
    imported = summary_count(result.output, r"imported (\d+) reviews? of")
    assert future > 0
    assert imported + future == sum(a["reviews"] for a in corpus.expected["e_v3.apkg"])


# -- text: what Anki shows -------------------------------------------------------------------

BLOCKS = {"div", "p", "pre", "table", "tr", "ul", "ol", "li", "blockquote", "hr", "h1", "h2"}


class Visible(HTMLParser):
    """The lines a browser shows for simple card HTML: the reference the screen must match."""

    def __init__(self, media: Path, sounds: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.media, self.sounds = media, sounds
        self.lines = [""]
        self.pre = 0
        self.skip = 0

    def _break(self) -> None:
        if self.lines[-1].strip(" \t\r\n"):  # a line of &nbsp; is a line
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1
        elif tag == "br":
            self.lines.append("")
        elif tag in BLOCKS:
            self._break()
            self.pre += tag == "pre"
        elif tag in ("td", "th") and self.lines[-1].strip():
            self.lines[-1] += " "
        elif tag == "img":
            self.lines[-1] += f"[image: {self.media / (dict(attrs).get('src') or '')}]"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1
        elif tag in BLOCKS:
            self.pre -= tag == "pre"
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            first, *rest = data.split("\n")
            self.lines[-1] += first
            self.lines.extend(rest)
            return
        data = re.sub(r"[ \t\r\n]+", " ", data)
        for number, name in enumerate(self.sounds):
            data = data.replace(f"[anki:play:a:{number}]", f"[sound: {self.media / name}]")
        if not self.lines[-1].strip(" "):
            data = data.lstrip(" ")  # a browser drops spaces at a line's start, keeps &nbsp;
        self.lines[-1] += data

    def result(self) -> list[str]:
        lines = (line.replace("\xa0", " ").rstrip() for line in self.lines if line.strip())
        return [_squeeze(line) for line in lines]


def visible(html: str, media: Path, sounds: list[str]) -> list[str]:
    parser = Visible(media, sounds)
    parser.feed(html)
    parser.close()
    return parser.result()


def _dedent(lines: list[str]) -> list[str]:
    indent = min(len(line) - len(line.lstrip(" ")) for line in lines)
    return [line[indent:] for line in lines]


def _squeeze(line: str) -> str:
    """Runs of spaces inside a line as one (table columns), the indentation kept."""
    body = line.lstrip(" ")
    return line[: len(line) - len(body)] + re.sub(" {2,}", " ", body)


def screen_lines(text: str) -> list[str]:
    """The answer panel's lines as a person reads them: borders, bullets and rules away."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if "answer" in line and "╭" in line)
    found = []
    for line in lines[start + 1 :]:
        if line.startswith("╰"):
            break
        inner = line[1:-1].replace("\xa0", " ").rstrip()
        inner = re.sub(r"^(\s*)• ", r"\1", inner)
        if inner.strip() and not set(inner.strip()) <= set("─━│┃┼╇╈┿╋ "):
            found.append(inner)
    return found


def shows(rendered: list[str], wanted: list[str]) -> bool:
    """Whether the wanted lines appear one after another, with their relative indentation."""
    want = [_squeeze(line) for line in _dedent(wanted)]
    for start in range(len(rendered) - len(wanted) + 1):
        window = rendered[start : start + len(wanted)]
        if [_squeeze(line) for line in _dedent(window)] == want:
            return True
    return False


def shows_wrapped(rendered: list[str], wanted: list[str]) -> bool:
    """On a narrow screen long lines wrap (a long path is folded): the text is there in order,
    and each wanted line still starts a line of its own."""
    if re.sub(r"\s", "", "".join(wanted)) not in re.sub(r"\s", "", "".join(rendered)):
        return False
    starts = [line.strip() for line in rendered]
    return all(any(s.startswith(w.split()[0]) for s in starts) for w in wanted)


def study_screen(card: Card, width: int, media: Path) -> str:
    """What the study screen draws for the card and its answer, at `width` columns."""
    from rich.console import Console

    from ec2cards.study.loop import Progress
    from ec2cards.study.session import Left
    from ec2cards.terminal.study_screen import RichFrontend

    console = Console(width=width, color_system=None, force_terminal=False, record=True)
    frontend = RichFrontend(console, media)
    frontend.question(card, [], Progress("f-html", 0, Left(1, 0, 0)))
    frontend.answer(card, dict.fromkeys(Rating, timedelta(days=1)), None)
    with console.capture() as captured:
        for part in frontend.body:
            console.print(part)
    return captured.get()


@pytest.mark.parametrize("name", ["f_html.apkg", "f_html_legacy.apkg"])
def test_the_study_screen_shows_what_anki_shows(home: Path, corpus: Corpus, name: str) -> None:
    assert invoke(["import", str(corpus.folder / name)], now=NOW).exit_code == 0
    cards = deck_cards(home)
    checked = 0
    for anki in corpus.expected[name]:
        card = cards.get(card_id(anki))
        if card is None:
            continue
        wanted = visible(anki["answer_html"], home / "media", anki["answer_sounds"])
        for width in (100, 60):
            rendered = screen_lines(study_screen(card, width, home / "media"))
            # A media path (a long temp folder here) may wrap even at 100 columns.
            strict = width == 100 and not re.search(r"\[(image|sound): ", card.answer)
            match = shows(rendered, wanted) if strict else shows_wrapped(rendered, wanted)
            assert match, (anki["guid"], width, card.answer, wanted, rendered)
        checked += 1
    assert checked == 18  # 17 basic cards, and the cloze card with its Back Extra


def test_stored_text_is_markdown_that_says_what_anki_says(home: Path, corpus: Corpus) -> None:
    """The deck file holds Markdown a person can read and edit; rendered by another CommonMark
    renderer it gives Anki's visible text too."""
    from markdown_it import MarkdownIt

    assert invoke(["import", str(corpus.folder / "f_html.apkg")], now=NOW).exit_code == 0
    cards = deck_cards(home)
    render = MarkdownIt("commonmark").enable("table").render
    by_guid = {a["guid"]: a for a in corpus.expected["f_html.apkg"] if not a["cloze"]}
    for guid, anki in by_guid.items():
        stored = cards[card_id(anki)].answer
        sounds = anki["answer_sounds"]
        wanted = visible(anki["answer_html"], Path(""), sounds)
        assert visible(render(stored), Path(""), sounds) == wanted, (guid, stored)
    text = {guid: cards[card_id(a)].answer for guid, a in by_guid.items()}
    assert "\\<thread>" in text["ec2-F1"]  # escaped, so that Markdown keeps it as text
    assert text["ec2-F10"] == "[image: x.png]"
    assert "****" not in text["ec2-F8"] and "**onetwo**" in text["ec2-F8"]
    assert "`\\(x^2 + y_1 < z\\)`" in text["ec2-F9"]  # MathJax: its TeX source, as code


PIECES = [*"*_#->`~\\|+=![](){}<>&;:.1 \n\xa0", "a", "word", "1.", "1)", "**", "__", "~~", "```"]
PIECES += ["&lt;", "&amp;", "<x>", "</b>", "http://x.y", "  "]
LINE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(LINE, min_size=1, max_size=3),
    joint=st.sampled_from(["<br>", "<br><br>", "<div></div>"]),
    bold=st.booleans(),
    divs=st.booleans(),
)
def test_any_text_shows_as_the_browser_shows_it(
    lines: list[str], joint: str, bold: bool, divs: bool
) -> None:
    """Text full of Markdown's characters, in Anki's usual markup: the Markdown made of it,
    rendered by a CommonMark renderer, shows the same lines as the HTML."""
    from markdown_it import MarkdownIt

    from ec2cards.interop.html_text import html_to_markdown

    field = joint.join(html.escape(line, quote=False) for line in lines)
    field = f"<b>{field}</b>" if bold else field
    field = f"<div>{field}</div><div>x</div>" if divs else field
    markdown = html_to_markdown(field).text
    rendered = MarkdownIt("commonmark").enable("strikethrough").render(markdown)
    assert visible(rendered, Path(""), []) == visible(field, Path(""), []), markdown


# -- media ------------------------------------------------------------------------------------


def test_media_are_copied_once_and_shown_as_paths(home: Path, corpus: Corpus) -> None:
    package = corpus.folder / "f_html.apkg"
    first = invoke(["import", str(package)], now=NOW)
    assert "copied 2 media files (images, sounds) into" in first.output
    assert (home / "media" / "x.png").read_bytes() == TINY_PNG
    assert (home / "media" / "hello.mp3").exists()
    image = deck_cards(home)[anki_card_id("ec2-F10")]
    page = invoke(["card", image.key], now=NOW).output
    assert f"[image: {home / 'media' / 'x.png'}]" in page
    assert re.search(r"\breviews +3\b", page)  # an image-only answer keeps its history
    again = invoke(["import", str(package)], now=NOW)
    assert "copied" not in again.output
    assert "2 media files already in the media folder" in again.output
    assert sorted(p.name for p in (home / "media").iterdir()) == ["hello.mp3", "x.png"]


def test_a_media_file_of_the_same_name_is_kept_and_the_new_one_renamed(
    home: Path, corpus: Corpus
) -> None:
    (home / "media").mkdir(parents=True)
    (home / "media" / "x.png").write_bytes(b"someone else's picture")
    assert invoke(["import", str(corpus.folder / "f_html.apkg")], now=NOW).exit_code == 0
    assert (home / "media" / "x.png").read_bytes() == b"someone else's picture"
    (renamed,) = (home / "media").glob("x-*.png")
    assert renamed.read_bytes() == TINY_PNG
    assert deck_cards(home)[anki_card_id("ec2-F10")].answer == f"[image: {renamed.name}]"


def test_a_damaged_media_file_stops_the_import_in_one_line(
    home: Path, corpus: Corpus, tmp_path: Path
) -> None:
    import zipfile

    damaged = tmp_path / "damaged.apkg"
    original = corpus.folder / "f_html.apkg"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(damaged, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            target.writestr(member, b"not zstd" if member == "0" else data)
    result = invoke(["import", str(damaged)], now=NOW)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1
    assert "is damaged" in result.output
    assert not (home / "media").exists() or not any((home / "media").iterdir())
    assert not (home / "decks").exists() or not any((home / "decks").iterdir())


# -- the real terminal ---------------------------------------------------------------------------

CODE_QUESTION = "What does <code>#include &lt;thread&gt;</code> bring in?"
CODE_ANSWER = (
    "The &lt;thread&gt; header<br>C++11 and later"
    "<pre>#include &lt;thread&gt;<br>int main() {<br>&nbsp; &nbsp; std::thread t;<br>}</pre>"
)


@pytest.fixture
def code_package(tmp_path: Path) -> Path:
    """A one-card package made by Anki: code with <...>, line breaks, a <pre> block."""
    pytest.importorskip("anki")
    from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

    col = Collection(str(tmp_path / "code.anki2"))
    try:
        deck = col.decks.id("Code")
        note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
        note.fields[0], note.fields[1] = CODE_QUESTION, CODE_ANSWER
        col.add_note(note, deck)  # type: ignore[arg-type]
        out = tmp_path / "code.apkg"
        options = ExportAnkiPackageOptions(with_scheduling=False, with_media=False)
        col.export_anki_package(
            out_path=str(out),
            options=options,
            limit=DeckIdLimit(deck),  # type: ignore[arg-type]
        )
    finally:
        col.close()
    return out


@needs_tmux
@pytest.mark.parametrize("width", [100, 60])
def test_code_and_line_breaks_reach_the_real_screen(
    home: Path, code_package: Path, width: int
) -> None:
    from conftest import venv_bin

    assert invoke(["import", str(code_package)], now=NOW).exit_code == 0
    env = {"EC2CARDS_HOME": str(home), "EC2CARDS_NOW": NOW, "TZ": "UTC", "TERM": "xterm-256color"}
    command = f"{venv_bin('ec2cards')} study --deck code"
    session = Tmux(f"ec2code{os.getpid()}w{width}", command, env, width=width)
    try:
        screen = session.wait_for("Space/Enter answer")
        assert "What does #include <thread> bring in?" in screen
        screen = session.reveal_and_quit()
    finally:
        session.close()
    lines = [re.sub(r"^\s*│|│\s*$", "", line).rstrip() for line in screen.splitlines()]
    assert "The <thread> header" in [line.strip() for line in lines]
    assert "C++11 and later" in [line.strip() for line in lines]
    start = next(i for i, line in enumerate(lines) if line.strip() == "#include <thread>")
    indent = len(lines[start]) - len(lines[start].lstrip())
    code = [line[indent:] for line in lines[start + 1 : start + 4]]
    assert code == ["int main() {", "    std::thread t;", "}"]


def test_line_mode_shows_imported_text_as_the_screen_does(home: Path, code_package: Path) -> None:
    """Scripts and pipes read the text too: Markdown's escapes are resolved, not printed."""
    assert invoke(["import", str(code_package)], now=NOW).exit_code == 0
    out = invoke(["study", "--deck", "code"], now=NOW, input="\n3\n").output
    assert "Q: What does `#include <thread>` bring in?" in out
    assert "The <thread> header" in out
    assert "\\<" not in out and "\\#" not in out
