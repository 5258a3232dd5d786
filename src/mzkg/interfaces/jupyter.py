"""IPython magics: `%load_ext mzkg`, then `%%sparql` cells and `%sparql NAME` lines that return DataFrames.

The magics run their queries through the query service, so the read-only rules and the engines are the
ones the CLI and the library use, local or `--endpoint`.
"""

from __future__ import annotations

from typing import Any

from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from ..core.errors import MzkgError, UsageError
from ..core.graph import KnowledgeGraph, load
from ..core.results import GraphResult
from ..core.service import run
from ..core.sparql.params import parse_pairs


@magics_class
class SparqlMagics(Magics):
    _kg: KnowledgeGraph | None = None

    def _graph(self) -> KnowledgeGraph:
        if SparqlMagics._kg is None:
            SparqlMagics._kg = load()
        return SparqlMagics._kg

    @magic_arguments()
    @argument("name", nargs="?", help="a named query (line magic); the cell is the query for %%%%sparql")
    @argument("--param", action="append", default=[], metavar="KEY=VALUE", help="bind a query parameter")
    @argument("--endpoint", help="run against this SPARQL endpoint instead of the embedded graph")
    @argument("--graph", help="with --endpoint: the graph IRI sent as default-graph-uri")
    @argument("--out", help="also store the DataFrame in this variable")
    @line_cell_magic
    def sparql(self, line: str, cell: str | None = None) -> Any:
        """Run SPARQL (the cell) or a named query (the line) and return a pandas DataFrame."""
        args = parse_argstring(self.sparql, line)
        try:
            frame = self._run(args, cell)
        except MzkgError as e:
            print(f"mzkg: error: {e}")
            return None
        if args.out and self.shell is not None:
            self.shell.user_ns[args.out] = frame
        return frame

    def _run(self, args: Any, cell: str | None) -> Any:
        source = cell if cell is not None and cell.strip() else args.name
        if not source:
            raise UsageError("give a query name (%sparql NAME) or write the query in the cell (%%sparql)")
        result = run(
            source, parse_pairs(args.param), kg=None if args.endpoint else self._graph(), endpoint=args.endpoint, graph=args.graph
        )
        if isinstance(result, GraphResult):
            raise UsageError("a CONSTRUCT or DESCRIBE answer is a graph, not a table: use mzkg.query(...).serialize()")
        return result.to_dataframe()


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(SparqlMagics)
