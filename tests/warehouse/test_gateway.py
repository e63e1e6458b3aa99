"""Every SQL statement lives under ``warehouse/``: the rest of the code calls its named queries.

A scan of the string literals in ``src/`` outside ``warehouse/`` (f-strings with their placeholders), so a
statement written elsewhere fails here with its file and line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sdmonitor

SOURCE = Path(sdmonitor.__file__).parent
WAREHOUSE = SOURCE / "warehouse"

# Modules outside warehouse/ that still hold SQL, each with the reason. Remove an entry when it is moved.
EXEMPT: dict[Path, str] = {}

# SQL as the code writes it: upper-case keywords (names such as DELETED_SHARE are not words of their own),
# or any case for the pairs that do not occur in prose.
SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|DESCRIBE|PRAGMA)\b"
    r"|(?i:\bselect\b.+\bfrom\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+\w+\s+set\b"
    r"|information_schema|\bnextval\s*\()",
    re.DOTALL,
)


def literals(tree: ast.AST) -> list[tuple[int, str]]:
    """Each string literal with its line; an f-string as one text with ``{}`` for its placeholders."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}"
                for part in node.values
            )
            found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def sql_outside_the_warehouse() -> dict[Path, list[str]]:
    """Per module outside warehouse/: 'line: text' of every literal that reads as SQL."""
    found: dict[Path, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if path.is_relative_to(WAREHOUSE):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        hits = [f"{line}: {text[:80]!r}" for line, text in literals(tree) if SQL.search(text)]
        if hits:
            found[path] = sorted(set(hits))
    return found


def test_sql_is_written_only_under_warehouse() -> None:
    found = sql_outside_the_warehouse()
    offending = {path: hits for path, hits in found.items() if path not in EXEMPT}
    assert offending == {}, "SQL outside warehouse/: move it behind a named function in sdmonitor.warehouse"
    stale = [path for path in EXEMPT if path.exists() and path not in found]
    assert stale == [], "no SQL left here: remove the exemption"


def test_the_scan_finds_sql_in_strings_and_f_strings() -> None:
    code = (
        "a = 'SELECT count(*) FROM loads'\n"
        "b = f'select {columns} from {table} where x = ?'\n"
        "c = 'DELETE FROM providers'\n"
        "d = \"SELECT nextval('load_ids')\"\n"
        "e = 'Toon de laadacties: wanneer, welk bestand.'\n"
        "f = 'allocations sent by mistake are deleted from the count'\n"
        "DELETED_SHARE = 0.003\n"
    )
    hits = [line for line, text in literals(ast.parse(code)) if SQL.search(text)]
    assert sorted(set(hits)) == [1, 2, 3, 4]
