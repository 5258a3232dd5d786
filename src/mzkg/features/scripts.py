"""Traditional and Simplified: OpenCC's converters, made once (each costs about 5 ms to build)."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def converter(config: str) -> Any:
    """An `opencc.OpenCC(config)`: "t2s" (Traditional to Simplified) or "s2t"."""
    import opencc  # noqa: PLC0415 - the draft and labels extras

    return opencc.OpenCC(config)


def t2s(text: str) -> str:
    return str(converter("t2s").convert(text))


def s2t(text: str) -> str:
    return str(converter("s2t").convert(text))


def script_of(text: str) -> str:
    """zh-Hans or zh-Hant, by which conversion changes more of the text."""
    to_hans = sum(a != b for a, b in zip(text, t2s(text), strict=False))
    to_hant = sum(a != b for a, b in zip(text, s2t(text), strict=False))
    return "zh-Hant" if to_hans >= to_hant else "zh-Hans"
