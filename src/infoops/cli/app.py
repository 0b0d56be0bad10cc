"""The ``infoops`` command: a thin layer over the library, one module per command group."""

from __future__ import annotations

import io
import logging
import os
import sys
import traceback
from collections.abc import Mapping, Sequence

import typer
from rich.text import Text

from infoops.cli import (
    clusters,
    coordination,
    crossref,
    demo,
    disclosures,
    load,
    load_indicators,
    load_ira538,
    neo4j_import,
    push,
    queries,
    report,
    summary,
    synth,
    views,
)
from infoops.cli.console import err
from infoops.cli.help_text import reflow_help
from infoops.engines.neo4j_address import redact, uri_password
from infoops.errors import InfoopsError

app = typer.Typer(
    name="infoops",
    help="Investigate state-linked information operations as a graph.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a traceback must never print a password
    rich_markup_mode="rich",
)
load.app.command("ira538")(load_ira538.ira538)
load.app.command("indicators")(load_indicators.indicators)
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
app.command("clusters")(clusters.clusters)
app.add_typer(coordination.app, name="coordination")
app.add_typer(disclosures.app, name="disclosures")
app.command("report")(report.report)
app.command("crossref")(crossref.crossref)
reflow_help(app)  # last: every command's help reflows as words at any width


# Innermost frames of an unexpected error's traceback: where it happened, without the Typer
# and click frames above every command.
BUG_FRAMES = 8


def main() -> None:
    """Entry point: expected failures become one red line and exit code 1, not a traceback.

    Whatever leaves this way (an error line, a usage error, the traceback of a bug) is scrubbed
    of every secret infoops knows of: the password in NEO4J_PASSWORD and any password written
    into a URI on the command line or in NEO4J_URI.
    """
    secrets = known_secrets(sys.argv, os.environ)
    quiet_driver_logging()
    try:
        result = app(standalone_mode=False)
    except InfoopsError as exc:
        message = Text("error: ", style="bold red")
        # Plain text, never read as markup; the message may quote data or the statement (a
        # syntax error's caret line), so only the secrets go, not URI-looking text.
        message.append(redact(str(exc), secrets, uris=False))
        err.print(message, highlight=False, soft_wrap=True)  # one line, however long
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("aborted")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()  # `infoops ... | head`: the reader left, nothing to report
        sys.exit(0)
    except OSError as exc:
        # A file the user named cannot be written or read (permission, missing folder, a
        # folder where a file is expected): the user's to fix, so one line, not a bug report.
        err.print(
            redact(f"error: {os_error_line(exc)}", secrets, uris=False),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        sys.exit(1)
    except Exception as exc:
        # Typer bundles its own click: recognise its usage errors by shape, not by import.
        show, exit_code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            shown = io.StringIO()  # "unexpected extra argument (bolt://u:pw@h)" quotes argv
            show(file=shown)
            sys.stderr.write(redact(shown.getvalue(), secrets))
            sys.exit(exit_code)
        if type(exc).__name__ == "Abort":
            # click turns an EOFError into Abort; infoops asks nothing at a prompt, so one
            # is a bug (a truncated input must be the loaders' InputFileError), not Ctrl-D.
            if isinstance(exc.__cause__, EOFError):
                report_bug(exc.__cause__, secrets)
                sys.exit(1)
            err.print("aborted")
            sys.exit(130)
        report_bug(exc, secrets)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


def os_error_line(exc: OSError) -> str:
    """``cannot write /x/y: Permission denied`` from an OSError, naming its file if it has one."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    return f"{os.fsdecode(exc.filename)}: {reason}"


def known_secrets(argv: Sequence[str], environ: Mapping[str, str]) -> set[str]:
    """The passwords this run was given: NEO4J_PASSWORD, and any written into a URI."""
    found = {environ.get("NEO4J_PASSWORD") or ""}
    # Every argument, not only --neo4j-uri's value: a URI given where no option expects it
    # comes back quoted in a usage error.
    found |= {uri_password(text) or "" for text in [*argv, environ.get("NEO4J_URI") or ""]}
    return found - {""}


def quiet_driver_logging() -> None:
    """The Neo4j driver logs a lost connection or a failed routing-table fetch as a warning
    before it raises; with no logging configured Python prints those as extra lines of its
    own. The one-line error that follows says it all, so they go nowhere."""
    logger = logging.getLogger("neo4j")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def report_bug(exc: BaseException, secrets: set[str]) -> None:
    """An unexpected error: the innermost frames of its traceback, redacted, and one line to
    say it is a bug (EOFError included: a truncated input is the loaders' InputFileError)."""
    trace = "".join(traceback.format_exception(exc, limit=-BUG_FRAMES))
    sys.stderr.write(redact(trace, secrets))
    err.print(
        f"error: unexpected {type(exc).__name__}, a bug in infoops: please report it with the "
        "traceback above (passwords are shown as ***)",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
