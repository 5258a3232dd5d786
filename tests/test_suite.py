"""The test suite itself: every test asserts something (directly, or through a helper of its module that does)."""

from __future__ import annotations

import ast

import pytest

from support.paths import TESTS

MODULES = sorted(TESTS.rglob("test_*.py"))


def _checks(node: ast.AST, helpers: set[str]) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Assert):
            return True
        if isinstance(n, ast.Attribute) and n.attr in ("raises", "fail"):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in helpers:
            return True
    return False


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_test_asserts(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    helpers: set[str] = set()
    for _ in range(3):  # helpers that call helpers that assert
        helpers |= {f.name for f in functions if not f.name.startswith("test_") and _checks(f, helpers)}
    silent = [f.name for f in functions if f.name.startswith("test_") and not _checks(f, helpers)]
    assert silent == []
