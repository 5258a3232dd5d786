"""`mzkg ask`: a question in words (zh-Hant, zh-Hans or English) → the named question that answers it, with its
parameters filled from the graph, and its answer.

How it finds the question, offline and without a model:

1. **Names are things.** The question's words that are labels of the graph's entities (any label, either script,
   any case; the longest name wins where names overlap) are *mentions*. Each becomes a token of its classes
   (`⟨TargetGroup⟩`), so "2022年對老人有何承諾" and "tasks for children" look alike to the index; a year becomes
   `⟨year⟩`.
2. **A BM25 index** (bm25s) over every way the named questions are asked: each query's title and questions from
   its header, and its phrasings (`queries/phrasings.toml`), all read the same way (Traditional script, lower
   case; Chinese as characters and their pairs, English as words). A question's score for a named query is that
   of its best phrasing.
3. **Parameters** are filled from the mentions: a parameter takes the classes of its default's entity (a `label`,
   `a` or `b` parameter takes any entity); a mention fills it when the entity, or a broader one (`skos:broader`),
   is of such a class — "elderly people" fills a policy area with 養老服務, the area its group belongs to.
4. **A wrong answer is worse than none.** How much of the question the best phrasing covers (its words weighed by
   their rarity among the phrasings) must reach `COVER`; a year the question names must be in the answer (the
   rows of that year are kept). Otherwise there is no answer, and the three nearest named questions are listed.
   When the second best scores within `UNSURE` of the best, the answer says it is unsure and lists the candidates.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..core import resources
from ..core.errors import NotFound
from ..core.graph import KnowledgeGraph
from ..core.prefixes import ID, MZKG
from ..core.results import QueryResult
from ..core.service import select
from ..core.sparql.catalogue import NamedQuery, named_queries
from .lookup import RECORD_CLASSES
from .scripts import s2t

COVER = 0.3  # the share of the question (weighed) its best phrasing must cover: set on tests/data/ask/tuning.json
UNSURE = 0.9  # a second best scoring this share of the best makes the answer unsure
SECOND = 0.5  # the weight of a query's second-best phrasing in its score
FILLED = 0.1  # the gain in score of each parameter a mention of the question fills
ANY_ENTITY = frozenset({"label", "a", "b"})  # parameters that take an entity of any class
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "to",
        "in",
        "on",
        "at",
        "and",
        "or",
        "for",
        "with",
        "by",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "do",
        "does",
        "did",
        "done",
        "me",
        "my",
        "show",
        "list",
        "tell",
        "give",
        "all",
        "any",
        "there",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "from",
        "about",
        "please",
        "i",
        "we",
        "our",
        "you",
        "your",
        "can",
        "could",
        "would",
        "will",
        "shall",
        "should",
        "has",
        "have",
        "had",
        "get",
        "got",
    ]
)
_CJK_STOP = frozenset("的了嗎呢吗么麼是有和與与及在")
_WORD = re.compile(r"⟨[^⟩]+⟩|[a-z][a-z'-]*|\d+|[\u3400-\u9fff\uf900-\ufaff]+")
# not names a question is asked by: the report's own records, and periods (a year is read as a year)
SKIPPED = RECORD_CLASSES | {MZKG + "Period"}
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_LABELS = """
SELECT ?e ?l ?t WHERE {
  ?e rdfs:label|skos:prefLabel|skos:altLabel ?l ; a ?t .
  FILTER (isIRI(?e) && STRSTARTS(STR(?e), STR(id:)))
}"""
_BROADER = "SELECT ?e ?b WHERE { ?e skos:broader ?b . FILTER (isIRI(?e) && isIRI(?b)) }"
_TEXTS = "SELECT ?t WHERE { ?s nif:isString ?t }"


def _norm(text: str) -> str:
    return s2t(unicodedata.normalize("NFKC", text)).lower()


def tokens(text: str) -> list[str]:
    """A normalised text's tokens: class and year tokens whole, English words (a plural's s dropped), Chinese as
    characters and pairs of characters."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        w = m.group(0)
        if w.startswith("⟨"):
            out.append(w)
        elif w.isdigit():
            continue
        elif w.isascii():
            if w not in _STOP:
                out.append(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
        else:
            out += [c for c in w if c not in _CJK_STOP]
            out += [w[i : i + 2] for i in range(len(w) - 1)]
    return out


@dataclass(frozen=True)
class Mention:
    """Words of the question that name entities of the graph."""

    start: int
    end: int
    words: str  # as the question writes them
    label: str  # the graph's label they equal
    entities: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """A named question that may answer, its parameters filled, its score and how much of the question it covers."""

    name: str
    title: str
    params: dict[str, str]
    score: float
    cover: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.name,
            "title": self.title,
            "params": self.params,
            "score": round(self.score, 3),
            "cover": round(self.cover, 3),
        }


@dataclass
class Answer:
    """What `ask` says: the chosen named question and its rows, or why there is none; the candidates, best first."""

    question: str
    candidates: list[Candidate]
    chosen: Candidate | None = None
    result: QueryResult | None = None
    year: str | None = None  # the rows are those of this year
    unsure: bool = False
    reason: str = ""
    sparql: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question}
        if self.chosen is None:
            out |= {"answer": None, "reason": self.reason, "nearest": [c.as_dict() for c in self.candidates[:3]]}
            return out
        assert self.result is not None
        out |= {
            "query": self.chosen.name,
            "title": self.chosen.title,
            "params": self.chosen.params,
            "year": self.year,
            "unsure": self.unsure,
            "vars": self.result.vars,
            "rows": [
                {v: t.value for v, t in zip(self.result.vars, row, strict=True) if t is not None} for row in self.result.rows
            ],
            "sparql": self.sparql,
        }
        if self.unsure:
            out["candidates"] = [c.as_dict() for c in self.candidates[:5]]
        return out


@dataclass
class Asker:
    """The index over the named questions and the names of the graph, built once per graph."""

    kg: KnowledgeGraph
    queries: dict[str, NamedQuery] = field(default_factory=named_queries)
    phrasebook: dict[str, Any] | None = None  # in place of queries/phrasings.toml (query → script → phrasings)

    # --- what the graph names -------------------------------------------------------------------------------
    @cached_property
    def _names(self) -> tuple[dict[str, tuple[str, set[str]]], dict[str, set[str]], dict[str, set[str]]]:
        """Normalised label → (a label as the graph writes it, entities); entity → classes; entity → broader."""
        labels: dict[str, tuple[str, set[str]]] = {}
        classes: dict[str, set[str]] = {}
        rows = select(_LABELS, kg=self.kg).records()
        for r in rows:
            classes.setdefault(r["e"], set()).add(r["t"])
        for r in rows:
            if classes[r["e"]] & SKIPPED:
                continue
            text = str(r["l"]).strip()
            key = _norm(text)
            if len(key) < 2 or (key.isascii() and (len(key) < 3 or key in _STOP)):
                continue
            labels.setdefault(key, (text, set()))[1].add(r["e"])
        broader: dict[str, set[str]] = {}
        for r in select(_BROADER, kg=self.kg).records():
            broader.setdefault(r["e"], set()).add(r["b"])
        return labels, classes, broader

    def mentions(self, question: str) -> list[Mention]:
        """The names in a question, longest first where they overlap, in the order of the question."""
        labels = self._names[0]
        text = _norm(question)
        found: list[tuple[int, int, str]] = []
        for key in labels:
            at = text.find(key)
            while at >= 0:
                end = at + len(key)
                ascii_word = key[0].isascii() and key[-1].isascii()
                bounded = not ascii_word or (
                    (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
                )
                if bounded:
                    found.append((at, end, key))
                at = text.find(key, at + 1)
        taken: list[Mention] = []
        for at, end, key in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
            if any(at < m.end and m.start < end for m in taken):
                continue
            label, entities = labels[key]
            taken.append(Mention(at, end, question[at:end], label, tuple(sorted(entities))))
        return sorted(taken, key=lambda m: m.start)

    def _classes(self, iri: str) -> set[str]:
        return self._names[1].get(iri, set())

    def _ancestors(self, iri: str) -> list[str]:
        """The entity and every broader one, nearest first."""
        broader = self._names[2]
        out, todo = [iri], [iri]
        while todo:
            for b in sorted(broader.get(todo.pop(0), ())):
                if b not in out:
                    out.append(b)
                    todo.append(b)
        return out

    def _shaped(self, text: str, mentions: Iterable[Mention]) -> str:
        """The normalised text with each mention replaced by its classes' tokens and each year by `⟨year⟩`."""
        norm = _norm(text)
        parts, pos = [], 0
        for m in mentions:
            kinds = sorted({c.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for e in m.entities for c in self._classes(e)})
            parts += [norm[pos : m.start], " " + " ".join(f"⟨{k}⟩" for k in kinds) + " "]
            pos = m.end
        parts.append(norm[pos:])
        return _YEAR.sub(" ⟨year⟩ ", "".join(parts))

    # --- the index ------------------------------------------------------------------------------------------
    def phrasings(self) -> list[tuple[str, str]]:
        """Every way a named question is asked: (query name, text)."""
        extra = self.phrasebook if self.phrasebook is not None else read_phrasings()
        out = []
        for name, q in self.queries.items():
            out += [(name, part.strip()) for part in q.title.split("/") if part.strip()]
            out += [(name, t) for t in (q.question_zh, q.question_en) if t]
            for lang in ("zh-Hant", "zh-Hans", "en"):
                out += [(name, t) for t in extra.get(name, {}).get(lang, [])]
        return out

    @cached_property
    def _index(self) -> tuple[Any, list[str], list[list[str]], dict[str, float]]:
        import bm25s  # noqa: PLC0415 - numpy only for asking

        docs = self.phrasings()
        owners = [name for name, _ in docs]
        toks = [tokens(self._shaped(text, self.mentions(text))) or ["⟨empty⟩"] for _, text in docs]
        index = bm25s.BM25()
        index.index(toks, show_progress=False)
        df: dict[str, int] = {}
        for t in toks:
            for w in set(t):
                df[w] = df.get(w, 0) + 1
        n = len(toks)
        idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        return index, owners, toks, idf

    @cached_property
    def _domain(self) -> set[str]:
        """Every token of the graph's labels and report texts: the words of the field as the graph writes them."""
        words = {w for key in self._names[0] for w in tokens(key)}
        for r in select(_TEXTS, kg=self.kg).records():
            words.update(tokens(_norm(str(r["t"]))))
        return words

    def _weight(self, token: str) -> float:
        """How much a token of a question weighs in its cover: its rarity among the phrasings; a word the
        phrasings lack weighs as the rarest, and one the graph never writes twice that."""
        idf = self._index[3]
        if token in idf:
            return idf[token]
        rare = max(idf.values(), default=1.0)
        return rare if token in self._domain or token.startswith("⟨") else 2 * rare

    # --- asking ---------------------------------------------------------------------------------------------
    def rank(self, question: str) -> tuple[list[Candidate], list[Mention]]:
        """Every named question that shares a word with the question, best first, its parameters filled."""
        index, owners, toks, _idf = self._index
        mentions = self.mentions(question)
        asked = tokens(self._shaped(question, mentions))
        if not asked:
            return [], mentions
        scores = index.get_scores(asked)
        per: dict[str, list[tuple[float, int]]] = {}
        for i, s in enumerate(scores):
            if s > 0:
                per.setdefault(owners[i], []).append((float(s), i))
        weight = {w: self._weight(w) for w in set(asked)}
        total = sum(weight.values()) or 1.0
        out = []
        for name, found in per.items():
            found.sort(reverse=True)
            score = found[0][0] + SECOND * (found[1][0] if len(found) > 1 else 0.0)
            have = set(toks[found[0][1]])
            cover = sum(v for w, v in weight.items() if w in have) / total
            params = self.fill(name, mentions)
            score *= 1 + FILLED * len(params)
            out.append(Candidate(name, self.queries[name].title, params, score, cover))
        return sorted(out, key=lambda c: (-c.score, c.name)), mentions

    def fill(self, name: str, mentions: list[Mention]) -> dict[str, str]:
        """The parameters a question's mentions give a named question (the others keep their defaults)."""
        used: set[int] = set()
        out: dict[str, str] = {}
        for key in self.queries[name].params:
            wanted = self._takes[name, key]
            for i, m in enumerate(mentions):
                if i in used:
                    continue
                value = self._value_for(m, wanted)
                if value is not None:
                    out[key] = value
                    used.add(i)
                    break
        return out

    @cached_property
    def _takes(self) -> dict[tuple[str, str], set[str] | None]:
        """The classes each parameter of each named question takes (None: any entity): its default entity's, named
        by a label, part of one, or a report's slug."""
        labels = self._names[0]
        out: dict[tuple[str, str], set[str] | None] = {}
        for name, query in self.queries.items():
            for key, param in query.params.items():
                if key in ANY_ENTITY:
                    out[name, key] = None
                    continue
                if key == "report":
                    out[name, key] = {MZKG + "WorkReport"}
                    continue
                want = _norm(param.default.value)
                entities = labels.get(want, ("", set()))[1] or {e for k, (_t, es) in labels.items() if want in k for e in es}
                out[name, key] = {c for e in entities for c in self._classes(e)}
        return out

    def _value_for(self, m: Mention, wanted: set[str] | None) -> str | None:
        if wanted is None:
            return m.label
        for e in m.entities:
            for anc in self._ancestors(e):
                if self._classes(anc) & wanted:
                    if MZKG + "WorkReport" in wanted and anc.startswith(ID + "report/"):
                        return anc.removeprefix(ID + "report/")
                    return m.label if anc == e else self._label_of(anc)
        return None

    def _label_of(self, iri: str) -> str:
        """An entity's zh-Hant label (what the named questions match on), else any."""
        labels = [(text, entities) for text, entities in self._names[0].values() if iri in entities]
        hant = [t for t, _ in labels if t == s2t(t) and not t.isascii()]
        return sorted(hant or [t for t, _ in labels] or [iri], key=len)[0]

    def ask(self, question: str) -> Answer:
        """The answer to a question in words (see the module's docstring); no answer is an Answer without one."""
        candidates, _mentions = self.rank(question)
        answer = Answer(question, candidates)
        if not candidates or candidates[0].cover < COVER:
            answer.reason = "no named question fits this question well enough"
            return answer
        top = candidates[0]
        years = sorted(set(_YEAR.findall(unicodedata.normalize("NFKC", question))))
        result = select(self.queries[top.name], top.params, kg=self.kg)
        if years and "year" in result.vars:
            col = result.vars.index("year")
            kept = [r for r in result.rows if (cell := r[col]) is not None and cell.value in years]
            if not kept:
                answer.reason = f"{top.name} has no rows for {', '.join(years)}"
                return answer
            result = QueryResult(result.vars, kept, result.boolean, result.ordered)
            answer.year = ", ".join(years)
        answer.chosen, answer.result, answer.sparql = top, result, self.queries[top.name].text
        answer.unsure = len(candidates) > 1 and candidates[1].score >= UNSURE * top.score
        return answer


def read_phrasings() -> dict[str, Any]:
    """The packaged phrasings: query name → script (zh-Hant, zh-Hans, en) → the ways people ask it."""
    path = resources.queries_dir() / "phrasings.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


_askers: dict[int, Asker] = {}


def asker(kg: KnowledgeGraph) -> Asker:
    """The asker of a graph, built on first use and kept for the graph's life."""
    if id(kg) not in _askers:
        _askers[id(kg)] = Asker(kg)
    return _askers[id(kg)]


def ask(kg: KnowledgeGraph, question: str) -> Answer:
    """`Asker(kg).ask(question)`, with the index kept per graph; NotFound for an empty question."""
    if not question.strip():
        raise NotFound("ask needs a question")
    return asker(kg).ask(question)


def answer_text(answer: Answer) -> str:
    """An answer as a person reads it: what was chosen and why, the rows, the query to learn from."""
    if answer.chosen is None or answer.result is None:
        near = "\n".join(f"  {c.name}\t{c.title}" for c in answer.candidates[:3])
        return f"{answer.reason}; the nearest named questions:\n{near}\n" if near else answer.reason + "\n"
    c = answer.chosen
    params = ", ".join(f"{k}={v}" for k, v in c.params.items()) or "defaults"
    head = [f"{c.title}  (mzkg query {c.name}; {params}" + (f"; rows of {answer.year}" if answer.year else "") + ")"]
    if answer.unsure:
        head.append("unsure: also " + ", ".join(x.name for x in answer.candidates[1:4]))
    shown = answer.sparql.split("\n")
    body = "\n".join(line for line in shown if not line.startswith("#"))
    return "\n".join(head) + "\n\n" + answer.result.to_table() + "\n" + body.rstrip() + "\n"


__all__ = [
    "COVER",
    "UNSURE",
    "Answer",
    "Asker",
    "Candidate",
    "Mention",
    "answer_text",
    "ask",
    "asker",
    "read_phrasings",
    "tokens",
]
