"""Consistency under HermiT (the jar that owlready2 ships, on the machine's Java) and the OWL 2 RL closure."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import MzkgError
from .graph import KnowledgeGraph, export


@dataclass
class ReasonerReport:
    consistent: bool
    detail: str
    seconds: float

    def text(self) -> str:
        verdict = "consistent" if self.consistent else "INCONSISTENT"
        return f"HermiT: the ontology and data are {verdict} ({self.seconds:.1f} s)\n" + (self.detail + "\n" if self.detail else "")


def hermit_consistency(kg: KnowledgeGraph, timeout: float = 600.0) -> ReasonerReport:
    """Run HermiT's consistency check over ontology + data.

    xsd:gYear and xsd:date are outside the OWL 2 datatype map, so HermiT is told to ignore unsupported
    datatypes: their literals are not reasoned over (SHACL checks them instead).
    """
    import time

    try:
        import owlready2
        from owlready2 import reasoning
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise MzkgError("the reasoner needs owlready2: pip install 'mzkg[owl]'") from None
    with tempfile.TemporaryDirectory(prefix="mzkg-hermit-") as tmp:
        path = Path(tmp) / "mzkg.nt"
        path.write_text(export(kg, "nt"), encoding="utf-8")
        cmd = [owlready2.JAVA_EXE, "-Xmx2000M", "-cp", reasoning._HERMIT_CLASSPATH,
               "org.semanticweb.HermiT.cli.CommandLine", "-k", "--ignoreUnsupportedDatatypes", path.as_uri()]
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except FileNotFoundError:
            raise MzkgError(f"Java was not found ({owlready2.JAVA_EXE}); HermiT needs Java 11 or later") from None
        seconds = time.perf_counter() - start
    out = (proc.stdout + proc.stderr).strip()
    if proc.returncode == 0 and "is satisfiable" in out:
        return ReasonerReport(True, "", seconds)
    if "InconsistentOntologyException" in out:
        return ReasonerReport(False, "owl:Thing is unsatisfiable: some individual breaks an axiom (e.g. sits in two disjoint classes)", seconds)
    first = next((line for line in out.splitlines() if line.strip() and not line.lstrip().startswith("at ")), "no output")
    raise MzkgError(f"HermiT failed: {first}")


def rl_closure(kg: KnowledgeGraph):
    """The union graph expanded with its OWL 2 RL closure (owlrl), for stores without reasoning."""
    import owlrl

    from rdflib import Literal
    from rdflib.namespace import OWL

    g = kg.union()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    # owlrl works in generalised RDF: drop literal subjects, and the reflexive owl:sameAs on every node.
    for s, p, o in list(g):
        if isinstance(s, Literal) or (p == OWL.sameAs and s == o):
            g.remove((s, p, o))
    return g
