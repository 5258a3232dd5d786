"""The README and docs/ say what mzkg does today: the README's commands run as written, docs/reference.md
documents every command and option, every optional extra is named, and every link between the pages leads
somewhere."""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from mzkg.interfaces.cli import main
from support.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *DOCS]


def _commands(group: click.Group, prefix: str = "mzkg") -> Iterator[tuple[str, click.Command]]:
    for name, cmd in group.commands.items():
        path = f"{prefix} {name}"
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path)


COMMANDS = dict(_commands(main))


def _sections(text: str) -> dict[str, str]:
    """docs/reference.md's section of each command, from its heading (### `mzkg query`) to the next heading."""
    found = {}
    parts = re.split(r"^#{3,4} `(mzkg[^`]*)`\n", text, flags=re.MULTILINE)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        found[name] = body.split("\n#", 1)[0]
    return found


SECTIONS = _sections(REFERENCE)


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_each_command_has_help_and_a_reference_section_naming_its_options(runner, path):
    cmd = COMMANDS[path]
    assert cmd.help, path
    res = runner.invoke(main, [*path.split()[1:], "--help"])
    assert res.exit_code == 0, res.output
    assert path in SECTIONS, f"docs/reference.md has no section for `{path}`: run `make docs-reference`"
    for param in cmd.params:
        if isinstance(param, click.Option) and "--help" not in param.opts:
            names = [*param.opts, *param.secondary_opts]
            assert any(n in SECTIONS[path] for n in names), f"docs/reference.md does not document {path} {names[0]}"


def test_global_options_are_documented():
    for param in main.params:
        if isinstance(param, click.Option) and "--help" not in param.opts:
            assert param.opts[0] in REFERENCE, param.opts[0]


def test_every_user_extra_is_named_in_the_readme_and_the_reference():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    for extra in set(extras) - {"test", "lint", "dev"}:
        assert f"`{extra}`" in README or f"'.[{extra}]'" in README, extra
        assert f"| `{extra}` |" in REFERENCE, extra


def _anchor(heading: str) -> str:
    """The fragment a Markdown renderer gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"^( {4}|```).*$", "", page.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {_anchor(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_between_the_pages_lead_somewhere(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target}"
        if fragment and linked.suffix == ".md":
            assert fragment in _anchors(linked), f"{page.name}: {target} (no such heading)"


def _readme_commands(section: str) -> list[tuple[list[str], int]]:
    """The `mzkg` lines of a README section's code block, each with the exit code its comment gives (else 0)."""
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    found = []
    for line in body.splitlines():
        if not line.startswith("    mzkg "):
            continue
        command, _, comment = line.strip().partition("   #")
        expected = re.search(r"exit (\d)", comment)
        found.append((shlex.split(command)[1:], int(expected.group(1)) if expected else 0))
    assert found, section
    return found


@pytest.mark.parametrize("section", ["Five things to try", "From a report to trusted data"])
@pytest.mark.slow
def test_the_readme_commands_run_as_written(runner, tmp_path, monkeypatch, section):
    """Run from a checkout: tests/ and data/ are there, and what the commands write goes to a fresh folder."""
    for folder in ("tests", "data"):
        (tmp_path / folder).symlink_to(ROOT / folder, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for args, expected in _readme_commands(section):
        res = runner.invoke(main, args)
        assert res.exit_code == expected, f"mzkg {shlex.join(args)}: exit {res.exit_code}\n{res.output}"
