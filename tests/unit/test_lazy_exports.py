"""A package's exported names are never also the names of its modules: importing the module
(``from infoops.analysis.clusters.cluster_table import ...`` anywhere) sets the package's
attribute to the module, and the function the package exported lazily is shadowed for every
later caller, depending on import order."""

from __future__ import annotations

import ast
from pathlib import Path

import infoops

ROOT = Path(infoops.__file__).parent


def exported(init: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(init.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            assert isinstance(node.value, ast.List | ast.Tuple)
            names |= {e.value for e in node.value.elts if isinstance(e, ast.Constant)}
    return names


def test_no_export_is_named_like_a_module_of_its_package() -> None:
    clashes = {}
    for init in ROOT.rglob("__init__.py"):
        folder = init.parent
        modules = {p.stem for p in folder.glob("*.py")} | {
            p.name for p in folder.iterdir() if (p / "__init__.py").exists()
        }
        clash = exported(init) & modules
        if clash:
            clashes[str(folder.relative_to(ROOT))] = sorted(clash)
    assert not clashes
