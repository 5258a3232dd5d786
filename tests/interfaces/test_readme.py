"""The README documents every command and every option: each has help, and a README line names it with its command."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from mzkg.interfaces.cli import main
from support.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()


def _commands(group: click.Group, prefix: str = "mzkg") -> Iterator[tuple[str, click.Command]]:
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)
        else:
            yield path, cmd


COMMANDS = dict(_commands(main))


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_command_has_help_and_readme_lines_for_it_and_its_options(runner, path):
    cmd = COMMANDS[path]
    assert cmd.help, path
    res = runner.invoke(main, [*path.split()[1:], "--help"])
    assert res.exit_code == 0, res.output
    lines = [line for line in README if f"`{path}" in line or f"{path} " in line]
    assert lines, f"README does not document `{path}`"
    for param in cmd.params:
        if isinstance(param, click.Option) and param.name != "help":
            names = [*param.opts, *param.secondary_opts]
            assert any(n in line for n in names for line in lines), f"README does not document {path} {names[0]}"


def test_global_options_are_documented():
    for param in main.params:
        if isinstance(param, click.Option) and param.name not in ("help", "version"):
            assert any(param.opts[0] in line for line in README), param.opts[0]
