"""The loader and checker: every kind of problem located by path:line:col, safe YAML only."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from conftest import invoke, write_deck
from hypothesis import given, settings
from hypothesis import strategies as st

from ec2cards.decks.format import load_deck
from ec2cards.decks.naming import derived_card_id
from ec2cards.decks.sources import load_sources, sources_for_paths
from ec2cards.model.cards import CardKind

HEAD = "deck: mine\ntitle: Mine\ntopic: topic-a\ncards:\n"

# (cards YAML after HEAD, expected "line:col: message" fragment)
PROBLEMS = [
    (
        "  - q: What?\n    anwser: x\n",
        "6:5: unknown key 'anwser' in a basic card (did you mean 'a'?)",
    ),
    ("  - q: What?\n", "5:5: basic card has no 'a'"),
    ("  - a: That\n", "5:5: basic card has no 'q'"),
    ("  - q: [1, 2]\n    a: x\n", "5:8: 'q' must be text"),
    ("  - kind: cloze\n    text: no deletion\n", "6:11: cloze card has no deletion"),
    ("  - kind: cloze\n    text: 'x {{c1::}} y'\n", "6:11: cloze deletion c1 is empty"),
    ("  - kind: cloze\n    text: 'x {{c1:y}} z'\n", "6:11: cloze card has no deletion"),
    (  # c1 closed with one brace: it would swallow c2's opening, and c2 would vanish
        "  - kind: cloze\n    text: 'Decks are {{c1::YAML} files beside the {{c2::log::where?}}'\n",
        "6:11: cloze deletion c1 is not closed before the next {{ opens; close it with }}",
    ),
    (
        "  - kind: cloze\n    text: 'a {{c0::b}}'\n",
        "6:11: cloze deletion c0: deletions are numbered from c1",
    ),
    (
        "  - kind: cloze\n    text: 'a {{c1::b::}}'\n",
        "6:11: cloze deletion c1 has an empty hint after '::'",
    ),
    (
        "  - kind: cloze\n    text: 'a }} {{c1::b}}'\n",
        "6:11: a '}}' closes no cloze deletion",
    ),
    (
        "  - kind: choice\n    q: Pick\n    options: [Alpha, Beta]\n    answer: Gamma\n",
        "8:13: choice answer 'Gamma' is not one of the options",
    ),
    (
        "  - kind: order\n    q: Sort\n    items: [one]\n",
        "7:12: an order card needs at least two items",
    ),
    (
        "  - id: same\n    q: a\n    a: b\n  - id: same\n    q: c\n    a: d\n",
        "8:5: duplicate card id 'same' (also at line 5)",
    ),
    ("  - q: same\n    a: b\n  - q: Same!\n    a: c\n", "7:5: duplicate card id"),
    (
        "  - id: same\n    kind: cloze\n    text: '{{c1::a}}'\n"
        "  - id: same\n    kind: cloze\n    text: 'b {{c1::c}}'\n",
        "8:5: duplicate card id 'same-c1' (also at line 5)",
    ),
    ("  - kind: flashcard\n    q: a\n    a: b\n", "5:11: unknown card kind 'flashcard'"),
    ("  - q: a\n    a: b\n    accept: {x: 1}\n", "7:13: 'accept' must be a list of texts"),
    ("  - q: a\n    a: b\n    topics: [Bad Topic]\n", "7:14: 'topics' must be a slug"),
    (
        "  - kind: choice\n    q: P\n    options: [A, B]\n    answer: A\n    accept: [y]\n",
        "9:5: 'accept' does not belong",
    ),
    (
        "  - kind: cloze\n    text: '{{c1::x}} {{c2::y}}'\n    accept: [z]\n",
        "7:13: this cloze has several deletions: give each its answers",
    ),
    (
        "  - kind: cloze\n    text: '{{c1::x}}'\n    accept: {c2: [z]}\n",
        "7:13: 'accept' names c2, which the text does not delete",
    ),
    (
        "  - kind: cloze\n    text: '{{c1::x}}'\n    accept: {one: [z]}\n",
        "7:14: 'accept' keys name deletions (c1, c2, ...), not 'one'",
    ),
    ("  - q: a\n    a: b\n    q: c\n", "7:5: duplicate key 'q' in a card"),
    ("  - q: !!python/object:os.system x\n    a: b\n", "5:8: YAML tag '!!python/object:os.system'"),
    ("  - &x {q: a, a: b}\n  - *x\n", "YAML anchors and aliases"),
    ("  - q: 'unclosed\n", "5:8: YAML syntax error: the quoted text opened here is not closed"),
    (
        "  - q: a\n    a: [the sky\n  - q: c\n    a: d\n",
        "6:8: YAML syntax error: the [ list opened here is not closed",
    ),
    ("  - q: a\n   a: b\n", "6:4: YAML syntax error"),
]

# The usual YAML mistakes: each stops the file, and says how to fix it.
SYNTAX_PROBLEMS = [
    (
        "  - q: Why: because\n    a: b\n",
        "5:11: YAML syntax error: mapping values are not allowed in this context; a ': ' inside"
        " a text needs the whole text in quotes",
    ),
    (
        "  - q: a\n\ta: b\n",
        "6:1: YAML syntax error: found a tab character that violates indentation;"
        " indent with spaces",
    ),
    (
        "  - q: `ls`\n    a: b\n",
        "5:8: YAML syntax error: found character that cannot start any token; a text that"
        " starts with '`' needs quotes",
    ),
]


@pytest.mark.parametrize(("cards", "expected"), PROBLEMS + SYNTAX_PROBLEMS)
def test_each_problem_is_located(tmp_path: Path, cards: str, expected: str) -> None:
    path = write_deck(tmp_path, "mine.yaml", HEAD + cards)
    deck, problems = load_deck(path)
    assert deck is None
    lines = [str(p) for p in problems]
    assert any(expected in line for line in lines), lines
    assert all(line.startswith(f"{path}:") for line in lines)


def test_deck_level_problems(tmp_path: Path) -> None:
    path = write_deck(tmp_path, "d.yaml", "deck: Not A Slug\ntitel: x\ntopic: t\ncards: []\n")
    lines = [str(p) for p in load_deck(path)[1]]
    assert f"{path}:1:7: 'deck' must be a slug" in " ".join(lines)
    assert any("unknown key 'titel' in the deck (did you mean 'title'?)" in x for x in lines)
    assert any("the deck has no 'title'" in x for x in lines)
    assert any("the deck has no cards" in x for x in lines)


def test_empty_and_non_mapping_files(tmp_path: Path) -> None:
    empty = write_deck(tmp_path, "e.yaml", "")
    assert "the deck file is empty" in str(load_deck(empty)[1][0])
    listing = write_deck(tmp_path, "l.yaml", "- a\n- b\n")
    assert "must be a mapping" in str(load_deck(listing)[1][0])
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"deck: x\n\xff\xfe")
    assert "not UTF-8" in str(load_deck(binary)[1][0])


def test_duplicate_deck_ids_across_files(tmp_path: Path) -> None:
    body = "title: T\ntopic: t\ncards:\n  - q: a\n    a: b\n"
    write_deck(tmp_path, "a.yaml", "deck: same\n" + body)
    second = write_deck(tmp_path, "b.yaml", "deck: same\n" + body)
    decks, problems = load_sources(sources_for_paths([tmp_path]))
    assert len(decks) == 1
    assert str(problems[0]).startswith(f"{second}:1:1: deck id 'same' is already used by")


def test_every_problem_reported_at_once_by_check(tmp_path: Path) -> None:
    cards = "".join(c for c, _ in PROBLEMS[:9])
    path = write_deck(tmp_path, "many.yaml", HEAD + cards)
    result = invoke(["check", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) >= 9
    assert all(line.startswith(f"{path}:") for line in lines)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    path = write_deck(tmp_path, "bomb.yaml", bomb)
    deck, problems = load_deck(path)
    assert deck is None
    assert "aliases" in str(problems[0])


def test_cloze_yields_one_card_per_number(tmp_path: Path) -> None:
    path = write_deck(
        tmp_path,
        "c.yaml",
        HEAD
        + "  - id: k\n    text: 'The {{c1::kernel}} runs in {{c2::privileged::a mode}} mode'\n",
    )
    deck, problems = load_deck(path)
    assert not problems and deck is not None
    first, second = deck.cards
    assert (first.card_id, second.card_id) == ("k-c1", "k-c2")
    assert first.question == "The [...] runs in privileged mode"
    assert second.question == "The kernel runs in [a mode] mode"
    assert first.answer == "kernel"


def test_kind_inferred_and_defaults(tmp_path: Path) -> None:
    text = HEAD + (
        "  - q: a?\n    a: b\n"
        "  - text: '{{c1::x}} y'\n"
        "  - q: pick\n    options: [A, B]\n    answer: [A, B]\n"
        "  - q: sort\n    items: [A, B]\n"
    )
    deck, problems = load_deck(write_deck(tmp_path, "k.yaml", text))
    assert not problems and deck is not None
    assert [c.kind for c in deck.cards] == [
        CardKind.BASIC,
        CardKind.CLOZE,
        CardKind.CHOICE,
        CardKind.ORDER,
    ]
    assert deck.cards[2].correct == ("A", "B")
    assert all(c.topics == ("topic-a",) for c in deck.cards)


def test_a_derived_id_of_long_text_is_capped_unique_and_stable() -> None:
    long = "x" * 100_000
    one = derived_card_id(CardKind.BASIC, long + "?")
    assert len(one) <= 64 + 9 and one.startswith("x" * 64 + "-")
    assert one == derived_card_id(CardKind.BASIC, long.upper())
    assert one != derived_card_id(CardKind.BASIC, long + "y")  # differs past the cap
    words = derived_card_id(CardKind.BASIC, "a" * 63 + " bb cc dd")
    assert words.startswith("a" * 63 + "-") and "--" not in words  # never ends in a dash
    short = derived_card_id(CardKind.BASIC, "What does the hypervisor do?")
    assert short.startswith("what-does-the-hypervisor-")  # short text keeps its id


def test_derived_id_ignores_case_spacing_and_punctuation() -> None:
    one = derived_card_id(CardKind.BASIC, "What does the  Hypervisor do?")
    assert one == derived_card_id(CardKind.BASIC, "what does the hypervisor do")
    assert one != derived_card_id(CardKind.BASIC, "What does the kernel do?")
    assert one.startswith("what-does-the-hypervisor-")


def test_bundled_decks_have_sources_and_enough_cards() -> None:
    from ec2cards.decks.sources import default_sources

    decks, problems = load_sources(default_sources(Path("/nonexistent")))
    assert not problems
    cards = [c for d in decks for c in d.cards]
    assert len(cards) >= 120
    assert all(c.source for c in cards)
    kinds = {c.kind for c in cards}
    assert kinds == set(CardKind)
    by_topic = {c.topic for c in cards}
    assert {"virtualization", "ec2-architecture"} <= by_topic
    notes_cards = [c for c in cards if c.source.startswith("EC2 notes")]
    assert len(notes_cards) >= 20


# -- property-based: any deck we can describe loads back to the same cards ---------------------

words = st.text(alphabet=string.ascii_letters + string.digits + " .,?'()-", min_size=1, max_size=40)
clean = words.map(str.strip).filter(bool)
slugs = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)


@st.composite
def decks(draw: st.DrawFn) -> dict[str, object]:
    cards: list[dict[str, object]] = []
    ids = draw(st.lists(slugs, min_size=1, max_size=8, unique=True))
    for card_id in ids:
        kind = draw(st.sampled_from(["basic", "cloze", "choice", "order"]))
        if kind == "basic":
            cards.append({"id": card_id, "q": draw(clean), "a": draw(clean)})
        elif kind == "cloze":
            cards.append(
                {"id": card_id, "kind": "cloze", "text": f"{draw(clean)} {{{{c1::{draw(clean)}}}}}"}
            )
        elif kind == "choice":
            options = draw(st.lists(clean, min_size=2, max_size=5, unique_by=lambda s: s.lower()))
            options = [o for o in options if o]
            from ec2cards.model.text import normalise

            if len({normalise(o) for o in options}) != len(options) or len(options) < 2:
                options = ["Alpha", "Beta"]
            cards.append(
                {
                    "id": card_id,
                    "kind": "choice",
                    "q": draw(clean),
                    "options": options,
                    "answer": options[0],
                }
            )
        else:
            items = draw(st.lists(clean, min_size=2, max_size=5, unique=True))
            cards.append({"id": card_id, "kind": "order", "q": draw(clean), "items": items})
    return {"deck": draw(slugs), "title": draw(clean), "topic": draw(slugs), "cards": cards}


@settings(max_examples=60, deadline=None)
@given(decks())
def test_generated_decks_load_back(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object]
) -> None:
    folder = tmp_path_factory.mktemp("gen")
    path = folder / "gen.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    deck, problems = load_deck(path)
    assert not problems, problems
    assert deck is not None
    cards = data["cards"]
    assert isinstance(cards, list)
    assert [c.card_id.removesuffix("-c1") for c in deck.cards] == [c["id"] for c in cards]
    for loaded, original in zip(deck.cards, cards, strict=True):
        assert loaded.kind.value == original.get("kind", "basic")
        if "q" in original:
            assert loaded.question == original["q"]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_loader_never_raises_on_arbitrary_text(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("any") / "any.yaml"
    path.write_text(text, encoding="utf-8")
    deck, problems = load_deck(path)
    assert (deck is None) == bool(problems)


def test_a_view_finds_each_card_by_key_in_its_own_deck(home: Path) -> None:
    """index_of (how a study session finds a drawn card) agrees with the view's order, for
    whole decks and for topic-filtered ones, and refuses keys the view lacks."""
    from ec2cards.decks.selection import select

    for topics in ((), ("storage",), ("networking", "amis")):
        view = select(home, (), topics).cards
        keys = [card.key for card in view]
        assert keys == view.keys
        for index, key in enumerate(keys):
            assert view.index_of(key) == index
        outside = [k for k in select(home).cards.keys if k not in set(keys)][:20]
        for missing in [*outside, "storage/none", "x/y"]:
            with pytest.raises(KeyError):
                view.index_of(missing)


def test_a_deck_that_stops_loading_keeps_its_history_unorphaned(home: Path) -> None:
    good = "deck: mine\ntitle: Mine\ntopic: topic-a\ncards:\n  - id: one\n    q: Q?\n    a: A\n"
    path = write_deck(home / "decks", "mine.yaml", good)
    assert invoke(["study", "--deck", "mine"], input="\n3\nq\n").exit_code == 0
    path.write_text(good.replace("    a: A\n", ""))  # a typo: the deck no longer loads
    result = invoke(["check"])
    assert result.exit_code == 1
    assert f"{path}:5:5: basic card has no 'a'" in result.output
    assert "orphan" not in result.output  # its history waits for the deck, untouched
    path.write_text(good)
    again = invoke(["check"])
    assert again.exit_code == 0 and "orphan" not in again.output


def test_many_changed_decks_parse_in_spawned_workers_as_one_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big first run parses on every core, in workers that are spawned, never forked: a fork
    copies this process's other threads' locks (Anki's runtime after a sync) and can hang."""
    import concurrent.futures

    import ec2cards.decks.sources as sources

    folder = tmp_path / "decks"
    for n in range(4):
        cards = "".join(f"  - q: Question {n}-{i}?\n    a: Answer {i}\n" for i in range(30))
        write_deck(folder, f"d{n}.yaml", f"deck: d{n}\ntitle: D{n}\ntopic: t{n}\ncards:\n{cards}")
    alone, _ = load_sources(sources_for_paths([folder]), None)

    started: list[str] = []
    real_pool = concurrent.futures.ProcessPoolExecutor

    def recording_pool(*args: object, **kwargs: object) -> object:
        context = kwargs["mp_context"]
        started.append(context.get_start_method())  # type: ignore[attr-defined]
        return real_pool(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", recording_pool)
    monkeypatch.setattr(sources, "PARALLEL_PARSE_BYTES", 0)
    monkeypatch.setattr(sources.os, "cpu_count", lambda: 2)
    cache = tmp_path / "cache"
    together, problems = load_sources(sources_for_paths([folder]), cache)
    assert started == ["spawn"]
    assert problems == []
    assert len(list(cache.iterdir())) >= 4  # the workers wrote the cache
    assert [(d.deck_id, [c.question for c in d.cards]) for d in together] == [
        (d.deck_id, [c.question for c in d.cards]) for d in alone
    ]


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path: Path) -> None:
    """`cp -p`, `rsync -t` and `tar` keep a file's size and mtime: the deck cache must still see
    the new text (the change time moves whatever the tool does)."""
    import os

    deck = "deck: d\ntitle: D\ntopic: t\ncards:\n  - id: c\n    q: Which?\n    a: {}\n"
    path = write_deck(tmp_path / "decks", "d.yaml", deck.format("Alpha"))
    cache = tmp_path / "cache"
    (first,), _ = load_sources(sources_for_paths([path]), cache)
    assert first.cards[0].answer == "Alpha"
    before = path.stat()
    path.write_text(deck.format("Gamma"), encoding="utf-8")  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    (second,), _ = load_sources(sources_for_paths([path]), cache)
    assert second.cards[0].answer == "Gamma"


# -- scenario cards ---------------------------------------------------------------------------

SCENARIO = """\
  - id: shared-volume
    kind: scenario
    q: Three instances must write to one block volume at once. Which option needs the LEAST effort?
    options:
      - An io2 volume with Multi-Attach
      - A gp3 volume per instance, synced
      - Instance store, replicated
      - An S3 bucket
    answer: An io2 volume with Multi-Attach
    explain:
      An io2 volume with Multi-Attach: "Right: io2 attaches to up to 16 Nitro instances in one AZ."
      A gp3 volume per instance, synced: "Wrong: gp3 has no Multi-Attach."
      Instance store, replicated: "Wrong: ephemeral, and replication is work."
      An S3 bucket: "Wrong: object storage, not a block device."
    tests: [mine/recall]
"""
RECALL = "  - id: recall\n    q: Which EBS volume types support Multi-Attach?\n    a: io1 and io2\n"


def test_a_scenario_card_reads_with_its_explanations_and_the_cards_it_tests(
    tmp_path: Path,
) -> None:
    path = write_deck(tmp_path, "d.yaml", HEAD + RECALL + SCENARIO)
    deck, problems = load_deck(path)
    assert problems == [] and deck is not None
    card = deck.cards[1]
    assert card.kind.value == "scenario" and card.kind.chooses
    assert card.correct == ("An io2 volume with Multi-Attach",)
    assert card.explain[1] == "Wrong: gp3 has no Multi-Attach."
    assert card.tests == ("mine/recall",)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("      - An S3 bucket\n", ""), "12:7: a scenario has 4 to 6 options, not 3"),
        (
            ("    answer: An io2 volume with Multi-Attach\n", "    answer: An io3 volume\n"),
            "16:13: 'An io3 volume' is not one of the options",
        ),
        (
            ("    answer: An io2 volume with Multi-Attach\n", ""),
            "a scenario has 'answer' (one right option) or 'answers' (two or more), not neither",
        ),
        (
            (
                "    answer: An io2 volume with Multi-Attach\n",
                "    answers: [An io2 volume with Multi-Attach]\n",
            ),
            "'answers' lists two or more options; write 'answer' for one",
        ),
        (
            ('      An S3 bucket: "Wrong: object storage, not a block device."\n', ""),
            "'explain' says nothing of option 'An S3 bucket'",
        ),
        (
            ("      An S3 bucket:", "      An S3 buckets:"),
            "'explain' names 'An S3 buckets', which is not one of the options",
        ),
        (
            ("    tests: [mine/recall]\n", "    tests: [recall]\n"),
            "'recall' in 'tests' is not a card key",
        ),
    ],
)
def test_a_scenario_card_that_is_wrong_is_located(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    assert change[0] in SCENARIO
    path = write_deck(tmp_path, "d.yaml", HEAD + RECALL + SCENARIO.replace(*change))
    problems = [str(p) for p in load_deck(path)[1]]
    assert any(expected in p for p in problems), problems


def test_check_names_a_scenario_that_tests_no_card(home: Path) -> None:
    path = write_deck(
        home / "decks", "d.yaml", HEAD + RECALL + SCENARIO.replace("mine/recall", "mine/recal")
    )
    said = "scenario 'shared-volume' tests 'mine/recal', which is no card"
    for args in (["check"], ["check", str(path)]):  # every deck, or the file alone
        result = invoke(args)
        assert result.exit_code == 1
        assert f"{path}:8:5: {said} (did you mean 'mine/recall'?)" in result.output
