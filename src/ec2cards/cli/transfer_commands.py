"""Moving cards in and out: `import` (YAML, Anki packages, Anki notes) and `export`."""

from pathlib import Path
from typing import Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import DeckOption, TopicOption
from ec2cards.cli.registry import command


@command("import", short_help="Import YAML decks, Anki packages and notes")
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or folders: YAML decks, Anki packages (.apkg, .colpkg), Anki 'Notes in"
            " Plain Text' exports (.txt, .csv, .tsv)."
        ),
    ],
    deck: Annotated[
        str | None,
        typer.Option("--deck", "-d", help="Put every card in this deck of yours (an id)."),
    ] = None,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="The topic of the imported cards.")
    ] = None,
) -> None:
    """Import decks: YAML, Anki packages with their review history, Anki plain-text notes.
    Importing the same file again adds only what is new; bad input writes nothing."""
    from ec2cards.config.file import load_settings
    from ec2cards.interop.import_apply import apply_import
    from ec2cards.interop.import_report import describe
    from ec2cards.interop.importer import plan_import
    from ec2cards.scheduling.scheduler import Scheduler
    from ec2cards.terminal.safe_text import safe

    home = context.home()
    now = context.now()
    plan = plan_import(paths, home, now, deck, topic)

    for warning in plan.warnings:
        typer.echo(f"warning: {safe(warning)}", err=True)
    with context.store_in(home, now) as store:
        report = apply_import(plan, store, Scheduler(load_settings(home)), now)
    for line in describe(report):
        typer.echo(safe(line))


@command("export", short_help="Export cards for Anki (.apkg, CSV) or as YAML")
def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    deck: DeckOption = None,
    topic: TopicOption = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="apkg, csv or yaml (default: from the file name)."),
    ] = None,
    history: Annotated[
        bool,
        typer.Option(
            "--history/--no-history",
            help="An .apkg carries every card's review history and state (default), or none.",
        ),
    ] = True,
) -> None:
    """Export cards for Anki (.apkg: decks EC2::<topic>, with each card's review history and
    state unless --no-history; or Anki's plain-text CSV) or as YAML."""
    from ec2cards.config.paths import user_decks_dir
    from ec2cards.interop.exporter import choose_format, export

    home = context.home()
    now = context.now()
    selection = context.select(home, deck, topic)
    chosen = choose_format(fmt, output)
    decks = selection.collection.decks
    carried = None
    if chosen == "apkg" and history:
        from ec2cards.interop.anki_scheduling import gather

        with context.existing_store(home, now) as store:
            if store is not None:
                keys = [card.key for card in selection.cards]
                carried = gather(store, keys, context.settings(home), now)
    folder = Path(output).absolute().parent
    created = next((p for p in reversed([folder, *folder.parents]) if not p.exists()), None)
    report = export(selection.cards, decks, chosen, output, now, user_decks_dir(home), carried)
    where = ", ".join(report.decks[:5]) + (" …" if len(report.decks) > 5 else "")
    typer.echo(
        f"exported {report.cards} cards of {selection.describe()} as {report.notes}"
        f" {'notes' if chosen != 'yaml' else 'cards'} to {report.path} ({chosen}: {where})"
        + (", with their review history" if carried is not None else "")
    )
    if created is not None:  # said, so that a mistyped folder does not go unnoticed
        typer.echo(f"created the folder {created} for it")
