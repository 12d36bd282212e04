"""Case- and accent-blind matching that the database does: "sarunas" finds "Šarūnas".

SQLite gets a Python function on every connection (planner/db.py); PostgreSQL translates the
accented Latin letters to their base letter with the built-in translate(), so neither needs an
extension or a stored copy of the names.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "planner_fold"


def fold_text(text: str | None) -> str:
    """PURE: lower case without accents ("Šarūnas" -> "sarunas"); None -> ""."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _accent_map() -> tuple[str, str]:
    """The Latin letters (Latin-1 and Extended-A/B) that fold to one ASCII letter, and theirs."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = fold_text(char)
        if len(base) == 1 and base.isascii() and base.isalpha() and base != char.lower():
            accented.append(char)
            plain.append(base)
    return "".join(accented), "".join(plain)


ACCENTED, PLAIN = _accent_map()


class fold(FunctionElement[str]):
    """SQL: the folded value of a text column (see fold_text)."""

    type = String()
    inherit_cache = True


@compiles(fold)
def _fold_default(element: fold, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(fold, "sqlite")
def _fold_sqlite(element: fold, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(fold, "postgresql")
def _fold_postgresql(element: fold, compiler: Any, **kw: Any) -> str:
    # The map holds letters only (no quote or backslash), so it is safe as a literal.
    # translate() with a map of ~300 letters is slow (a picker search over 10,000 people spent
    # ~90 ms per column in it); text that is all ASCII (as many bytes as characters) has nothing
    # to translate, so it is only lowered: the same result at a quarter of the cost.
    column = compiler.process(element.clauses, **kw)
    return (
        f"CASE WHEN octet_length({column}) = char_length({column}) THEN lower({column}) "
        f"ELSE lower(translate({column}, '{ACCENTED}', '{PLAIN}')) END"
    )


def register_sqlite(dbapi_connection: Any) -> None:
    """Give one SQLite connection the fold function (deterministic, so indexes may use it)."""
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold_text, deterministic=True)
