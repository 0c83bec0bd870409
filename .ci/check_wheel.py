"""The wheel as a user gets it: built from this tree, unpacked far from it, it carries the bundled
decks and the deck-format guide, and runs from them (not from the source tree)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="ec2cards-wheel-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(ROOT)],
        check=True,
    )
    wheel = next(work.glob("ec2cards-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    shipped = [n for n in names if n.startswith("ec2cards/bundled/") and n.endswith(".yaml")]
    decks = list((ROOT / "decks").glob("*.yaml"))
    if len(shipped) != len(decks):
        sys.exit(f"the wheel carries {len(shipped)} deck files, the tree {len(decks)}")
    site = work / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "EC2CARDS_HOME": str(work / "home")}

    def run(*args: str) -> str:
        command = [sys.executable, "-m", "ec2cards", *args]
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"ec2cards {' '.join(args)} from the wheel failed: {done.stderr.strip()}")
        return done.stdout

    listed = json.loads(run("decks", "--json"))
    ids = {d["id"] for d in listed}
    if not {"virtualization", "ec2-architecture"} <= ids:
        sys.exit(f"the wheel's decks are not the bundled ones: {sorted(ids)}")
    outside = [d["path"] for d in listed if str(site) not in d["path"]]
    if outside:
        sys.exit(f"decks read from outside the wheel: {outside}")
    guide = (ROOT / "docs" / "deck-format.md").read_text(encoding="utf-8")
    if run("deck", "format") != guide:
        sys.exit("`ec2cards deck format` from the wheel is not docs/deck-format.md")
    print(f"ok: {wheel.name} carries {len(shipped)} decks and the guide")


if __name__ == "__main__":
    main()
