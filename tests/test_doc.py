"""The examples in the library's docstrings (`mzkg.load`, `mzkg.query` … ) run as written and print what they show."""

from __future__ import annotations

import doctest

import mzkg


def test_every_public_function_has_an_example():
    missing = [
        name for name in mzkg.__all__ if callable(f := getattr(mzkg, name)) and name.islower() and ">>>" not in (f.__doc__ or "")
    ]
    assert missing == []


def test_the_docstring_examples_run():
    result = doctest.testmod(mzkg, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed (printed above)"
    assert result.attempted >= 30
