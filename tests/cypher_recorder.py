"""pytest plugin: every Cypher statement the test session sends to Neo4j, linted by Neo4j's linter.

Registered from tests/conftest.py (``pytest_plugins = ["cypher_recorder"]``). It observes the
sync driver's two entry points, ``Session.run`` (auto-commit) and ``Transaction.run`` (explicit
and managed transactions; ``Driver.execute_query`` goes through the latter), without changing
what they do: each distinct statement text is kept once, with the parameter names it was sent
with (small sample values), how often it was sent, where it came from and whether the server
accepted it. At the end of the session every recorded statement goes through
``tools/cypher-lint/lint.mjs`` (the same linter as tests/unit/test_cypher_lint.py, which also
uses the helpers below):

- a lint error on a statement the server *accepted* fails the run (exit status 1), and the
  statement and its errors are printed in the terminal summary;
- a lint error on a statement the server *rejected* (a syntax error a test sends on purpose to
  check the error path) is listed, not counted: Neo4j itself already said no;
- warnings are counted and written to the record file, not printed one by one.

Everything recorded goes to ``.pytest_cache/d/cypher-recorder/statements.json`` (statement,
parameters, calls, origin, server status, diagnostics). Only sessions that talk to a Neo4j
server (``INFOOPS_TEST_NEO4J_URI`` set) record anything; statements sent by CLI subprocesses are
outside this process and not seen.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "tools" / "cypher-lint"
NODE = shutil.which("node")
SRC = ROOT / "src" / "infoops"
OBSERVED = "_observed_by_cypher_recorder"  # set on the driver's run methods while installed

# -- the linter (shared with tests/unit/test_cypher_lint.py) ---------------------------------------


def linter_missing() -> str | None:
    """Why the linter cannot run here, or None when it can."""
    if NODE is None:
        return "node is not installed: the Cypher linter needs it"
    if not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        return (
            "tools/cypher-lint/node_modules is missing: run scripts/setup.sh "
            "(or npm install in tools/cypher-lint)"
        )
    return None


def model_schema() -> dict[str, list[str]]:
    """Labels, relationship types and property keys of the infoops model, for the linter."""
    from infoops.graph_model import NODES, RELS

    properties = {name for node in NODES for name in node.property_names}
    properties |= {name for rel in RELS for name in rel.property_names}
    return {
        "labels": [node.label for node in NODES],
        "relationshipTypes": [rel.type for rel in RELS],
        "propertyKeys": sorted(properties),
    }


@dataclass(frozen=True)
class Diagnostic:
    index: int  # position of the statement in the linted list
    line: int
    column: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass
class LintRun:
    returncode: int
    output: str
    diagnostics: list[Diagnostic]
    summary: str  # "linted N statements: E errors, W warnings"

    def of(self, index: int, severity: str | None = None) -> list[Diagnostic]:
        return [
            d
            for d in self.diagnostics
            if d.index == index and (severity is None or d.severity == severity)
        ]


_DIAGNOSTIC = re.compile(r"^#(\d+):(\d+):(\d+): (error|warning): (.*)$")


def lint(
    statements: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    schema: Mapping[str, list[str]] | None = None,
) -> LintRun:
    """Lint (Cypher, parameters) pairs; diagnostics refer to them by position.

    ``parameters`` maps each ``$name`` the statement may use to a sample value (an undeclared
    parameter is an error).
    """
    reason = linter_missing()
    if reason:
        raise RuntimeError(reason)
    assert NODE is not None
    items = [
        {"name": f"#{i}", "cypher": cypher, "parameters": dict(parameters)}
        for i, (cypher, parameters) in enumerate(statements)
    ]
    with tempfile.TemporaryDirectory(prefix="cypher-lint-") as folder:
        schema_file = Path(folder) / "schema.json"
        schema_file.write_text(json.dumps(schema or model_schema()), encoding="utf-8")
        process = subprocess.run(
            [NODE, str(LINTER / "lint.mjs"), "--schema", str(schema_file)],
            input=json.dumps(items),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if process.returncode not in (0, 1):
        raise RuntimeError(f"lint.mjs failed ({process.returncode}): {process.stderr}")
    diagnostics: list[Diagnostic] = []
    summary = ""
    for line in process.stdout.splitlines():
        match = _DIAGNOSTIC.match(line)
        if match:
            index, row, column, severity, message = match.groups()
            diagnostics.append(Diagnostic(int(index), int(row), int(column), severity, message))
        elif line.startswith("linted "):
            summary = line
        elif diagnostics:  # a message over several lines
            last = diagnostics[-1]
            diagnostics[-1] = replace(last, message=f"{last.message}\n{line}")
    return LintRun(process.returncode, process.stdout + process.stderr, diagnostics, summary)


# -- the recorder -------------------------------------------------------------------------------


@dataclass
class Sent:
    """One distinct statement text sent to the server."""

    cypher: str
    parameters: dict[str, Any]  # every name it was sent with -> a small sample of the value
    origin: str  # the first caller outside the driver and infoops.engines
    calls: int = 0
    accepted: int = 0  # calls the server ran
    rejected: dict[str, int] = field(default_factory=dict)  # error code -> calls


def sample(value: Any, depth: int = 0) -> Any:
    """A small JSON value of the same shape (lists keep one element, strings 40 characters)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value[:40]
    if depth > 4:
        return None
    if isinstance(value, Mapping):
        return {str(k): sample(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [sample(value[0], depth + 1)] if value else []
    return str(type(value).__name__)


class Recorder:
    def __init__(self) -> None:
        self.sent: dict[str, Sent] = {}
        self._patched: list[tuple[type, Callable[..., Any]]] = []

    def note(self, query: Any, parameters: Mapping[str, Any], error: BaseException | None) -> None:
        text = getattr(query, "text", query)
        if not isinstance(text, str):
            text = str(text)
        entry = self.sent.get(text)
        if entry is None:
            entry = self.sent[text] = Sent(text, {}, _origin())
        entry.calls += 1
        for name, value in parameters.items():
            entry.parameters.setdefault(name, sample(value))
        if error is None:
            entry.accepted += 1
        else:
            code = str(getattr(error, "code", None) or type(error).__name__)
            entry.rejected[code] = entry.rejected.get(code, 0) + 1

    def install(self) -> None:
        """Observe every ``run`` the sync driver offers (once per class that defines it)."""
        try:
            import neo4j
        except ImportError:
            return
        owners = []
        for cls in (neo4j.Session, neo4j.Transaction, neo4j.ManagedTransaction):
            owner = next(c for c in cls.__mro__ if "run" in vars(c))
            if owner not in owners:
                owners.append(owner)
        for owner in owners:
            original = vars(owner)["run"]
            owner.run = self._observing(original)  # type: ignore[method-assign]
            self._patched.append((owner, original))

    def uninstall(self) -> None:
        for owner, original in reversed(self._patched):
            owner.run = original  # type: ignore[method-assign]
        self._patched.clear()

    def _observing(self, run: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        @functools.wraps(run)
        def observed(
            self: Any, query: Any, parameters: Mapping[str, Any] | None = None, **kwargs: Any
        ) -> Any:
            sent = {**(parameters or {}), **kwargs}
            try:
                result = run(self, query, parameters, **kwargs)
            except Exception as exc:
                recorder.note(query, sent, exc)
                raise
            recorder.note(query, sent, None)
            return result

        setattr(observed, OBSERVED, True)
        return observed


def _origin() -> str:
    """``file:line (function)`` of the first frame outside the driver, this file and engines."""
    frame = sys._getframe(2)
    fallback = ""
    while frame is not None:
        path = frame.f_code.co_filename
        inside_driver = f"{os.sep}neo4j{os.sep}" in path or path == __file__
        if not inside_driver:
            where = f"{_relative(path)}:{frame.f_lineno} ({frame.f_code.co_name})"
            fallback = fallback or where
            if not path.startswith(str(SRC / "engines")):
                return where
        frame = frame.f_back  # type: ignore[assignment]
    return fallback


def _relative(path: str) -> str:
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return path


# -- the end of the session -----------------------------------------------------------------------


@dataclass
class Verdict:
    statements: list[Sent]
    lint: LintRun | None = None
    not_linted: str | None = None  # why the linter did not run
    record_file: Path | None = None

    def errors(self, accepted: bool) -> list[tuple[Sent, list[Diagnostic]]]:
        """Statements with lint errors, among those the server accepted (or rejected)."""
        if self.lint is None:
            return []
        found = []
        for index, sent in enumerate(self.statements):
            errors = self.lint.of(index, "error")
            if errors and bool(sent.accepted) == accepted:
                found.append((sent, errors))
        return found

    def warnings(self) -> int:
        return sum(1 for d in self.lint.diagnostics if d.severity == "warning") if self.lint else 0


RECORDER = pytest.StashKey[Recorder]()
VERDICT = pytest.StashKey[Verdict]()


def pytest_configure(config: pytest.Config) -> None:
    recorder = Recorder()
    recorder.install()
    config.stash[RECORDER] = recorder


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(RECORDER, None)
    if recorder is not None:
        recorder.uninstall()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    recorder = config.stash.get(RECORDER, None)
    if recorder is None or not recorder.sent:
        return
    verdict = Verdict(list(recorder.sent.values()))
    verdict.not_linted = linter_missing()
    if verdict.not_linted is None:
        verdict.lint = lint((s.cypher, s.parameters) for s in verdict.statements)
    verdict.record_file = _write_record(config, verdict)
    config.stash[VERDICT] = verdict
    if verdict.errors(accepted=True) and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _write_record(config: pytest.Config, verdict: Verdict) -> Path | None:
    cache = getattr(config, "cache", None)
    if cache is None:  # -p no:cacheprovider
        return None
    path = Path(cache.mkdir("cypher-recorder")) / "statements.json"
    entries = []
    for index, sent in enumerate(verdict.statements):
        entries.append(
            {
                "cypher": sent.cypher,
                "parameters": sent.parameters,
                "origin": sent.origin,
                "calls": sent.calls,
                "accepted": sent.accepted,
                "rejected": sent.rejected,
                "diagnostics": [str(d) for d in verdict.lint.of(index)] if verdict.lint else None,
            }
        )
    path.write_text(json.dumps(entries, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    verdict = config.stash.get(VERDICT, None)
    if verdict is None:
        return
    failures = verdict.errors(accepted=True)
    write = terminalreporter.write_line
    terminalreporter.write_sep("=", "Cypher sent to Neo4j, linted", red=bool(failures))
    count = len(verdict.statements)
    if verdict.not_linted:
        write(f"{count} distinct statements recorded, not linted: {verdict.not_linted}")
    else:
        refused = verdict.errors(accepted=False)
        write(
            f"{count} distinct statements recorded; lint errors in {len(failures)} the server "
            f"ran, in {len(refused)} it refused (error paths under test, not counted); "
            f"{verdict.warnings()} warnings"
        )
        for sent, _ in refused:
            write(f"  refused by Neo4j too ({', '.join(sent.rejected)}): {_one_line(sent.cypher)}")
    for sent, errors in failures:
        write("")
        write(f"lint error in a statement Neo4j ran, sent from {sent.origin}:", red=True)
        write(f"  {_one_line(sent.cypher)}")
        for error in errors:
            write(f"    {error}", red=True)
    if verdict.record_file:
        write(f"statements and diagnostics: {_relative(str(verdict.record_file))}")


def _one_line(cypher: str) -> str:
    return " ".join(cypher.split())
