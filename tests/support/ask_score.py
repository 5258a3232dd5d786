"""Scoring `mzkg ask` on questions with their expected named question and parameters (tests/data/ask/*.json:
`question`, `query` or null when no named question answers it, `params`). A parameter counts as right when it
names the same entity as expected (by any of its labels); a parameter left at its default equals its default."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mzkg.features.ask import Asker, _norm


@dataclass
class Score:
    answerable: int = 0
    right: int = 0  # the right named question and parameters, first
    right_query: int = 0  # the right named question, first
    unanswerable: int = 0
    declined: int = 0  # no answer given where none should be
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"answerable {self.right}/{self.answerable} right ({self.right / max(self.answerable, 1):.1%}; "
            f"query alone {self.right_query / max(self.answerable, 1):.1%}), "
            f"unanswerable {self.declined}/{self.unanswerable} declined ({self.declined / max(self.unanswerable, 1):.1%})"
        )


def _entities(asker: Asker, value: str) -> set[str]:
    found = asker._names[0].get(_norm(value))
    return set(found[1]) if found else {value}


def params_equal(asker: Asker, query: str, got: dict[str, str], want: dict[str, str]) -> bool:
    declared = asker.queries[query].params
    for key, param in declared.items():
        a = got.get(key, param.default.value)
        b = want.get(key, param.default.value)
        if a != b and not (_entities(asker, a) & _entities(asker, b)):
            return False
    return True


def score(asker: Asker, items: list[dict[str, Any]]) -> Score:
    s = Score()
    for item in items:
        answer = asker.ask(item["question"])
        chosen = answer.chosen
        if item["query"] is None:
            s.unanswerable += 1
            if chosen is None:
                s.declined += 1
            else:
                s.misses.append(f"{item['question']}: answered {chosen.name} {chosen.params}")
            continue
        s.answerable += 1
        if chosen is not None and chosen.name == item["query"]:
            s.right_query += 1
            if params_equal(asker, chosen.name, chosen.params, item.get("params") or {}):
                s.right += 1
                continue
        got = f"{chosen.name} {chosen.params}" if chosen else f"none ({answer.reason})"
        s.misses.append(f"{item['question']}: want {item['query']} {item.get('params')}, got {got}")
    return s
