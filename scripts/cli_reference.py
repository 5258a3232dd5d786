"""The command sections of docs/reference.md, written from the click commands themselves (cog runs this).

    cog -r -I scripts docs/reference.md        # rewrite the page after changing a command
    cog --check -I scripts docs/reference.md   # what `make lint` runs: fails when the page is stale

Each section gives the usage line, the command's help and a table of its options with their defaults, as
`mzkg COMMAND --help` prints them, and the optional extra the command needs.
"""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path

import click

from mzkg.interfaces.cli import main

ROOT = Path(__file__).resolve().parent.parent

# The optional extra each command needs beyond `pip install .` (tests/interfaces/test_missing_extras.py runs
# each of them without it).
NEEDS_EXTRA = {
    "mzkg serve": "stores",
    "mzkg draft": "draft",
    "mzkg draw": "owl",
    "mzkg docs": "owl",
    "mzkg check": "owl",
}


def _contexts(path: str) -> tuple[click.Command, click.Context]:
    """The command named `mzkg …` and a context whose usage line reads as a user types it."""
    ctx = click.Context(main, info_name="mzkg")
    cmd: click.Command = main
    for name in path.split()[1:]:
        assert isinstance(cmd, click.Group), path
        cmd = cmd.commands[name]
        ctx = click.Context(cmd, info_name=name, parent=ctx)
    return cmd, ctx


def commands(group: click.Group = main, prefix: str = "mzkg") -> list[str]:
    """Every command, `mzkg query` … `mzkg review done`, groups included, in the order the CLI declares them."""
    found = []
    for name, cmd in group.commands.items():
        found.append(f"{prefix} {name}")
        if isinstance(cmd, click.Group):
            found.extend(commands(cmd, f"{prefix} {name}"))
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def options_table(cmd: click.Command, ctx: click.Context) -> str:
    rows = []
    for param in cmd.get_params(ctx):
        if not isinstance(param, click.Option) or "--help" in param.opts:  # every command takes -h/--help
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        opts, help_text = record
        rows.append(f"| `{_cell(opts)}` | {_cell(help_text)} |")
    return "| option | what it does |\n|---|---|\n" + "\n".join(rows) + "\n" if rows else ""


def command(path: str, level: int = 3) -> str:
    """The section of one command: heading, usage, help, options, the extra it needs."""
    cmd, ctx = _contexts(path)
    usage = cmd.get_usage(ctx).removeprefix("Usage: ")
    parts = [f"{'#' * level} `{path}`", f"    {usage}", inspect.cleandoc(cmd.help or "")]
    if isinstance(cmd, click.Group):
        parts.append("Commands: " + ", ".join(f"`{path} {name}`" for name in cmd.commands) + ".")
    table = options_table(cmd, ctx)
    if table:
        parts.append(table.rstrip("\n"))
    if extra := NEEDS_EXTRA.get(path):
        parts.append(f"Needs the `{extra}` extra: `pip install 'mzkg[{extra}]'`.")
    return "\n\n".join(parts) + "\n"


def global_options() -> str:
    """The options of `mzkg` itself, which every command takes before its name."""
    return options_table(main, click.Context(main, info_name="mzkg"))


# What each optional extra is for, where no command says it (the commands are named from NEEDS_EXTRA).
FOR = {
    "jupyter": "`%load_ext mzkg` and the `%sparql` magics, `QueryResult.to_dataframe()`, `mzkg.series()`, the notebook",
    "labels": "nothing more: OpenCC, which it brings, comes with every install (kept so old install lines still work)",
    "stores": "the endpoint and the linked-data pages",
    "draft": "reading reports in any encoding or as HTML, the gazetteer, pinyin slugs, every division of China",
    "owl": "the drawings (with Debian `graphviz` and `fonts-noto-cjk`), the HTML docs, HermiT",
    "test": "running the test suite (every user extra, and the Oxigraph CLI, Selenium, Hypothesis, pytest-xdist)",
    "lint": "`make lint`: ruff, mypy, import-linter, cog",
    "dev": "`make install`: test and lint, and pre-commit",
}


def extras_table() -> str:
    """Each optional extra of pyproject.toml: what it installs, which commands need it, what else it is for."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    rows = []
    for extra, requirements in project["optional-dependencies"].items():
        needed_by = ", ".join(f"`{c}`" for c, e in NEEDS_EXTRA.items() if e == extra)
        brings = ", ".join(r.split(";")[0].replace("|", "\\|") for r in requirements)
        rows.append(f"| `{extra}` | {brings} | {needed_by or '—'} | {FOR.get(extra, '')} |")
    return "| extra | installs | needed by | also for |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
