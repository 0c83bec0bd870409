"""The login: the session key a sync server gave, kept in the data folder (mode 0600), never the
password. On a self-hosted server the key is a hash of the user and password, as good as the
password to whoever reads it, hence the file mode."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ec2cards.errors import UsageError
from ec2cards.files import atomic_write
from ec2cards.sync.library import SyncFailed, anki_failures, load_anki, where

SYNC_DIR = "sync"
LOGIN_FILE = "login.json"
SHADOW_FILE = "collection.anki2"


def sync_dir(home: Path) -> Path:
    return home / SYNC_DIR


def shadow_path(home: Path) -> Path:
    """The shadow collection: a copy of the user's whole Anki collection, the sync vehicle."""
    return sync_dir(home) / SHADOW_FILE


@dataclass(frozen=True)
class Login:
    user: str  # for people only: the server needs only the key
    key: str
    endpoint: str | None  # None: AnkiWeb

    @property
    def server(self) -> str:
        return where(self.endpoint)


def login_path(home: Path) -> Path:
    return sync_dir(home) / LOGIN_FILE


def read_login(home: Path) -> Login | None:
    path = login_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Login(str(data["user"]), str(data["key"]), data.get("endpoint") or None)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SyncFailed(
            f"{path}: cannot read the login ({error}); log in again: ec2cards sync login --user"
            " NAME"
        ) from None


def write_login(home: Path, login: Login) -> Path:
    """Written to a new file of mode 0600 (the key is a secret) and renamed into place."""
    path = login_path(home)
    data = {"user": login.user, "key": login.key, "endpoint": login.endpoint}
    atomic_write(path, json.dumps(data, indent=2), mode=0o600)
    return path


def check_endpoint(endpoint: str | None) -> str | None:
    if endpoint is None or not endpoint.strip():
        return None
    text = endpoint.strip()
    if not text.startswith(("http://", "https://")):
        raise UsageError(
            f"--endpoint {text!r} is not a server address; write it as http://HOST:PORT/"
        )
    return text if text.endswith("/") else text + "/"


def log_in(home: Path, user: str, password: str, endpoint: str | None) -> Login:
    """Ask the server for a session key; only the key is kept. A scratch collection does the
    asking, so that a sync in progress (which holds the shadow) is never disturbed."""
    import tempfile

    collection = load_anki()
    scratch = tempfile.mkdtemp(prefix="ec2cards-login-")
    try:
        col = collection.Collection(os.path.join(scratch, SHADOW_FILE))
        try:
            with anki_failures(endpoint, user, shadow_path(home), "log in again"):
                auth = col.sync_login(user, password, endpoint)
        finally:
            col.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    given = auth.endpoint if auth.HasField("endpoint") and auth.endpoint else endpoint
    return Login(user, auth.hkey, given)


def forget_shadow(home: Path) -> None:
    """Remove the shadow collection (and its media folder, which sync never fills): a copy
    another account's sync would take for its own."""
    folder = sync_dir(home)
    for name in (SHADOW_FILE, SHADOW_FILE + "-wal", SHADOW_FILE + "-shm"):
        (folder / name).unlink(missing_ok=True)
    stem = SHADOW_FILE.rsplit(".", 1)[0]
    shutil.rmtree(folder / f"{stem}.media", ignore_errors=True)
    (folder / f"{stem}.media.db2").unlink(missing_ok=True)


def log_out(home: Path) -> Login | None:
    """Forget the login and the shadow; the review log keeps every review."""
    login = read_login(home)
    login_path(home).unlink(missing_ok=True)
    forget_shadow(home)
    return login
