"""The ``infoops`` command: a thin layer over the library, one module per command group."""

from __future__ import annotations

import sys

import typer

from infoops.cli import demo, load, summary, synth
from infoops.cli.console import err
from infoops.errors import InfoopsError

app = typer.Typer(
    name="infoops",
    help="Investigate state-linked information operations as a graph.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must never print a password
    rich_markup_mode="rich",
)
app.add_typer(load.app, name="load")
app.command("synth")(synth.synth)
app.command("summary")(summary.summary)
app.command("demo")(demo.demo)


def main() -> None:
    """Entry point: expected failures become one red line and exit code 1, not a traceback."""
    try:
        app(standalone_mode=False)
    except InfoopsError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
        sys.exit(1)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except __import__("click").ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
