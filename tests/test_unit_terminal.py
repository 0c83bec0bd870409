"""Unit tests of the terminal package's own logic, in-process and without a terminal: short
human times, breaking lines between words, inert deck text, key decoding (on a pseudo-terminal),
plain listings, and the line-mode study and quiz frontends driven through string streams."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len

from ec2cards.model.cards import Card, CardKind
from ec2cards.model.ratings import Rating
from ec2cards.quiz.grading import Result
from ec2cards.quiz.questions import Ask, Question
from ec2cards.quiz.scorecard import Scorecard
from ec2cards.study.loop import BURY, EDIT, QUIT, REVEAL, SUSPEND, UNDO, Progress
from ec2cards.study.session import Left, Summary
from ec2cards.terminal import keys, listing, output
from ec2cards.terminal.quiz_lines import (
    PlainQuizFrontend,
    feedback_lines,
    instruction,
    past_answer_lines,
    scorecard_lines,
)
from ec2cards.terminal.safe_text import safe
from ec2cards.terminal.study_lines import PlainFrontend, card_title, progress_text, summary_text
from ec2cards.terminal.timefmt import describe_due, format_interval
from ec2cards.terminal.wrapping import item_lines, word_lines

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc)


# --- short human times ------------------------------------------------------------------------
# Anki's own convention (rslib `time_span`): a month is 30 days, a year 365 days, one decimal.


@pytest.mark.parametrize(
    ("interval", "shown"),
    [
        (timedelta(seconds=-5), "0s"),
        (timedelta(0), "0s"),
        (timedelta(seconds=59), "59s"),
        (timedelta(seconds=60), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(minutes=59), "59m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=23), "23h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=29), "29d"),
        (timedelta(days=30), "1.0mo"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=364), "12.1mo"),
        (timedelta(days=365), "1.0y"),
        (timedelta(days=730), "2.0y"),
        (timedelta(days=3650), "10.0y"),
    ],
)
def test_intervals_read_as_anki_words_them(interval: timedelta, shown: str) -> None:
    assert format_interval(interval) == shown


def test_a_due_moment_is_said_relative_to_now_with_the_local_time() -> None:
    # The autouse fixture makes UTC the local time zone.
    assert describe_due(None, NOW) == "no reviews scheduled"
    assert describe_due(NOW - timedelta(minutes=3), NOW) == "now (2026-03-10 09:27)"
    assert describe_due(NOW, NOW) == "now (2026-03-10 09:30)"
    assert describe_due(NOW + timedelta(days=3), NOW) == "in 3d (2026-03-13 09:30)"
    assert describe_due(NOW + timedelta(minutes=10), NOW) == "in 10m (2026-03-10 09:40)"


# --- lines broken between words ---------------------------------------------------------------


def test_words_are_broken_between_words_and_a_full_line_stays_one() -> None:
    assert word_lines("one two three", 7) == ["one two", "three"]
    assert word_lines("ab cd", 5) == ["ab cd"]
    assert word_lines("ab cd", 4) == ["ab", "cd"]


def test_a_word_longer_than_a_line_stays_whole_and_ends_its_line() -> None:
    url = "https://docs.aws.amazon.com/ec2/latest/UserGuide"
    assert word_lines(f"see {url} now", 10) == [f"see {url}", "now"]


def test_the_text_keeps_its_own_line_breaks_and_blank_lines() -> None:
    assert word_lines("first\n\nsecond", 20) == ["first", "", "second"]


def test_wide_characters_take_two_cells() -> None:
    assert word_lines("日本 語", 4) == ["日本", "語"]
    assert word_lines("日本 語", 7) == ["日本 語"]


@given(
    st.lists(st.text(alphabet="abcdefghij日é", min_size=1, max_size=12), min_size=0, max_size=20),
    st.integers(min_value=1, max_value=30),
)
def test_no_word_is_ever_cut_and_only_a_long_word_overflows(words: list[str], width: int) -> None:
    lines = word_lines(" ".join(words), width)
    assert " ".join(lines).split() == words
    for line in lines:
        if cell_len(line) > width:
            assert cell_len(line.split()[-1]) > width  # only a word too long for any line


def test_key_help_breaks_between_items_never_inside_one() -> None:
    assert item_lines(["u undo", "q quit"], 20).plain == "u undo · q quit"
    assert item_lines(["u undo", "q quit"], 10).plain == "u undo\nq quit"
    assert item_lines(["u undo", "q quit", "s skip"], 15).plain == "u undo · q quit\ns skip"


# --- safe text ---------------------------------------------------------------------------------


def test_escape_sequences_and_bidi_overrides_are_shown_not_obeyed() -> None:
    assert safe("\x1b[31mred") == "\\x1b[31mred"
    assert safe("a\u202eb") == "a\\u202eb"  # the Trojan Source override
    assert safe("bell\x07 del\x7f c1\x85") == "bell\\x07 del\\x7f c1\\x85"
    assert safe("line\u2028sep") == "line\\u2028sep"


def test_tabs_and_newlines_stay_unless_one_line_is_asked() -> None:
    assert safe("a\tb\nc") == "a\tb\nc"
    assert safe("a\tb\nc", one_line=True) == "a\\x09b\\x0ac"


def test_absurdly_long_text_is_cut_with_a_count() -> None:
    assert safe("x" * 10, 4) == "xxxx … [6 more characters]"
    assert safe("x" * 4, 4) == "xxxx"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    shown = safe(text, limit=10**6)
    assert not any(ord(ch) < 0x20 and ch not in "\t\n" for ch in shown)
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in shown)
    one = safe(text, limit=10**6, one_line=True)
    assert "\n" not in one and "\r" not in one and "\t" not in one
    assert "\u2028" not in one and "\u202e" not in one


# --- keys from a real (pseudo-)terminal --------------------------------------------------------


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """stdin on the follower side of a pseudo-terminal; yields a function that types bytes
    on the leader side once the read has put the terminal in raw mode (as a person types
    after the prompt: switching modes discards what was typed before)."""
    import termios
    import threading
    import time as clock
    import tty as ttymodes

    leader, follower = os.openpty()
    # Not line-buffered, but not raw either: the read must leave the mode it found.
    ttymodes.setcbreak(follower)
    stdin = os.fdopen(follower, "r", closefd=False)
    monkeypatch.setattr("sys.stdin", stdin)
    before = termios.tcgetattr(follower)

    def type_keys(data: bytes) -> None:
        def when_raw() -> None:
            deadline = clock.monotonic() + 5
            while termios.tcgetattr(follower)[3] & termios.ISIG and clock.monotonic() < deadline:
                clock.sleep(0.001)
            os.write(leader, data)

        threading.Thread(target=when_raw, daemon=True).start()

    yield type_keys
    assert termios.tcgetattr(follower) == before, "the terminal's mode was not restored"
    stdin.close()
    os.close(leader)
    os.close(follower)


@pytest.mark.parametrize(
    ("sent", "key"),
    [
        (b"\r", keys.ENTER),
        (b" ", keys.SPACE),
        (b"\x7f", keys.BACKSPACE),
        (b"\x08", keys.BACKSPACE),
        (b"\x03", keys.CTRL_C),
        (b"\x04", keys.CTRL_D),
        (b"3", "3"),
        (b"o", "o"),
    ],
)
def test_a_key_press_is_named(tty: Callable[[bytes], None], sent: bytes, key: str) -> None:
    tty(sent)
    assert keys.read_key() == key


def test_an_arrow_key_is_one_key_and_other_sequences_are_swallowed(
    tty: Callable[[bytes], None],
) -> None:
    tty(b"\x1b[A")
    assert keys.read_key() == keys.UP
    tty(b"2")
    assert keys.read_key() == "2"  # not '[' or 'A' left over from the arrow
    tty(b"\x1b[D3")  # an arrow and a key typed at once: the key stays to be read
    assert keys.read_key() == keys.LEFT
    assert keys.read_key() == "3"
    tty(b"\x1b[15~")  # F5: no key of ours, swallowed whole
    assert keys.read_key() == keys.ESCAPE
    tty(b"4")
    assert keys.read_key() == "4"


# --- plain listings ----------------------------------------------------------------------------


def test_cell_width_counts_wide_characters_twice_and_combining_marks_never() -> None:
    assert listing.cell_width("abc") == 3
    assert listing.cell_width("日本") == 4
    assert listing.cell_width("e\u0301") == 1


def test_clipping_marks_the_cut_with_an_ellipsis() -> None:
    assert listing.clip("abcdef", 6) == "abcdef"
    assert listing.clip("abcdef", 4) == "abc…"
    assert listing.clip("日本語", 4) == "日…"
    assert listing.clip_start("/home/u/decks/x.yaml", 10) == "…ks/x.yaml"
    assert listing.clip_words("one several words", 12) == "one several…"
    assert listing.clip_words("one two threefold", 12) == "one two…"


def test_columns_line_up_with_numbers_right_aligned_and_no_trailing_space() -> None:
    table = listing.columns(("deck", "cards"), [("a", "5"), ("bbbb", "12")], right=(1,))
    assert table == "DECK  CARDS\na         5\nbbbb     12"
    table = listing.columns(("deck", "title"), [("a", "x"), ("bbbb", "long title")])
    assert table.splitlines() == ["DECK  TITLE", "a     x", "bbbb  long title"]


def test_a_flexible_column_gives_way_until_lines_fit() -> None:
    rows = [("ec2", "A title far too long to show whole on a narrow terminal")]
    table = listing.columns(("deck", "title"), rows, fit=30, flexible=(1,), at_words=(1,))
    lines = table.splitlines()
    assert all(listing.cell_width(line) <= 30 for line in lines)
    assert lines[1] == "ec2   A title far too long to…"  # 30 cells, cut between words


def test_home_is_written_as_a_tilde_only_at_a_folder_boundary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", "/home/u")
    assert listing.short_path(Path("/home/u/decks/x.yaml")) == "~/decks/x.yaml"
    assert listing.short_path(Path("/home/u")) == "~"
    assert listing.short_path(Path("/home/user2/x.yaml")) == "/home/user2/x.yaml"


def test_a_past_quiz_line_breaks_between_topics_never_inside_one() -> None:
    line = "#3    2026-03-10 09:30  5/8  typed  all decks  [storage 0/2, network 1/1, ec2 4/5]"
    wrapped = listing.wrap_past_quiz(line, 40)
    rows = wrapped.splitlines()
    assert len(rows) > 1
    assert all(listing.cell_width(row) <= 40 for row in rows)
    for unit in ("[storage 0/2,", "network 1/1,", "ec2 4/5]"):
        assert any(unit in row for row in rows), wrapped
    assert listing.wrap_past_quiz(line, None) == line
    assert listing.wrap_past_quiz(line, 200) == line


# --- plain output ------------------------------------------------------------------------------


def test_an_error_is_one_inert_line_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    output.show_error("deck [bold]x[/bold]\nsecond line \x1b[2J")
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: deck [bold]x[/bold]\\x0asecond line \\x1b[2J\n"


def test_warnings_and_plain_lines_are_made_safe(capsys: pytest.CaptureFixture[str]) -> None:
    output.warn("odd\tfield")
    output.plain("summary \x1b[31m[red]")
    captured = capsys.readouterr()
    assert captured.err == "warning: odd\\x09field\n"
    assert captured.out == "summary \\x1b[31m[red]\n"


def test_deck_problems_are_one_located_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    from ec2cards.errors import Problem

    output.show_problems(
        [
            Problem(Path("decks/ec2.yaml"), 12, 5, "unknown key 'anwser' (did you mean 'answer'?)"),
            Problem(Path("decks/ec2.yaml"), 20, 1, "id 'x\ny' is not a slug [bold]"),
        ]
    )
    assert capsys.readouterr().out.splitlines() == [
        "decks/ec2.yaml:12:5: unknown key 'anwser' (did you mean 'answer'?)",
        "decks/ec2.yaml:20:1: id 'x\\x0ay' is not a slug [bold]",
    ]


def test_a_table_cell_is_literal_and_clipped() -> None:
    text = output.cell("[bold]q[/bold]", limit=8)
    assert text.plain == "[bold]q[ … [6 more characters]"
    assert not text.spans


def test_a_guide_piped_is_the_markdown_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    output.show_guide("# Title\n\n*not rendered*\n")
    assert capsys.readouterr().out == "# Title\n\n*not rendered*\n"


# --- the line-mode study frontend --------------------------------------------------------------


def basic_card(**fields: object) -> Card:
    values: dict[str, object] = {
        "deck_id": "ec2",
        "card_id": "nitro",
        "kind": CardKind.BASIC,
        "question": "What is **Nitro**?",
        "answer": "AWS's hypervisor",
        "topics": ("virtualization",),
    }
    values.update(fields)
    return Card(**values)  # type: ignore[arg-type]


def frontend(typed: str) -> tuple[PlainFrontend, io.StringIO]:
    out = io.StringIO()
    return PlainFrontend(io.StringIO(typed), out), out


def test_the_card_title_names_each_of_deck_topic_and_kind_once() -> None:
    assert card_title(basic_card()) == "ec2 · virtualization · basic"
    assert card_title(basic_card(topics=())) == "ec2 · basic"
    assert card_title(basic_card(deck_id="ec2", topics=("ec2",))) == "ec2 · basic"


def test_progress_counts_by_queue_as_anki_does() -> None:
    progress = Progress("ec2", 4, Left(new=3, learning=1, review=12))
    assert progress_text(progress) == "4 done · 3 new · 1 learning · 12 to review"


def test_a_question_is_shown_as_plain_text_with_its_numbered_options() -> None:
    front, out = frontend("")
    card = basic_card()
    front.question(card, ["Xen", "KVM\\-based"], Progress("ec2", 0, Left(1, 0, 0)))
    lines = out.getvalue().splitlines()
    assert lines[1] == "[0 done · 1 new · 0 learning · 0 to review] ec2 · virtualization · basic"
    assert lines[2] == "Q: What is **Nitro**?"  # emphasis reads as plain text shows it
    assert lines[3:] == ["  1. Xen", "  2. KVM-based"]  # an escape is resolved


def test_an_imported_question_reads_as_written_with_its_media_as_a_path(home: Path) -> None:
    (home / "media").mkdir(parents=True)
    (home / "media" / "cpu.png").write_bytes(b"png")
    out = io.StringIO()
    front = PlainFrontend(io.StringIO(""), out, media=home / "media")
    card = basic_card(question="What does \\<thread\\> show? [image: cpu.png] [image: gone.png]")
    front.question(card, [], Progress("ec2", 0, Left(1, 0, 0)))
    shown = out.getvalue().splitlines()[2]
    assert shown == f"Q: What does <thread> show? [image: {home}/media/cpu.png] [image: gone.png]"


@pytest.mark.parametrize(
    ("typed", "action"),
    [
        ("\n", REVEAL),
        ("anything\n", REVEAL),
        ("s\n", SUSPEND),
        ("bury\n", BURY),
        ("E\n", EDIT),
        ("u\n", UNDO),
        ("q\n", QUIT),
        ("", QUIT),  # end of input
    ],
)
def test_reveal_reads_one_line_as_an_action(typed: str, action: str) -> None:
    front, _ = frontend(typed)
    assert front.read_reveal() == action


def test_a_rating_line_is_checked_and_asked_again() -> None:
    front, out = frontend("5\nx\n3\n")
    assert front.read_rating(None) is Rating.GOOD
    assert out.getvalue().count("not understood") == 2
    assert "not understood: '5'; type 1, 2, 3 or 4" in out.getvalue()


def test_enter_takes_the_suggested_rating_and_end_of_input_quits() -> None:
    front, out = frontend("\n")
    assert front.read_rating(Rating.HARD) is Rating.HARD
    assert "Enter = Hard;" in out.getvalue()
    front, _ = frontend("")
    assert front.read_rating(Rating.GOOD) == QUIT
    front, _ = frontend("\nu\n")
    assert front.read_rating(None) == UNDO  # Enter without a suggestion is not a rating


def test_a_selection_is_asked_again_until_it_names_options() -> None:
    card = basic_card(kind=CardKind.CHOICE, options=("a", "b", "c"), correct=("b",))
    front, out = frontend("9\n2\n")
    assert front.read_selection(card, ["a", "b", "c"]) == [1]
    assert "not understood: '9'" in out.getvalue()
    order = basic_card(kind=CardKind.ORDER, items=("x", "y", "z"))
    front, out = frontend("2 1\n2 1 3\n")
    assert front.read_selection(order, ["x", "y", "z"]) == [1, 0, 2]  # every item placed
    assert "not understood: '2 1'" in out.getvalue()


def test_the_answer_gives_every_rating_with_its_interval() -> None:
    front, out = frontend("")
    card = basic_card(note="Since 2017", source="https://aws.amazon.com/ec2/nitro/")
    intervals = {
        Rating.AGAIN: timedelta(minutes=1),
        Rating.HARD: timedelta(minutes=6),
        Rating.GOOD: timedelta(minutes=10),
        Rating.EASY: timedelta(days=4),
    }
    front.answer(card, intervals, None)
    assert out.getvalue().splitlines() == [
        "A: AWS's hypervisor",
        "Note: Since 2017",
        "Source: https://aws.amazon.com/ec2/nitro/",
        "Rate: 1 Again (1m) · 2 Hard (6m) · 3 Good (10m) · 4 Easy (4d)",
    ]


def test_a_cloze_answer_marks_the_deletion() -> None:
    card = basic_card(
        kind=CardKind.CLOZE, cloze_text="Nitro is {{c1::AWS's}} hypervisor", cloze_number=1
    )
    front, out = frontend("")
    front.answer(card, dict.fromkeys(Rating, timedelta(days=1)), None)
    assert out.getvalue().splitlines()[0] == "A: Nitro is *AWS's* hypervisor"


def test_a_saved_answer_says_when_the_card_comes_back_and_a_leech_is_named() -> None:
    from ec2cards.model.states import CardState
    from ec2cards.study.session import AnswerResult

    front, out = frontend("")
    result = AnswerResult(basic_card(), Rating.GOOD, 7, CardState(), CardState(), False)
    front.saved(result, timedelta(days=3))
    front.saved(result._replace(rating=Rating.AGAIN, became_leech=True), timedelta(minutes=10))
    assert out.getvalue().splitlines() == [
        "saved: Good · next in 3d",
        "saved: Again · next in 10m",
        "This card has lapsed too often: marked a leech and suspended.",
    ]


def test_the_summary_says_what_was_done_and_what_waits() -> None:
    summary = Summary(
        studied=4,
        again=1,
        seconds=125,
        suspended=1,
        next_due=NOW + timedelta(hours=5),
        new_left=7,
        new_limit_reached=True,
        new_per_day=20,
    )
    assert summary_text(summary, NOW).splitlines() == [
        "Session done: 4 cards studied, 75% correct, 1 again, 2m 05s.",
        "1 suspended.",
        "Next card due: in 5h (2026-03-10 14:30).",
        "7 new cards wait: today's limit of 20 new cards (shared by all decks) is reached;"
        " --new N studies more now.",
    ]
    one = summary_text(Summary(studied=1, seconds=5), NOW)
    assert one.splitlines()[0] == "Session done: 1 card studied, 100% correct, 0 again, 0m 05s."
    assert summary_text(Summary(), NOW).splitlines() == [
        "Session done: no cards studied.",
        "Next card due: no reviews scheduled.",
    ]


# --- the line-mode quiz frontend ---------------------------------------------------------------


def question(ask: Ask, card: Card | None = None, **fields: object) -> Question:
    return Question(card or basic_card(), ask, "What is Nitro?", **fields)  # type: ignore[arg-type]


def test_the_instruction_says_what_to_type() -> None:
    two = basic_card(kind=CardKind.CHOICE, options=("a", "b", "c"), correct=("a", "c"))
    assert instruction(question(Ask.CHOICE, two)) == "Pick 2: type their numbers, e.g. 1 3"
    assert (
        instruction(question(Ask.CHOICE, two), letters=True)
        == "Pick 2: type their numbers or letters, e.g. 1 3"
    )
    one = basic_card(kind=CardKind.CHOICE, options=("a", "b"), correct=("a",))
    assert instruction(question(Ask.CHOICE, one)) == "Answer with the option number or text"
    assert (
        instruction(question(Ask.CHOICE, one), True)
        == "Answer with the option number, letter or text"
    )
    assert instruction(question(Ask.TYPED)) == "Type the answer"
    assert instruction(question(Ask.FLIP)) == "Enter shows the answer"


def test_feedback_tells_right_partly_and_wrong_apart() -> None:
    q = question(Ask.TYPED, expected="AWS's hypervisor")
    assert feedback_lines(Result(q, "aws hypervisor", True, 1.0))[0] == "Right!"
    close = Result(q, "AWS hypervsor", True, 1.0, exact=False, close=True, note="a typo")
    assert feedback_lines(close)[0] == "Right (a typo) — expected: AWS's hypervisor"
    part = Result(q, "hypervisor", False, 0.5)
    assert feedback_lines(part)[0] == "Partly right. Expected: AWS's hypervisor"
    assert feedback_lines(Result(q, "Xen", False, 0.0))[0] == "Wrong. Expected: AWS's hypervisor"
    overruled = Result(q, "Xen", True, 1.0, overruled=True)
    assert feedback_lines(overruled)[0] == (
        "Counted right: you overruled the grader. Expected: AWS's hypervisor"
    )
    order = Result(question(Ask.ORDER, expected="a, b, c"), "b a c", False, 1 / 3)
    assert feedback_lines(order)[0] == "Wrong (33% in place). Expected: a, b, c"


def test_the_scorecard_adds_up_by_topic_and_lists_the_missed() -> None:
    storage = basic_card(card_id="ebs", topics=("storage",))
    results = [
        Result(question(Ask.TYPED, expected="AWS's hypervisor"), "x", True, 1.0),
        Result(question(Ask.TYPED, expected="AWS's hypervisor"), "y", False, 0.0),
        Result(
            Question(storage, Ask.TYPED, "What is EBS?", expected="Block storage"), "", False, 0
        ),
    ]
    assert scorecard_lines(Scorecard(results, seconds=65)) == [
        "Score: 1/3 (33%) in 1m 05s",
        "  storage: 0/1 (0%)",
        "  virtualization: 1/2 (50%)",
        "Missed:",
        "  - What is Nitro? → AWS's hypervisor",
        "  - What is EBS? → Block storage",
    ]


def test_a_partly_right_answer_counts_its_share_in_the_total_and_is_counted() -> None:
    results = [
        Result(question(Ask.TYPED, expected="HVM and PV"), "HVM", False, 0.5, note="1 of 2"),
        Result(question(Ask.TYPED, expected="AWS's hypervisor"), "x", True, 1.0),
        Result(question(Ask.TYPED, expected="AWS's hypervisor"), "y", False, 0.0),
    ]
    card = Scorecard(results, seconds=5)
    assert scorecard_lines(card)[:2] == [
        "Score: 1.5/3 (50%) in 0m 05s, 1 partly right",
        "  virtualization: 1.5/3 (50%)",
    ]
    assert (card.to_json()["score"], card.to_json()["partly"]) == (1.5, 1)


def test_past_answers_read_as_verdict_card_and_both_replies() -> None:
    from ec2cards.storage.quiz_tables import PastAnswer

    answers = [
        PastAnswer(
            number=1,
            card="ec2/nitro",
            topic="ec2",
            kind="typed",
            given="a\nb",
            expected="a b c",
            correct=False,
            score=0.5,
            overruled=False,
            verdict="2 of 3 items",
        )
    ]
    assert past_answer_lines(answers) == [
        "  1. partly (50%): ec2/nitro · typed · 2 of 3 items",
        "     you: a\\x0ab",
        "     answer: a b c",
    ]


def test_a_flip_question_shows_the_answer_then_asks_if_it_was_known() -> None:
    out = io.StringIO()
    front = PlainQuizFrontend(io.StringIO("\ny\n"), out)
    reply = front.ask(question(Ask.FLIP, expected="AWS's hypervisor"), 2, 5)
    assert reply == "y"
    assert out.getvalue().splitlines() == [
        "",
        "[2/5] virtualization · flip",
        "Q: What is Nitro?",
        "Enter shows the answer:",
        "A: AWS's hypervisor",
        "Did you know it? (y/n):",
    ]
    quitting = PlainQuizFrontend(io.StringIO("q\n"), io.StringIO())
    assert quitting.ask(question(Ask.FLIP, expected="x"), 1, 5) == "q"


def test_options_are_numbered_and_lettered_and_end_of_input_is_none() -> None:
    out = io.StringIO()
    card = basic_card(kind=CardKind.CHOICE, options=("Xen", "Nitro"), correct=("Nitro",))
    front = PlainQuizFrontend(io.StringIO(""), out)
    assert front.ask(question(Ask.CHOICE, card, options=("Xen", "Nitro")), 1, 1) is None
    assert "  1. (a) Xen\n  2. (b) Nitro\n" in out.getvalue()


def test_the_last_answer_may_be_overruled_by_typing_right() -> None:
    result = Result(question(Ask.TYPED), "x", False, 0.0)
    assert PlainQuizFrontend(io.StringIO("!RIGHT\n"), io.StringIO()).offer_overrule(result, True)
    assert not PlainQuizFrontend(io.StringIO("\n"), io.StringIO()).offer_overrule(result, True)
    out = io.StringIO()
    assert not PlainQuizFrontend(io.StringIO("!right\n"), out).offer_overrule(result, False)
    assert out.getvalue() == "(if you were right, type !right as your next answer)\n"


# --- the listings of cards and decks -----------------------------------------------------------


def listed(key_id: str, question: str, state: object) -> object:
    from ec2cards.progress.card_list import Listed

    return Listed(basic_card(card_id=key_id, question=question), state)  # type: ignore[arg-type]


def some_cards() -> list[object]:
    from ec2cards.model.states import CardState, Phase

    return [
        listed("nitro", "What is Nitro?", CardState()),
        listed(
            "ebs",
            "Which storage keeps its data when an instance stops and starts again?",
            CardState(Phase.REVIEW, due=NOW + timedelta(days=3), lapses=2),
        ),
        listed("late", "Overdue?", CardState(Phase.LEARNING, due=NOW - timedelta(minutes=5))),
        listed("held", "Suspended?", CardState(Phase.REVIEW, due=NOW, suspended=True)),
    ]


def test_cards_are_listed_with_state_due_and_lapses() -> None:
    table = listing.cards_listing(some_cards(), NOW)  # type: ignore[arg-type]
    assert table.splitlines() == [
        "CARD       STATE      DUE    LAPSES  QUESTION",
        "ec2/nitro  new        -           0  What is Nitro?",
        "ec2/ebs    review     in 3d       2  Which storage keeps its data when an instance stops"
        " and starts again?",
        "ec2/late   learning   now         0  Overdue?",
        "ec2/held   suspended  now         0  Suspended?",
        "4 cards",
    ]


def test_on_a_terminal_the_question_is_cut_between_words_to_fit() -> None:
    table = listing.cards_listing(some_cards(), NOW, fit=70)  # type: ignore[arg-type]
    lines = table.splitlines()
    assert all(listing.cell_width(line) <= 70 for line in lines)
    assert lines[2] == "ec2/ebs    review     in 3d       2  Which storage keeps its data…"


def test_too_narrow_for_a_question_each_card_takes_two_lines_its_key_whole() -> None:
    long_key = listed("a-very-long-card-id-that-takes-the-room", "Why?", some_cards()[1].state)  # type: ignore[attr-defined]
    table = listing.cards_listing([long_key], NOW, fit=40)  # type: ignore[arg-type]
    lines = table.splitlines()
    assert lines[0] == "CARD"
    assert lines[2] == "ec2/a-very-long-card-id-that-takes-the-room"  # whole, to be copied
    assert lines[3].startswith("  review")
    assert lines[-1] == "1 card"
    assert all(listing.cell_width(line) <= 40 for line in lines if not line.startswith("ec2/"))


def test_decks_are_listed_with_where_they_live(monkeypatch: pytest.MonkeyPatch) -> None:
    from ec2cards.model.decks import Collection, Deck

    monkeypatch.setenv("HOME", "/home/u")
    nitro = basic_card()  # of topic virtualization: each deck lists it among its topics
    decks = Collection(
        [
            Deck("ec2", "EC2", "ec2", Path("/b/ec2.yaml"), (nitro, nitro), bundled=True),
            Deck("mine", "My deck", "notes", Path("/home/u/decks/mine.yaml"), (nitro,)),
        ]
    )
    assert listing.decks_listing(decks).splitlines() == [
        "DECK  CARDS  TITLE    TOPICS                 WHERE",
        "ec2       2  EC2      ec2, virtualization    bundled",
        "mine      1  My deck  notes, virtualization  ~/decks/mine.yaml",
        "2 decks, 3 cards",
    ]


# --- the Rich study screen, drawn into a recording console --------------------------------------


def screen(width: int, pressed: str | list[str], monkeypatch: pytest.MonkeyPatch) -> object:
    """The study screen on a console `width` cells wide that records what it prints, reading
    `pressed` as its key presses."""
    from rich.console import Console

    from ec2cards.terminal.study_screen import RichFrontend

    presses = iter(pressed)
    monkeypatch.setattr(keys, "read_key", lambda on_resize=None: next(presses))
    console = Console(record=True, width=width, force_terminal=False, color_system=None)
    return RichFrontend(console)


def shown(front: object) -> str:
    return front.console.export_text()  # type: ignore[attr-defined,no-any-return]


def test_the_screen_shows_the_question_as_rendered_markdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    front = screen(60, [keys.SPACE], monkeypatch)
    front.question(basic_card(), [], Progress("ec2", 2, Left(1, 0, 3)))  # type: ignore[attr-defined]
    assert front.read_reveal() == REVEAL  # type: ignore[attr-defined]
    text = shown(front)
    assert "What is Nitro?" in text and "**" not in text
    assert "2 done · 1 new · 0 learning · 3 to review" in text
    assert "ec2 · virtualization · basic" in text


def test_an_order_answer_waits_for_every_item_and_can_be_corrected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order = basic_card(kind=CardKind.ORDER, items=("x", "y", "z"))
    pressed = ["2", "1", keys.ENTER, "q", "9", keys.BACKSPACE, "1", "3", keys.ENTER]
    front = screen(80, pressed, monkeypatch)
    front.question(order, ["x", "y", "z"], Progress("ec2", 0, Left(1, 0, 0)))  # type: ignore[attr-defined]
    # 'q' while typing is not quit; '9' is no item; Backspace takes the '1' back.
    assert front.read_selection(order, ["x", "y", "z"]) == [1, 0, 2]  # type: ignore[attr-defined]
    assert "put all 3 items in order" in shown(front)


def test_a_single_choice_is_one_key_and_keys_out_of_range_are_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choice = basic_card(kind=CardKind.CHOICE, options=("a", "b", "c"), correct=("b",))
    front = screen(80, ["0", "7", "x", "3"], monkeypatch)
    assert front.read_selection(choice, ["a", "b", "c"]) == [2]  # type: ignore[attr-defined]
    front = screen(80, ["s"], monkeypatch)
    assert front.read_selection(choice, ["a", "b", "c"]) == SUSPEND  # type: ignore[attr-defined]


def test_the_rating_keys_show_intervals_and_break_only_between_ratings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    intervals = {
        Rating.AGAIN: timedelta(minutes=1),
        Rating.HARD: timedelta(minutes=6),
        Rating.GOOD: timedelta(minutes=10),
        Rating.EASY: timedelta(days=4),
    }
    front = screen(30, ["x", keys.ENTER], monkeypatch)
    front.question(basic_card(), [], Progress("ec2", 0, Left(1, 0, 0)))  # type: ignore[attr-defined]
    front.answer(basic_card(), intervals, Rating.GOOD)  # type: ignore[attr-defined]
    assert front.read_rating(Rating.GOOD) is Rating.GOOD  # type: ignore[attr-defined]
    lines = shown(front).splitlines()
    for label in ("1 Again · 1m", "2 Hard · 6m", "3 Good · 10m", "4 Easy · 4d"):
        assert any(label in line for line in lines), label  # each whole on one line
    assert all(len(line) <= 30 for line in lines)
    front = screen(80, [keys.ENTER, "4"], monkeypatch)  # no suggestion: Enter is no rating
    front.answer(basic_card(), intervals, None)  # type: ignore[attr-defined]
    assert front.read_rating(None) is Rating.EASY  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", range(14, 64, 3))
def test_key_help_and_ratings_break_between_whole_items_at_any_width(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    front = screen(width, [keys.ENTER, "3"], monkeypatch)
    front.question(basic_card(), [], Progress("ec2", 0, Left(1, 0, 0)))  # type: ignore[attr-defined]
    front.read_reveal()  # type: ignore[attr-defined]
    front.answer(basic_card(), dict.fromkeys(Rating, timedelta(minutes=10)), None)  # type: ignore[attr-defined]
    front.read_rating(None)  # type: ignore[attr-defined]
    lines = [line.strip() for line in shown(front).splitlines()]
    items = ["s suspend", "b bury", "e edit", "u undo", "q quit", "3 Good · 10m", "4 Easy · 10m"]
    for item in items:
        assert any(item in line for line in lines), (item, lines)


def test_a_long_source_address_stays_one_line_to_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-nitro-instances.html"
    front = screen(40, [keys.ENTER], monkeypatch)
    card = basic_card(source=f"AWS docs {url}")
    front.question(card, [], Progress("ec2", 0, Left(1, 0, 0)))  # type: ignore[attr-defined]
    front.answer(card, dict.fromkeys(Rating, timedelta(days=1)), Rating.GOOD)  # type: ignore[attr-defined]
    front.read_rating(Rating.GOOD)  # type: ignore[attr-defined]
    assert f"Source: AWS docs {url}" in shown(front).splitlines()


# --- the Rich quiz screen -----------------------------------------------------------------------


def quiz_screen(typed: str, monkeypatch: pytest.MonkeyPatch) -> object:
    from rich.console import Console

    from ec2cards.terminal.quiz_screen import RichQuizFrontend

    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    console = Console(record=True, width=60, force_terminal=False, color_system=None)
    return RichQuizFrontend(console)


def test_a_flip_question_shows_the_answer_before_asking_if_it_was_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    front = quiz_screen("", monkeypatch)
    presses = iter([keys.SPACE, "x", "Y", "n", "q"])  # a stray key waits for y or n
    monkeypatch.setattr(keys, "read_key", lambda on_resize=None: next(presses))
    reply = front.ask(question(Ask.FLIP, expected="AWS's **own** hypervisor"), 2, 5)  # type: ignore[attr-defined]
    assert reply == "y"
    text = front.console.export_text()  # type: ignore[attr-defined]
    assert "2/5 · virtualization · flip" in text and text.count("What is Nitro?") == 1
    assert text.index("What is Nitro?") < text.index("AWS's own hypervisor")  # rendered
    presses = iter(["q"])
    assert front.ask(question(Ask.FLIP, expected="x"), 3, 5) is None  # type: ignore[attr-defined]


def test_end_of_input_ends_the_quiz_and_o_overrules(monkeypatch: pytest.MonkeyPatch) -> None:
    front = quiz_screen("", monkeypatch)
    assert front.ask(question(Ask.TYPED), 1, 1) is None  # type: ignore[attr-defined]
    result = Result(question(Ask.TYPED), "x", False, 0.0)
    presses = iter(["O", "x", keys.CTRL_C])
    monkeypatch.setattr(keys, "read_key", lambda: next(presses))
    assert front.offer_overrule(result, True) is True  # type: ignore[attr-defined]
    assert front.offer_overrule(result, True) is False  # type: ignore[attr-defined]
    with pytest.raises(KeyboardInterrupt):
        front.offer_overrule(result, True)  # type: ignore[attr-defined]


def test_one_new_card_waits_and_a_sessions_own_limit_is_named() -> None:
    from ec2cards.study.session import Summary
    from ec2cards.terminal.study_lines import summary_text

    moment = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    one = Summary(new_left=1, new_limit_reached=True, new_per_day=1)
    assert "1 new card waits: today's limit of 1 new card (shared" in summary_text(one, moment)
    own = Summary(new_left=3, new_limit_reached=True, new_per_day=20, new_limit=2)
    assert "3 new cards not yet studied: this session's --new 2." in summary_text(own, moment)


# -- card text drawn without the Markdown parser when Markdown would change nothing -----------


def _drawn(renderable: object, width: int) -> str:
    from rich.console import Console
    from rich.panel import Panel

    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="standard")
    console.print(Panel(renderable))  # type: ignore[arg-type]
    return console.file.getvalue()  # type: ignore[attr-defined]


def _as_markdown(text: str, style: str) -> object:
    from rich.markdown import Markdown

    return Markdown(safe(text), style=style, hyperlinks=False)


def test_plain_card_text_is_drawn_exactly_as_markdown_draws_it(home: Path) -> None:
    """Every bundled card's question, answer and note, in the study screen's styles, at 100
    and 60 columns: the same bytes with or without the parser."""
    from ec2cards.decks.selection import select
    from ec2cards.terminal.markdown import markdown

    plain = 0
    for card in select(home).cards:
        for text in (card.question, card.answer, card.note):
            if not text:
                continue
            for style in ("none", "italic"):
                drawn = markdown(text, style=style)
                plain += type(drawn).__name__ == "Text"
                for width in (100, 60):
                    assert _drawn(drawn, width) == _drawn(_as_markdown(text, style), width), text
    assert plain > 300  # most card texts take the light path


@given(
    st.text(
        alphabet=st.sampled_from(list("ab c1.-+>#*_`[]()!<&\\~|:\n\t")) | st.characters(),
        max_size=40,
    )
)
@example("---")  # a rule across the box
@example("1986. A year")  # a numbered list
def test_text_drawn_without_the_parser_is_what_the_parser_draws(text: str) -> None:
    from ec2cards.terminal.markdown import markdown

    drawn = markdown(text)
    if type(drawn).__name__ == "Text":
        assert _drawn(drawn, 30) == _drawn(_as_markdown(text, "none"), 30)
