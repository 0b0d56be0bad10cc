"""One exception hierarchy in one module: every error a user can act on is defined in errors.py."""

from __future__ import annotations

import ast
from pathlib import Path

import infoops
from infoops import errors

SRC = Path(infoops.__file__).parent
# Exceptions that never leave their module (see errors.py's docstring).
INTERNAL = {
    "loaders/source_format.py": {"MalformedFile"},
    # An indicator value that cannot be one: caught by its records module, which quarantines
    # the row with the message as the reason.
    "loaders/meta_indicators/values.py": {"UnusableValue"},
    "queries/guard.py": {"CypherRefused"},
}


def exception_classes(path: Path) -> set[str]:
    """Classes in ``path`` whose bases name an Error, Exception or an infoops error."""
    known = {name for name in vars(errors) if name.endswith("Error")}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
            if bases & known or any(b.endswith(("Error", "Exception")) for b in bases):
                found.add(node.name)
    return found


def test_every_exception_is_defined_in_errors_py() -> None:
    elsewhere = {}
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative == "errors.py":
            continue
        classes = exception_classes(path) - INTERNAL.get(relative, set())
        if classes:
            elsewhere[relative] = sorted(classes)
    assert elsewhere == {}


def test_the_scan_sees_an_exception_defined_elsewhere(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from infoops.errors import ViewError\nclass Odd(ViewError):\n    pass\n")
    assert exception_classes(module) == {"Odd"}


def test_every_error_a_user_can_act_on_is_an_infoops_error() -> None:
    for name, value in vars(errors).items():
        if isinstance(value, type) and name.endswith("Error"):
            assert issubclass(value, errors.InfoopsError), name
