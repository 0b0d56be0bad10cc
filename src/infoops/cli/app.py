"""The ``infoops`` command: a thin layer over the library, one module per command group."""

from __future__ import annotations

import sys

import typer
from rich.text import Text

from infoops.cli import demo, load, neo4j_import, push, queries, summary, synth, views
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
app.command("chains")(views.chains)
app.command("cascade")(views.cascade)
views.export_app.command("neo4j-import")(neo4j_import.export_neo4j_import)
app.add_typer(views.export_app, name="export")
app.add_typer(queries.app, name="queries")
app.command("query")(queries.query)
app.command("push")(push.push)


def main() -> None:
    """Entry point: expected failures become one red line and exit code 1, not a traceback."""
    try:
        result = app(standalone_mode=False)
    except InfoopsError as exc:
        message = Text("error: ", style="bold red")
        message.append(str(exc))  # plain text: data in a message is never read as markup
        err.print(message, highlight=False, soft_wrap=True)  # one line, however long
        sys.exit(1)
    except (KeyboardInterrupt, EOFError):
        err.print("aborted")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()  # `infoops ... | head`: the reader left, nothing to report
        sys.exit(0)
    except Exception as exc:
        # Typer bundles its own click: recognise its usage errors by shape, not by import.
        show, exit_code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        if type(exc).__name__ == "Abort":
            err.print("aborted")
            sys.exit(130)
        raise
    sys.exit(result if isinstance(result, int) else 0)
