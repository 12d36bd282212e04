"""The translation catalogues: extract, update, compile and check (pybabel's steps, as code).

    python -m planner.i18n.catalogue update    # extract the marked strings, merge into nl and lt
    python -m planner.i18n.catalogue compile   # .po -> .mo (the wheel ships both)
    python -m planner.i18n.catalogue check     # exit 1 when a string lacks a translation or a
                                               # catalogue is stale (CI and tests call this)

The same as `pybabel extract -F babel.cfg -k N_ -k _l -k lazy_gettext -o messages.pot .`, then
`pybabel update -i messages.pot -d planner/translations`, `pybabel compile -d planner/translations`.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from planner.i18n.content import shipped_texts

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = (PACKAGE / "_templates").resolve()
TRANSLATIONS = PACKAGE / "translations"
LOCALES = ("nl", "lt")
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "N_": None,  # marked only; translated where shown (planner/scheduler/spread_words.py)
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}
PLURAL_FORMS = {
    "nl": "nplurals=2; plural=(n != 1);",
    "lt": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
STAMP = datetime(2026, 12, 1, tzinfo=UTC)
SKIP = ("bench/", "migrations/")  # engineers' benchmark output and schema history


def extract() -> Catalog:
    """Every marked string of the Python code and the templates, as a template catalogue."""
    catalog = Catalog(project="Service Week Planner", charset="utf-8", creation_date=STAMP)
    sources = [
        (PACKAGE, [("**.py", "python")], PACKAGE.name + "/"),
        (TEMPLATES, [("**.html", "jinja2.ext:babel_extract")], "templates/"),
    ]
    for folder, method_map, prefix in sources:
        options = {"**.html": {"extensions": "jinja2.ext.do", "trimmed": "true"}}
        found = extract_from_dir(
            folder, method_map, options_map=options, keywords=KEYWORDS, strip_comment_tags=True
        )
        for filename, lineno, message, comments, context in found:
            if filename.startswith(SKIP):
                continue
            catalog.add(
                message,
                None,
                [(prefix + filename, lineno)],
                auto_comments=comments,
                context=context,
            )
    for text in sorted(shipped_texts()):
        catalog.add(text, None, [("planner/data/library.json", 0)])
    from planner.i18n.cli_help import help_texts  # the commands import much of the app

    for text in help_texts():  # `planner` commands' docstrings and help= texts, click's words
        catalog.add(text, None, [("planner/cli.py", 0)])
    return catalog


def po_path(locale: str) -> Path:
    """Where a language's catalogue lives."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read(locale: str) -> Catalog:
    """A language's catalogue (empty when it does not exist yet)."""
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="Service Week Planner")
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def write(catalog: Catalog, locale: str) -> None:
    """Write a catalogue back: our Plural-Forms, fixed dates, no line numbers (small diffs)."""
    plurals, expression = PLURAL_FORMS[locale].split("; plural=")
    catalog._num_plurals = int(plurals.removeprefix("nplurals="))  # type: ignore[assignment]
    catalog._plural_expr = expression.removesuffix(";")  # type: ignore[assignment]
    catalog.creation_date = catalog.revision_date = STAMP
    catalog.last_translator = "Service Week Planner team"
    catalog.language_team = f"{locale} (see docs/glossary.md)"
    catalog.fuzzy = False
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def update() -> None:
    """Extract and merge the strings into every language's catalogue."""
    template = extract()
    for locale in LOCALES:
        catalog = read(locale)
        catalog.update(template, no_fuzzy_matching=True)
        write(catalog, locale)


def compile_all() -> None:
    """Compile every .po into the .mo Flask-Babel reads."""
    for locale in LOCALES:
        with po_path(locale).with_suffix(".mo").open("wb") as f:
            write_mo(f, read(locale), use_fuzzy=False)


def problems() -> list[str]:
    """What is wrong with the catalogues: missing, untranslated, fuzzy, stale or uncompiled."""
    wanted = {m.id for m in extract() if m.id}
    found: list[str] = []
    for locale in LOCALES:
        catalog = read(locale)
        have = {m.id for m in catalog if m.id}
        found += [f"{locale}: not in the catalogue (run update): {_show(i)}" for i in wanted - have]
        found += [f"{locale}: no longer used (run update): {_show(i)}" for i in have - wanted]
        for m in catalog:
            if not m.id:
                continue
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            if not all(strings) or m.fuzzy:
                found.append(f"{locale}: untranslated: {_show(m.id)}")
        mo = po_path(locale).with_suffix(".mo")
        if not mo.exists():
            found.append(f"{locale}: not compiled (run compile)")
            continue
        with mo.open("rb") as f:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
        if compiled != {_key(m.id): _key(m.string) for m in catalog if m.id and not m.fuzzy}:
            found.append(f"{locale}: the .mo is older than the .po (run compile)")
    return sorted(found)


def _key(value: Any) -> Any:
    """A message id or string as a hashable value (plural forms come as lists from a .mo)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _show(msgid: Any) -> str:
    return repr(msgid[0] if isinstance(msgid, tuple) else msgid)


def main(argv: list[str]) -> int:
    """Run one step: extract (to stdout), update, compile or check."""
    step = argv[0] if argv else ""
    if step == "extract":
        buffer = io.BytesIO()
        write_po(buffer, extract(), width=100, include_lineno=False)
        sys.stdout.write(buffer.getvalue().decode())
    elif step == "update":
        update()
    elif step == "compile":
        compile_all()
    elif step == "check":
        found = problems()
        print("\n".join(found) or "Catalogues are complete and up to date.")
        return 1 if found else 0
    else:
        print("usage: python -m planner.i18n.catalogue extract|update|compile|check")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
