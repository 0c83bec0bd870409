"""`sync`: two-way sync with Anki (AnkiWeb or a self-hosted server); `sync login`, `sync status`
and `sync logout`. Anki's library is an optional extra, imported only when a sync needs it."""

import sys
from typing import Annotated

import typer

from ec2cards.cli import context
from ec2cards.cli.options import JsonOption
from ec2cards.cli.registry import command
from ec2cards.errors import Ec2CardsError, UsageError

NOT_LOGGED_IN = (
    "not logged in: ec2cards sync login --user NAME (--endpoint URL for your own server)"
)


@command("sync", short_help="Sync with Anki: AnkiWeb or your own sync server")
def sync_command(ctx: typer.Context) -> None:
    """Two-way sync with Anki through AnkiWeb or your own sync server: your cards and reviews
    go up, reviews made in Anki (AnkiDroid, AnkiMobile, the desktop app) come down. Log in
    first: ec2cards sync login --user NAME."""
    if ctx.invoked_subcommand is not None:
        return
    from ec2cards.config.file import load_settings
    from ec2cards.sync.engine import run_sync
    from ec2cards.sync.library import load_anki
    from ec2cards.sync.login import read_login
    from ec2cards.terminal.sync_lines import sync_summary

    load_anki()
    home = context.home()
    login = read_login(home)
    if login is None:
        raise UsageError(NOT_LOGGED_IN)
    now = context.now()
    selection = context.select(home, None)
    with context.store_in(home, now) as store:
        report = run_sync(home, store, selection.collection, load_settings(home), now, login)
    from ec2cards.sync.status import SyncSummary

    for line in sync_summary(SyncSummary.from_json(report.to_json())):
        typer.echo(line)


def _password(user: str) -> str:
    """Asked for without echo at a terminal; otherwise one line of standard input."""
    if context.interactive_input():
        import getpass

        password = getpass.getpass(f"Password for {user}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError("no password given: type it when asked, or pipe it in as one line")
    return password


@command("login", group="sync", short_help="Log in to AnkiWeb or your own sync server")
def sync_login_command(
    user: Annotated[
        str,
        typer.Option("--user", "-u", help="Your AnkiWeb e-mail, or your own server's user."),
    ],
    endpoint: Annotated[
        str | None,
        typer.Option(
            "--endpoint",
            help="Your own sync server, e.g. http://192.168.1.5:8080/ (AnkiWeb if unset).",
        ),
    ] = None,
) -> None:
    """Log in once. The password is asked for (or read as one line from standard input when
    that is not a terminal) and never kept: only the session key the server gives is, in a file
    only you can read. Logging in to another account starts its Anki copy afresh."""
    from ec2cards.sync.library import load_anki
    from ec2cards.sync.login import check_endpoint, forget_shadow, log_in, read_login, write_login

    load_anki()
    address = check_endpoint(endpoint)
    home = context.home()
    password = _password(user)
    login = log_in(home, user, password, address)
    try:
        before = read_login(home)
    except Ec2CardsError:  # an unreadable login file: replaced below
        before = None
    if before is None or (before.user, before.endpoint) != (login.user, login.endpoint):
        forget_shadow(home)
        with context.store_in(home, context.now(), daily_backup=False) as store:
            store.sync.set_marks({}, clear=True)
    path = write_login(home, login)
    typer.echo(
        f"logged in to {login.server} as {user}; the session key is in {path}, readable only"
        " by you (never the password)"
    )
    typer.echo("sync now and after studying: ec2cards sync")


@command("status", group="sync", short_help="Show the login, the last sync and what waits")
def sync_status_command(as_json: JsonOption = False) -> None:
    """The account you are logged in to, what the last sync did and how many reviews wait to
    go up. Asks no server."""
    from ec2cards.sync.library import INSTALL
    from ec2cards.sync.status import sync_status
    from ec2cards.terminal.sync_lines import sync_summary

    home = context.home()
    with context.store_in(home, context.now(), daily_backup=False) as store:
        status = sync_status(home, store)
    if as_json:
        typer.echo(context.as_json(status.to_json()))
        return
    login, last = status.login, status.last
    if login is None:
        typer.echo(NOT_LOGGED_IN)
    else:
        typer.echo(f"logged in to {login.server} as {login.user}")
    if last is None:
        typer.echo("never synced")
    else:
        typer.echo(f"last sync: {last.at[:16].replace('T', ' ')} UTC")
        for line in sync_summary(last):
            typer.echo("  " + line)
    typer.echo(f"reviews waiting to go up: {status.reviews_waiting}")
    if not status.anki_library:
        typer.echo(f"sync needs Anki's library: {INSTALL}")


@command("logout", group="sync", short_help="Forget the login and the Anki copy")
def sync_logout_command() -> None:
    """Forget the session key and remove the Anki copy in the data folder. Every review stays
    in ec2cards' log, and Anki keeps what was synced."""
    from ec2cards.sync.login import log_out, sync_dir

    home = context.home()
    login = log_out(home)
    with context.store_in(home, context.now(), daily_backup=False) as store:
        store.sync.set_marks({}, clear=True)
    if login is None:
        typer.echo("not logged in; nothing to forget")
        return
    typer.echo(
        f"logged out of {login.server}: the session key and the Anki copy in {sync_dir(home)}"
        " are gone; every review stays in ec2cards' log"
    )
