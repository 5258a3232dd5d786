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
    @argument("--lang", help="one language per row where labels come in several (e.g. zh-Hant, then zh-Hans, en)")
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
        return result.to_dataframe(lang=args.lang)


CJK_FONTS = (
    "Noto Sans CJK TC",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans TC",
    "PingFang TC",
    "Microsoft JhengHei",
)


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese (not boxes) with the first CJK font installed; its name, or None (and a hint)."""
    try:
        from matplotlib import font_manager, rcParams  # noqa: PLC0415 - only when matplotlib is there
    except ImportError:  # pragma: no cover - the jupyter extra brings matplotlib
        return None
    installed = {f.name for f in font_manager.fontManager.ttflist}
    font = next((f for f in CJK_FONTS if f in installed), None)
    if font is None:
        print(
            "mzkg: no CJK font found, so Chinese in plots shows as boxes: apt-get install fonts-noto-cjk (or brew install font-noto-sans-cjk)"
        )
        return None
    rcParams["font.sans-serif"] = [font, *[f for f in rcParams["font.sans-serif"] if f != font]]
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False
    return font


def plain_number(value: float) -> str:
    """Money and counts as people read them: 13,020,000,000 (never 1.302000e+10), 0.5, 98.5."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(SparqlMagics)
    use_cjk_font()
    try:
        import pandas as pd  # noqa: PLC0415 - the jupyter extra
    except ImportError:  # pragma: no cover - the jupyter extra brings pandas
        return
    pd.set_option("display.float_format", plain_number)
