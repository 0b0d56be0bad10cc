"""Which parts of infoops may import which: lower layers never import higher ones.

Read from the source (AST), so every import counts: module level, inside functions (lazy) and
under ``TYPE_CHECKING``. The layers, lowest first:

0. ``infoops`` (the package itself), ``infoops.errors``, ``infoops.lazy_exports`` (first-use
   imports for the packages), ``infoops.csv_writer`` (the one writer of CSV for people,
   which the visualisations' exports and the CLI's output share) and ``infoops.graph_model``
   (the labels, keys and properties every layer reads)
1. ``engines``: the two engines and their DDL; they know nothing of their callers
2. ``loaders``, ``analysis``, ``queries``: independent of one another
3. ``visualisations``; ``synthetic`` (writes files in the loaders' layouts)
4. ``transfer``
5. ``cli``

A part may import itself and anything in a lower layer, nothing in its own layer or above.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "infoops"

LAYERS: dict[str, int] = {
    "infoops": 0,
    "infoops.errors": 0,
    "infoops.csv_writer": 0,
    "infoops.lazy_exports": 0,
    "infoops.graph_model": 0,
    "infoops.engines": 1,
    "infoops.loaders": 2,
    "infoops.analysis": 2,
    "infoops.queries": 2,
    "infoops.visualisations": 3,
    "infoops.synthetic": 3,
    "infoops.transfer": 4,
    "infoops.cli": 5,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str:
    """The layered part a module belongs to: ``infoops.x`` of ``infoops.x.y.z``."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every import of ``infoops`` code in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    yield from imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(code: str, package: str) -> Iterator[tuple[int, str]]:
    """Imports of ``infoops`` code in ``code``, a module of ``package`` (for relative ones)."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from infoops import errors` imports the module infoops.errors
            targets = [
                f"{base}.{alias.name}" if base == "infoops" else base for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target == "infoops" or target.startswith("infoops."):
                yield node.lineno, target


def sources(folder: Path = PACKAGE) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_the_engines_import_none_of_their_callers() -> None:
    callers = ("loaders", "analysis", "visualisations", "queries", "transfer", "cli")
    found = [
        f"{path.relative_to(SRC)}:{line} imports {target}"
        for path in sources(PACKAGE / "engines")
        for line, target in imports(path)
        if part_of(target) in {f"infoops.{caller}" for caller in callers}
    ]
    assert not found, "\n".join(found)


def test_every_part_has_a_layer() -> None:
    parts = {part_of(module_name(path)) for path in sources()}
    assert parts <= LAYERS.keys(), f"give these a layer in LAYERS: {sorted(parts - LAYERS.keys())}"


def test_lower_layers_never_import_higher_ones() -> None:
    found = []
    for path in sources():
        importer = part_of(module_name(path))
        for line, target in imports(path):
            imported = part_of(target)
            if imported != importer and LAYERS[imported] >= LAYERS[importer]:
                found.append(
                    f"{path.relative_to(SRC)}:{line}: {importer} (layer {LAYERS[importer]}) "
                    f"imports {target} (layer {LAYERS[imported]})"
                )
    assert not found, "\n".join(found)


def test_the_checks_see_imports_of_every_form() -> None:
    """Lazy, relative and ``from infoops import x`` imports are all found."""
    code = (
        "import os\n"
        "from infoops import cli\n"
        "from ..loaders import staging\n"
        "def f():\n"
        "    import infoops.analysis.summary\n"
        "    from . import schema\n"
    )
    found = [(line, target) for line, target in imports_in(code, "infoops.engines")]
    assert found == [
        (2, "infoops.cli"),
        (3, "infoops.loaders"),
        (5, "infoops.analysis.summary"),
        (6, "infoops.engines"),
    ]
