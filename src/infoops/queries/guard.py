"""The read-only guard: a statement runs without ``--write`` only if every part of it is known
to read.

An allowlist over tokens, the same on both engines, checked before anything is sent:

- **characters**: outside string literals and `backticked names` only printable ASCII and the
  ASCII blanks both engines agree on. Ladybug's lexer reads U+180E, U+2000..U+200A and others
  as blanks, Neo4j's U+00A0 and others, neither Python's ``\\s``: rather than follow each table,
  the guard refuses every other character there (inside strings and names anything goes).
- **comments** are skipped, ``//`` up to a line feed or a carriage return (Neo4j ends it at
  either), ``/* */`` up to the first ``*/``; a block comment that Ladybug would end elsewhere
  (its lexer reads ``**/`` as a star plus the next character) is refused, since the text after
  it would be code to one engine and comment to the other.
- **keywords**: every keyword of either engine's lexer (``KEYWORDS``, Ladybug 0.22, Neo4j 5.26
  and Neo4j's language support) is refused as a bare word unless it is a reading keyword
  (``READING_KEYWORDS``) or a noun that never starts a clause and is also an everyday name
  (``NAME_KEYWORDS``: ``text``, ``url``, ``date`` ...). A word right after ``.`` (a property
  key) or right before ``:`` (a map key, a variable with its label) is a name in both grammars.
- **clause heads**: a statement (after ``EXPLAIN``/``PROFILE``), a subquery body and every query
  after ``UNION`` start with ``MATCH``, ``OPTIONAL``, ``WITH``, ``UNWIND``, ``RETURN`` or
  ``CALL``; after a complete expression (a name, a literal, a closing bracket) the next word is a
  reading keyword. So a word the keyword list does not know cannot start a clause either.
- **calls**: a function (a word before ``(``, dotted or backticked) must be in ``FUNCTIONS``, a
  ``CALL``-ed procedure or table function in ``PROCEDURES``; ``CALL name = value`` (a Ladybug
  setting), file-reading table functions and anything unknown are refused.

This is the first barrier; the engines stay the second (a read-only Ladybug database, a Neo4j
READ session). With ``--write`` the guard is not applied.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from infoops.errors import WriteRefusedError

# -- vocabularies ---------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


# Every keyword of Ladybug 0.22's lexer, Neo4j 5.26's Cypher 5 and Cypher 25 lexers and Neo4j's
# own language support (2.0.0-next.38, which knows the 2025 additions such as LET and FILTER).
KEYWORDS = _words("""
    ACCESS ACTIVE ACYCLIC ADD ADMIN ADMINISTRATOR ALIAS ALIASES ALL ALLREDUCE ALLSHORTESTPATHS
    ALTER ANALYZE ANALYZER AND ANY ARRAY AS ASC ASCENDING ASSERT ASSIGN AT ATTACH AUTH AUTO BEGIN
    BINDINGS BOOL BOOLEAN BOOSTED BOTH BREAK BRIEF BTREE BUILT BY CALL CASCADE CASE CAST CHANGE
    CHECKPOINT CIDR COLLECT COLUMN COMMAND COMMANDS COMMENT COMMIT COMMIT_SKIP_CHECKPOINT
    COMPOSITE CONCURRENT CONDITION CONSTRAINT CONSTRAINTS CONTAINS CONTINUE COPY COSINE COUNT
    CREATE CREDENTIAL CREDENTIALS CSR CSV CURRENT CYCLE CYPHER DATA DATABASE DATABASES DATE
    DATETIME DBMS DBTYPE DEALLOCATE DECIMAL DEFAULT DEFINE DEFINED DELETE DENY DESC DESCENDING
    DESTROY DETACH DIFFERENT DISJOINT DISTINCT DOT DRIVER DROP DRYRUN DUMP DURATION EACH EDGE
    ELEMENT ELEMENTS ELSE ENABLE ENABLED ENCRYPTED END ENDS ERROR EUCLIDEAN EUCLIDEAN_SQUARED
    EXECUTABLE EXECUTE EXIST EXISTENCE EXISTS EXPAND EXPLAIN EXPORT EXTENSION FAIL FALSE
    FIELDTERMINATOR FILTER FINISH FLOAT FLOAT32 FLOAT64 FOR FORCE FOREACH FORWARDING FROM FULLTEXT
    FUNCTION FUNCTIONS GLOB GRANT GRAPH GRAPHS GROUP GROUPS HAMMING HEADERS HINT HOME ID IF
    IMMUTABLE IMPERSONATE IMPLIES IMPORT IN INCREMENT INDEX INDEXES INF INFINITY INSERT INSTALL
    INT INT16 INT32 INT64 INT8 INTEGER INTEGER16 INTEGER32 INTEGER64 INTEGER8 INTO IS JOIN KEY
    LABEL LABELED LABELS LANGUAGE LEADING LET LIMIT LIST LOAD LOCAL LOGICAL LOOKUP MACRO
    MANAGEMENT MANHATTAN MAP MATCH MAXVALUE MERGE METADATA MINVALUE MULTI_JOIN NAME NAMES
    NAMESPACE NAN NEW NEXT NFC NFD NFKC NFKD NO NODE NODES NODETACH NONE NORMALIZE NORMALIZED NOT
    NOTHING NOWAIT NULL OF OFFSET OIDC ON ONLY OPTION OPTIONAL OPTIONS OR ORDER OUTPUT PARTITION
    PARTITIONS PASSWORD PASSWORDS PATH PATHS PERIODIC PLAINTEXT POINT POPULATED PRIMARIES PRIMARY
    PRIVILEGE PRIVILEGES PROCEDURE PROCEDURES PROFILE PROJECT PROPERTIES PROPERTY PROPERTY_EXISTS
    PROVIDER PROVIDERS RANGE RDFGRAPH READ REALLOCATE REDUCE REL RELATIONSHIP RELATIONSHIPS
    REMOVE RENAME REPEATABLE REPLACE REPLICA REPLICAS REPORT REQUIRE REQUIRED RESTRICT RETRY
    RETURN REVOKE ROLE ROLES ROLLBACK ROLLBACK_SKIP_CHECKPOINT ROW ROWS RULE RULES SCAN SCORE
    SEARCH SEC SECOND SECONDARIES SECONDARY SECONDS SECRET SECRETS SEEK SEQUENCE SERVER SERVERS
    SET SETTING SETTINGS SHARD SHARDS SHORTEST SHORTESTPATH SHOW SIGNED SINGLE SKIP SORTED START
    STARTS STATUS STOP STRING STRUCT SUPPORTED SUSPENDED TABLE TAG TAGS TARGET TEMP TERMINATE TEXT
    THEN TIME TIMESTAMP TIMEZONE TO TOPOLOGY TRAIL TRAILING TRANSACTION TRANSACTIONS TRAVERSE TRIM
    TRUE TYPE TYPED TYPES UNINSTALL UNION UNIQUE UNIQUENESS UNWIND UPDATE URL USE USER USERS USING
    UUID VALUE VARCHAR VECTOR VECTOR_DISTANCE VECTOR_NORM VERBOSE VERTEX VIA WAIT WHEN WHERE WITH
    WITHOUT WRITE WSHORTEST XOR YIELD ZONE ZONED
""")

# What may start a query, a subquery body, or a query after UNION.
READING_HEADS = _words("MATCH OPTIONAL WITH UNWIND RETURN CALL")

READING_KEYWORDS = READING_HEADS | _words("""
    WHERE ORDER BY SKIP OFFSET LIMIT UNION ALL DISTINCT AS ASC ASCENDING DESC DESCENDING YIELD
    CASE WHEN THEN ELSE END AND OR XOR NOT IN IS NULL TRUE FALSE STARTS ENDS CONTAINS
    EXISTS COUNT COLLECT ANY NONE SINGLE REDUCE CAST
    SHORTEST SHORTESTPATH ALLSHORTESTPATHS GROUPS TRAIL ACYCLIC WSHORTEST
""")

# Keywords that never start a clause in either grammar and are also everyday names (a column
# `text`, a variable `target`, a function `date()`): accepted where a name may stand.
NAME_KEYWORDS = _words("""
    ARRAY BOOL BOOLEAN BOTH COLUMN DATA DATE DATETIME DECIMAL DURATION EDGE ELEMENT ELEMENTS
    ERROR FLOAT FLOAT32 FLOAT64 FROM GRAPH GROUP ID INDEX INF INFINITY INT INT8 INT16 INT32 INT64
    INTEGER INTEGER8 INTEGER16 INTEGER32 INTEGER64 KEY LABEL LABELS LANGUAGE LEADING LIST LOCAL
    MAP NAME NAMES NAN NFC NFD NFKC NFKD NODE NODES NORMALIZE NORMALIZED NOTHING PATH PATHS POINT
    PROPERTIES PROPERTY RANGE REL RELATIONSHIP RELATIONSHIPS REPLACE ROLE ROLES ROW ROWS SCORE
    SECOND SECONDS SIGNED STATUS STRING STRUCT TABLE TAG TAGS TARGET TEXT TIME TIMESTAMP TIMEZONE
    TO TRAILING TRIM TYPE TYPED TYPES URL USER USERS UUID VALUE VARCHAR VECTOR VERTEX WITHOUT ZONE
    ZONED
""")

# Keywords after which an expression is complete: the next word must be a reading keyword.
_ENDING_KEYWORDS = _words("NULL TRUE FALSE END ASC ASCENDING DESC DESCENDING")
_REFUSED_KEYWORDS = KEYWORDS - READING_KEYWORDS - NAME_KEYWORDS
_HEADS = "one of the reading clauses MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CALL"

# Functions that only compute: Neo4j 5's built-ins and Ladybug's scalar and aggregate functions
# that read nothing but their arguments (not nextval, setseed, error, file, linenumber ...).
FUNCTIONS = _words("""
    count collect sum avg min max percentilecont percentiledisc stdev stdevp count_if
    abs ceil ceiling floor round sign sqrt cbrt exp log log10 log2 ln pi e pow power rand random
    sin cos tan cot asin acos atan atan2 degrees radians haversin even factorial gamma lgamma
    coalesce nullif ifnull isnan isempty valuetype typeof
    tostring tointeger tofloat toboolean tostringornull tointegerornull tofloatornull
    tobooleanornull tostringlist tointegerlist tofloatlist tobooleanlist
    to_int8 to_int16 to_int32 to_int64 to_int128 to_uint8 to_uint16 to_uint32 to_uint64
    to_uint128 to_float to_double to_string to_bool to_date to_timestamp to_interval
    tolower toupper lower upper lcase ucase trim ltrim rtrim btrim split substring substr
    replace left right reverse size char_length character_length octet_length normalize concat
    concat_ws starts_with ends_with prefix suffix lpad rpad repeat initcap levenshtein
    regexp_matches regexp_replace regexp_extract regexp_extract_all regexp_full_match
    regexp_split_to_array string_split str_split string_to_array split_part md5 sha256 hash
    head last tail range keys
    list_concat list_cat list_append list_prepend list_contains list_has list_position
    list_indexof list_distinct list_unique list_sort list_reverse_sort list_sum list_product
    list_min list_max list_to_string list_slice list_reverse list_transform list_filter
    list_reduce list_any_value list_has_all list_has_any list_element list_extract
    array_extract element_at cardinality map_keys map_values map_extract struct_extract
    id elementid type label labels properties nodes relationships rels length
    startnode endnode start_node end_node is_acyclic is_trail
    date datetime localdatetime localtime time duration timestamp interval
    date.truncate datetime.truncate localdatetime.truncate localtime.truncate time.truncate
    datetime.fromepoch datetime.fromepochmillis duration.between duration.indays
    duration.inmonths duration.inseconds
    date.realtime date.statement date.transaction datetime.realtime datetime.statement
    datetime.transaction localdatetime.realtime localdatetime.statement
    localdatetime.transaction localtime.realtime localtime.statement localtime.transaction
    time.realtime time.statement time.transaction
    current_date current_timestamp date_part datepart date_trunc datetrunc dayname monthname
    last_day make_date epoch_ms to_epoch_ms century greatest least time_bucket
    to_years to_months to_days to_hours to_minutes to_seconds to_milliseconds to_microseconds
    point point.distance point.withinbbox vector.similarity.cosine vector.similarity.euclidean
""")

# CALL-able procedures (Neo4j) and table functions (Ladybug) that only describe the schema:
# none reads a file, changes a setting or counts towards statistics.
PROCEDURES = _words("""
    db.labels db.relationshiptypes db.propertykeys db.schema.visualization
    db.schema.nodetypeproperties db.schema.reltypeproperties dbms.components
    show_tables table_info show_connection show_functions show_indexes show_sequences
    db_version
""")

# -- tokens ---------------------------------------------------------------------------------------

WORD, NAME, STRING, NUMBER, PARAM, PUNCT = "word", "name", "string", "number", "param", "punct"

# Blanks both engines read as blanks: space, tab, LF, VT, FF, CR and the ASCII separators.
_ASCII_BLANKS = frozenset(" \t\n\v\f\r\x1c\x1d\x1e\x1f")
_PUNCTUATION = frozenset("()[]{},.:;|=<>+-*/%^!&")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(r"\d+")
# Ladybug's numbers, the narrower of the two: a number never swallows letters (``1LIMIT`` is
# ``1`` and ``LIMIT``), so Neo4j's ``0x1F``, ``1_000`` and ``1e+3`` are a number and a name here
# (and refused as such), never a name the guard overlooks.
_NUMBER = re.compile(r"(?:\d+(?:\.\d+)?|\.\d+)(?:[eE]-?\d+)?")


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text (a backticked name unquoted), where it starts (1-based)."""

    kind: str
    text: str
    line: int
    column: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    def shown(self) -> str:
        return f"`{self.text}`" if self.kind == NAME else self.text


@dataclass(frozen=True)
class Refusal:
    """Why a statement is refused: the offending token, where it is, and the reason."""

    token: str
    line: int
    column: int
    reason: str

    def __str__(self) -> str:
        return f"{self.token} at line {self.line}, column {self.column}: {self.reason}"


class CypherRefused(ValueError):
    """The guard cannot accept the text; ``refusal`` says what and where."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def tokenize(cypher: str) -> list[Token]:
    """The tokens of ``cypher``, comments and blanks skipped; CypherRefused where the two engines
    might read the text differently (a character outside ASCII, a comment they end at different
    places) or where it cannot be read at all (an unterminated string)."""
    return _Lexer(cypher).tokens()


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of ``offset``."""
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def refuse(self, token: str, reason: str, at: int | None = None) -> CypherRefused:
        line, column = self.position(self.i if at is None else at)
        return CypherRefused(Refusal(token, line, column, reason))

    def token(self, kind: str, text: str, start: int) -> Token:
        return Token(kind, text, *self.position(start))

    def tokens(self) -> list[Token]:
        text, found = self.text, []
        while self.i < len(text):
            char, start = text[self.i], self.i
            if char in _ASCII_BLANKS:
                self.i += 1
            elif not char.isascii():
                raise self.refuse(
                    _character(char),
                    "a character outside ASCII outside a 'string' or `name` (some engines "
                    "read such characters as blanks)",
                )
            elif not char.isprintable():
                raise self.refuse(_character(char), "a control character outside a 'string'")
            elif text.startswith("//", start):
                self.skip_line_comment()
            elif text.startswith("/*", start):
                self.skip_block_comment()
            elif char in "'\"":
                found.append(self.token(STRING, self.string(char), start))
            elif char == "`":
                found.append(self.token(NAME, self.backticked(), start))
            elif char == "$":
                found.append(self.token(PARAM, self.parameter(), start))
            elif text.startswith("..", start):
                self.i += 2
                found.append(self.token(PUNCT, "..", start))
            elif number := _NUMBER.match(text, start):
                self.i = number.end()
                found.append(self.token(NUMBER, number.group(), start))
            elif word := _WORD.match(text, start):
                self.i = word.end()
                found.append(self.token(WORD, word.group(), start))
            elif char in _PUNCTUATION:
                self.i += 1
                found.append(self.token(PUNCT, char, start))
            else:
                raise self.refuse(char, "a character that is not part of a reading statement")
        return found

    def skip_line_comment(self) -> None:
        ends = [
            at for at in (self.text.find("\n", self.i), self.text.find("\r", self.i)) if at >= 0
        ]
        end = min(ends, default=len(self.text))
        # Ladybug's // comment needs a line feed (or the end) after an optional carriage return:
        # a lone CR leaves the slashes as code there, while Neo4j ends the comment at the CR.
        if end < len(self.text) and self.text[end] == "\r" and self.text[end + 1 : end + 2] != "\n":
            raise self.refuse(
                "//",
                "a // comment ended by a lone carriage return (the engines disagree where it ends)",
            )
        self.i = end

    def skip_block_comment(self) -> None:
        start = self.i
        end = self.text.find("*/", start + 2)
        if end < 0:
            raise self.refuse("/*", "a comment that is never closed")
        if _ladybug_comment_end(self.text, start + 2) != end:
            raise self.refuse(
                "/*",
                "a comment that Ladybug and Neo4j end at different places (write it without '**/')",
            )
        self.i = end + 2

    def string(self, quote: str) -> str:
        start, text = self.i, self.text
        self.i += 1
        while self.i < len(text):
            char = text[self.i]
            if char == "\\":
                # Both engines take the character after a backslash into the string, known escape
                # or not (Neo4j keeps an unknown one as written, Ladybug refuses the statement):
                # an escaped quote never ends it.
                self.i += 2
            elif char == quote:
                self.i += 1
                return text[start : self.i]
            else:
                self.i += 1
        raise self.refuse(quote, "a string that is never closed", start)

    def backticked(self) -> str:
        start, text, parts = self.i, self.text, []
        self.i += 1
        while True:
            end = text.find("`", self.i)
            if end < 0:
                raise self.refuse("`", "a `name` that is never closed", start)
            parts.append(text[self.i : end])
            self.i = end + 1
            if text.startswith("`", self.i):  # `` inside a name is one backtick
                parts.append("`")
                self.i += 1
            else:
                return "".join(parts)

    def parameter(self) -> str:
        start = self.i
        self.i += 1
        if self.text.startswith("`", self.i):
            return "$" + self.backticked()
        name = _WORD.match(self.text, self.i) or _DIGITS.match(self.text, self.i)
        if name is None:
            raise self.refuse("$", "a $ that does not start a parameter name", start)
        self.i = name.end()
        return "$" + name.group()


def _ladybug_comment_end(text: str, start: int) -> int:
    """Where Ladybug's lexer ends a ``/*`` comment whose body starts at ``start``, or -1.

    Its rule is ``'/*' ( ~[*] | '*' ~[/] )* '*/'``: a star always takes the next character with
    it unless that is the closing slash, so ``/* **/`` is not closed at ``**/``.
    """
    i = start
    while i < len(text):
        if text[i] == "*":
            if text.startswith("/", i + 1):
                return i
            i += 2
        else:
            i += 1
    return -1


def _character(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


# -- the guard ------------------------------------------------------------------------------------


def read_only_refusal(cypher: str) -> Refusal | None:
    """Why ``cypher`` is not known to only read, or None when every part of it is."""
    try:
        _Checker(tokenize(cypher)).check()
    except CypherRefused as refused:
        return refused.refusal
    return None


def check_read_only(cypher: str) -> None:
    """Refuse (WriteRefusedError) a statement the guard does not know to only read."""
    refusal = read_only_refusal(cypher)
    if refusal is not None:
        raise WriteRefusedError(
            f"refusing to run a statement that may not be read-only ({refusal}): queries are "
            "read-only unless you pass --write"
        )


class _Checker:
    def __init__(self, tokens: list[Token]) -> None:
        # Trailing semicolons end the statement; any other one starts a second statement.
        while tokens and tokens[-1].text == ";" and tokens[-1].kind == PUNCT:
            tokens = tokens[:-1]
        self.tokens = tokens
        self.subquery_braces: set[int] = set()

    def at(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def is_punct(self, i: int, text: str) -> bool:
        token = self.at(i)
        return token is not None and token.kind == PUNCT and token.text == text

    def is_word(self, i: int, *words: str) -> bool:
        token = self.at(i)
        return token is not None and token.kind == WORD and token.lower in words

    def check(self) -> None:
        if not self.tokens:
            return
        i = 0
        if self.is_word(0, "explain", "profile"):
            i = 2 if self.is_word(0, "explain") and self.is_word(1, "logical") else 1
        self.expect_head(i, f"a statement starts with {_HEADS}")
        while i < len(self.tokens):
            i = self.check_token(i)

    def expect_head(self, i: int, reason: str) -> None:
        token = self.at(i)
        if token is None:
            last = self.tokens[-1]
            raise CypherRefused(Refusal(last.shown(), last.line, last.column, reason))
        if not (token.kind == WORD and token.lower in READING_HEADS):
            raise _refuse(token, reason)

    def check_token(self, i: int) -> int:
        """Check the token at ``i`` (and what belongs to it); the index of the next to check."""
        token = self.tokens[i]
        if token.kind == PUNCT:
            if token.text == ";":
                raise _refuse(token, "one statement at a time")
            if token.text == "{" and i in self.subquery_braces:
                self.expect_head(i + 1, f"a subquery starts with {_HEADS}")
            return i + 1
        if token.kind not in (WORD, NAME):
            return i + 1
        if self.is_punct(i - 1, "."):  # a property key (or the rest of a dotted call, skipped)
            return i + 1
        if self.is_punct(i + 1, ":") and not self.ends_expression(i - 1):
            return i + 1  # a map key, a variable with its label, a label predicate's variable
        if token.kind == WORD and token.lower in READING_KEYWORDS:
            return self.check_reading_keyword(i)
        if token.kind == WORD and token.lower in _REFUSED_KEYWORDS:
            raise _refuse(token, "not a reading clause or keyword")
        call = self.dotted_call(i)
        if call is not None:
            name, shown, opening = call
            if name.lower() not in FUNCTIONS:
                raise _refuse(token, f"{shown}() is not a known read-only function", shown)
            return opening
        if self.ends_expression(i - 1):
            raise _refuse(token, "cannot tell what this word does here")
        return i + 1

    def check_reading_keyword(self, i: int) -> int:
        word = self.tokens[i].lower
        if word == "call":
            return self.check_call(i)
        if word == "optional" and not self.is_word(i + 1, "match", "call"):
            raise _refuse(self.tokens[i], "OPTIONAL goes with MATCH or CALL")
        if word == "union":
            after = i + 2 if self.is_word(i + 1, "all") else i + 1
            self.expect_head(after, f"a query after UNION starts with {_HEADS}")
        # EXISTS { ... } and COUNT { ... } hold a query or just a pattern: EXISTS { (a)-->(b) }
        pattern_only = word != "collect" and self.is_punct(i + 2, "(")
        if (
            word in ("exists", "count", "collect")
            and self.is_punct(i + 1, "{")
            and not pattern_only
        ):
            self.subquery_braces.add(i + 1)
        return i + 1

    def check_call(self, i: int) -> int:
        call = self.tokens[i]
        if self.is_punct(i + 1, "{"):
            self.subquery_braces.add(i + 1)
            return i + 1
        if self.is_punct(i + 1, "("):  # Neo4j's CALL (a, b) { ... }: variables, then a body
            j = i + 2
            while self.at(j) is not None and not self.is_punct(j, ")"):
                token = self.tokens[j]
                if not (token.kind in (WORD, NAME) or token.text in (",", "*")):
                    raise _refuse(token, "CALL ( ) takes only variables before its { subquery }")
                j += 1
            if not self.is_punct(j + 1, "{"):
                raise _refuse(call, "CALL ( ) must be followed by a { subquery }")
            self.subquery_braces.add(j + 1)
            return j + 1
        procedure = self.dotted_call(i + 1)
        if procedure is None:
            target = self.at(i + 1)
            shown = f"CALL {target.shown()}" if target is not None else "CALL"
            raise _refuse(
                call,
                "CALL must name a known read-only procedure with ( ) or open a { subquery }",
                shown,
            )
        name, shown, opening = procedure
        if name.lower() not in PROCEDURES:
            raise _refuse(call, "not a known read-only procedure", f"CALL {shown}")
        return opening

    def dotted_call(self, i: int) -> tuple[str, str, int] | None:
        """(name ``a.b.c``, name as written, index of its ``(``) when a call's name starts at
        ``i``, else None."""
        parts: list[Token] = []
        j = i
        while True:
            token = self.at(j)
            if token is None or token.kind not in (WORD, NAME):
                return None
            parts.append(token)
            if self.is_punct(j + 1, "("):
                name = ".".join(part.text for part in parts)
                return name, ".".join(part.shown() for part in parts), j + 1
            if not self.is_punct(j + 1, "."):
                return None
            j += 2

    def ends_expression(self, i: int) -> bool:
        """Whether the token at ``i`` completes an expression (so a clause could follow it)."""
        token = self.at(i)
        if token is None:
            return False
        if token.kind in (NAME, STRING, NUMBER, PARAM):
            return True
        if token.kind == WORD:
            return token.lower in _ENDING_KEYWORDS or token.lower not in READING_KEYWORDS
        if token.text in (")", "]", "}"):
            return True
        # RETURN *, WITH *, WITH DISTINCT *
        return token.text == "*" and self.is_word(i - 1, "return", "with", "distinct")


def _refuse(token: Token, reason: str, shown: str | None = None) -> CypherRefused:
    return CypherRefused(Refusal(shown or token.shown(), token.line, token.column, reason))
