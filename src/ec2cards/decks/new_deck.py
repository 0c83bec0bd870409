"""`ec2cards deck new`: a deck of the user's own from a commented template with a card of
every kind; nothing is ever overwritten."""

from __future__ import annotations

from pathlib import Path

from ec2cards.config.paths import user_decks_dir
from ec2cards.decks.entries import check_text, yaml_scalar
from ec2cards.decks.fields import slug_error
from ec2cards.decks.sources import default_sources, load_sources
from ec2cards.errors import DeckError, UsageError
from ec2cards.files import atomic_write
from ec2cards.model.decks import Deck

TEMPLATE = """\
# {title}: a deck of your own for ec2cards ({file_name}).
#
#   study it:     ec2cards study --deck {deck_id}
#   add a card:   ec2cards add --deck {deck_id}              (asks for each field)
#                 ec2cards add --deck {deck_id} --q "Question?" --a "Answer"
#   check it:     ec2cards check {path}
#
# The five example cards below show every kind of card. Edit them or delete them once you have
# cards of your own (a deck needs at least one card). The whole format: `ec2cards deck format`.
deck: {deck_id}{deck_pad}# the deck id: a slug, unique across all your decks
title: {title_yaml}{title_pad}# shown by `ec2cards decks`
topic: {topic}{topic_pad}# the topic of every card (a slug); cards may add more
# description: One or two sentences about the deck.
# source: "Where the facts come from"    # the source of every card that gives none
cards:
  # basic: a question and its answer.
  - id: example-basic            # optional: a stable id (slug) keeps history when you edit the text
    q: Which command adds a card to a deck of your own?
    a: ec2cards add
    accept: [add, ec2cards add --deck]   # optional: other answers that count when typed in a quiz
    note: It asks for each field, shows the card, then appends it to the deck file.   # optional
    source: ec2cards README      # optional: where the fact comes from
    # topics: [another-topic]    # optional: topics in addition to the deck's topic
    # tags: [cli]                # optional: free-form tags

  # cloze: every {{{{cN::words}}}} (or {{{{cN::words::hint}}}}) becomes a card of its own.
  - id: example-cloze
    kind: cloze
    text: "Decks are {{{{c1::YAML}}}} files; answers go to the {{{{c2::review log::where?}}}}."

  # choice: the options, and the right one (or a list of the right ones).
  - id: example-choice
    kind: choice
    q: Which kind of card asks you to put items in sequence?
    options: [basic, cloze, choice, order]
    answer: order

  # order: the items in the right order; they are shown shuffled.
  - id: example-order
    kind: order
    q: Put the steps of making a deck in order.
    items: [ec2cards deck new NAME, ec2cards add --deck NAME, ec2cards study --deck NAME]

  # scenario: an exam's question: 4 to 6 options, `answer` (or `answers` for several), why
  # each option is right or wrong, and the keys of the cards whose facts it needs.
  - id: example-scenario
    kind: scenario
    q: >-
      You studied a card yesterday and want to see how it went, with every review and its memory
      now. Which command shows it with the LEAST effort?
    options:
      - ec2cards card KEY
      - ec2cards stats
      - ec2cards export and open the package in Anki
      - ec2cards cards --json
    answer: ec2cards card KEY
    explain:
      ec2cards card KEY: "Right: one card's page: its state, memory, recall now and every review."
      ec2cards stats: "Wrong: counts for all cards, not one card's reviews."
      ec2cards export and open the package in Anki: "Wrong: it works, with far more effort."
      ec2cards cards --json: "Wrong: one line per card, without its reviews."
    tests: [{deck_id}/example-basic]
"""


def _pad(value: str, width: int = 26) -> str:
    return " " * max(width - len(value), 2)


def template_text(deck_id: str, title: str, topic: str, path: Path) -> str:
    title_yaml = yaml_scalar(title)
    return TEMPLATE.format(
        deck_id=deck_id,
        title=title.replace("\n", " "),
        title_yaml=title_yaml,
        topic=topic,
        file_name=path.name,
        path=path,
        deck_pad=_pad("deck: " + deck_id),
        title_pad=_pad("title: " + title_yaml),
        topic_pad=_pad("topic: " + topic),
    )


def known_deck_ids(home: Path) -> dict[str, Deck]:
    """Every deck id in use (bundled and user decks that load), to refuse clashes."""
    decks, _problems = load_sources(default_sources(home))
    return {deck.deck_id: deck for deck in decks}


def new_deck(home: Path, name: str, topic: str | None = None, title: str | None = None) -> Deck:
    """Create `<data dir>/decks/NAME.yaml` from the template; never overwrite anything."""
    problem = slug_error(name, "the deck name")
    if problem:
        raise UsageError(problem)
    topic = topic or name
    problem = slug_error(topic, "the topic")
    if problem:
        raise UsageError(problem)
    title = " ".join((title or name.replace("-", " ").capitalize()).split())
    if not title:
        raise UsageError("the title is empty; give one with --title or leave the option out")
    path = user_decks_dir(home) / f"{name}.yaml"
    if path.exists():
        raise UsageError(
            f"{path} already exists; nothing written (edit that file, or choose another NAME)"
        )
    clash = known_deck_ids(home).get(name)
    if clash is not None:
        where = "a bundled deck" if clash.bundled else str(clash.path)
        raise UsageError(f"deck id '{name}' is already used by {where}; choose another NAME")
    text = template_text(name, title, topic, path)
    deck, problems = check_text(text, path)
    if problems:  # a bug in the template or an odd title: say so rather than write a bad deck
        raise DeckError(problems)
    atomic_write(path, text)
    return deck
