"""The `mzkg` command: parse options, call the library, print, map errors to exit codes.

Exit codes: 0 ok / conforms, 1 data does not conform or a check fails, 2 usage or load error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import MzkgError


class UserError(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"mzkg: error: {self.format_message()}", err=True)


def _load(ctx: click.Context):
    from .graph import load

    obj = ctx.find_object(dict)
    if "kg" not in obj:
        obj["kg"] = _run(load, obj.get("data") or None)
    return obj["kg"]


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except MzkgError as e:
        raise UserError(str(e)) from None


def _emit(text: str, output: str | None) -> None:
    if output:
        from .graph import write_atomically
        _run(write_atomically, output, text)
    else:
        click.echo(text, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Turtle file or folder to use instead of the packaged data (repeatable). The ontology is always loaded.")
@click.version_option(__version__, prog_name="mzkg")
@click.pass_context
def main(ctx: click.Context, data: tuple[Path, ...]) -> None:
    """mzkg: the 2022 Guangdong civil-affairs work report as a knowledge graph."""
    ctx.ensure_object(dict)["data"] = list(data)


@main.command("query")
@click.argument("name", required=False)
@click.option("--sparql", help="SPARQL query text to run instead of a named query.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a query parameter (as an RDF term).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]), default=None,
              help="Output format (default: table).")
@click.option("--endpoint", metavar="URL", help="Run against this SPARQL 1.1 Protocol endpoint instead of the embedded graph.")
@click.option("--graph", "graph_iri", metavar="IRI", help="With --endpoint: the graph sent as default-graph-uri.")
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
              help="Local query engine: Oxigraph over a cached store (fast), or rdflib.")
@click.option("--allow-service", is_flag=True, help="Let SERVICE clauses reach the network (refused by default).")
@click.pass_context
def query_cmd(ctx, name, sparql, params, fmt, endpoint, graph_iri, engine, allow_service):
    """Run a named query (see `mzkg queries`), an .rq file, or --sparql TEXT."""
    from .queries import bind_params, check_read_only, query, resolve

    if (name is None) == (sparql is None):
        raise UserError("give a query NAME or FILE.rq, or --sparql TEXT (one of them)")
    if graph_iri and not endpoint:
        raise UserError("--graph goes with --endpoint")
    source = sparql if sparql is not None else name
    bound = {}
    for p in params:
        key, sep, value = p.partition("=")
        if not sep or not key:
            raise UserError(f"--param {p!r}: expected KEY=VALUE")
        bound[key] = value
    if endpoint:
        from .remote import remote_query

        text, declared = _run(resolve, source)
        text = _run(bind_params, text, declared, bound)
        _run(check_read_only, text, allow_service)
        result = _run(remote_query, endpoint, text, graph_iri)
    elif engine == "oxigraph":
        from . import fast

        text, declared = _run(resolve, source)
        text = _run(bind_params, text, declared, bound)
        store = _run(fast.load_store, ctx.find_object(dict).get("data") or None)
        result = _run(fast.run, store, text, allow_service)
    else:
        if allow_service:
            raise UserError("--allow-service goes with the oxigraph engine")
        result = _run(query, _load(ctx), source, **bound)
    click.echo(_run(result.serialize, fmt or "table"), nl=False)


@main.command("queries")
def queries_cmd():
    """List the named queries with the question each answers."""
    from .queries import named_queries

    for name, q in named_queries().items():
        click.echo(f"{name}\t{q.question_en or q.title}\t{q.question_zh}")


@main.command("validate")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Report format.")
@click.pass_context
def validate_cmd(ctx, fmt):
    """Validate ontology + data against the SHACL shapes (exit 1 if it does not conform)."""
    from .graph import load_union
    from .shacl import validate

    obj = ctx.find_object(dict)
    report = _run(validate, _run(load_union, obj.get("data") or None))
    click.echo(report.to_json() if fmt == "json" else report.text(), nl=False)
    ctx.exit(0 if report.conforms else 1)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "nquads", "trig", "json-ld", "xml"]), default="turtle",
              help="Serialisation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically) instead of stdout.")
@click.option("--inferred", is_flag=True, help="Add the OWL 2 RL closure (owlrl), for stores without reasoning.")
@click.pass_context
def export_cmd(ctx, fmt, output, inferred):
    """Serialise the whole graph; byte-identical across runs."""
    from .graph import KnowledgeGraph, export

    kg = _load(ctx)
    if inferred:
        from .reasoning import rl_closure

        click.echo("computing the OWL 2 RL closure …", err=True)
        kg = KnowledgeGraph.from_graph(rl_closure(kg), "inferred")
    _emit(_run(export, kg, fmt), output)


@main.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def stats_cmd(ctx, fmt):
    """Triples, entities per class, and the source files."""
    from .graph import stats

    s = stats(_load(ctx))
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


@main.command("describe")
@click.argument("label")
@click.pass_context
def describe_cmd(ctx, label):
    """Every fact about the entities labelled LABEL (zh-Hant, zh-Hans or English), with quotes."""
    from . import fast
    from .lookup import describe_store

    found = _run(describe_store, _run(fast.load_store, ctx.find_object(dict).get("data") or None), label)
    if not found:
        raise UserError(f"no entity has a label equal to or containing {label!r}")
    for d in found:
        click.echo(d.text())


@main.command("coverage")
@click.pass_context
def coverage_cmd(ctx):
    """How many figures and clauses of the source are encoded, and whether every value is grounded (exit 1 if not complete)."""
    from .grounding import coverage

    report = _run(coverage, _load(ctx))
    click.echo(report.text(), nl=False)
    ctx.exit(0 if report.complete else 1)


@main.command("check")
@click.option("--hermit/--no-hermit", default=True, show_default=True, help="Also check consistency with the HermiT reasoner (needs Java).")
@click.pass_context
def check_cmd(ctx, hermit):
    """Ontology lint (queries/checks/*-violation.rq must return no rows) and HermiT consistency.

    Exit 1 if any error-level violation is found or the ontology and data are inconsistent.
    """
    from .checks import check_files, run_checks

    kg = _load(ctx)
    found = _run(run_checks, kg)
    for v in found:
        click.echo(v.line())
    errors = sum(v.severity == "error" for v in found)
    click.echo(f"{len(check_files())} checks: {errors} error(s), {len(found) - errors} warning(s)")
    ok = errors == 0
    if hermit:
        from .reasoning import hermit_consistency

        report = _run(hermit_consistency, kg)
        click.echo(report.text(), nl=False)
        ok = ok and report.consistent
    ctx.exit(0 if ok else 1)


@main.command("fmt")
@click.option("--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
def fmt_cmd(check_only):
    """Rewrite the Turtle under ontology/, data/ and shapes/ in one canonical form."""
    from .canonical import fmt

    changed = _run(fmt, None, check_only)
    for f in changed:
        click.echo(f"{'not canonical' if check_only else 'reformatted'}: {f}")
    if check_only and changed:
        raise SystemExit(1)
    if not changed:
        click.echo("every file is canonical")


@main.command("docs")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write index.html into.")
def docs_cmd(out_dir):
    """HTML documentation of the ontology (pyLODE)."""
    from .docs import build_docs

    click.echo(f"wrote {_run(build_docs, out_dir)}")


@main.command("draw")
@click.argument("which", type=click.Choice(["tiers", "programmes"]))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.svg, FILE.png or FILE.pdf")
@click.pass_context
def draw_cmd(ctx, which, output):
    """Graphviz diagram of the tiered networks, or of programmes ↔ target groups ↔ tiers."""
    from .draw import draw

    click.echo(f"wrote {_run(draw, _load(ctx), which, output)}")


@main.command("release")
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the release files.")
@click.pass_context
def release_cmd(ctx, out_dir):
    """Versioned dumps, the ontology alone, a VoID/DCAT description and SHA256SUMS."""
    from .release import release

    kg = _load(ctx)
    files = _run(release, kg, out_dir, lambda msg: click.echo(f"  {msg}", err=True))
    click.echo(f"wrote {len(files)} files to {out_dir}; check them with: (cd {out_dir} && sha256sum -c SHA256SUMS)")


@main.command("load")
@click.argument("gsp_url")
@click.option("--graph", "graph_iri", required=True, metavar="IRI", help="The named graph to replace in the store.")
@click.pass_context
def load_cmd(ctx, gsp_url, graph_iri):
    """PUT the graph into a store (SPARQL 1.1 Graph Store Protocol) and verify the triple count.

    Credentials come from MZKG_STORE_USER / MZKG_STORE_PASSWORD (basic or digest, as the store asks).
    Exit 1 if the store holds a different number of triples than were sent.
    """
    from .stores import load_into

    kg = _load(ctx)
    click.echo(f"loading {len(kg)} triples into <{graph_iri}> at {gsp_url} …", err=True)
    report = _run(load_into, kg, gsp_url, graph_iri)
    click.echo(report.text(), nl=False)
    ctx.exit(0 if report.ok else 1)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1), help="Seconds a query may run (408 after).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1), help="Largest answer served (413 above).")
@click.pass_context
def serve_cmd(ctx, host, port, timeout, max_rows):
    """A local, read-only SPARQL 1.1 Protocol endpoint over the graph at /sparql."""
    from . import fast
    from .server import serve

    store = _run(fast.load_store, ctx.find_object(dict).get("data") or None)
    click.echo(f"mzkg: serving {len(store)} triples read-only at http://{host}:{port}/sparql (Ctrl-C stops)", err=True)
    _run(serve, store, host, port, timeout, max_rows)


@main.group("graph")
def graph_cmd():
    """Graph analytics on the entity graph (networkx): paths, centrality, GraphML/GEXF export."""


@graph_cmd.command("path")
@click.argument("source")
@click.argument("target")
@click.pass_context
def graph_path_cmd(ctx, source, target):
    """The shortest relationship path between two entities named by label."""
    from .network import shortest_path

    steps = _run(shortest_path, _load(ctx), source, target)
    for step in steps:
        if step.predicate is None:
            click.echo(f"{step.label}  <{step.node}>")
        else:
            arrow = f"--{step.predicate}-->" if step.forward else f"<--{step.predicate}--"
            click.echo(f"  {arrow} {step.label}  <{step.node}>")


@graph_cmd.command("central")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many entities to list.")
@click.pass_context
def graph_central_cmd(ctx, top):
    """Entities ranked by degree, with betweenness centrality."""
    from .network import centrality

    click.echo("degree  betweenness  entity")
    for iri, name, degree, between in centrality(_load(ctx), top):
        click.echo(f"{degree:6d}  {between:11.4f}  {name}  <{iri}>")


@graph_cmd.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf"]), default="graphml", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.pass_context
def graph_export_cmd(ctx, fmt, output):
    """Write the entity graph as GraphML or GEXF."""
    import io

    from .graph import write_atomically
    from .network import to_networkx, write

    buf = io.BytesIO()
    _run(write, to_networkx(_load(ctx)), fmt, buf)
    _run(write_atomically, output, buf.getvalue().decode("utf-8"))


def run() -> None:  # pragma: no cover - the console-script entry point
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("mzkg: interrupted", err=True)
        sys.exit(130)
