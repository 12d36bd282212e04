"""`planner --help` and every command's help in the terminal's language (PLANNER_LANGUAGE, else
the terminal's locale; planner/i18n/__init__.py: terminal_language).

Command help is written once, as docstrings and `help=` texts, in English. The catalogue takes
them from the commands themselves (`help_texts()`, called by planner/i18n/catalogue.py), and
`translate_help()` puts each one in the terminal's language when the `planner` command line
starts (click needs real strings; the English stays beside them for the next run). Click's
own words ("Usage:", "Options", "Show this message and exit.", its error lines) come from the
same catalogue: CLICK_WORDS lists the ones translated, and `install()` points click at them.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from importlib import import_module

import click

from planner.i18n import N_, terminal_gettext, terminal_ngettext

# Click's own texts shown with help and usage errors (click formats them with str.format).
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such command {name!r}."),
    N_("No such option: {name}"),
    N_("Missing option"),
    N_("Missing argument"),
    N_("Missing parameter"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Got unexpected extra argument ({args})"),
    N_("default: {default}"),
    N_("required"),
    N_("Aborted!"),
)
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui")


def install() -> None:
    """Let click say its own words through the app's catalogue (the msgid where there is none)."""
    for name in CLICK_MODULES:
        module = import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = terminal_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = terminal_ngettext  # type: ignore[attr-defined]


ENGLISH = "_planner_english_help"  # attribute -> English text, kept on each command and option


def _english(holder: object, attribute: str) -> str | None:
    """A help text as written in the code (before any translation)."""
    kept: dict[str, str] = getattr(holder, ENGLISH, {})
    text = kept.get(attribute, getattr(holder, attribute, None))
    return str(text) if text else None


def _texts(command: click.Command) -> Iterator[tuple[object, str, str]]:
    """(holder, attribute, English text) for every help text of a command and its options."""
    text = _english(command, "help")
    if text:
        yield command, "help", inspect.cleandoc(text).partition("\f")[0]
    text = _english(command, "short_help")
    if text:
        yield command, "short_help", text
    for param in command.params:
        text = _english(param, "help")
        if text:
            yield param, "help", text
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _texts(sub)


def translate_help(command: click.Command) -> None:
    """Word every help text of a command (its options, its sub-commands) in the terminal's
    language (help is only shown on a command line). The English is kept for the next call."""
    for holder, attribute, text in list(_texts(command)):
        kept = holder.__dict__.setdefault(ENGLISH, {})
        kept.setdefault(attribute, text)
        setattr(holder, attribute, terminal_gettext(text))
        if isinstance(holder, click.Command) and getattr(holder, "_help_option", None):
            holder._help_option = None  # click keeps its --help option: made again, in words


def planner_group() -> click.Group:
    """The `planner` group as the console script builds it, with every command (no app)."""
    from flask.cli import FlaskGroup

    from planner import area_cli, cli

    group = FlaskGroup(help=cli.GROUP_HELP)
    for command in [*cli.COMMANDS, *area_cli.commands()]:
        group.add_command(command)
    return group


def help_texts() -> list[str]:
    """Every English help text of `planner` and its commands, and click's words, for the
    catalogue."""
    found = dict.fromkeys(text for _h, _a, text in _texts(planner_group()))
    found.update(dict.fromkeys(CLICK_WORDS))
    return list(found)
