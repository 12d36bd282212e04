"""`planner --help` and every command's --help in Dutch and Lithuanian (issue 12): run through
the real entry point with PLANNER_LANGUAGE set, no English text of the catalogue may be left
(click's own "Usage:" and "Options" included), and English reads as written in the code."""

from __future__ import annotations

from typing import Any

import click
import pytest
from babel.messages.pofile import read_po

from planner.i18n import catalogue, cli_help
from tests.test_cli_input import planner_cli  # noqa: F401  (the fixture)


def command_lines() -> list[list[str]]:
    """Every command and sub-command of `planner`, as the words before --help."""
    found: list[list[str]] = [[]]

    def walk(group: click.Group, path: list[str]) -> None:
        for name, command in sorted(group.commands.items()):
            found.append([*path, name])
            if isinstance(command, click.Group):
                walk(command, [*path, name])

    walk(cli_help.planner_group(), [])
    return found


def flat(text: str) -> str:
    """Whitespace as one space: click rewraps help paragraphs to the terminal's width."""
    return " ".join(text.split())


def english_left(language: str) -> set[str]:
    """The catalogue's English texts (a few words at least) that its translation changes."""
    with catalogue.po_path(language).open("rb") as f:
        messages = read_po(f, locale=language)
    found = set()
    for m in messages:
        english = str(m.id[0] if isinstance(m.id, (tuple, list)) else m.id)
        said = str(m.string[0] if isinstance(m.string, (tuple, list)) else m.string or "")
        if english and flat(english) != flat(said) and len(english.split()) >= 3:
            found.add(flat(english.split("%(")[0].split("{")[0]).strip())
    return {e for e in found if len(e.split()) >= 3}


def test_every_command_is_listed() -> None:
    lines = command_lines()
    assert ["plan"] in lines and ["cadences", "list"] in lines and ["routes"] in lines


@pytest.mark.parametrize("language", ["nl", "lt"])
def test_every_help_is_in_the_terminals_language(
    planner_cli: Any,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    english = english_left(language)
    problems = []
    for words in command_lines():
        monkeypatch.setenv("PLANNER_LANGUAGE", language)
        code, output = planner_cli(*words, "--help", capsys=capsys)
        left = sorted(e for e in english if e in flat(output))
        if code != 0 or left or "Usage:" in output or "Options:" in output:
            problems.append((words, code, left or output[:300]))
    assert problems == []


def test_help_in_english_reads_as_written(
    planner_cli: Any,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLANNER_LANGUAGE", "lt")
    planner_cli("plan", "--help", capsys=capsys)  # the English is kept beside the translation
    monkeypatch.setenv("PLANNER_LANGUAGE", "en")
    code, output = planner_cli("plan", "--help", capsys=capsys)
    assert code == 0 and "Usage: planner plan" in output
    assert "Plan the weeks between two Customer Service Weeks and print a summary." in flat(output)
    assert "Show this message and exit." in output


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "Ongeldige waarde voor '--year'"), ("lt", "Netinkama '--year' reikšmė")],
)
def test_a_usage_error_is_in_the_terminals_language(
    planner_cli: Any,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    words: str,
) -> None:
    monkeypatch.setenv("PLANNER_LANGUAGE", language)
    code, output = planner_cli("plan", "--year", "0", capsys=capsys)
    assert code == 2 and words in output and "Usage:" not in output
