"""The CLI starts at once: importing it, and ``--help`` of every command and group, load none of
the libraries that take seconds to import; they are imported by the commands that use them.

Each check runs in a fresh interpreter (this process has long since imported everything) and
looks at ``sys.modules`` afterwards: what a machine takes to import differs, whether a module
was imported does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import Any

import typer.main

from infoops.cli.app import app

# What importing each cost here, alone (median of 5 fresh interpreters; bare Python 0.02 s):
# neo4j 0.75 s, pandas 0.44 s, pyvis 0.25 s (it brings networkx 0.14 s, jinja2 0.08 s and
# IPython), numpy 0.17 s, pyarrow 0.12 s (with numpy), ladybug 0.08 s, igraph 0.07 s, yaml
# 0.05 s. pydantic (0.09 s) is not here: Typer itself imports it to build a command's options.
HEAVY = (
    "igraph",
    "jinja2",
    "ladybug",
    "neo4j",
    "networkx",
    "numpy",
    "pandas",
    "pyarrow",
    "pyvis",
    "yaml",
)

# The packages the CLI imports at start for their enums and defaults; everything else they
# export is imported on first use.
LIBRARY_PACKAGES = (
    "infoops.analysis",
    "infoops.engines",
    "infoops.loaders",
    "infoops.queries",
    "infoops.transfer",
    "infoops.visualisations",
)


def run_python(code: str, *args: str) -> Any:
    """Run ``code`` in a fresh interpreter with ``args`` as sys.argv[1:]; the JSON it prints."""
    process = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},  # help lines unwrapped
    )
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout.splitlines()[-1])


def heavy_loaded(modules: list[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules)


def command_paths() -> list[list[str]]:
    """Every group and command of the app, as the words after ``infoops``."""
    paths: list[list[str]] = []

    def walk(path: list[str], command: Any) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():  # a group
            walk([*path, name], sub)

    walk([], typer.main.get_command(app))
    return paths


def test_importing_the_cli_loads_no_heavy_library() -> None:
    modules = run_python(
        """
        import json, sys
        import infoops.cli.app
        print(json.dumps(sorted(sys.modules)))
        """
    )
    assert "infoops.cli.app" in modules
    assert heavy_loaded(modules) == []


def test_help_of_every_command_and_group_works_and_loads_no_heavy_library() -> None:
    paths = command_paths()
    assert len(paths) > 15 and ["export", "csv"] in paths and ["queries", "run"] in paths
    # One interpreter runs them all, as the `infoops` script does, one after the other: the
    # first help that loads a heavy library is the one that shows it.
    results = run_python(
        """
        import contextlib, io, json, sys
        from infoops.cli.app import main

        results = []
        for path in json.loads(sys.argv[1]):
            sys.argv = ["infoops", *path, "--help"]
            shown = io.StringIO()
            with contextlib.redirect_stdout(shown):
                try:
                    main()
                except SystemExit as exit:
                    code = exit.code
            results.append([path, code, shown.getvalue(), sorted(sys.modules)])
        print(json.dumps(results))
        """,
        json.dumps(paths),
    )
    assert [path for path, *_ in results] == paths
    for path, code, shown, modules in results:
        command = " ".join(["infoops", *path])
        assert code == 0, f"{command} --help exited with {code}: {shown}"
        assert f"Usage: {command} " in shown, f"{command} --help shows no usage line: {shown}"
        assert heavy_loaded(modules) == [], f"{command} --help imported them"


def test_the_library_packages_import_their_heavy_parts_on_first_use() -> None:
    """Importing a package loads nothing heavy, and every name it exports still resolves."""
    modules, unresolved = run_python(
        """
        import importlib, json, sys

        packages = [importlib.import_module(name) for name in sys.argv[1:]]
        modules = sorted(sys.modules)
        unresolved = [
            f"{package.__name__}.{name}"
            for package in packages
            for name in getattr(package, "__all__", [])
            if not hasattr(package, name)
        ]
        print(json.dumps([modules, unresolved]))
        """,
        *LIBRARY_PACKAGES,
    )
    assert set(LIBRARY_PACKAGES) <= set(modules)
    assert heavy_loaded(modules) == []
    assert unresolved == []
