"""The console script: `ec2cards due` in its plain forms is answered at shell-prompt speed
(see `due_fast`), `ec2cards study` and `ec2cards quiz` with their plain options start
without building the Typer app (see `study_fast`, `quiz_fast`); everything else goes to the
Typer app."""

from __future__ import annotations

import sys

# Python collects young objects every 700 container allocations. A command's start makes many
# long-lived ones (modules, dataclasses, 50,000 deck keys and their sets) and hardly any garbage
# cycles, so those passes are milliseconds spent for nothing; collect a hundred times less often.
# The collector stays on, so a long study session still frees any cycles it makes.
GC_THRESHOLDS = (70_000, 10, 10)


def main() -> None:
    import gc

    args = sys.argv[1:]
    if args[:1] == ["due"]:
        gc.disable()  # a few hundred milliseconds of life: nothing to collect
        from ec2cards.cli.due_fast import run

        code = run(args[1:])
        if code is not None:
            sys.stdout.flush()
            gc.freeze()  # exit skips a last walk over every object
            raise SystemExit(code)
        gc.enable()
    if args[:1] in (["study"], ["quiz"]):
        if args[0] == "study":
            from ec2cards.cli.study_fast import run as fast
        else:
            from ec2cards.cli.quiz_fast import run as fast

        gc.set_threshold(*GC_THRESHOLDS)
        code = fast(args[1:])
        if code is not None:
            gc.freeze()  # as the full command: exit skips a last walk over every object
            raise SystemExit(code)
    from ec2cards.cli.app import main as full

    full()


if __name__ == "__main__":  # pragma: no cover
    main()
