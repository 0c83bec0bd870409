"""Settings and the database's care: `doctor`, `config`, `rebuild`, `relink`."""

from typing import Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import RescheduleOption
from ec2cards.cli.registry import command


@command("doctor", short_help="Check the database; list or restore backups")
def doctor_command(
    restore: Annotated[
        str | None,
        typer.Option(
            "--restore",
            metavar="BACKUP",
            help="Put this backup (a name from --list, or a path) in place of the database;"
            " the replaced file is kept beside it. Close other ec2cards sessions first.",
        ),
    ] = None,
    list_backups: Annotated[bool, typer.Option("--list", help="List the backups.")] = False,
) -> None:
    """Check the database (integrity, schema, card states against the log) and repair the
    card states; list backups, or restore one. Never overwrites a database file."""
    from ec2cards.errors import StoreError, UsageError
    from ec2cards.maintenance.doctor import examine, listing
    from ec2cards.maintenance.doctor import restore as restore_backup
    from ec2cards.terminal.safe_text import safe

    home = context.home()
    if restore is not None and list_backups:
        raise UsageError("give either --list or --restore BACKUP, not both")
    if list_backups:
        lines = listing(home)
    elif restore is not None:
        # Backups and set-aside copies follow the real clock; log events the command's time.
        lines = restore_backup(
            home, restore, context.now(), context.scheduler(home), context.wall()
        )
    else:
        report = examine(home, context.now(), context.scheduler(home), context.wall())
        for line in report.lines:
            typer.echo(safe(line))
        if not report.healthy:
            raise StoreError(report.advice)
        typer.echo("ok: nothing lost")
        return
    for line in lines:
        typer.echo(safe(line))


@command("config", short_help="Show the settings, or change one")
def config_command(
    key: Annotated[str | None, typer.Argument(help="Setting to show or change.")] = None,
    value: Annotated[str | None, typer.Argument(help="New value.")] = None,
    reschedule: RescheduleOption = None,
) -> None:
    """Show the settings, or change one: ec2cards config new_per_day 30."""
    from ec2cards.config.file import config_path, load_settings, toml_value
    from ec2cards.config.settings import HELP, known_key

    home = context.home()
    if key is not None and value is not None:
        from ec2cards.scheduling.settings_change import change_setting

        now = context.now()
        change = change_setting(
            home,
            key,
            value,
            lambda: context.existing_store(home, now),
            now,
            reschedule,
            context.asker(context.interactive()),
        )
        shown = toml_value(getattr(change.settings, change.name))
        typer.echo(f"{change.name} = {shown} (saved in {config_path(home)})")
        line = context.recomputed_line(change)
        if line:
            typer.echo(line)
        return
    settings = load_settings(home)
    names = [known_key(key)] if key is not None else list(settings._fields)
    for name in names:
        typer.echo(f"{name} = {toml_value(getattr(settings, name))}    # {HELP[name]}")
    if key is None:
        typer.echo(f"# file: {config_path(home)}")


@command("rebuild", short_help="Compute every card's state anew from the log")
def rebuild_command() -> None:
    """Rebuild every card's schedule from the review log (the log is the source of truth)."""
    from ec2cards.scheduling.replay import rebuild
    from ec2cards.storage.backups import refuse_damaged

    home = context.home()
    with context.store_in(home, context.now(), daily_backup=False) as store:
        refuse_damaged(store.db)  # a rebuild writes every card: never into a damaged file
        count = rebuild(store, context.scheduler(home))
    typer.echo(f"rebuilt the state of {count} cards from the review log")


@command("relink", short_help="Move a history in no deck to the card it belongs to")
def relink_command(
    old: Annotated[str, typer.Argument(help="The key whose history is in no deck.")],
    new: Annotated[str, typer.Argument(help="The card's key now (deck/card-id).")],
) -> None:
    """Move the review history of OLD, a key in no deck (a card reworded without an id gets a
    new key), to the card NEW, and compute its state from that history. `ec2cards check`
    names the histories in no deck and the cards they look like."""
    from ec2cards.maintenance.relinking import relink
    from ec2cards.model.card_lists import card_keys
    from ec2cards.model.wording import plural
    from ec2cards.terminal.timefmt import describe_due

    with context.opened(None, None) as (home, now, selection, store):
        cards = set(card_keys(selection.collection.cards))
        done = relink(store, context.scheduler(home), cards, old, new, now)
    typer.echo(
        f"moved {plural(done.reviews, 'review')} of {old} to {new}"
        f" ({done.state.phase.name.lower()}, due {describe_due(done.state.due, now)})"
    )
