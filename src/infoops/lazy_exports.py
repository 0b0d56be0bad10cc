"""Names a package exports but imports only on first use (PEP 562), for a CLI that starts at once.

A package lists, per submodule, the names it re-exports; ``lazy_getattr`` makes the module-level
``__getattr__`` that imports the submodule when one of them is first asked for, and stores the
value in the package so the next lookup is an ordinary attribute.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(
    package: str, namespace: dict[str, Any], lazy: Mapping[str, tuple[str, ...]]
) -> Callable[[str], Any]:
    """``__getattr__`` for ``package`` (its ``globals()`` is ``namespace``): each name in
    ``lazy[submodule]`` comes from ``package.submodule``."""
    module_of = {name: module for module, names in lazy.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value  # from now on an ordinary attribute
        return value

    return __getattr__
