"""The `mzkg` command: each command parses its options, calls one function of the library, prints the result.

mzkg's errors are caught once, in the group, and printed as one line; each error class carries its exit code
(0 ok, 1 does not conform / not found, 2 usage or load error). Features are imported by the command that
uses them, so `mzkg query` starts without rdflib, pySHACL or networkx.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .._version import __version__
from ..core.errors import MzkgError, OutputError, UsageError
from ..core.extras import missing_extra
from ..core.files import write_atomically, write_bytes_atomically
from ..core.graph import KnowledgeGraph, load
from ..core.results import GRAPH_FORMATS, RESULT_FORMATS, GraphResult
from ..core.service import ENGINES, Engine, Limits, run
from ..core.sparql.catalogue import named_queries
from ..core.sparql.params import parse_pairs

if TYPE_CHECKING:
    from ..features.lookup import Match
    from ..features.review import Draft


class Group(click.Group):
    """Turns mzkg's own errors, raised anywhere below, into one line (`mzkg: error: …`) and the error's exit code.

    A module of an optional extra that cannot be imported is such an error too: the command names the extra.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            except ImportError as e:
                missing = missing_extra(_command_name(ctx), e)
                if missing is None:
                    raise
                raise missing from e
        except MzkgError as e:
            click.echo(f"mzkg: error: {e}", err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:  # Ctrl-C: said so, with the shell's code for it (click would say "Aborted!", exit 1)
            click.echo("mzkg: interrupted", err=True)
            ctx.exit(130)


def _command_name(ctx: click.Context) -> str:
    """`mzkg draft`, `mzkg review list`: the command the group was running, as a user types it."""
    names = [ctx.invoked_subcommand or ""]
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["mzkg", *reversed(names)]).strip()


def _graph(ctx: click.Context) -> KnowledgeGraph:
    """The graph named by the global --data options (or the packaged data), loaded once per command."""
    obj = ctx.ensure_object(dict)
    if "kg" not in obj:
        obj["kg"] = load(obj.get("data") or None)
    kg: KnowledgeGraph = obj["kg"]
    return kg


def _emit(text: str, output: str | None = None) -> None:
    if output:
        write_atomically(output, text)
    else:
        click.echo(text, nl=False)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Turtle file or folder to use instead of the packaged data (repeatable). The ontology is always loaded.",
)
@click.version_option(__version__, prog_name="mzkg")
@click.pass_context
def main(ctx: click.Context, data: tuple[Path, ...]) -> None:
    """mzkg: civil-affairs work reports as a knowledge graph."""
    _show_progress()
    ctx.ensure_object(dict)["data"] = list(data)


def _output_folder(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The -o/--output FOLDER option of the commands that write several files."""
    return click.option(
        "-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help=help_text
    )


def _show_progress() -> None:
    """The library reports progress and warnings on the `mzkg` logger; the command shows them on stderr."""
    logger = logging.getLogger("mzkg")
    if not any(getattr(h, "mzkg_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler()  # writes to whatever sys.stderr is when a record is emitted
        handler.setFormatter(logging.Formatter("mzkg: %(message)s"))
        handler.mzkg_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    # rdflib logs a traceback for each ill-typed literal ("x"^^xsd:integer) it reads; `validate` reports each
    # as a violation naming its node, and every other command carries the literal as written
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)


MAX_BYTES = click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=None,
    help="Largest answer a store may send, in bytes once decompressed (default 256 MB).",
)


@main.command("query")
@click.argument("name", required=False)
@click.option("--sparql", help="SPARQL query text to run instead of a named query.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter (as an RDF term).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*RESULT_FORMATS, *GRAPH_FORMATS]),
    default=None,
    help="Output format: table (default), csv, tsv, json, markdown; turtle (default), nt, json-ld, xml for CONSTRUCT and DESCRIBE.",
)
@click.option("--endpoint", metavar="URL", help="Run against this SPARQL 1.1 Protocol endpoint instead of the local graph.")
@click.option("--graph", "graph_iri", metavar="IRI", help="With --endpoint: the graph sent as default-graph-uri.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="oxigraph",
    show_default=True,
    help="Local query engine: Oxigraph (fast), or rdflib.",
)
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses reach the network (refused by default).")
@click.option(
    "--lang", metavar="TAG", help="One language per row where labels come in several (TAG first, then zh-Hant, zh-Hans, en)."
)
@click.option("--timeout", type=click.FloatRange(0.1), default=None, help="Stop the query after this many seconds (exit 2).")
@MAX_BYTES
@click.pass_context
def query_cmd(
    ctx: click.Context,
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    endpoint: str | None,
    graph_iri: str | None,
    engine: Engine,
    allow_service: bool,
    lang: str | None,
    timeout: float | None,
    max_bytes: int | None,
) -> None:
    """Run a named query (see `mzkg queries`), an .rq file, or --sparql TEXT."""
    if (name is None) == (sparql is None):
        raise UsageError("give a query NAME or FILE.rq, or --sparql TEXT (one of them)")
    source = sparql if sparql is not None else name
    assert source is not None
    kg = None if endpoint else _graph(ctx)
    result = run(
        source,
        parse_pairs(params),
        kg=kg,
        engine=engine,
        endpoint=endpoint,
        graph=graph_iri,
        allow_service=allow_service,
        limits=Limits(timeout=timeout, max_bytes=max_bytes),
    )
    if lang and not isinstance(result, GraphResult):
        result = result.prefer(lang)
    if endpoint and not isinstance(result, GraphResult) and not result.rows and result.boolean is None and not graph_iri:
        logging.getLogger("mzkg").warning(
            "no rows: if the store holds the data in a named graph, name it with --graph IRI "
            "(or load it into the default graph, or query a store that unions named graphs)"
        )
    default = "turtle" if isinstance(result, GraphResult) else "table"
    click.echo(result.serialize(fmt or default), nl=False)


@main.command("queries")
def queries_cmd() -> None:
    """List the named queries with the question each answers."""
    for name, q in named_queries().items():
        click.echo(f"{name}\t{q.question_en or q.title}\t{q.question_zh}")


@main.command("validate")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Report format.")
@click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Reports validated side by side (default: the machine's cores)."
)
@click.option("--no-cache", is_flag=True, help="Validate every report again instead of reusing results kept for unchanged ones.")
@click.pass_context
def validate_cmd(ctx: click.Context, fmt: str, jobs: int | None, no_cache: bool) -> None:
    """Validate ontology + data against the SHACL shapes and the source texts (exit 1 if it does not conform).

    Each report is validated with what it depends on; its result is kept and reused until one of those files,
    the shapes or mzkg change.
    """
    from ..features.corpus_validation import validate_corpus  # noqa: PLC0415 - pySHACL only for this command

    def progress(done: int, todo: int) -> None:
        if todo > 1:
            logging.getLogger("mzkg").info("validated %d of %d", done, todo)

    report = validate_corpus(_graph(ctx), jobs=jobs, cache=not no_cache, progress=progress)
    click.echo(report.to_json() if fmt == "json" else report.text(), nl=False)
    ctx.exit(0 if report.conforms else 1)


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "nquads", "trig", "json-ld", "xml"]),
    default="turtle",
    help="Serialisation.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of stdout.")
@click.option("--inferred", is_flag=True, help="Add the OWL 2 RL closure (owlrl), for stores without reasoning.")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, output: str | None, inferred: bool) -> None:
    """Serialise the whole graph; byte-identical across runs."""
    kg = _graph(ctx)
    if inferred:
        from ..features.reasoning import rl_closure  # noqa: PLC0415 - owlrl only for this option

        click.echo("computing the OWL 2 RL closure …", err=True)
        kg = KnowledgeGraph.from_graph(rl_closure(kg), "inferred")
    _emit(kg.export(fmt), output)


@main.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def stats_cmd(ctx: click.Context, fmt: str) -> None:
    """Triples, entities per class, and the source files."""
    s = _graph(ctx).stats()
    if fmt == "json":
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    click.echo(f"triples: {s['triples']}")
    click.echo("entities per class:")
    for c, n in s["classes"].items():
        click.echo(f"  {n:5d}  {c}")
    click.echo("sources:")
    for path, n in s["sources"].items():
        click.echo(f"  {n:5d}  {path}")


def _others(label: str, others: list[Match], chosen: str) -> None:
    """Say on stderr which other entities a label matched, when it matched more than one."""
    if others:
        shown = "; ".join(f"{m.label} <{m.iri}>" for m in others[:5]) + (
            f" and {len(others) - 5} more" if len(others) > 5 else ""
        )
        click.echo(f"mzkg: {label!r} also matches {shown}; showing <{chosen}>", err=True)


@main.command("describe")
@click.argument("label")
@click.option("--all", "show_all", is_flag=True, help="Describe every entity the label matches, best first.")
@click.pass_context
def describe_cmd(ctx: click.Context, label: str, show_all: bool) -> None:
    """Every fact about the entity labelled LABEL (zh-Hant, zh-Hans or English), with quotes (exit 1 if none)."""
    from ..features.lookup import describe_one, find_one  # noqa: PLC0415 - imported by the command that uses it

    kg = _graph(ctx)
    best, others = find_one(kg, label)
    if not show_all:
        _others(label, others, best.iri)
    for match in [best, *others] if show_all else [best]:
        click.echo(describe_one(kg, match.iri).text())


@main.command("ask")
@click.argument("question")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.pass_context
def ask_cmd(ctx: click.Context, question: str, fmt: str) -> None:
    """Ask in words (zh-Hant, zh-Hans or English): the named question that answers QUESTION, its parameters filled
    from the graph, its rows and its SPARQL; when nothing fits well enough, the three nearest (exit 1)."""
    from ..features.ask import answer_text, ask  # noqa: PLC0415 - imported by the command that uses it

    answer = ask(_graph(ctx), question)
    if fmt == "json":
        click.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(answer_text(answer), nl=False, err=answer.chosen is None)
    ctx.exit(0 if answer.chosen is not None else 1)


@main.command("reports")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.pass_context
def reports_cmd(ctx: click.Context, fmt: str) -> None:
    """The reports the graph holds (its catalogue), oldest first, with counts of statements and figures."""
    from ..features.corpus import reports, reports_json, reports_text  # noqa: PLC0415 - imported by the command that uses it

    found = reports(_graph(ctx))
    click.echo(reports_json(found) if fmt == "json" else reports_text(found), nl=False)


@main.command("draft")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@_output_folder("Folder for SLUG.ttl, source/SLUG.txt and SLUG.review.md.")
@click.option("--id", "slug", metavar="SLUG", help="The report's slug (one REPORT only; default: from the file name).")
@click.option(
    "--reviewed-year", type=click.IntRange(1949, 2100), help="The year the report reviews (default: read from the text)."
)
@click.option("--planned-year", type=click.IntRange(1949, 2100), help="The year the report plans (default: read from the text).")
@click.option(
    "--place",
    metavar="NAME|CODE",
    help="The place the report is about: a name or a GB/T 2260 code (default: read from the text).",
)
@click.option(
    "--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="The report's date, YYYY-MM-DD (default: read from the text)."
)
@click.option(
    "--max-size",
    type=click.IntRange(1),
    default=4 * 1024 * 1024,
    show_default=True,
    help="The largest report file read, in bytes.",
)
@click.option("--force", is_flag=True, help="Draft again over a draft of the same slug (never over an edited or reviewed one).")
@click.pass_context
def draft_cmd(
    ctx: click.Context,
    reports: tuple[Path, ...],
    out_dir: Path,
    slug: str | None,
    reviewed_year: int | None,
    planned_year: int | None,
    place: str | None,
    date: datetime.datetime | None,
    max_size: int,
    force: bool,
) -> None:
    """Draft a traced graph from each report (text in any common Chinese encoding, or an HTML page).

    A readable report always drafts: what the text does not say (its place, years, date, sections, title) is
    guessed and marked for review. Exit 1 if a file could not be read (each is named on stderr; the others are
    still written).
    """
    from ..features.draft import Overrides, draft_reports  # noqa: PLC0415 - the draft extra, for this command only
    from ..features.places import divisions  # noqa: PLC0415 - the draft extra, for this command only

    if place and not (divisions().get(place) if place.isdigit() else divisions().find(place)):
        raise click.BadParameter(f"{place!r} is no division of China (a name, or a 6-digit GB/T 2260 code)", param_hint="--place")
    log = logging.getLogger("mzkg")
    over = Overrides(reviewed_year, planned_year, date.date().isoformat() if date else None, place)
    run = draft_reports(
        list(reports), out_dir, _graph(ctx), slug=slug, overrides=over, force=force, max_bytes=max_size, progress=log.info
    )
    for done in run.drafted:
        click.echo(
            f"{done.ttl}\t{done.statements} statements\t{done.figures} figures\t{done.flagged} to review ({done.review.name})"
        )
    for bad in run.failed:
        click.echo(f"mzkg: error: {bad.source}: {bad.error}", err=True)
    ctx.exit(1 if run.failed else 0)


@main.command("coverage")
@click.option("--source", "source", metavar="IRI", help="Only this source text (default: every source text in the graph).")
@click.pass_context
def coverage_cmd(ctx: click.Context, source: str | None) -> None:
    """How many figures and clauses of each source text are encoded (exit 1 if not all); agreement with the text is validate's."""
    from rdflib import URIRef  # noqa: PLC0415 - rdflib only for this command

    from ..features.grounding import coverage, source_texts  # noqa: PLC0415 - rdflib only for this command

    kg = _graph(ctx)
    reports = [coverage(kg, URIRef(s)) for s in ([source] if source else sorted(map(str, source_texts(kg))))]
    click.echo("\n".join(r.text() for r in reports), nl=False)
    ctx.exit(0 if all(r.complete for r in reports) else 1)


@main.command("check")
@click.option(
    "--hermit/--no-hermit", default=True, show_default=True, help="Also check consistency with the HermiT reasoner (needs Java)."
)
@click.pass_context
def check_cmd(ctx: click.Context, hermit: bool) -> None:
    """Ontology lint (queries/checks/*-violation.rq must return no rows) and HermiT consistency.

    Exit 1 if any error-level violation is found or the ontology and data are inconsistent.
    """
    from ..features.checks import check_files, run_checks  # noqa: PLC0415 - imported by the command that uses it

    kg = _graph(ctx)
    found = run_checks(kg)
    for v in found:
        click.echo(v.line())
    errors = sum(v.severity == "error" for v in found)
    click.echo(f"{len(check_files())} checks: {errors} error(s), {len(found) - errors} warning(s)")
    ok = errors == 0
    if hermit:
        from ..features.reasoning import hermit_consistency  # noqa: PLC0415 - Java and owlready2 only when asked

        report = hermit_consistency(kg)
        click.echo(report.text(), nl=False)
        ok = ok and report.consistent
    ctx.exit(0 if ok else 1)


@main.command("fmt")
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
@click.pass_context
def fmt_cmd(ctx: click.Context, check_only: bool) -> None:
    """Rewrite the Turtle under ontology/, data/ and shapes/ in one canonical form (every file is checked first)."""
    from ..features.canonical import fmt  # noqa: PLC0415 - imported by the command that uses it

    changed = fmt(check=check_only)
    for f in changed:
        click.echo(f"{'not canonical' if check_only else 'reformatted'}: {f}")
    if not changed:
        click.echo("every file is canonical")
    ctx.exit(1 if check_only and changed else 0)


@main.command("docs")
@_output_folder("Folder to write index.html into.")
def docs_cmd(out_dir: Path) -> None:
    """HTML documentation of the ontology (pyLODE)."""
    from ..features.docs import build_docs  # noqa: PLC0415 - pyLODE only for this command

    click.echo(f"wrote {build_docs(out_dir)}")


@main.command("draw")
@click.argument("which", type=click.Choice(["tiers", "programmes"]))
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.svg, FILE.png or FILE.pdf"
)
@click.pass_context
def draw_cmd(ctx: click.Context, which: str, output: Path) -> None:
    """Graphviz diagram of the tiered networks, or of programmes ↔ target groups ↔ tiers."""
    from ..features.draw import draw  # noqa: PLC0415 - Graphviz only for this command

    click.echo(f"wrote {draw(_graph(ctx), which, output)}")


@main.command("release")
@_output_folder("Folder for the release files.")
@click.pass_context
def release_cmd(ctx: click.Context, out_dir: Path) -> None:
    """Versioned dumps, the ontology alone, a VoID/DCAT description and SHA256SUMS."""
    from ..features.release import release  # noqa: PLC0415 - imported by the command that uses it

    files = release(_graph(ctx), out_dir, lambda msg: click.echo(f"  {msg}", err=True))
    click.echo(f"wrote {len(files)} files to {out_dir}; check them with: (cd {out_dir} && sha256sum -c SHA256SUMS)")


@main.command("load")
@click.argument("gsp_url")
@click.option("--graph", "graph_iri", required=True, metavar="IRI", help="The named graph to replace in the store.")
@click.option(
    "--timeout",
    default=600.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="Seconds each exchange with the store may take.",
)
@MAX_BYTES
@click.pass_context
def load_cmd(ctx: click.Context, gsp_url: str, graph_iri: str, timeout: float, max_bytes: int | None) -> None:
    """PUT the graph into a store (SPARQL 1.1 Graph Store Protocol) and verify the triple count.

    Credentials come from MZKG_STORE_USER / MZKG_STORE_PASSWORD (basic or digest, as the store asks).
    Exit 1 if the store holds a different number of triples than were sent.
    """
    from ..features.gsp import load_into  # noqa: PLC0415 - imported by the command that uses it

    kg = _graph(ctx)
    click.echo(f"loading {len(kg)} triples into <{graph_iri}> at {gsp_url} …", err=True)
    report = load_into(kg, gsp_url, graph_iri, timeout, **({"max_bytes": max_bytes} if max_bytes else {}))
    click.echo(report.text(), nl=False)
    ctx.exit(0 if report.ok else 1)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port)."
)
@click.option(
    "--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1), help="Seconds a query may run (408 after)."
)
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1), help="Largest answer served (413 above).")
@click.option(
    "--review",
    "review_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also serve the review page for the drafts in DIR at /review (loopback only; it writes the drafts).",
)
@click.option(
    "--reviewer", metavar="NAME", help="Who decides on the review page (default: `git config user.name`, else the login name)."
)
@click.pass_context
def serve_cmd(
    ctx: click.Context, host: str, port: int, timeout: float, max_rows: int, review_dir: Path | None, reviewer: str | None
) -> None:
    """A local, read-only SPARQL 1.1 Protocol endpoint over the graph at /sparql, and its linked-data pages;
    with --review DIR, the review page of the drafts in DIR as well."""
    from .server import serve  # noqa: PLC0415 - Starlette and uvicorn only for this command

    kg = _graph(ctx)
    pages = []
    if review_dir is not None:
        from .review_page import ReviewDesk, check_host, review_routes  # noqa: PLC0415 - only with --review

        check_host(host)
        desk = ReviewDesk(review_dir, kg, reviewer)
        pages = review_routes(desk)

    def announce(url: str) -> None:
        click.echo(f"mzkg: serving {len(kg)} triples read-only at {url}/sparql (Ctrl-C stops)", err=True)
        if review_dir is not None:
            click.echo(f"mzkg: reviewing the drafts in {review_dir} at {url}/review as {desk.reviewer}", err=True)

    serve(kg, host, port, Limits(max_rows=max_rows, timeout=timeout), announce=announce, pages=pages)


@main.group("graph", cls=Group)
def graph_cmd() -> None:
    """Graph analytics on the entity graph (networkx): paths, centrality, GraphML/GEXF export."""


WITH_CONCEPTS = click.option(
    "--with-concepts", is_flag=True, help="Keep classification concepts (policy areas, periods, units, kinds) as nodes."
)


@graph_cmd.command("path")
@click.argument("source")
@click.argument("target")
@WITH_CONCEPTS
@click.pass_context
def graph_path_cmd(ctx: click.Context, source: str, target: str, with_concepts: bool) -> None:
    """The shortest relationship path between two entities named by label (exit 1 if there is none)."""
    from ..features.network import shortest_path, to_networkx  # noqa: PLC0415 - networkx only for this command

    kg = _graph(ctx)
    found = shortest_path(kg, source, target, to_networkx(kg, with_concepts=with_concepts))
    for text, others, chosen in zip((source, target), found.others, found.chosen, strict=True):
        _others(text, others, chosen)
    for step in found.steps:
        if step.predicate is None:
            click.echo(f"{step.label}  <{step.node}>")
        else:
            arrow = f"--{step.predicate}-->" if step.forward else f"<--{step.predicate}--"
            click.echo(f"  {arrow} {step.label}  <{step.node}>")


@graph_cmd.command("central")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many entities to list.")
@WITH_CONCEPTS
@click.pass_context
def graph_central_cmd(ctx: click.Context, top: int, with_concepts: bool) -> None:
    """Entities ranked by degree, with betweenness centrality."""
    from ..features.network import centrality, to_networkx  # noqa: PLC0415 - networkx only for this command

    kg = _graph(ctx)
    click.echo("degree  betweenness  entity")
    for iri, name, degree, between in centrality(kg, top, to_networkx(kg, with_concepts=with_concepts)):
        click.echo(f"{degree:6d}  {between:11.4f}  {name}  <{iri}>")


@graph_cmd.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf"]), default="graphml", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@WITH_CONCEPTS
@click.pass_context
def graph_export_cmd(ctx: click.Context, fmt: str, output: str, with_concepts: bool) -> None:
    """Write the entity graph as GraphML or GEXF."""
    from ..features.network import serialize, to_networkx  # noqa: PLC0415 - networkx only for this command

    write_bytes_atomically(output, serialize(to_networkx(_graph(ctx), with_concepts=with_concepts), fmt))


@main.group("review", cls=Group)
def review_cmd() -> None:
    """Review a draft (DIR/SLUG.ttl): list its open items, accept, fix, reject or link each, then mark it done.

    Each decision is written back to the draft at once and recorded as PROV (who, when, what it was before).
    Exit 1 when a decision is refused (a fix its text does not bear out, done with items open).
    """


DRAFT_ARG = click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
REVIEWER = click.option("--reviewer", metavar="NAME", help="Who decides (default: `git config user.name`, else the login name).")


def _draft(ctx: click.Context, path: Path) -> Draft:
    """The draft, with the graph beside it (the global --data, or the packaged data) for the entities it may name."""
    from ..features.review import open_draft  # noqa: PLC0415 - imported by the command that uses it

    return open_draft(path, _graph(ctx))


@review_cmd.command("list")
@DRAFT_ARG
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@REVIEWER
def review_list_cmd(draft: Path, fmt: str, reviewer: str | None) -> None:
    """Every open item: its kind, the words it cites marked 【…】, line and offsets, why, and what it proposes."""
    from ..features.review import items_json, items_text, open_draft  # noqa: PLC0415 - imported by the command that uses it

    del reviewer  # listing decides nothing
    items = open_draft(draft).items()
    click.echo(items_json(items) if fmt == "json" else items_text(items), nl=False)


@review_cmd.command("accept")
@DRAFT_ARG
@click.argument("items", nargs=-1, required=True)
@REVIEWER
@click.pass_context
def review_accept_cmd(ctx: click.Context, draft: Path, items: tuple[str, ...], reviewer: str | None) -> None:
    """Accept each ITEM as drafted: its review mark and note go."""
    d = _draft(ctx, draft)
    for item in items:
        click.echo(d.accept(item, reviewer=reviewer).summary)


@review_cmd.command("fix")
@DRAFT_ARG
@click.argument("item")
@click.argument("changes", nargs=-1, required=True, metavar="FIELD=VALUE...")
@REVIEWER
@click.pass_context
def review_fix_cmd(ctx: click.Context, draft: Path, item: str, changes: tuple[str, ...], reviewer: str | None) -> None:
    """Set fields of ITEM (value, unit, hedge, scale, period, measures, indicator, title, place); a figure is read
    again and must agree with its text, else nothing is written (exit 1)."""
    from ..features.review import parse_fields  # noqa: PLC0415 - imported by the command that uses it

    click.echo(_draft(ctx, draft).fix(item, parse_fields(changes), reviewer=reviewer).summary)


@review_cmd.command("reject")
@DRAFT_ARG
@click.argument("items", nargs=-1, required=True)
@REVIEWER
@click.pass_context
def review_reject_cmd(ctx: click.Context, draft: Path, items: tuple[str, ...], reviewer: str | None) -> None:
    """Remove each ITEM with everything that depends on it (its triples, measurements, spans only it cites)."""
    d = _draft(ctx, draft)
    for item in items:
        click.echo(d.reject(item, reviewer=reviewer).summary)


@review_cmd.command("link")
@DRAFT_ARG
@click.argument("item")
@click.argument("iri")
@REVIEWER
@click.pass_context
def review_link_cmd(ctx: click.Context, draft: Path, item: str, iri: str, reviewer: str | None) -> None:
    """Replace the candidate ITEM everywhere by the known entity IRI (a full IRI or a path below id/)."""
    click.echo(_draft(ctx, draft).link(item, iri, reviewer=reviewer).summary)


@review_cmd.command("done")
@DRAFT_ARG
@REVIEWER
@click.pass_context
def review_done_cmd(ctx: click.Context, draft: Path, reviewer: str | None) -> None:
    """Mark the report reviewed (encoding-method/drafted-reviewed); refused while any item is open (exit 1)."""
    click.echo(_draft(ctx, draft).done(reviewer=reviewer).summary)


def _safely(fn: Callable[[], object]) -> None:
    """Run the command; a closed or full stdout is an error (exit 2), never output silently lost. Click ends a
    command with SystemExit, so the output is flushed here, before Python would drop a failed flush at exit."""
    code: str | int | None = 0
    try:
        try:
            fn()
        except SystemExit as e:
            code = e.code
        if sys.stdout is None:
            raise BrokenPipeError
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
        sys.stderr.write("mzkg: error: the output was closed before everything was written\n")
        sys.exit(2)
    except OSError as e:
        if e.errno is None:
            raise
        _drop_stdout()
        error = OutputError(f"cannot write the output ({e.strerror})")
        sys.stderr.write(f"mzkg: error: {error}\n")
        sys.exit(error.exit_code)
    sys.exit(code)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's own flush at exit fails no second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
    except OSError:  # pragma: no cover - nothing more to do
        pass


def _as_utf8(arg: str) -> str:
    """An argument read as UTF-8 when its bytes are UTF-8 (as mzkg writes and most shells send), else as it came."""
    try:
        return os.fsencode(arg).decode("utf-8")
    except UnicodeDecodeError:
        return arg


def run_cli() -> None:  # pragma: no cover - the console-script entry point
    if sys.stdout is None:  # started with its standard output closed: whatever it printed would be lost
        sys.stderr.write("mzkg: error: the standard output is closed\n")
        sys.exit(2)
    for stream in (sys.stdout, sys.stderr):  # a stream that cannot take Chinese (LC_ALL=C) gets escapes, never a crash
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="backslashreplace")
    if sys.getfilesystemencoding().lower().replace("-", "") != "utf8":  # LC_ALL=C: arguments as undecoded bytes
        sys.argv = [_as_utf8(a) for a in sys.argv]
    try:
        _safely(lambda: main(standalone_mode=True))
    except KeyboardInterrupt:
        click.echo("mzkg: interrupted", err=True)
        sys.exit(130)
