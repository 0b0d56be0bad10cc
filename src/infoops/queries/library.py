"""The canned query library: one YAML file per query, loaded into one strict model.

A file holds ``id, title, category, description, params, returns, cypher`` and, only where the two
dialects must differ, ``variants: {neo4j: ..., ladybug: ...}``. Unknown keys are errors, and so is
a query whose Cypher uses a ``$parameter`` it does not declare, declares one it never uses, or
does not pass the read-only guard (``guard.py``).

Parameters always travel as ``$name`` values, never as text, with one exception: Cypher has no
parameter for the bounds of a variable-length pattern (``[:AMPLIFIED*1..3]``) on either engine,
so an ``int`` parameter declared ``inline: true`` with a ``min`` and ``max`` is written into the
query text at the ``{{name}}`` marker, after it has been validated as an integer in that range.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from infoops.errors import (
    QueryError,
    QueryLibraryError,
    QueryParameterError,
    UnknownQueryError,
)
from infoops.queries.guard import read_only_refusal
from infoops.queries.options import Category

ENGINES = ("ladybug", "neo4j")
# What both engines store in an integer (INT64 on Ladybug, a Java long on Neo4j).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_NAME = r"^[a-z][a-z0-9_]*$"
_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class ParamType(StrEnum):
    string = "string"
    int = "int"
    float = "float"
    bool = "bool"
    list = "list"  # a list of strings; on the command line, comma-separated


_TRUE = ("true", "1", "yes", "y", "t")
_FALSE = ("false", "0", "no", "n", "f")


# -- Cypher text, outside string literals and comments -------------------------------------------

_MASKED = re.compile(
    r"""//[^\n]*                      # line comment
      | /\*.*?(?:\*/|\Z)              # block comment (unterminated: to the end)
      | '(?:[^'\\]|\\.)*(?:'|\Z)      # single-quoted string
      | "(?:[^"\\]|\\.)*(?:"|\Z)      # double-quoted string
      | `[^`]*(?:`|\Z)                # quoted identifier
    """,
    re.S | re.X,
)
_PARAM_REF = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_INLINE_REF = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_VAR_LENGTH = re.compile(r"-\s*\[[^\]]*\*")


def code_only(cypher: str) -> str:
    """``cypher`` with comments, strings and quoted identifiers blanked (same length, same lines).

    Whatever is searched for in the result (keywords, ``$params``, markers) is real Cypher, and
    its offsets are offsets in the original text.
    """

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _MASKED.sub(blank, cypher)


def parameter_names(cypher: str) -> set[str]:
    """Every ``$name`` the statement refers to (not those inside strings or comments)."""
    return set(_PARAM_REF.findall(code_only(cypher)))


def inline_markers(cypher: str) -> set[str]:
    return set(_INLINE_REF.findall(code_only(cypher)))


def fill_inline(cypher: str, values: Mapping[str, int]) -> str:
    """Write validated integers at their ``{{name}}`` markers (the only text substitution)."""

    def literal(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        if type(value) is not int:  # bool is an int subclass: refuse it too
            raise QueryParameterError(f"{match.group(1)} must be an integer, got {value!r}")
        return str(value)

    return _INLINE_REF.sub(literal, cypher)


def has_variable_length(cypher: str) -> bool:
    """Whether the statement matches variable-length paths (``-[:R*1..3]-``)."""
    return bool(_VAR_LENGTH.search(code_only(cypher)))


# -- the model --------------------------------------------------------------------------------


class QueryParam(BaseModel):
    """One parameter: typed, documented, with a default unless ``required``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=_NAME)
    type: ParamType
    help: str = Field(min_length=1)
    default: str | int | float | bool | list[str] | None = None
    required: bool = False
    min: int | float | None = None
    max: int | float | None = None
    inline: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> QueryParam:
        if self.required and self.default is not None:
            raise ValueError(f"{self.name}: a required parameter has no default")
        if not self.required and self.default is None:
            # Ladybug types a null parameter as BOOL, so "not given" must be a typed value
            # ('' for strings, an empty list, a number outside the data).
            raise ValueError(f"{self.name}: give a typed default or mark it required")
        if (self.min is not None or self.max is not None) and self.type not in (
            ParamType.int,
            ParamType.float,
        ):
            raise ValueError(f"{self.name}: min/max only apply to int and float parameters")
        if self.inline and (self.type is not ParamType.int or self.min is None or self.max is None):
            raise ValueError(f"{self.name}: an inline parameter must be an int with min and max")
        if self.default is not None:
            try:
                self.coerce(self.default)
            except QueryParameterError as exc:
                raise ValueError(f"default: {exc}") from None
        return self

    def coerce(self, value: Any) -> Any:
        """``value`` (command-line text or a Python value) as this parameter's type, checked."""
        try:
            typed = _coerce(self.type, value)
        except (TypeError, ValueError) as exc:
            raise QueryParameterError(
                f"parameter {self.name} must be {_article(self.type)}: {exc}"
            ) from None
        if isinstance(typed, int | float) and not isinstance(typed, bool):
            if self.min is not None and typed < self.min:
                raise QueryParameterError(
                    f"parameter {self.name} must be >= {self.min}, got {typed}"
                )
            if self.max is not None and typed > self.max:
                raise QueryParameterError(
                    f"parameter {self.name} must be <= {self.max}, got {typed}"
                )
        return typed

    def describe_type(self) -> str:
        text = self.type.value
        if self.min is not None or self.max is not None:
            low = "" if self.min is None else self.min
            high = "" if self.max is None else self.max
            text += f" {low}..{high}"
        return text


def _article(kind: ParamType) -> str:
    return {
        ParamType.string: "a string",
        ParamType.int: "an integer",
        ParamType.float: "a number",
        ParamType.bool: "true or false",
        ParamType.list: "a list (comma-separated on the command line)",
    }[kind]


def _coerce(kind: ParamType, value: Any) -> Any:
    if kind is ParamType.string:
        if not isinstance(value, str):
            raise TypeError(f"got {type(value).__name__} {value!r}")
        return value
    if kind is ParamType.int:
        if isinstance(value, bool):
            raise TypeError(f"got {value!r}")
        if isinstance(value, int):
            return _int64(value)
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            return _int64(int(value))
        raise ValueError(f"got {value!r}")
    if kind is ParamType.float:
        if isinstance(value, bool):
            raise TypeError(f"got {value!r}")
        if isinstance(value, int | float | str):
            try:
                return _finite(float(value), value)
            except OverflowError:  # an int beyond any float
                raise ValueError(f"got {value!r}, not a finite number") from None
        raise TypeError(f"got {value!r}")
    if kind is ParamType.bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError(f"got {value!r}")
    # list of strings
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return list(value)
    raise TypeError(f"got {value!r}")


def _int64(number: int) -> int:
    """``number`` if both engines can hold it (beyond, their drivers fail naming nothing)."""
    if not INT64_MIN <= number <= INT64_MAX:
        raise ValueError(f"got {number}, outside the 64-bit range {INT64_MIN}..{INT64_MAX}")
    return number


def _finite(number: float, given: Any) -> float:
    """``number`` unless it is nan or infinite: nan passes every min/max comparison."""
    if not math.isfinite(number):
        raise ValueError(f"got {given!r}, not a finite number")
    return number


class Variants(BaseModel):
    """Dialect-specific forms, only where the portable ``cypher`` cannot serve an engine."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    neo4j: str | None = None
    ladybug: str | None = None


class CannedQuery(BaseModel):
    """A named, documented, parameterised read query that runs on both engines."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    category: Category
    description: str = Field(min_length=1)
    params: tuple[QueryParam, ...] = ()
    returns: Literal["table", "graph"]
    cypher: str = Field(min_length=1)
    variants: Variants = Variants()

    @field_validator("description", "cypher")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @model_validator(mode="after")
    def _consistent(self) -> CannedQuery:
        names = [p.name for p in self.params]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"parameters declared twice: {', '.join(duplicates)}")
        inline = {p.name for p in self.params if p.inline}
        valued = set(names) - inline
        for engine, cypher in self.forms().items():
            if engine in self._own_variants() and cypher.strip() == self.cypher:
                raise ValueError(f"the {engine} variant repeats the portable cypher: drop it")
            used, markers = parameter_names(cypher), inline_markers(cypher)
            problems = []
            if used - valued:
                problems.append(f"undeclared parameters {_names(used - valued)}")
            if valued - used:
                problems.append(f"declared but unused parameters {_names(valued - used)}")
            if markers - inline:
                problems.append(f"markers of non-inline parameters {_names(markers - inline)}")
            if inline - markers:
                problems.append(f"inline parameters without a marker {_names(inline - markers)}")
            if problems:
                raise ValueError(f"{engine} form: " + "; ".join(problems))
            # Inline markers hold a checked integer when the query runs: the smallest stands in.
            sample = {p.name: int(p.min or 0) for p in self.params if p.inline}
            refusal = read_only_refusal(fill_inline(cypher, sample))
            if refusal is not None:
                raise ValueError(
                    f"{engine} form is refused by the read-only guard ({refusal}): canned "
                    "queries only read"
                )
        return self

    def _own_variants(self) -> set[str]:
        return {e for e in ENGINES if getattr(self.variants, e) is not None}

    def cypher_for(self, engine: str) -> str:
        """The text ``engine`` ("ladybug" or "neo4j") runs: its variant, else the portable form."""
        if engine not in ENGINES:
            raise QueryError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")
        variant = getattr(self.variants, engine)
        return (variant or self.cypher).strip()

    def forms(self) -> dict[str, str]:
        return {engine: self.cypher_for(engine) for engine in ENGINES}

    @property
    def is_path_query(self) -> bool:
        """Matches variable-length paths: exempt from the 200 ms latency target."""
        return any(has_variable_length(c) for c in self.forms().values())

    def param(self, name: str) -> QueryParam:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryParameterError(
            f"query {self.id} has no parameter {name!r}; it takes: {self.param_list()}"
        )

    def param_list(self) -> str:
        return ", ".join(p.name for p in self.params) or "no parameters"

    def bind(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every parameter typed and checked: given values, else defaults; unknown/missing fail."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise QueryParameterError(
                f"query {self.id} has no parameter {_names(unknown)}; it takes: {self.param_list()}"
            )
        bound: dict[str, Any] = {}
        missing = []
        for p in self.params:
            if p.name in values:
                bound[p.name] = p.coerce(values[p.name])
            elif p.required:
                missing.append(p.name)
            else:
                bound[p.name] = p.coerce(p.default)
        if missing:
            hints = "; ".join(f"{name}: {self.param(name).help}" for name in missing)
            example = " ".join(f"--param {name}=..." for name in missing)
            raise QueryParameterError(
                f"query {self.id} needs {_names(missing)} ({hints}). Example: "
                f"infoops queries run {self.id} {example}"
            )
        return bound


def _names(names: Sequence[str] | set[str]) -> str:
    return ", ".join(sorted(names))


# -- loading ----------------------------------------------------------------------------------

_CATEGORY_ORDER = {category: i for i, category in enumerate(Category)}


class QueryLibrary(Mapping[str, CannedQuery]):
    """Every canned query by id, iterated by category (in ``Category`` order) then id."""

    def __init__(self, queries: Sequence[CannedQuery]) -> None:
        ordered = sorted(queries, key=lambda q: (_CATEGORY_ORDER[q.category], q.id))
        self._queries = {q.id: q for q in ordered}

    def __getitem__(self, query_id: str) -> CannedQuery:
        return self._queries[query_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)

    def get_query(self, query_id: str) -> CannedQuery:
        """The query, or an error that names the closest ids."""
        try:
            return self._queries[query_id]
        except KeyError:
            close = difflib.get_close_matches(query_id, list(self._queries), n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UnknownQueryError(
                f"no canned query {query_id!r}.{hint} List them with: infoops queries list"
            ) from None

    def in_category(self, category: Category | str | None) -> list[CannedQuery]:
        return [q for q in self._queries.values() if category is None or q.category == category]


def parse_query_file(name: str, text: str) -> CannedQuery:
    """One YAML file's text -> a validated query; ``name`` is the file name (for messages)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise QueryLibraryError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise QueryLibraryError(f"{name}: expected a mapping of query fields")
    try:
        query = CannedQuery.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'query'}: {error['msg']}"
            for error in exc.errors()
        )
        raise QueryLibraryError(f"{name}: {problems}") from None
    stem = name.rsplit("/", 1)[-1].removesuffix(".yaml")
    if query.id != stem:
        raise QueryLibraryError(f"{name}: id {query.id!r} must match the file name {stem!r}")
    return query


@lru_cache(maxsize=1)
def load_library() -> QueryLibrary:
    """Every ``*.yaml`` next to this module (also inside an installed wheel), validated."""
    folder = resources.files("infoops.queries")
    queries = [
        parse_query_file(entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    ]
    return QueryLibrary(queries)
