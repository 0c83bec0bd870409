"""Writing decks of your own: `deck new` and `add`."""

from typing import TYPE_CHECKING, Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import ListOption
from ec2cards.cli.registry import command

if TYPE_CHECKING:
    from ec2cards.decks.adding import Draft, PlannedAdd


@command("new", group="deck", short_help="Create a deck of your own from a template")
def deck_new_command(
    name: Annotated[str, typer.Argument(help="The deck id, a slug such as aws-iam.")],
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="The cards' topic (default: NAME).")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="A human title (default: made from NAME).")
    ] = None,
) -> None:
    """Create <data dir>/decks/NAME.yaml from a commented template with a card of every kind."""
    from ec2cards.decks.new_deck import new_deck

    deck = new_deck(context.home(), name, topic, title)
    typer.echo(
        f"created {deck.path} with an example card of each kind;"
        " edit or delete them as you add your own"
    )
    typer.echo(f"add a card: ec2cards add --deck {name}    study: ec2cards study --deck {name}")


@command("format", group="deck", short_help="Show the deck format: every field of every kind")
def deck_format_command() -> None:
    """Print the guide to the YAML deck format (rendered on a terminal, Markdown in a pipe)."""
    from ec2cards.config.paths import deck_format_guide
    from ec2cards.terminal.output import show_guide

    show_guide(deck_format_guide().read_text(encoding="utf-8"))


class _LinePrompter:
    """Prompts for the interview of `add`, one line each; Enter alone answers ''."""

    def ask(self, label: str) -> str:
        return str(typer.prompt(label, default="", show_default=False))

    def say(self, message: str) -> None:
        typer.echo(message)


ExplainOption = Annotated[
    ListOption,
    typer.Option("--explain", help="A scenario: why each option is right or wrong, in order."),
]
TestsOption = Annotated[
    ListOption, typer.Option("--tests", help="A scenario: the key of a recall card it needs.")
]


@command("add", short_help="Add a card to a deck of yours")
def add_command(
    deck: Annotated[
        str | None,
        typer.Option("--deck", "-d", help="Your deck's id or file (default: your only deck)."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", "-k", help="basic, cloze, choice, order or scenario (default: from options)."
        ),
    ] = None,
    question: Annotated[str | None, typer.Option("--q", help="The question.")] = None,
    answer_text: Annotated[str | None, typer.Option("--a", help="The answer (basic).")] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Cloze text with {{c1::hidden words}}.")
    ] = None,
    accept: Annotated[
        ListOption, typer.Option("--accept", help="Another answer accepted when typed.")
    ] = None,
    option: Annotated[ListOption, typer.Option("--option", help="A choice option.")] = None,
    right: Annotated[
        ListOption, typer.Option("--answer", help="The right option: its text or number.")
    ] = None,
    item: Annotated[ListOption, typer.Option("--item", help="An order item, in order.")] = None,
    explain: ExplainOption = None,
    tests: TestsOption = None,
    topic: Annotated[
        ListOption, typer.Option("--topic", "-t", help="A topic besides the deck's.")
    ] = None,
    tag: Annotated[ListOption, typer.Option("--tag", help="A free-form tag.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where the fact is from.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Shown after the answer.")] = None,
    card_id: Annotated[str | None, typer.Option("--id", help="A stable id (a slug).")] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Add without asking to confirm.")
    ] = False,
) -> None:
    """Add a card to a deck of yours. Asks for each field unless the options give them all
    (ec2cards add --deck mine --q "Question?" --a "Answer"); the rest of the file is untouched."""
    from ec2cards.decks.adding import Draft, commit_add, draft_kind
    from ec2cards.model.cards import CardKind
    from ec2cards.model.wording import plural

    card_kind = draft_kind(kind, text or "", option or [], item or [])
    if card_kind is CardKind.BASIC and right and not answer_text and len(right) == 1:
        answer_text, right = right[0], None  # --answer for a basic card means --a
    draft = Draft(
        kind=card_kind,
        q=question or "",
        a=answer_text or "",
        text=text or "",
        accept=accept or [],
        options=option or [],
        answer=right or [],
        items=item or [],
        topics=topic or [],
        tags=tag or [],
        source=source or "",
        note=note or "",
        card_id=card_id or "",
        explain=explain or [],
        tests=tests or [],
    )
    plan = _planned(draft, deck, yes)
    if plan is None:
        typer.echo("nothing added")
        return
    target = plan.deck
    commit_add(plan)
    ids = ", ".join(card.card_id for card in plan.cards)
    line = plan.cards[0].line if plan.cards else 0
    count = len(plan.cards)
    typer.echo(
        f"added {plural(count, 'card')} ({ids}) to deck '{target.deck_id}' at {target.path}:{line}"
    )


def _planned(draft: "Draft", deck: str | None, yes: bool) -> "PlannedAdd | None":
    """The checked addition: from the options alone, or asked field by field (then shown and
    confirmed unless `yes`); None when the user says no."""
    from ec2cards.decks.adding import choose_deck, clean_draft, plan_add
    from ec2cards.decks.interview import interview
    from ec2cards.errors import Cancelled, UsageError

    interactive = bool(draft.missing())
    try:
        target = choose_deck(context.home(), deck, _LinePrompter() if interactive else None)
        if interactive:
            typer.echo(f"New {draft.kind.value} card for deck '{target.deck_id}' ({target.path})")
            draft = interview(target, draft, _LinePrompter())
        plan = plan_add(target, clean_draft(target, draft))
        if interactive:
            from ec2cards.terminal.card_preview import card_preview

            card_preview(plan.cards)
            if not yes and not typer.confirm(f"Add it to {target.path}?", default=True):
                return None
    except typer.Abort as stopped:
        if isinstance(stopped.__context__, KeyboardInterrupt):  # Ctrl-C at a prompt
            typer.echo("", err=True)  # off the line the terminal echoed ^C on
            raise Cancelled("cancelled; nothing added") from None
        raise UsageError("input ended before the card was complete; nothing added") from None
    return plan
