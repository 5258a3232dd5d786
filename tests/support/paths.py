"""Where the tests' own files are (from this file, never the working directory)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
SHAPE_FIXTURES = TESTS / "shapes"
CHECK_FIXTURES = TESTS / "checks"
