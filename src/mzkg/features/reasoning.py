"""Consistency under HermiT (the jar that owlready2 ships, on the machine's Java) and the OWL 2 RL closure.

Nothing is fetched: `owl:imports` statements are left out of what the reasoner reads, so it never follows one
over the network or into a local file.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import owlrl
from rdflib import Graph, Literal
from rdflib.namespace import OWL

from ..core.errors import MissingExtra, MzkgError
from ..core.graph import KnowledgeGraph

_IMPORTS = f"<{OWL.imports}>"


@dataclass
class ReasonerReport:
    consistent: bool
    detail: str
    seconds: float

    def text(self) -> str:
        verdict = "consistent" if self.consistent else "INCONSISTENT"
        return f"HermiT: the ontology and data are {verdict} ({self.seconds:.1f} s)\n" + (
            self.detail + "\n" if self.detail else ""
        )


def reasoner_input(kg: KnowledgeGraph) -> tuple[str, int]:
    """The graph as N-Triples without its owl:imports statements, and how many were left out."""
    lines = kg.export("nt").splitlines(keepends=True)
    kept = [line for line in lines if line.split(" ", 2)[1:2] != [_IMPORTS]]
    return "".join(kept), len(lines) - len(kept)


def hermit_consistency(kg: KnowledgeGraph, timeout: float = 600.0) -> ReasonerReport:
    """Run HermiT's consistency check over ontology + data.

    xsd:gYear and xsd:date are outside the OWL 2 datatype map, so HermiT is told to ignore unsupported
    datatypes: their literals are not reasoned over (SHACL checks them instead).
    """
    try:
        import owlready2  # noqa: PLC0415 - the optional `owl` extra
        from owlready2 import reasoning  # noqa: PLC0415
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise MissingExtra("the HermiT reasoner (owlready2)", "owl") from None
    text, dropped = reasoner_input(kg)
    with tempfile.TemporaryDirectory(prefix="mzkg-hermit-") as tmp:
        path = Path(tmp) / "mzkg.nt"
        path.write_text(text, encoding="utf-8")
        cmd = [
            owlready2.JAVA_EXE,
            "-Xmx2000M",
            "-cp",
            reasoning._HERMIT_CLASSPATH,
            "org.semanticweb.HermiT.cli.CommandLine",
            "-k",
            "--ignoreUnsupportedDatatypes",
            path.as_uri(),
        ]
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except FileNotFoundError:
            raise MzkgError(f"Java was not found ({owlready2.JAVA_EXE}); HermiT needs Java 11 or later") from None
        except subprocess.TimeoutExpired:
            raise MzkgError(f"HermiT did not finish within {timeout:.0f} s") from None
        seconds = time.perf_counter() - start
    note = f"({dropped} owl:imports statement(s) not followed: mzkg fetches nothing)" if dropped else ""
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode == 0 and "is satisfiable" in out:
        return ReasonerReport(True, note, seconds)
    if "InconsistentOntologyException" in out:
        detail = "owl:Thing is unsatisfiable: some individual breaks an axiom (e.g. sits in two disjoint classes)"
        return ReasonerReport(False, "\n".join(filter(None, [detail, note])), seconds)
    first = next((line for line in out.splitlines() if line.strip() and not line.lstrip().startswith("at ")), "no output")
    raise MzkgError(f"HermiT failed: {first}")


def rl_closure(kg: KnowledgeGraph) -> Graph:
    """The union graph expanded with its OWL 2 RL closure (owlrl), for stores without reasoning."""
    g = kg.union()
    g.remove((None, OWL.imports, None))  # owlrl would not fetch them, but keep what the reasoner reads the same
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    # owlrl works in generalised RDF: drop literal subjects, and the reflexive owl:sameAs on every node.
    for s, p, o in list(g):
        if isinstance(s, Literal) or (p == OWL.sameAs and s == o):
            g.remove((s, p, o))
    return g
