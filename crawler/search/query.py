"""Read-only SQL over the archive: refused by construction, not by convention.

Three locks: the file is opened with `mode=ro`, `PRAGMA query_only` is on, and an
authorizer allows only reading (SELECT, reads, functions other than load_extension,
recursive CTEs, and a few pragmas that only report). ATTACH (and so VACUUM INTO),
writes, schema changes, transactions and pragma assignments are denied before they run.
A refusal names the statement as the user wrote it (its first keywords), not the
internal action SQLite asked about.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from crawler.archive import guard

# Pragmas that describe a table or index named in their argument.
DESCRIBE_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
}
# Pragmas that report, allowed without an argument only (with one, most of them assign).
READ_PRAGMAS = DESCRIBE_PRAGMAS | {
    "table_list",
    "database_list",
    "collation_list",
    "function_list",
    "module_list",
    "pragma_list",
    "compile_options",
    "user_version",
    "schema_version",
    "page_count",
    "page_size",
    "freelist_count",
    "encoding",
    "journal_mode",
    "query_only",
    "data_version",
    "application_id",
}
DENIED_FUNCTIONS = {"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"}
ACTIONS = (
    "CREATE_INDEX CREATE_TABLE CREATE_TEMP_INDEX CREATE_TEMP_TABLE CREATE_TEMP_TRIGGER "
    "CREATE_TEMP_VIEW CREATE_TRIGGER CREATE_VIEW DELETE DROP_INDEX DROP_TABLE DROP_TEMP_INDEX "
    "DROP_TEMP_TABLE DROP_TEMP_TRIGGER DROP_TEMP_VIEW DROP_TRIGGER DROP_VIEW INSERT PRAGMA READ "
    "SELECT TRANSACTION UPDATE ATTACH DETACH ALTER_TABLE REINDEX ANALYZE CREATE_VTABLE "
    "DROP_VTABLE FUNCTION SAVEPOINT RECURSIVE"
).split()
ACTION_NAMES = {getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ") for name in ACTIONS}


# Comments, quoted names and strings, words, and any other single character, in SQL text.
TOKEN = re.compile(
    r"""--[^\n]*|/\*.*?(?:\*/|$)|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`[^`]*`?"""
    r"""|\[[^\]]*\]?|[A-Za-z_][A-Za-z_0-9$]*|\S""",
    re.S,
)
MAIN_VERBS = {"SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE"}  # what follows WITH
SCHEMA_OBJECTS = {"TABLE", "INDEX", "VIEW", "TRIGGER"}
READING_VERBS = {"SELECT", "VALUES"}
READ_ONLY = "legalnews query is read-only"
Refusal = tuple[str, str | None]  # the authorizer's action name and its table, pragma or function


class QueryRefused(Exception):
    """The statement would write, attach, change a pragma or load code; the message says which."""


def statement_words(sql: str) -> list[str]:
    """Return the tokens of `sql` without comments, words upper-cased, quoted text as '?'."""
    words = []
    for token in TOKEN.findall(sql):
        if token.startswith(("--", "/*")):
            continue
        words.append(
            token.upper()
            if token[0].isalpha() or token[0] == "_"
            else "?"
            if token[0] in "'\"`["
            else token
        )
    return words


def statement_verb(words: list[str]) -> str:
    """Return the statement's kind as written: 'VACUUM', 'DROP TABLE', 'CREATE TEMP VIEW',
    'DELETE'."""
    while words and words[0] in ("EXPLAIN", "QUERY", "PLAN"):
        words = words[1:]
    if not words:
        return ""
    if (
        words[0] == "WITH"
    ):  # the statement's verb is the first one outside the parentheses of its CTEs
        depth = 0
        for word in words:
            depth += (word == "(") - (word == ")")
            if depth == 0 and word in MAIN_VERBS:
                return word
    if words[0] == "CREATE":
        end = next((i for i, w in enumerate(words[:5]) if w in SCHEMA_OBJECTS), 0)
        return " ".join(words[: end + 1]) if end else "CREATE"
    if words[0] in ("DROP", "ALTER") and len(words) > 1:
        return f"{words[0]} {words[1]}"
    return words[0]


def refusal_message(sql: str, refusal: Refusal) -> str:
    """Return the one-line refusal of `sql`, naming what the user wrote."""
    verb = statement_verb(statement_words(sql))
    action, detail = refusal
    if action == "FUNCTION":
        what = f"{detail}()"
    elif action == "PRAGMA":
        what = f"PRAGMA {detail}"
    elif verb in READING_VERBS and detail in ("sqlite_master", "sqlite_schema"):
        # SQLite asks to write the schema when it first connects an eponymous virtual table
        what = f"{verb} from a table-valued function"
    elif verb in READING_VERBS:
        what = f"{verb} ({' '.join(filter(None, (action, detail)))})"
    else:
        what = verb
    return f"{what} is refused: {READ_ONLY}"


def _authorizer(refusals: list[Refusal]):
    def authorize(action: int, arg1, arg2, _db, _trigger) -> int:
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() not in DENIED_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if (arg2 is None and name in READ_PRAGMAS) or name in DESCRIBE_PRAGMAS:
                return sqlite3.SQLITE_OK
        detail = arg2 if action == sqlite3.SQLITE_FUNCTION else arg1
        refusals.append((ACTION_NAMES.get(action, str(action)), detail))
        return sqlite3.SQLITE_DENY

    return authorize


def connect_virtual_tables(conn: sqlite3.Connection) -> None:
    """Connect the archive's virtual tables (the search index) before the authorizer is set.

    SQLite asks the authorizer to write sqlite_master when it first connects a virtual table
    on a connection; refused, the search index could not even be read. Connected once here,
    reading it needs only reads; writing to it is still refused.
    """
    names = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall()
    for (name,) in names:
        quoted = name.replace('"', '""')
        try:
            conn.execute(f'SELECT 1 FROM "{quoted}" LIMIT 0').fetchall()
        except sqlite3.Error:
            pass  # a module this SQLite lacks: a query of that table reports it


def connect_readonly(path: str | Path) -> tuple[sqlite3.Connection, list[Refusal]]:
    """Return a read-only connection to an existing archive, and the list its refusals go to."""
    from crawler.archive.schema import MIGRATIONS  # late: schema pulls in the writing side

    try:  # an older schema reads fine with SQL of its own time; anything else is refused
        conn = guard.connect_readonly(path, guard.archive_version(path, len(MIGRATIONS)))
    except guard.ArchiveError as exc:
        raise QueryRefused(str(exc)) from None
    connect_virtual_tables(conn)
    refusals: list[Refusal] = []
    conn.set_authorizer(_authorizer(refusals))
    return conn, refusals


def run_query(
    path: str | Path, sql: str, params: dict | None = None
) -> tuple[list[str], Iterator[tuple]]:
    """Return the column names and a row iterator of one read-only SQL statement."""
    if not any(w[0].isalpha() or w[0] == "_" for w in statement_words(sql)):
        raise QueryRefused("no SQL statement given")
    conn, refusals = connect_readonly(path)
    try:
        cursor = conn.execute(sql, params or {})
    except sqlite3.ProgrammingError as exc:
        conn.close()
        raise QueryRefused(f"{exc} (one read-only statement only)") from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        if refusals:
            raise QueryRefused(refusal_message(sql, refusals[0])) from None
        raise QueryRefused(str(exc)) from None
    columns = [d[0] for d in cursor.description or []]

    def rows() -> Iterator[tuple]:
        try:
            yield from cursor
        finally:
            conn.close()

    return columns, rows()
