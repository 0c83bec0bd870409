"""The console script: `ec2cards due` in its plain forms is answered at shell-prompt speed
(see `due_fast`); everything else goes to the Typer app."""

from __future__ import annotations

import sys


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
    from ec2cards.cli.app import main as full

    full()


if __name__ == "__main__":  # pragma: no cover
    main()
