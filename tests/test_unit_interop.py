"""Unit tests of interop's logic, in-process: Anki's HTML as Markdown, Anki's plain-text notes
(checked against the files Anki itself writes and reads), a card's Anki log as Anki's FSRS reads
it, media in packages Anki made, the media plan, the import report, YAML and .apkg round trips,
and the small shared helpers. No CLI, no subprocess."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ec2cards.decks.entries import check_text
from ec2cards.decks.format import load_deck
from ec2cards.interop.anki_collection import AnkiReview
from ec2cards.interop.anki_history import card_history, memory_start, upgrade_v1
from ec2cards.interop.anki_media import (
    copy_media_file,
    media_files,
    media_sha1,
    package_version,
    same_content,
)
from ec2cards.interop.anki_notes import anki_card_id, split_key, tags_and_topics
from ec2cards.interop.anki_read import read_package
from ec2cards.interop.common import (
    ImportFailed,
    Incoming,
    IncomingDeck,
    LeftOut,
    MediaFile,
    slugify,
)
from ec2cards.interop.csv_notes import read_notes
from ec2cards.interop.exporter import export
from ec2cards.interop.html_text import (
    escape_markdown,
    html_to_markdown,
    html_to_plain,
    markdown_to_html,
    media_name,
)
from ec2cards.interop.import_apply import ImportReport
from ec2cards.interop.import_media import copy_media, plan_media
from ec2cards.interop.import_report import describe
from ec2cards.interop.importer import DeckChange, ImportPlan
from ec2cards.interop.yaml_io import card_entries, export_text, read_yaml_deck, retarget
from ec2cards.model.cards import Card, CardKind
from ec2cards.model.events import FORGET
from ec2cards.model.ratings import Rating
from ec2cards.scheduling.replay import sm2_value

NOW = datetime(2026, 3, 12, 9, 30, tzinfo=timezone.utc)


def anki(path: Path) -> Any:
    """A scratch Anki collection at `path` (its folder made)."""
    from anki.collection import Collection

    path.parent.mkdir(parents=True, exist_ok=True)
    return Collection(str(path))


# --- Anki's HTML as Markdown -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("2*3*4 and a_b", "2\\*3\\*4 and a_b"),  # not italic, and a_b is a word
        ("<b>bold</b> text", "**bold** text"),
        ("<i>it</i>", "*it*"),
        ("<b>one</b><b>two</b>", "**onetwo**"),
        ("one<br>two", "one\\\ntwo"),  # a hard break, as Anki shows a <br>
        ("a<br><br><br>b", "a\n\nb"),  # several breaks: one blank line
        ("x<br>", "x"),  # a break at the end shows nothing
        ("<div>one</div><div>two</div>", "one\\\ntwo"),  # a <div> is one line in Anki
        ("<div>one</div><div><br></div><div>two</div>", "one\n\ntwo"),
        ("Run <code>ls -l</code>", "Run `ls -l`"),
        ("<pre>if x:\n    y()</pre>", "```\nif x:\n    y()\n```"),
        ("<code>a<br>b</code>", "```\na\nb\n```"),  # code over lines is a block
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        ("&lt;thread&gt; &amp; co", "\\<thread> & co"),  # shown, not read as a tag
        ("&amp;lt; typed", "\\&lt; typed"),  # an entity the author typed stays literal
        ("&nbsp;&nbsp;indented", "&nbsp;&nbsp;indented"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("{{c1::<b>Nitro</b>}} is AWS's", "{{c1::**Nitro**}} is AWS's"),
        ("\\(x^2\\)", "`\\(x^2\\)`"),  # MathJax stays its TeX source
        ("<table><tr><td>a</td><td>b|c</td></tr></table>", "| a | b\\|c |\n| --- | --- |"),
    ],
)
def test_anki_html_becomes_markdown_that_shows_the_same(html: str, markdown: str) -> None:
    assert html_to_markdown(html).text == markdown


def test_media_become_placeholders_and_are_named_once() -> None:
    converted = html_to_markdown('<img src="cpu.png"> [sound:say.mp3] <img src="cpu.png">')
    assert converted.text == "[image: cpu.png] [sound: say.mp3] [image: cpu.png]"
    assert sorted(converted.media) == ["cpu.png", "say.mp3"]  # each once
    web = html_to_markdown('<img src="https://example.com/y.png">')
    assert (web.text, web.media) == ("[image: https://example.com/y.png]", ())
    outside = html_to_markdown('<img src="../../etc/passwd" alt="secret">')
    assert (outside.text, outside.media) == ("[image: secret]", ())
    assert html_to_markdown("<img>").text == "[image]"


@pytest.mark.parametrize(
    ("reference", "name"),
    [
        ("cpu.png", "cpu.png"),
        (" my file.png ", "my file.png"),
        ("caf%C3%A9.png", "café.png"),
        ("cafe\u0301.png", "café.png"),  # NFC, as Anki stores names
        ("sub/x.png", None),
        ("..\\x.png", None),
        ("..", None),
        ("", None),
        ("https://example.com/x.png", None),
        ("C:x.png", None),
    ],
)
def test_a_media_reference_is_a_plain_file_name_or_nothing(
    reference: str, name: str | None
) -> None:
    assert media_name(reference) == name


def test_html_as_plain_text_for_keys_and_accepted_answers() -> None:
    assert html_to_plain("one<br>two<BR />three") == "one\ntwo\nthree"
    assert html_to_plain("<div>one</div><div>two</div><p>three</p>") == "one\ntwo\nthree"
    assert html_to_plain("&lt;b&gt; &amp;&nbsp;x  <i>y</i>") == "<b> & x y"


def test_a_line_before_a_div_stays_its_own_line() -> None:
    """Anki's editor saves a second line typed under the first as "first<div>second</div>":
    an 'Also accepted' field so written is two answers, not one run together."""
    assert html_to_plain("kernel<div>OS kernel</div>") == "kernel\nOS kernel"
    assert html_to_plain("text<p class=x>more</p>") == "text\nmore"
    assert html_to_plain("<div>a</div><div>b</div>") == "a\nb"  # no blank line between
    assert html_to_plain("<div><div>x</div></div>") == "x"
    assert html_to_plain("a\x00<div>b</div>") == "a\nb"


def test_markdown_becomes_the_html_of_an_anki_field() -> None:
    assert markdown_to_html("**Nitro**, `ls`") == "<strong>Nitro</strong>, <code>ls</code>"
    assert markdown_to_html("one\ntwo") == "one<br />two"  # a line break shows as one
    assert markdown_to_html("a\n\nb") == "<p>a</p><p>b</p>"
    assert markdown_to_html("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert markdown_to_html("```\na\n  b\n```") == "<pre><code>a\n  b\n</code></pre>"


TOKENS = [
    "<b>", "</b>", "<i>", "</i>", "<div>", "</div>", "<br>", "<pre>", "</pre>", "<code>",
    "</code>", "<ul>", "<li>", "</ul>", "<img src='a.png'>", "&lt;", "&gt;", "&amp;", "&nbsp;",
    "&#60;", "<", ">", "*", "_", "`", "#", "[", "]", "(", ")", "\\", "{{c1::", "}}",
    "[sound:x.mp3]", "\\(", "\\)", "\n", " ", "x", "thread", "1.", "-", "|", "~~", "<!--",
    "-->", "<script>",
]  # fmt: skip
TABLES = ["<table>", "<tr>", "<td>", "</td>", "</tr>", "</table>"]


def htmlish(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(tokens), max_size=25).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(htmlish(TOKENS + TABLES), st.text(max_size=60)))
def test_any_field_converts_without_an_error_or_a_private_mark(html: str) -> None:
    converted = html_to_markdown(html)
    marks = {chr(code) for code in range(0xE000, 0xE030)}  # the converter's private marks
    if not marks & set(html):
        assert not marks & set(converted.text), converted.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(htmlish(TOKENS), st.text(max_size=60)))
def test_hostile_html_leaves_no_raw_tag(html: str) -> None:
    """The Markdown holds no HTML a Markdown reader would obey (as CommonMark with HTML on
    reads it): what Anki showed as text stays text. Not yet true where a block (a <pre>, a
    list, a table) sits inside another <pre> or inside inline <code>, whose code span it
    breaks: the xfail below, and `<code><ul><!--`."""
    from markdown_it import MarkdownIt

    lower = html.lower()
    blocks = ("<pre", "<ul", "<li", "<table", "<tr", "<td")
    assume(
        lower.count("<pre") < 2 and not ("<code" in lower and any(map(lower.__contains__, blocks)))
    )
    converted = html_to_markdown(html)
    tokens = MarkdownIt("commonmark").parse(converted.text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert not kinds & {"html_block", "html_inline"}, converted.text


def test_a_line_break_inside_inline_code_is_a_space() -> None:
    """A browser shows a newline inside inline <code> as a space; kept as a newline, a code
    span's second line that starts with '<' would open an HTML block instead (a case the
    property above found)."""
    assert html_to_markdown("<code>a\n  b</code> c").text == "`a b` c"
    converted = html_to_markdown("<code><img src='a.png'>\n<!--")
    assert "\n" not in converted.text and converted.text.startswith("`[image: a.png] ")


@pytest.mark.xfail(
    strict=True,
    reason="a <pre> inside a <pre> becomes two fences that close each other, so the code is"
    " left outside any code block: '<vector>' is read as HTML and vanishes, '*p' may turn"
    " italic (Anki shows the text as written, preformatted)",
)
def test_a_pre_inside_a_pre_stays_one_code_block() -> None:
    assert html_to_markdown("<pre><pre>a &lt;vector&gt; *p</pre></pre>").text == (
        "```\na <vector> *p\n```"
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_escaped_text_renders_as_exactly_that_text(text: str) -> None:
    """Plain text through escape_markdown, rendered to HTML and read back, is the text."""
    shown = html_to_plain(markdown_to_html(escape_markdown(text)))
    assert shown == " ".join(text.split())


# --- Anki's plain-text notes --------------------------------------------------------------------


def notes_file(tmp_path: Path, text: str, name: str = "aws.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_lines_say_separator_html_and_the_tags_column(tmp_path: Path) -> None:
    path = notes_file(
        tmp_path,
        "#separator:tab\n#html:true\n#tags column:3\n"
        "What is <b>Nitro</b>?\tAWS's hypervisor\ttopic::virtualization hard\n",
    )
    incoming = read_notes(path, NOW)
    (deck,) = incoming.decks
    assert (deck.deck_id, deck.title, deck.topic) == ("aws", "aws", "aws")
    assert deck.entries == [
        {
            "q": "What is **Nitro**?",
            "a": "AWS's hypervisor",
            "topics": ["virtualization"],
            "tags": ["hard"],
        }
    ]


def test_quoted_fields_hold_separators_quotes_and_line_breaks(tmp_path: Path) -> None:
    text = '#separator:comma\n#html:false\n"a, b","say ""hi""\nthen go"\n'
    (deck,) = read_notes(notes_file(tmp_path, text), NOW).decks
    assert deck.entries == [{"q": "a, b", "a": 'say "hi"\nthen go'}]


@pytest.mark.parametrize(
    ("line", "separator"),
    [("q\ta;b,c", "\t"), ("q;a,b", ";"), ("q,a", ","), ("q|a", "|")],
)
def test_without_headers_the_separator_is_guessed_tab_then_semicolon_then_comma(
    tmp_path: Path, line: str, separator: str
) -> None:
    (deck,) = read_notes(notes_file(tmp_path, line + "\n"), NOW).decks
    question, answer = line.split(separator, 1)
    assert deck.entries[0]["q"] == question
    assert deck.entries[0]["a"].startswith(answer.split(separator)[0])


def test_guid_deck_and_notetype_columns_and_reversed_cards(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        "g1\tBasic (and reversed card)\tAWS::EC2 Basics\tfront\tback\n"
        "g2\tCloze\tAWS::EC2 Basics\t{{c1::Nitro}} is AWS's hypervisor\textra\n"
    )
    (deck,) = read_notes(notes_file(tmp_path, text), NOW).decks
    assert (deck.deck_id, deck.title, deck.topic) == (
        "aws-ec2-basics",
        "AWS › EC2 Basics",
        "ec2-basics",
    )
    assert deck.entries == [
        {"id": anki_card_id("g1"), "q": "front", "a": "back"},
        {"id": anki_card_id("g1") + "-2", "q": "back", "a": "front"},
        {
            "id": anki_card_id("g2"),
            "kind": "cloze",
            "text": "{{c1::Nitro}} is AWS's hypervisor",
            "note": "extra",
        },
    ]


def test_an_optional_reverse_is_made_only_when_its_field_is_filled(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n#html:false\n#notetype column:1\n"
        "Basic (optional reversed card)\tq1\ta1\ty\n"
        "Basic (optional reversed card)\tq2\ta2\t\n"
    )
    (deck,) = read_notes(notes_file(tmp_path, text), NOW).decks
    assert [(e["q"], e["a"]) for e in deck.entries] == [("q1", "a1"), ("a1", "q1"), ("q2", "a2")]


def test_a_columns_header_names_the_tags_column(tmp_path: Path) -> None:
    text = "#separator:tab\n#html:false\n#columns:Front\tBack\tTags\nq\ta\ttopic::ec2 exam\n"
    (deck,) = read_notes(notes_file(tmp_path, text), NOW).decks
    assert deck.entries == [{"q": "q", "a": "a", "topics": ["ec2"], "tags": ["exam"]}]


def test_rows_without_a_back_are_skipped_and_counted(tmp_path: Path) -> None:
    incoming = read_notes(notes_file(tmp_path, "q\ta\nonly a front\t\n\t\nq2\ta2\n"), NOW)
    assert [e["q"] for e in incoming.decks[0].entries] == ["q", "q2"]
    assert incoming.warnings == [
        f"{tmp_path / 'aws.txt'}: skipped 1 rows without a front and a back (or a usable cloze)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#separator:dash\nq-a\n", ":1: unknown '#separator:dash'"),
        ("#separator:tab\n#tags column:x\nq\ta\tt\n", ":1: 'x' is not a column number"),
        ("#separator:tab\n#html:true\n", ": no notes in the file"),
        ("#html:false\njustoneword\n", ":2: cannot tell how fields are separated"),
        ("#separator:tab\nonly fronts\t\n", ":2: no row has both a front and a back"),
    ],
)
def test_a_bad_notes_file_is_refused_with_its_place(
    tmp_path: Path, text: str, message: str
) -> None:
    path = notes_file(tmp_path, text)
    with pytest.raises(ImportFailed) as raised:
        read_notes(path, NOW)
    assert str(raised.value).startswith(str(path) + message), str(raised.value)


def test_a_file_not_in_utf8_says_to_export_again(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("caf\xe9\tbar\n".encode("latin-1"))
    with pytest.raises(ImportFailed, match="not UTF-8 text; export it again as UTF-8"):
        read_notes(path, NOW)


def anki_basic_note(col: Any, front: str, back: str, deck: str, tags: list[str]) -> Any:
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = front, back
    note.tags = tags
    col.add_note(note, col.decks.id(deck))
    return note


def test_the_notes_anki_exports_come_in_as_anki_shows_them(tmp_path: Path) -> None:
    from anki.collection import DeckIdLimit

    col = anki(tmp_path / "col.anki2")
    try:
        note = anki_basic_note(
            col,
            "Which <i>AWS</i> service\tstores objects?",
            'S3, "simple" storage<br>since 2006',
            "AWS::Storage",
            ["topic::s3", "exam"],
        )
        out = tmp_path / "from-anki.txt"
        limit = DeckIdLimit(col.decks.id("AWS::Storage"))  # type: ignore[arg-type]
        col.export_note_csv(
            out_path=str(out),
            limit=limit,
            with_html=True,
            with_tags=True,
            with_deck=True,
            with_notetype=True,
            with_guid=True,
        )
        guid = note.guid
    finally:
        col.close()
    (deck,) = read_notes(out, NOW).decks
    assert (deck.deck_id, deck.topic) == ("aws-storage", "storage")
    assert deck.entries == [
        {
            "id": anki_card_id(guid),
            "q": "Which *AWS* service stores objects?",
            "a": 'S3, "simple" storage\\\nsince 2006',
            "topics": ["s3"],
            "tags": ["exam"],
        }
    ]


def card(**fields: Any) -> Card:
    values: dict[str, Any] = {
        "deck_id": "ec2",
        "card_id": "nitro",
        "kind": CardKind.BASIC,
        "question": "What is **Nitro**?",
        "answer": "AWS's hypervisor",
        "topics": ("virtualization",),
        "tags": ("exam prep",),
    }
    values.update(fields)
    return Card(**values)


def test_written_notes_are_read_by_anki_as_meant(tmp_path: Path) -> None:
    """Anki's own reader of plain-text notes finds the columns the header lines name."""
    cloze = card(
        card_id="layers-c1",
        kind=CardKind.CLOZE,
        cloze_text="{{c1::Nitro}}\tcards",
        cloze_number=1,
        note="a\nb",
    )
    path = tmp_path / "out.txt"
    report = export([card(), cloze], [], "csv", path, NOW)
    assert (report.cards, report.notes) == (2, 2)
    col = anki(tmp_path / "col.anki2")
    try:
        meta = col.get_csv_metadata(str(path), None)
    finally:
        col.close()
    assert meta.delimiter == meta.TAB
    assert meta.is_html
    assert (meta.guid_column, meta.notetype_column, meta.deck_column, meta.tags_column) == (
        1,
        2,
        3,
        6,
    )
    first, second = (list(row.vals) for row in meta.preview[:2])
    assert first[1:3] == ["Basic", "EC2::virtualization"]
    assert first[5] == "topic::virtualization exam_prep"  # a space in a tag would split it
    assert second[1] == "Cloze"
    assert second[3] == "{{c1::Nitro}}\tcards"  # quoted: the tab stays in the field


def test_an_exported_notes_file_reads_back_as_the_same_text(tmp_path: Path) -> None:
    choice = card(
        card_id="slowest",
        kind=CardKind.CHOICE,
        question="Which was the slowest?",
        options=("Emulated", "Para"),
        correct=("Emulated",),
    )
    path = tmp_path / "ec2.txt"
    export([card(answer="AWS's *own* hypervisor"), choice], [], "csv", path, NOW)
    (deck,) = read_notes(path, NOW).decks
    assert deck.title == "EC2 › virtualization"
    first, second = deck.entries
    assert (first["q"], first["a"]) == ("What is **Nitro**?", "AWS's *own* hypervisor")
    assert first["tags"] == ["exam_prep"]
    assert second["q"] == "Which was the slowest?\n\n1. Emulated\n2. Para"
    assert second["a"] == "Emulated"


# --- a card's Anki log as Anki's FSRS reads it -------------------------------------------------

LEARN, REVIEW, RELEARN, FILTERED, MANUAL = range(5)
DAY = 86_400_000
T0 = int(datetime(2026, 1, 5, 10, tzinfo=timezone.utc).timestamp() * 1000)


def row(day: float, ease: int, kind: int, interval: int = 1, factor: int = 2500) -> AnkiReview:
    return AnkiReview(1, T0 + int(day * DAY), ease, 4000, kind, interval, factor)


def events(rows: list[AnkiReview]) -> list[tuple[str, int | None]]:
    history = card_history("c", rows)
    return [(item.event, item.rating and int(item.rating)) for item in history.items]


def test_memory_starts_at_the_last_learning_run() -> None:
    rows = [row(0, 3, LEARN, -600), row(0.01, 3, LEARN, 1), row(1, 3, REVIEW, 3)]
    assert memory_start(rows) == (0, True)
    assert events(rows) == [("review", 3), ("review", 3), ("review", 3)]


def test_a_reset_logs_a_forget_and_memory_starts_after_it() -> None:
    rows = [
        row(0, 3, LEARN, 1),
        row(1, 3, REVIEW, 3),
        row(2, 0, MANUAL, 0, factor=0),  # Forget in Anki
        row(3, 1, LEARN, -60),
        row(3.01, 3, LEARN, 1),
    ]
    assert memory_start(rows) == (3, True)
    assert events(rows) == [
        ("review", 3),
        ("review", 3),
        (FORGET, None),
        ("review", 1),
        ("review", 3),
    ]


def test_a_reset_not_answered_since_leaves_no_memory() -> None:
    rows = [row(0, 3, LEARN, 1), row(2, 0, MANUAL, 0, factor=0)]
    assert memory_start(rows) == (None, False)
    assert events(rows) == [("review", 3), (FORGET, None)]


def test_a_due_date_set_by_hand_is_not_an_answer_nor_a_reset() -> None:
    rows = [row(0, 3, LEARN, 1), row(1, 0, MANUAL, 5, factor=2500), row(6, 3, REVIEW, 12)]
    assert memory_start(rows) == (0, True)
    assert events(rows) == [("review", 3), ("review", 3)]


def test_cramming_is_left_out_and_counted_but_a_rescheduling_filtered_deck_counts() -> None:
    rows = [
        row(0, 3, LEARN, 1),
        row(0.5, 1, FILTERED, 0, factor=0),  # a filtered deck without rescheduling
        row(2, 3, FILTERED, 5, factor=2500),  # one that reschedules: a real review
    ]
    history = card_history("c", rows)
    assert history.cramming == 1
    assert [int(item.rating) for item in history.items if item.rating] == [3, 3]


def test_a_learning_run_without_a_reset_row_starts_anew_after_a_forget() -> None:
    """Older Anki reset cards without logging it: a second learning run after reviews."""
    rows = [
        row(0, 3, LEARN, 1),
        row(1, 3, REVIEW, 3),
        row(10, 3, LEARN, -600),
        row(10.01, 3, LEARN, 1),
    ]
    assert memory_start(rows) == (2, True)
    assert events(rows) == [
        ("review", 3),
        ("review", 3),
        (FORGET, None),
        ("review", 3),
        ("review", 3),
    ]


def test_a_trimmed_log_starts_from_the_sm2_ease_and_interval() -> None:
    rows = [row(0, 3, REVIEW, 10, factor=2300), row(10, 3, REVIEW, 25, factor=2300)]
    assert memory_start(rows) == (0, False)
    items = card_history("c", rows).items
    assert items[0].value == sm2_value(2.3, 10)
    assert items[1].value is None
    assert items[0].duration_ms == 4000
    assert items[0].at == datetime(2026, 1, 5, 10, tzinfo=timezone.utc)


def test_the_rows_anki_writes_are_read_as_anki_reads_them(tmp_path: Path) -> None:
    """Anki's own rows for answers, a due date set by hand, a Forget and an answer in a
    filtered deck that does not reschedule."""
    col = anki(tmp_path / "col.anki2")
    try:
        col.set_config("fsrs", True)
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "q", "a"
        col.add_note(note, 1)
        cid = note.cards()[0].id

        def answer(ease: int) -> None:
            found = col.get_card(cid)
            found.start_timer()
            col.sched.answerCard(found, ease)

        answer(3)
        answer(3)
        col.sched.set_due_date([cid], "5")
        col.sched.schedule_cards_as_new([cid], restore_position=True, reset_counts=False)
        answer(1)
        cram = col.sched.get_or_create_filtered_deck(deck_id=col.decks.new_filtered("cram"))
        cram.config.reschedule = False
        cram.config.search_terms[0].search = "deck:Default"
        col.sched.add_or_update_filtered_deck(cram)
        answer(3)
        rows = [
            AnkiReview(cid, at, ease, taken, kind, ivl, factor)
            for at, ease, taken, kind, ivl, factor in col.db.all(
                "SELECT id, ease, time, type, ivl, factor FROM revlog ORDER BY id"
            )
        ]
    finally:
        col.close()
    assert len(rows) == 6
    assert memory_start(rows) == (4, True)  # the learning run after the Forget
    history = card_history("c", rows)
    assert [(i.event, i.rating and int(i.rating)) for i in history.items] == [
        ("review", 3),
        ("review", 3),
        (FORGET, None),
        ("review", 1),
    ]
    assert history.cramming == 1


def test_v1_learning_buttons_move_up_to_the_four_button_scale() -> None:
    assert upgrade_v1(row(0, 2, LEARN)).ease == 3
    assert upgrade_v1(row(0, 3, RELEARN)).ease == 4
    assert upgrade_v1(row(0, 1, LEARN)).ease == 1
    assert upgrade_v1(row(0, 2, REVIEW)).ease == 2  # review rows had four buttons


# --- media in packages Anki made ----------------------------------------------------------------


def anki_package(tmp_path: Path, legacy: bool) -> tuple[Path, bytes]:
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    col = anki(tmp_path / f"col-{legacy}" / "collection.anki2")
    try:
        data = b"\x89PNG fake image bytes"
        name = col.media.write_data("cpu.png", data)
        anki_basic_note(col, f'<img src="{name}">', "a CPU", "Media", [])
        out = tmp_path / f"media-{legacy}.apkg"
        options = ExportAnkiPackageOptions(
            with_scheduling=False, with_deck_configs=False, with_media=True, legacy=legacy
        )
        limit = DeckIdLimit(col.decks.id("Media"))  # type: ignore[arg-type]
        col.export_anki_package(out_path=str(out), options=options, limit=limit)
    finally:
        col.close()
    return out, data


@pytest.mark.parametrize(("legacy", "version"), [(False, 3), (True, 2)])
def test_media_of_an_anki_package_are_found_and_read_back_whole(
    tmp_path: Path, legacy: bool, version: int
) -> None:
    package, data = anki_package(tmp_path, legacy)
    with zipfile.ZipFile(package) as archive:
        assert package_version(archive) == version
        found = media_files(archive, package)
    assert list(found) == ["cpu.png"]
    assert found["cpu.png"].compressed is (version == 3)
    assert media_sha1(found["cpu.png"]) == hashlib.sha1(data).hexdigest()
    on_disk = tmp_path / "cpu.png"
    on_disk.write_bytes(data)
    assert same_content(found["cpu.png"], on_disk)
    on_disk.write_bytes(data + b"!")
    assert not same_content(found["cpu.png"], on_disk)


def legacy_zip(tmp_path: Path, media: dict[str, str], members: dict[str, bytes]) -> Path:
    path = tmp_path / "legacy.apkg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki2", b"")
        archive.writestr("media", json.dumps(media))
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_a_legacy_media_list_keeps_only_plain_names_that_are_in_the_zip(tmp_path: Path) -> None:
    path = legacy_zip(
        tmp_path,
        {"0": "ok.png", "1": "../escape.png", "2": "gone.png", "3": "sub/x.png"},
        {"0": b"ok", "1": b"evil", "3": b"x"},
    )
    with zipfile.ZipFile(path) as archive:
        assert package_version(archive) == 1
        assert list(media_files(archive, path)) == ["ok.png"]


def test_a_media_file_that_does_not_match_its_checksum_is_damaged(tmp_path: Path) -> None:
    path = legacy_zip(tmp_path, {"0": "a.png"}, {"0": b"bytes"})
    wrong = MediaFile("a.png", path, "0", compressed=False, sha1="0" * 40)
    with pytest.raises(ImportFailed, match=r"media file a\.png is damaged$"):
        copy_media_file(wrong, io.BytesIO())
    missing = MediaFile("a.png", path, "9", compressed=False)
    with pytest.raises(ImportFailed, match=r"media file a\.png is damaged"):
        media_sha1(missing)


# --- which media files to copy ------------------------------------------------------------------


def incoming_with(path: Path, names: list[str], text: str) -> Incoming:
    deck = IncomingDeck("d", "D", "d", path, entries=[{"q": text, "a": "x", "note": text}])
    media = {n: MediaFile(n, path, str(i), compressed=False) for i, n in enumerate(names)}
    return Incoming([deck], media=media, missing_media={"lost.mp3"})


def test_media_are_copied_once_and_a_clash_is_renamed_after_its_content(tmp_path: Path) -> None:
    package = legacy_zip(tmp_path, {"0": "a.png", "1": "b.png"}, {"0": b"new a", "1": b"same b"})
    folder = tmp_path / "media"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"other a")  # another file of that name
    (folder / "b.png").write_bytes(b"same b")  # this very file, from an earlier import
    incoming = incoming_with(package, ["a.png", "b.png"], "[image: a.png] and [image: b.png]")
    plan = plan_media([incoming], folder)
    renamed = f"a-{hashlib.sha1(b'new a').hexdigest()[:8]}.png"
    assert [(m.name, target.name) for m, target in plan.copies] == [("a.png", renamed)]
    assert plan.present == 1
    assert plan.missing == {"lost.mp3"}
    entry = incoming.decks[0].entries[0]
    assert entry["q"] == entry["note"] == f"[image: {renamed}] and [image: b.png]"
    assert entry["a"] == "x"
    made = copy_media(plan)
    assert made == [folder / renamed]
    assert (folder / renamed).read_bytes() == b"new a"
    assert (folder / "a.png").read_bytes() == b"other a"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["a.png", "b.png", renamed])


def test_two_imports_naming_the_same_new_file_copy_it_once(tmp_path: Path) -> None:
    package = legacy_zip(tmp_path, {"0": "a.png"}, {"0": b"a"})
    first = incoming_with(package, ["a.png"], "[image: a.png]")
    second = incoming_with(package, ["a.png"], "[image: a.png]")
    plan = plan_media([first, second], tmp_path / "media")
    assert len(plan.copies) == 1 and plan.present == 0


def test_a_copy_that_fails_takes_back_the_files_already_copied(tmp_path: Path) -> None:
    package = legacy_zip(tmp_path, {"0": "a.png", "1": "b.png"}, {"0": b"a"})  # no member 1
    incoming = incoming_with(package, ["a.png", "b.png"], "[image: a.png] [image: b.png]")
    folder = tmp_path / "media"
    plan = plan_media([incoming], folder)
    assert [target.name for _, target in plan.copies] == ["a.png", "b.png"]
    with pytest.raises(ImportFailed, match=r"media file b\.png is damaged"):
        copy_media(plan)
    assert list(folder.iterdir()) == []  # neither the copy nor a partial file left


# --- what an import says ------------------------------------------------------------------------


def test_the_report_says_what_happened_with_plurals() -> None:
    changes = [
        DeckChange("new-deck", Path("/d/new.yaml"), "text", None, added=1),
        DeckChange("ec2", Path("/d/ec2.yaml"), "text", "old", added=3, present=2),
        DeckChange("s3", Path("/d/s3.yaml"), None, "old", present=1),
    ]
    plan = ImportPlan([], changes, {}, set(), [])
    plan.media.missing = {"x.png", "y.png", "z.png", "w.png"}
    plan.left_out = LeftOut(orphan_cards=1, orphan_reviews=2, future_reviews=1, cramming=3)
    report = ImportReport(plan, reviews=5, reviewed_cards=1, older=1, suspended=2, forgets=1)
    assert describe(report) == [
        "added 1 card in a new deck 'new-deck' (/d/new.yaml)",
        "added 3 cards to deck 'ec2' (/d/ec2.yaml); 2 were already there",
        "deck 's3': 1 card, all already there",
        "imported 5 reviews of 1 card into the review log: their schedules carry over",
        "1 review already in the review log",
        "logged 1 reset (forget) where Anki started a card's memory anew",
        "suspended 2 cards, as in Anki",
        "4 media files named by cards but not in the imported files (w.png, x.png, y.png …):"
        " the cards show the name only",
        "left out 1 cloze card whose deletion is no longer in its note (Anki shows it empty),"
        " with 2 reviews",
        "left out 1 review dated after now (a clock that was wrong when they were made)",
        "left out 3 answers in filtered decks that do not reschedule (cramming): Anki's memory"
        " of a card does not count them either",
    ]


# --- YAML in and out ----------------------------------------------------------------------------

EVERY_KIND = """\
deck: ec2
title: EC2
topic: ec2
source: "EC2 notes"
cards:
  # a comment that an import keeps
  - id: nitro
    q: What is **Nitro**?
    a: AWS's hypervisor
    accept: [Nitro hypervisor]
    note: Since 2017.
    tags: [exam]
  - id: layers
    kind: cloze
    text: "{{c1::Nitro}} cards offload {{c2::networking}}"
    accept: {c2: [network I/O]}
    topics: [networking]
  - id: slowest
    kind: choice
    q: Which virtualization was the slowest?
    options: [Emulated, Para, Hardware-assisted]
    answer: Emulated
    source: "https://docs.aws.amazon.com/"
  - id: both
    kind: choice
    q: Which run on the Nitro card?
    options: [EBS, VPC, the guest kernel]
    answer: [EBS, VPC]
  - id: history
    kind: order
    q: Put the techniques in order.
    items: [Emulation, Para-virtualization, Hardware assistance]
"""


def comparable(cards: list[Card]) -> list[tuple[Any, ...]]:
    return [
        (
            c.key,
            c.kind,
            c.question,
            c.answer,
            c.accept,
            c.cloze_text,
            c.cloze_number,
            c.options,
            c.correct,
            c.items,
            c.topics,
            c.tags,
            c.source,
            c.note,
            c.group,
        )
        for c in cards
    ]


def test_every_card_kind_goes_out_and_comes_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "ec2.yaml"
    path.write_text(EVERY_KIND, encoding="utf-8")
    deck, problems = load_deck(path)
    assert deck is not None and problems == []
    assert len(deck.cards) == 6  # the cloze has two deletions
    # Part of the deck: rendered card by card, ids kept.
    some = [c for c in deck.cards if c.card_id != "nitro"]
    text = export_text(some, [deck], tmp_path / "part.yaml")
    again, problems = check_text(text, tmp_path / "part.yaml")
    assert problems == []
    assert comparable(list(again.cards)) == comparable(some)
    # The whole deck: its file as written, comments and all.
    assert export_text(list(deck.cards), [deck], tmp_path / "all.yaml") == EVERY_KIND


def test_cloze_siblings_fold_into_one_entry_with_their_accepted_answers(tmp_path: Path) -> None:
    path = tmp_path / "ec2.yaml"
    path.write_text(EVERY_KIND, encoding="utf-8")
    deck, _ = load_deck(path)
    assert deck is not None
    entries = card_entries(deck.cards, "ec2", "EC2 notes")
    assert entries[1] == {
        "id": "layers",
        "kind": "cloze",
        "text": "{{c1::Nitro}} cards offload {{c2::networking}}",
        "accept": {"c2": ["network I/O"]},
        "topics": ["networking"],
    }
    assert entries[2]["source"] == "https://docs.aws.amazon.com/"  # not the deck's own
    assert "source" not in entries[0]
    assert entries[3]["answer"] == ["EBS", "VPC"]


def test_cards_of_two_decks_with_one_id_are_kept_apart(tmp_path: Path) -> None:
    one = tmp_path / "a.yaml"
    one.write_text(EVERY_KIND, encoding="utf-8")
    two = tmp_path / "b.yaml"
    two.write_text(EVERY_KIND.replace("deck: ec2", "deck: ec2-copy"), encoding="utf-8")
    a, _ = load_deck(one)
    b, _ = load_deck(two)
    assert a is not None and b is not None
    picked = [a.cards[0], b.cards[0]]
    text = export_text(picked, [a, b], tmp_path / "mix.yaml")
    mixed, problems = check_text(text, tmp_path / "mix.yaml")
    assert problems == []
    assert [c.card_id for c in mixed.cards] == ["ec2-nitro", "ec2-copy-nitro"]
    assert mixed.deck_id == "mix"


def test_retargeting_changes_only_the_deck_and_topic_values(tmp_path: Path) -> None:
    text = retarget(EVERY_KIND, tmp_path / "x.yaml", "mine", None)
    assert text == EVERY_KIND.replace("deck: ec2\n", "deck: mine\n", 1)
    text = retarget(EVERY_KIND, tmp_path / "x.yaml", None, "compute")
    assert text == EVERY_KIND.replace("topic: ec2\n", "topic: compute\n", 1)
    assert "# a comment that an import keeps" in text
    with pytest.raises(ImportFailed, match="not a deck"):
        retarget("- a list\n", tmp_path / "x.yaml", "mine", None)


def test_a_yaml_deck_with_problems_is_refused_whole(tmp_path: Path) -> None:
    from ec2cards.errors import DeckError

    path = tmp_path / "bad.yaml"
    path.write_text(EVERY_KIND.replace("    a: AWS's hypervisor\n", ""), encoding="utf-8")
    with pytest.raises(DeckError):
        read_yaml_deck(path)
    path.write_text(EVERY_KIND, encoding="utf-8")
    (deck,) = read_yaml_deck(path).decks
    assert deck.raw_text == EVERY_KIND
    assert [e["id"] for e in deck.entries] == ["nitro", "layers", "slowest", "both", "history"]


# --- an .apkg written and read back --------------------------------------------------------------


def test_an_exported_package_reads_back_as_the_same_cards(tmp_path: Path) -> None:
    path = tmp_path / "ec2.yaml"
    path.write_text(EVERY_KIND, encoding="utf-8")
    deck, _ = load_deck(path)
    assert deck is not None
    package = tmp_path / "out" / "ec2.apkg"
    report = export(deck.cards, [deck], "apkg", package, NOW)
    assert (report.cards, report.notes) == (6, 5)
    incoming = read_package(package, NOW, tmp_path)
    assert incoming.warnings == [] and incoming.media == {}
    entries = {e["id"]: e for d in incoming.decks for e in d.entries}
    # The key field brings every note back to its card id.
    assert set(entries) == {"nitro", "layers", "slowest", "both", "history"}
    assert {d.deck_id for d in incoming.decks} == {"ec2"}
    assert entries["nitro"]["q"] == "What is **Nitro**?"
    assert entries["nitro"]["a"] == "AWS's hypervisor"
    assert entries["nitro"]["accept"] == ["Nitro hypervisor"]
    assert entries["nitro"]["tags"] == ["exam"]
    assert entries["layers"]["text"] == "{{c1::Nitro}} cards offload {{c2::networking}}"
    # Anki itself opens it: one note per card, a cloze note with two cards.
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = anki(tmp_path / "anki" / "collection.anki2")
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        )
        assert col.note_count() == 5
        assert col.card_count() == 6
    finally:
        col.close()


@pytest.mark.parametrize("legacy", [False, True], ids=["current", "legacy"])
def test_a_package_anki_exports_comes_in_with_its_notes_history_and_suspensions(
    tmp_path: Path, legacy: bool
) -> None:
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    col = anki(tmp_path / "anki" / "collection.anki2")
    try:
        col.set_config("fsrs", True)
        deck = col.decks.id("AWS::Compute")
        basic = anki_basic_note(col, "<b>EC2</b> is?", "Elastic Compute Cloud", "AWS::Compute", [])
        both = col.new_note(col.models.by_name("Basic (and reversed card)"))
        both["Front"], both["Back"] = "AMI", "Amazon Machine Image"
        col.add_note(both, deck)
        cloze = col.new_note(col.models.by_name("Cloze"))
        cloze["Text"] = "{{c1::Nitro}} offloads {{c2::networking}}"
        col.add_note(cloze, deck)
        for _ in range(2):
            found = col.get_card(basic.cards()[0].id)
            found.start_timer()
            col.sched.answerCard(found, 3)
        col.sched.suspend_cards([both.cards()[1].id])
        answered_at = [row[0] for row in col.db.all("SELECT id FROM revlog ORDER BY id")]
        package = tmp_path / "compute.apkg"
        options = ExportAnkiPackageOptions(
            with_scheduling=True, with_deck_configs=True, with_media=False, legacy=legacy
        )
        limit = DeckIdLimit(deck)  # type: ignore[arg-type]
        col.export_anki_package(out_path=str(package), options=options, limit=limit)
        guids = basic.guid, both.guid, cloze.guid
    finally:
        col.close()

    later = datetime.fromtimestamp(answered_at[-1] / 1000 + 60, tz=timezone.utc)
    (deck_in,) = read_package(package, later, tmp_path).decks
    assert (deck_in.deck_id, deck_in.title, deck_in.topic) == (
        "aws-compute",
        "AWS › Compute",
        "compute",
    )
    ids = [anki_card_id(guid) for guid in guids]
    assert deck_in.entries == [
        {"id": ids[0], "q": "**EC2** is?", "a": "Elastic Compute Cloud"},
        {"id": ids[1], "q": "AMI", "a": "Amazon Machine Image"},
        {"id": ids[1] + "-2", "q": "Amazon Machine Image", "a": "AMI"},
        {"id": ids[2], "kind": "cloze", "text": "{{c1::Nitro}} offloads {{c2::networking}}"},
    ]
    assert deck_in.suspended == {ids[1] + "-2"}
    assert [(h.card_id, h.rating, h.event) for h in deck_in.history] == [
        (ids[0], Rating.GOOD, "review"),
        (ids[0], Rating.GOOD, "review"),
    ]
    assert [int(h.at.timestamp() * 1000) for h in deck_in.history] == answered_at
    # Answers dated after "now" (a wrong clock) are left out and counted.
    early = datetime.fromtimestamp(answered_at[0] / 1000, tz=timezone.utc)
    assert read_package(package, early, tmp_path).counts.future_reviews == 1


# --- small shared helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("AWS::EC2 Basics", "aws-ec2-basics"),
        ("Élan vital", "elan-vital"),
        ("  --  ", "imported"),
        ("日本語", "imported"),
        ("x" * 59 + " y", "x" * 59),  # cut to 60, never ending in a dash
    ],
)
def test_a_free_form_name_becomes_a_slug(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_an_anki_guid_gives_a_stable_card_id() -> None:
    assert anki_card_id("a1b2c3") == anki_card_id("a1b2c3")
    assert anki_card_id("a1b2c3") != anki_card_id("a1b2c4")
    assert anki_card_id("x").startswith("anki-") and len(anki_card_id("x")) == 15
    assert anki_card_id("x") == "anki-" + hashlib.blake2b(b"x", digest_size=5).hexdigest()


def test_a_key_field_is_split_only_when_both_parts_are_ids() -> None:
    assert split_key(" ec2/nitro ") == ("ec2", "nitro")
    assert split_key("ec2/") is None
    assert split_key("EC2 Basics/nitro") is None
    assert split_key("no key") is None


def test_topic_tags_become_topics_and_the_rest_stay_tags() -> None:
    topics, tags = tags_and_topics(["topic::ec2", "TOPIC::s3", "hard", "topic::", "hard", " "])
    assert topics == ["ec2", "s3"]
    assert tags == ["hard", "topic::"]
