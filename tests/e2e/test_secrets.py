"""No password leaves infoops, and every failure that involves a Neo4j address is one line.

Against the real Neo4j server: a wrong password, a stopped server, an unknown database, malformed
addresses and addresses with ``user:password@`` in them, on every command that takes
``--neo4j-uri``; a connection lost mid-query, mid-transaction and at commit (a relay in front of
the server drops it when the client sends a chosen statement). Each must exit 1 with exactly one
line on stderr that names the address without credentials, and the password must appear nowhere
in stdout or stderr: as written, %-encoded or %-decoded. A bug's traceback (an unexpected
exception, a stray EOFError) is redacted by ``main``, on both engines, and a page written while
logged in through the URI holds no password.

The CLI runs in this process through ``main()``, the installed entry point with its last-resort
handler, with ``sys.argv`` and the environment set as a shell would set them.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote, urlsplit

import pytest

from conftest import Neo4jServer, engine_args, engine_env
from infoops import queries as query_library
from infoops.cli.app import main
from infoops.engines import EngineSettings, open_engine
from infoops.errors import EngineError
from infoops.loaders.twitter_io import load_twitter
from twitter_files import REAL_USERS, account, tweet, write_tweets

# A password that must be %-encoded in a URI ("+", "@", "/"), and one written as it is.
SECRET = "Zq7+s3cr@t/pw-8841"
WRITTEN = quote(SECRET, safe="")  # Zq7%2Bs3cr%40t%2Fpw-8841
PLAIN_SECRET = "Plain5ecretPw7733"
ENV_NAMES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE", "INFOOPS_DB")
COMMIT = b"\x00\x02\xb0\x12\x00\x00"  # Bolt: one chunk holding COMMIT (struct 0xB0, tag 0x12)


def forms(secret: str) -> set[str]:
    """How a password may show: as given, %-encoded either way, %-decoded."""
    return {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), unquote(secret)}


@dataclass
class Run:
    code: object
    out: str
    err: str


def run_main(
    args: list[object],
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """``infoops ARGS`` through the entry point, in an environment holding only ``env``'s
    Neo4j settings."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["infoops", *(str(arg) for arg in args)])
    capsys.readouterr()
    # As in a shell, no logging is configured (pytest's capture would swallow what the driver
    # logs): Python's last-resort handler prints warnings to stderr, where users see them.
    configured = logging.root.handlers[:]
    logging.root.handlers.clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        logging.root.handlers[:] = configured
    captured = capsys.readouterr()
    return Run(stopped.value.code, captured.out, captured.err)


def assert_no_secret(run: Run, secrets: list[str], what: str) -> None:
    output = run.out + run.err
    for secret in secrets:
        for form in forms(secret):
            assert form not in output, f"{what}: the password shows as {form!r}:\n{output}"


def assert_one_line(run: Run, shown: str, expected: str, secrets: list[str], what: str) -> None:
    """Exit 1, one line on stderr naming ``shown`` (the address, no credentials), no password."""
    assert_no_secret(run, secrets, what)
    assert run.code == 1, f"{what}: exit {run.code}\n{run.out}{run.err}"
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, f"{what}: {len(lines)} lines on stderr:\n{run.err}"
    assert shown in lines[0] and expected in lines[0], f"{what}: {lines[0]}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_host(server: Neo4jServer) -> str:
    return urlsplit(server.settings.neo4j_uri or "").netloc


def small_release(tmp_path: Path) -> list[Path]:
    alice, bob = account("1180000000000000001", "alice"), account("22", "bob")
    rows = [
        tweet("100", bob, hashtags="['HongKong']"),
        tweet("101", alice, is_retweet="True", retweet_userid="22", retweet_tweetid="100"),
    ]
    return [REAL_USERS, write_tweets(tmp_path / "tweets.csv", rows)]


@pytest.fixture
def source_db(tmp_path: Path) -> Path:
    """An embedded database with a small release in it: what push copies."""
    db = tmp_path / "source.db"
    with open_engine(EngineSettings(db=db)) as engine:
        load_twitter(
            engine, small_release(tmp_path), "secrets-test", quarantine_path=tmp_path / "q"
        )
    return db


def every_command(tmp_path: Path, source_db: Path) -> dict[str, list[object]]:
    """Every command that takes --neo4j-uri, with the arguments it needs besides."""
    return {
        "query": ["query", "RETURN 1 AS one"],
        "queries run": ["queries", "run", "cluster-sizes"],
        "summary": ["summary"],
        "chains": ["chains", "--account", "alice", "--out", tmp_path / "chains.html"],
        "cascade": ["cascade", "--tweet", "100", "--out", tmp_path / "cascade.html"],
        "export csv": ["export", "csv", "--cypher", "RETURN 1 AS one", "--out", tmp_path / "c"],
        "export gexf": ["export", "gexf", "--account", "alice", "--out", tmp_path / "v.gexf"],
        "export neo4j-import": ["export", "neo4j-import", tmp_path / "import"],
        "load twitter": ["load", "twitter", REAL_USERS, "--disclosure", "x", "--quiet"],
        "push": ["push", "--db", source_db, "--quiet"],
        "demo": ["demo", tmp_path / "demo", "--quiet"],
    }


# -- the address, the login and the database, on every command ----------------------------------


@dataclass(frozen=True)
class Case:
    uri: str  # {host}: the test server's host:port; {free}: a port nothing listens on
    shown: str  # what the error line must name
    expected: str  # and what it must say
    env: tuple[tuple[str, str], ...] = ()


CASES = {
    "wrong password in NEO4J_PASSWORD": Case(
        "bolt://{host}",
        "bolt://{host}",
        "refused the login of user 'neo4j'",
        (("NEO4J_PASSWORD", SECRET),),
    ),
    "wrong password in the URI": Case(
        f"bolt://neo4j:{WRITTEN}@{{host}}", "bolt://{host}", "refused the login of user 'neo4j'"
    ),
    "stopped server": Case(
        f"bolt://neo4j:{WRITTEN}@127.0.0.1:{{free}}",
        "bolt://127.0.0.1:{free}",
        "no server answers there",
    ),
    "stopped server, routing scheme": Case(  # the driver logs a routing failure first
        f"neo4j://neo4j:{WRITTEN}@127.0.0.1:{{free}}",
        "neo4j://127.0.0.1:{free}",
        "no server answers there",
    ),
    "unknown database": Case(
        "bolt://neo4j:{password}@{host}",
        "bolt://{host}",
        "has no database 'no_such_db'",
        (("NEO4J_DATABASE", "no_such_db"),),
    ),
    "unclosed IPv6 bracket": Case(
        f"bolt://neo4j:{WRITTEN}@[::1", "bolt://[::1", "cannot read the Neo4j address"
    ),
    "port out of range": Case(
        f"bolt://neo4j:{WRITTEN}@127.0.0.1:99999",
        "bolt://127.0.0.1:99999",
        "cannot read the Neo4j address",
    ),
    "port not a number": Case(
        f"bolt://neo4j:{WRITTEN}@h:port", "bolt://h:port", "cannot read the Neo4j address"
    ),
    "host name IDNA refuses": Case(
        f"bolt://neo4j:{WRITTEN}@a..b:7687", "bolt://a..b:7687", "cannot read the Neo4j address"
    ),
    "newline inside": Case(
        f"bolt://neo4j:{WRITTEN}@127.0.0.1:7687\n:1",
        "bolt://127.0.0.1:7687\\n:1",
        "cannot read the Neo4j address",
    ),
    "user name with a slash": Case(  # urlsplit takes "/o:..." for a path, password and all
        f"bolt://ne/o:{PLAIN_SECRET}@127.0.0.1:{{free}}",
        "bolt://127.0.0.1:{free}",
        "no server answers there",
    ),
    "not a Bolt scheme": Case(
        f"http://neo4j:{WRITTEN}@{{host}}", "http://{host}", "use a Bolt address"
    ),
}


@pytest.mark.neo4j
@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_every_command_fails_in_one_line_without_the_password(
    case: Case,
    neo4j_server: Neo4jServer,
    source_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    password = neo4j_server.settings.neo4j_password or ""
    fill = {"host": server_host(neo4j_server), "free": str(free_port())}
    uri = case.uri.format(password=quote(password, safe=""), **fill)
    env = dict(case.env)
    env.setdefault("NEO4J_PASSWORD", "")  # a login comes only from the URI, unless given here
    secrets = [SECRET, PLAIN_SECRET, password]
    for name, args in every_command(tmp_path, source_db).items():
        run = run_main([*args, "--neo4j-uri", uri], env, monkeypatch, capsys)
        assert_one_line(run, case.shown.format(**fill), case.expected, secrets, name)


@pytest.mark.neo4j
def test_a_uri_where_no_option_expects_it_is_quoted_without_the_password(
    neo4j_server: Neo4jServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host = server_host(neo4j_server)
    run = run_main(["summary", f"bolt://neo4j:{WRITTEN}@{host}"], {}, monkeypatch, capsys)
    assert run.code == 2 and "unexpected extra argument" in run.err, run.err
    assert f"(bolt://{host})" in run.err, run.err
    assert_no_secret(run, [SECRET], "a usage error")


# -- a connection lost mid-query, mid-transaction, at commit -------------------------------------


class Relay:
    """A TCP relay to the test server that drops a connection once, when the client sends
    ``cut`` (after it sent ``armed_by``, if given): a server lost mid-query, as the driver sees
    it. Everything else passes through unchanged."""

    def __init__(self, server_port: int, cut: bytes, armed_by: bytes | None = None) -> None:
        self.server_port, self.cut, self.armed_by = server_port, cut, armed_by
        self.armed, self.done = armed_by is None, False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(("127.0.0.1", self.server_port))
            self.sockets += [client, server]
            for src, dst in ((client, server), (server, client)):
                pipe = threading.Thread(target=self._pipe, args=(src, dst, src is client))
                pipe.daemon = True
                pipe.start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while data := src.recv(65536):
                if from_client and not self.done:
                    if self.armed and self.cut in data:
                        self.done = True
                        break
                    self.armed = self.armed or (self.armed_by or b"") in data
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()
        for sock in self.sockets:
            sock.close()


MakeRelay = Callable[[bytes, bytes | None], Relay]


@pytest.fixture
def relay_to(neo4j_settings: EngineSettings) -> Iterator[MakeRelay]:
    """Relays to the emptied test server (closed after the test)."""
    made: list[Relay] = []
    port = int(urlsplit(neo4j_settings.neo4j_uri or "").port or 0)

    def make(cut: bytes, armed_by: bytes | None) -> Relay:
        made.append(Relay(port, cut, armed_by))
        return made[-1]

    yield make
    for relay in made:
        relay.close()


LOST = {
    # command, what the relay cuts on (and after what), the driver path it takes
    "query (a read in its own transaction)": (
        ["query", "RETURN 'cut-here' AS marker"],
        b"cut-here",
        None,
    ),
    "summary (Arrow columns, run_table)": (["summary"], b"RETURN t.time_s", None),
    "coordination (a read in parts at once, run_tables)": (
        ["coordination", "co-retweet", "--window", "60"],
        b"% $parts",
        None,
    ),
    "push (a commit of the caller's transaction)": (
        ["push", "--db", "{source_db}", "--quiet"],
        COMMIT,
        b"CREATE (:Disclosure",
    ),
}


@pytest.mark.neo4j
@pytest.mark.parametrize(("args", "cut", "armed_by"), list(LOST.values()), ids=list(LOST))
def test_a_connection_lost_mid_run_is_one_line_without_the_password(
    args: list[str],
    cut: bytes,
    armed_by: bytes | None,
    relay_to: MakeRelay,
    neo4j_settings: EngineSettings,
    source_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    password = neo4j_settings.neo4j_password or ""
    relay = relay_to(cut, armed_by)
    uri = f"bolt://neo4j:{quote(password, safe='')}@127.0.0.1:{relay.port}"
    args = [arg.format(source_db=source_db) for arg in args]
    run = run_main([*args, "--neo4j-uri", uri], {}, monkeypatch, capsys)
    assert relay.done, "the relay never saw the statement it was to cut"
    assert_one_line(
        run, f"bolt://127.0.0.1:{relay.port}", "lost the connection", [password], args[0]
    )


@pytest.mark.neo4j
def test_a_commit_on_a_lost_connection_is_an_engine_error(
    relay_to: MakeRelay, neo4j_settings: EngineSettings
) -> None:
    password = neo4j_settings.neo4j_password or ""
    relay = relay_to(COMMIT, b"infoops-planted")
    uri = f"bolt://neo4j:{quote(password, safe='')}@127.0.0.1:{relay.port}"
    with (
        open_engine(EngineSettings(neo4j_uri=uri)) as engine,
        pytest.raises(EngineError) as caught,
        engine.transaction(),
    ):
        engine.run("CREATE (:Disclosure {id: 'infoops-planted'})")
    message = str(caught.value)
    assert relay.done and f"bolt://127.0.0.1:{relay.port}" in message
    assert "may or may not have been applied" in message and "\n" not in message
    assert not any(form in message for form in forms(password))


# -- a bug's traceback, on both engines -----------------------------------------------------------


def _bug_run(
    engine_settings: EngineSettings,
    error: BaseException,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[Run, list[str]]:
    """``infoops query`` with ``error`` raised inside the command, logged in with a password:
    NEO4J_PASSWORD for the embedded engine, a URI with user:password@ for the server."""
    open_engine(engine_settings).close()  # the database exists; the bug is what fails

    def broken(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(query_library, "run_cypher", broken)  # where `infoops query` takes it
    args: list[object] = ["query", "RETURN 1 AS one"]
    if engine_settings.neo4j_uri:
        password = engine_settings.neo4j_password or ""
        host = urlsplit(engine_settings.neo4j_uri).netloc
        args += ["--neo4j-uri", f"bolt://neo4j:{quote(password, safe='')}@{host}"]
        return run_main(args, {}, monkeypatch, capsys), [password]
    args += engine_args(engine_settings)
    return run_main(args, {"NEO4J_PASSWORD": SECRET}, monkeypatch, capsys), [SECRET]


def test_an_unexpected_error_is_a_short_redacted_traceback(
    engine_settings: EngineSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = engine_settings.neo4j_password or SECRET
    cause = ValueError(f"while reading bolt://neo4j:{quote(secret, safe='')}@db.example:7687")
    error = RuntimeError(f"could not finish with password {secret!r} and {quote_plus(secret)}")
    error.__cause__ = cause
    run, secrets = _bug_run(engine_settings, error, monkeypatch, capsys)
    assert_no_secret(run, secrets, "an unexpected error")
    assert run.code == 1, run.err
    assert "RuntimeError: could not finish with password '***'" in run.err, run.err
    assert "ValueError: while reading bolt://db.example:7687" in run.err, run.err
    last = run.err.strip().splitlines()[-1]
    assert last.startswith("error: unexpected RuntimeError, a bug in infoops"), last
    assert len(run.err.splitlines()) <= 60, run.err


def test_a_stray_eof_is_a_bug_not_an_abort(
    engine_settings: EngineSettings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = engine_settings.neo4j_password or SECRET
    run, secrets = _bug_run(
        engine_settings, EOFError(f"no more data ({secret})"), monkeypatch, capsys
    )
    assert_no_secret(run, secrets, "an EOFError")
    assert run.code == 1 and "aborted" not in run.err, run.err
    assert "error: unexpected EOFError, a bug in infoops" in run.err, run.err


# -- pages ---------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_pages_written_while_logged_in_through_the_uri_hold_no_password(
    neo4j_settings: EngineSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with open_engine(neo4j_settings) as engine:
        load_twitter(
            engine, small_release(tmp_path), "secrets-test", quarantine_path=tmp_path / "q"
        )
    password = neo4j_settings.neo4j_password or ""
    host = urlsplit(neo4j_settings.neo4j_uri or "").netloc
    uri = f"bolt://neo4j:{quote(password, safe='')}@{host}"
    pages = {
        "chains": ["chains", "--account", "alice", "--out", tmp_path / "chains.html"],
        "cascade": ["cascade", "--tweet", "100", "--out", tmp_path / "cascade.html"],
        "query --format html": [
            "query",
            "MATCH (a:Account)-[e:AMPLIFIED]->(b:Account) RETURN a, e, b",
            "--format",
            "html",
            "--out",
            tmp_path / "query.html",
        ],
    }
    for name, args in pages.items():
        run = run_main([*args, "--neo4j-uri", uri], {}, monkeypatch, capsys)
        assert run.code == 0, f"{name}: {run.err}"
        assert_no_secret(run, [password], name)
        page = Path(str(args[-1])).read_text(encoding="utf-8")
        assert not any(form in page for form in forms(password)), name
        if name != "query --format html":  # a view's header names the command that made it
            assert f"bolt://{host}" in page, name


# -- a file the user named cannot be written ------------------------------------------------


def test_an_unwritable_output_is_one_line_naming_it(
    engine_settings: EngineSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An OSError about a path the user gave (here a file where --out needs a folder) is the
    user's to fix: one line naming the path, not a bug report."""
    open_engine(engine_settings).close()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file", encoding="utf-8")
    out = blocker / "export"
    args: list[object] = ["export", "csv", "--cypher", "RETURN 1 AS one", "--out", out]
    env = {k: v for k, v in engine_env(engine_settings).items() if v is not None}
    run = run_main([*args, *engine_args(engine_settings)], env, monkeypatch, capsys)
    assert run.code == 1, run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and str(blocker) in lines[0], run.err
    assert lines[0].startswith("error: ") and "bug" not in lines[0], run.err
