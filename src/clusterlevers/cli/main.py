"""Entry point of the ``clusterlevers`` command.

Each command group lives in its own module and registers itself on :data:`app`; modules import
heavy libraries (numpy, pandas, the domain) inside the command functions so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys

import typer

from .. import __version__

app = typer.Typer(
    name="clusterlevers",
    help="Design, compare and evaluate national cluster programs on the 16-lever Cluster Policy Levers Canvas.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clusterlevers {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Design, compare and evaluate national cluster programs on the 16-lever canvas."""


# Command modules register themselves on `app` when imported. Keep their top-level imports light.
from . import (  # noqa: E402,F401
    atlas_cmds,
    brief_cmds,
    canvas_cmds,
    evaluate_cmds,
    serve_cmds,
    simulate_cmds,
)


def run() -> None:
    """Console-script entry: bad input exits 2 with one line per problem; never a traceback."""
    from ..domain.errors import InputError

    try:
        app()
    except InputError as exc:
        for problem in exc.problems:
            sys.stderr.write(str(problem).replace("\n", " ") + "\n")
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    except SystemExit:
        raise
    except Exception as exc:  # last resort: one line, not a traceback
        if os.environ.get("CLUSTERLEVERS_DEBUG"):
            raise
        sys.stderr.write(f"clusterlevers: internal error: {type(exc).__name__}: {exc} "
                         "(set CLUSTERLEVERS_DEBUG=1 for the traceback)\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    run()
