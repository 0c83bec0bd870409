"""ec2cards sync benchmark: `ec2cards sync` against a local `python -m anki.syncserver`.

Times, as the median of several runs next to the same floor as bench.py (an empty Typer app's
start-up) and the import of Anki's library, which every sync pays:

- the first sync of the bundled decks into a new account (deck cache warm, as after any
  other command), and a sync with nothing to do right after it;
- at 50,000 cards and 500,000 reviews (bench.py's synthetic collection): the first sync once
  (it sends every card, review and state), then a sync with nothing to do.

    python bench/bench_sync.py            # the full run (about ten minutes: the 50k first sync)
    python bench/bench_sync.py --quick    # a small run that only proves the script works
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import BIN, EMPTY_APP, NOW, Figure, run_once

PASSWORD = "bench"


def start_server(base: Path, users: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNC_")}
    env.update({f"SYNC_USER{i}": f"u{i}:{PASSWORD}" for i in range(1, users + 1)})
    env.update(SYNC_BASE=str(base), SYNC_HOST="127.0.0.1", SYNC_PORT=str(port))
    server = subprocess.Popen(
        [sys.executable, "-m", "anki.syncserver"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(endpoint + "health", timeout=1):
                return server, endpoint
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the sync server did not start")


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall time (ms) of one run; a failure stops the benchmark with its output."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout}{done.stderr}")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small collection, few runs (CI)")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    decks, per_deck, reviews = (5, 200, 5_000) if args.quick else (50, 1000, 500_000)

    work = Path(tempfile.mkdtemp(prefix="ec2cards-bench-sync-"))
    server, endpoint = start_server(work / "server", runs + 2)
    try:
        exe = str(BIN / "ec2cards")
        base = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("PYTHONDONTWRITEBYTECODE", "RUST_BACKTRACE")
            },
            "EC2CARDS_NOW": NOW,
            "TZ": "UTC",
        }
        (work / "empty_app.py").write_text(EMPTY_APP)
        floor = [sys.executable, str(work / "empty_app.py")]
        anki_import = [sys.executable, "-c", "import anki.collection"]
        for command in (floor, anki_import):
            run_once(command, base)  # bytecode

        def account(name: str, user: int) -> dict[str, str]:
            env = {**base, "EC2CARDS_HOME": str(work / name)}
            subprocess.run([exe, "decks"], env=env, capture_output=True, check=True)
            login = [exe, "sync", "login", "--user", f"u{user}", "--endpoint", endpoint]
            subprocess.run(
                login, env=env, input=PASSWORD, text=True, check=True, capture_output=True
            )
            return env

        floors, imports, firsts, idles = [], [], [], []
        for run in range(runs):
            env = account(f"bundled{run}", run + 1)
            floors.append(run_once(floor, base)[0])
            imports.append(run_once(anki_import, base)[0])
            firsts.append(timed([exe, "sync"], env))
            idles.append(timed([exe, "sync"], env))

        big = work / "big"
        started = time.perf_counter()
        build = [sys.executable, str(Path(__file__).parent / "bench.py"), "--build", str(big)]
        subprocess.run([*build, str(decks), str(per_deck), str(reviews)], check=True)
        built = time.perf_counter() - started
        big_env = account("big", runs + 1)
        big_first = timed([exe, "sync"], big_env)
        big_idle, big_floor = [], []
        for _ in range(runs):
            big_floor.append(run_once(floor, base)[0])
            big_idle.append(timed([exe, "sync"], big_env))

        size, history = f"{decks * per_deck // 1000}k", f"{reviews // 1000}k"
        figures = [
            Figure("floor: empty Typer app", statistics.median(floors + big_floor), 0, 1.0),
            Figure("import anki.collection", statistics.median(imports), 0),
            Figure("first sync, bundled decks", statistics.median(firsts), 0, target="<= 5 s"),
            Figure("no-change sync, bundled decks", statistics.median(idles), 0),
            Figure(f"first sync, {size} cards, {history} reviews", big_first, 0),
            Figure(
                f"no-change sync, {size} cards", statistics.median(big_idle), 0, target="<= 1 s"
            ),
        ]
        for figure in figures[1:]:
            figure.ratio = figure.median_ms / figures[0].median_ms
        print(f"sync benchmark: median of {runs} runs; {size} collection built in {built:.0f} s")
        print(f"{'measure':38} {'median':>10} {'x floor':>8}  target")
        for figure in figures:
            print(
                f"{figure.name:38} {figure.median_ms:8.0f}ms {figure.ratio or 1.0:7.2f}x"
                f"  {figure.target}"
            )
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
