"""IPython magics: `%load_ext mzkg`, then `%%sparql` cells and `%sparql NAME` lines that return DataFrames."""

from __future__ import annotations


from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .errors import MzkgError


@magics_class
class SparqlMagics(Magics):
    _kg = None

    def _graph(self):
        if SparqlMagics._kg is None:
            from .graph import load
            SparqlMagics._kg = load()
        return SparqlMagics._kg

    @magic_arguments()
    @argument("name", nargs="?", help="a named query (line magic); the cell is the query for %%%%sparql")
    @argument("--param", action="append", default=[], metavar="KEY=VALUE", help="bind a query parameter")
    @argument("--endpoint", help="run against this SPARQL endpoint instead of the embedded graph")
    @argument("--graph", help="with --endpoint: the graph IRI sent as default-graph-uri")
    @argument("--out", help="also store the DataFrame in this variable")
    @line_cell_magic
    def sparql(self, line: str, cell: str | None = None):
        """Run SPARQL (the cell) or a named query (the line) and return a pandas DataFrame."""
        args = parse_argstring(self.sparql, line)
        try:
            frame = self._run(args, cell)
        except MzkgError as e:
            print(f"mzkg: error: {e}")
            return None
        if args.out:
            self.shell.user_ns[args.out] = frame
        return frame

    def _run(self, args, cell):
        from .queries import bind_params, query, resolve

        params = {}
        for p in args.param:
            key, sep, value = p.partition("=")
            if not sep:
                raise MzkgError(f"--param {p!r}: expected KEY=VALUE")
            params[key] = value
        source = cell if cell is not None and cell.strip() else args.name
        if not source:
            raise MzkgError("give a query name (%sparql NAME) or write the query in the cell (%%sparql)")
        if args.endpoint:
            from .remote import remote_query
            text, declared = resolve(source)
            return remote_query(args.endpoint, bind_params(text, declared, params), args.graph).to_dataframe()
        return query(self._graph(), source, **params).to_dataframe()


def load_ipython_extension(ipython) -> None:
    ipython.register_magics(SparqlMagics)


__all__ = ["SparqlMagics", "load_ipython_extension"]
