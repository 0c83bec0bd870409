"""ec2cards benchmark: start-up, deck loading, study latency, stats and optimize at scale.

Builds a synthetic collection in a temp folder (N cards in YAML decks and a review log written
through the store's own API), then times each command as the median of several runs, next to a
floor measured in the same run: an empty Typer app's start-up. Figures are ratios to that floor.

    python bench/bench.py            # the full run: 50,000 cards, 500,000 reviews
    python bench/bench.py --quick    # a small run that only proves the script works (CI)
    python bench/bench.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOW = "2026-11-24T10:00:00+00:00"
EMPTY_APP = """
import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    pass


app()
"""


@dataclass
class Figure:
    name: str
    median_ms: float
    max_rss_mb: float
    ratio: float | None = None
    target: str = ""


def run_once(command: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, float]:
    """Wall time (ms) and peak RSS (MB) of one run of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stdin is not None
    process.stdin.write(stdin.encode())
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{error}")
    return elapsed, usage.ru_maxrss / 1024


def measure(
    name: str,
    command: list[str],
    env: dict[str, str],
    runs: int,
    stdin: str = "",
    before: object = None,
) -> Figure:
    times, rss = [], []
    for _ in range(runs):
        if callable(before):
            before()
        elapsed, peak = run_once(command, env, stdin)
        times.append(elapsed)
        rss.append(peak)
    return Figure(name, statistics.median(times), max(rss))


def build_collection(home: Path, decks: int, cards_per_deck: int, reviews: int, seed: int) -> None:
    """YAML decks in the user's deck folder, and `reviews` reviews through Store.append_reviews."""
    sys.path.insert(0, str(ROOT / "src"))
    from ec2cards.config.settings import Settings
    from ec2cards.model.ratings import Rating
    from ec2cards.model.states import NEW_STATE
    from ec2cards.scheduling.scheduler import Scheduler
    from ec2cards.storage.review_log import ReviewEntry
    from ec2cards.storage.store import Store

    rng = random.Random(seed)
    folder = home / "decks"
    folder.mkdir(parents=True)
    keys: list[str] = []
    for d in range(decks):
        lines = [
            f"deck: bench-{d:02d}",
            f"title: Bench deck {d}",
            f"topic: topic-{d % 10}",
            "cards:",
        ]
        for c in range(cards_per_deck):
            kind = c % 10
            if kind < 7:
                lines += [
                    f"  - id: c{c}",
                    f"    q: Question {d}-{c} about EC2?",
                    f"    a: Answer {c}",
                ]
            elif kind < 9:
                lines += [
                    f"  - id: c{c}",
                    "    kind: cloze",
                    f"    text: 'Cloze {d} {{{{c1::w{c}}}}}'",
                ]
            else:
                lines += [
                    f"  - id: c{c}",
                    "    kind: choice",
                    f"    q: Choice {d}-{c}?",
                    "    options: [A, B, C, D]",
                    "    answer: B",
                ]
            keys.append(f"bench-{d:02d}/c{c}" + ("-c1" if 7 <= kind < 9 else ""))
        (folder / f"bench-{d:02d}.yaml").write_text("\n".join(lines) + "\n")

    scheduler = Scheduler(Settings())
    store = Store.open(home)
    start = datetime.fromisoformat(NOW) - timedelta(days=365)
    per_card = max(1, reviews // len(keys))
    batch: list[ReviewEntry] = []
    written = 0
    for key in keys:
        state = NEW_STATE
        moment = start + timedelta(minutes=rng.randrange(60 * 24 * 200))
        for _ in range(per_card):
            if written >= reviews:
                break
            rating = Rating.AGAIN if rng.random() < 0.12 else Rating.GOOD
            after = scheduler.review(state, rating, moment, key)
            batch.append(ReviewEntry(key, rating, moment, 6000, state, after))
            state = after
            written += 1
            moment = max(moment + timedelta(minutes=10), state.due or moment)
            if moment > datetime.fromisoformat(NOW):
                break
        if len(batch) >= 20_000:
            store.log.append_reviews(batch)
            batch = []
    store.log.append_reviews(batch)
    store.close()


def answer_latency(home: Path, answers: int) -> tuple[float, float]:
    """Median and p99 (ms) of one answer in a study session: schedule, durable commit, next card."""
    os.environ["EC2CARDS_HOME"] = str(home)
    from ec2cards.config.file import load_settings
    from ec2cards.decks.selection import select
    from ec2cards.model.ratings import Rating
    from ec2cards.storage.store import Store
    from ec2cards.study.session import StudySession

    now = datetime.fromisoformat(NOW)
    selection = select(home)
    store = Store.open(home)
    session = StudySession(selection.cards, store, load_settings(home), now, new_limit=answers)
    timings = []
    card = session.next_card(now)
    rng = random.Random(1)
    for _ in range(answers):
        if card is None:
            break
        started = time.perf_counter()
        session.answer(card, rng.choice(list(Rating)), now)
        card = session.next_card(now)
        timings.append((time.perf_counter() - started) * 1000)
    store.close()
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.99) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small collection, few runs (CI)")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--build", nargs=4, metavar=("HOME", "DECKS", "CARDS", "REVIEWS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.build:
        home, n_decks, n_cards, n_reviews = args.build
        build_collection(Path(home), int(n_decks), int(n_cards), int(n_reviews), seed=7)
        return
    runs = args.runs or (3 if args.quick else 7)
    decks, per_deck, reviews = (5, 200, 5_000) if args.quick else (50, 1000, 500_000)

    work = Path(tempfile.mkdtemp(prefix="ec2cards-bench-"))
    try:
        empty = work / "empty_app.py"
        empty.write_text(EMPTY_APP)
        bundled_home = work / "bundled"
        big_home = work / "big"
        started = time.perf_counter()
        # Built in a child process, so that this one stays small: a command forked from a big
        # parent would report the parent's memory as its own peak RSS.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--build",
                str(big_home),
                str(decks),
                str(per_deck),
                str(reviews),
            ],
            check=True,
        )
        built = time.perf_counter() - started
        # As on a user's machine, modules are compiled once and their bytecode kept (some
        # environments set PYTHONDONTWRITEBYTECODE, which would make every run compile ec2cards'
        # sources again, while the floor's typer comes precompiled from its wheel).
        base_env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "EC2CARDS_NOW": NOW,
            "TZ": "UTC",
            "COLUMNS": "100",
        }
        bundled_env = {**base_env, "EC2CARDS_HOME": str(bundled_home)}
        big_env = {**base_env, "EC2CARDS_HOME": str(big_home)}
        exe = str(BIN / "ec2cards")
        py = sys.executable

        def drop_cache(home: Path) -> object:
            return lambda: shutil.rmtree(home / "cache", ignore_errors=True)

        size = f"{decks * per_deck // 1000}k"
        history = f"{reviews // 1000}k"
        figures: list[Figure] = []
        study_stdin = ""  # end of input right after the first card is shown
        plan = [
            ("floor: empty Typer app", [py, str(empty)], base_env, ""),
            ("--help", [exe, "--help"], bundled_env, "<= 1.3x"),
            ("decks (bundled)", [exe, "decks"], bundled_env, "<= 1.3x"),
            ("due (bundled)", [exe, "due"], bundled_env, "<= 0.6x"),
            ("study first card (bundled)", [exe, "study"], bundled_env, "<= 1.3x"),
            (f"decks ({size}, warm)", [exe, "decks"], big_env, "<= 2x"),
            (f"due ({size}, warm)", [exe, "due"], big_env, "<= 2x"),
            (f"study first card ({size}, warm)", [exe, "study"], big_env, "<= 2x"),
        ]
        # Round robin: each round runs the floor and every command once, and each ratio is taken
        # within its round, so a slow spell of a shared machine weighs on floor and command alike.
        for _name, command, env, _target in plan:
            run_once(command, env, study_stdin)  # warm up: bytecode and the deck cache
        times: list[list[float]] = [[] for _ in plan]
        peaks: list[float] = [0.0 for _ in plan]
        for _round in range(runs):
            for index, (_name, command, env, _target) in enumerate(plan):
                elapsed, peak = run_once(command, env, study_stdin)
                times[index].append(elapsed)
                peaks[index] = max(peaks[index], peak)
        for index, (name, _command, _env, target) in enumerate(plan):
            figure = Figure(name, statistics.median(times[index]), peaks[index], target=target)
            if index:
                figure.ratio = statistics.median(
                    t / f for t, f in zip(times[index], times[0], strict=True)
                )
            figures.append(figure)
        floor = figures[0]
        for name, command in (
            (f"decks ({size}, cold)", [exe, "decks"]),
            (f"due ({size}, cold)", [exe, "due"]),
            (f"study first card ({size}, cold)", [exe, "study"]),
        ):
            figure = measure(name, command, big_env, runs, study_stdin, drop_cache(big_home))
            figure.target = "<= 3 s"
            figures.append(figure)
        stats = measure(f"stats ({history} reviews)", [exe, "stats"], big_env, runs)
        stats.target = "<= 1 s"
        figures.append(stats)
        optimize = measure(
            f"optimize ({history} reviews)", [exe, "optimize", "--json"], big_env, max(1, runs // 3)
        )
        optimize.target = "<= 10 s"
        figures.append(optimize)
        for figure in figures[len(plan) :]:
            figure.ratio = figure.median_ms / floor.median_ms
        latency_home = work / "latency"
        shutil.copytree(big_home, latency_home)
        median, p99 = answer_latency(latency_home, 200 if args.quick else 1000)

        print(
            f"ec2cards benchmark · {datetime.now(timezone.utc):%Y-%m-%d} · {platform.machine()},"
            f" {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        print(
            f"collection: {decks * per_deck} cards in {decks} decks, {reviews} reviews"
            f" (built in {built:.1f} s); median of {runs} runs"
        )
        print(f"{'measure':34} {'median':>10} {'x floor':>8} {'max RSS':>9}  target")
        for figure in figures:
            ratio = f"{figure.ratio:.2f}x" if figure.ratio is not None else "1.00x"
            print(
                f"{figure.name:34} {figure.median_ms:8.0f}ms {ratio:>8} {figure.max_rss_mb:7.0f}MB"
                f"  {figure.target}"
            )
        print(
            f"{'answer latency (commit included)':34} median {median:.2f} ms, p99 {p99:.2f} ms"
            "  target p99 <= 5 ms"
        )
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "cards": decks * per_deck,
                        "reviews": reviews,
                        "runs": runs,
                        "figures": [figure.__dict__ for figure in figures],
                        "answer_ms": {"median": median, "p99": p99},
                    },
                    indent=2,
                )
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
