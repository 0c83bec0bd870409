"""One card, finding cards and managing them: `card`, `cards`, `suspend`, `unsuspend`,
`forget`, `bury`, `edit`."""

from typing import Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, JsonOption, KeyArgument, KeysArgument, TopicOption
from ec2cards.cli.registry import command


@command("card", short_help="One card: file and line, state, memory, history")
def card_command(
    key: KeyArgument,
    as_json: JsonOption = False,
) -> None:
    """One card's page: the card as study shows it (question, answer, note and source), its
    file and line, state, memory, recall now and every review."""
    from ec2cards.progress.card_info import card_info, find_card

    with context.opened(None, None, writes=False) as (home, now, selection, store):
        card = find_card(selection.collection.cards, key, store.cards.all_keys())
        found = card.key if card is not None else key
        info = card_info(found, card, store, context.scheduler(home), now)
    if as_json:
        typer.echo(context.as_json(info.to_json()))
        return
    from ec2cards.config.paths import media_dir
    from ec2cards.terminal.card_view import show_card

    show_card(info, now, media_dir(home))


@command("cards", short_help="Find cards by text, topic, deck and state")
def cards_command(
    text: Annotated[
        str | None, typer.Argument(help="Text to find in questions, answers, keys or tags.")
    ] = None,
    topic: TopicOption = None,
    deck: DeckOption = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            help="new, learning, review, relearning, suspended, leech, due or buried.",
        ),
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="added (deck order), due, lapses or difficulty.")
    ] = "added",
    as_json: JsonOption = False,
) -> None:
    """Find cards: by text, topic, deck and state, one line each (--json for everything)."""
    from ec2cards.config.file import load_settings
    from ec2cards.model.card_lists import card_keys
    from ec2cards.progress.card_list import list_cards
    from ec2cards.scheduling.days import next_day_at

    with context.opened(deck, topic, writes=False) as (home, now, selection, store):
        states = store.cards.states(card_keys(selection.cards))
        end_of_day = next_day_at(now, load_settings(home).day_cutoff_hour)
        found = list_cards(selection.cards, states, now, end_of_day, text or "", state, sort)
    if as_json:
        typer.echo(context.as_json([item.to_json() for item in found]))
        return
    from ec2cards.terminal.listing import cards_listing

    typer.echo(cards_listing(found, now, context.terminal_width()))


def _change(keys: list[str] | None, event: str, done_word: str, left_word: str) -> None:
    """Apply one change to the cards named, and say what changed."""
    from ec2cards.config.file import load_settings
    from ec2cards.errors import UsageError
    from ec2cards.model.wording import plural
    from ec2cards.progress.card_info import find_card
    from ec2cards.study.manage import change

    if not keys:
        raise UsageError("name the cards: their keys (deck/card-id) or card ids")
    with context.opened(None, None) as (home, now, selection, store):
        known = store.cards.all_keys()
        found = []
        for key in keys:
            card = find_card(selection.collection.cards, key, known)
            found.append(card.key if card is not None else key)
        cutoff = load_settings(home).day_cutoff_hour
        done, unchanged = change(store, dict.fromkeys(found), event, now, cutoff)
    if done:
        typer.echo(f"{done_word} {plural(len(done), 'card')}: {', '.join(done)}")
    if unchanged:
        typer.echo(f"{left_word}: {', '.join(unchanged)}")


@command("suspend", short_help="Set cards aside until unsuspended")
def suspend_command(keys: KeysArgument = None) -> None:
    """Suspend cards: never shown until unsuspended."""
    _change(keys, "suspend", "suspended", "already suspended")


@command("unsuspend", short_help="Bring suspended cards (or leeches) back")
def unsuspend_command(
    keys: KeysArgument = None,
    leeches: Annotated[
        bool, typer.Option("--leeches", help="Every card suspended as a leech.")
    ] = False,
) -> None:
    """Unsuspend cards (or every leech): they come back with their schedule."""
    if leeches:
        from ec2cards.study.manage import leeches as leech_keys

        with context.store_in(context.home(), context.now()) as store:
            found = leech_keys(store)
        if not found:
            typer.echo("no leeches: no card is suspended as a leech")
            return
        keys = [*(keys or []), *found]
    _change(keys, "unsuspend", "unsuspended", "not suspended")


@command("forget", short_help="Make cards new again (their history is kept)")
def forget_command(keys: KeysArgument = None) -> None:
    """Make cards new again; their history stays in the log, with the reset."""
    _change(keys, "forget", "reset", "already new")


@command("bury", short_help="Hide cards until the next study day")
def bury_command(keys: KeysArgument = None) -> None:
    """Hide cards until the next study day begins."""
    _change(keys, "bury", "buried until tomorrow", "already buried")


@command("edit", short_help="Open a card's deck file in your editor")
def edit_command(
    key: KeyArgument,
) -> None:
    """Open the card's deck file at its line in $VISUAL or $EDITOR, then check the file. Given a
    deck id instead, open that deck's file: one that does not load at its first problem."""
    from ec2cards.decks.editing import deck_to_edit, edit_card, edit_file
    from ec2cards.progress.card_info import find_card

    with context.opened(None, None) as (_home, _now, selection, store):
        deck = deck_to_edit(selection.collection, key, card_key="/" in key)
        if deck is None:
            card = find_card(selection.collection.cards, key, store.cards.all_keys())
    if deck is not None:
        lines = edit_file(*deck, key, context.editor())
    else:
        lines = edit_card(card, selection.collection, key, context.editor())
    for line in lines:
        typer.echo(line)
