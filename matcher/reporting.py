"""Reports people open: one document written as ``report.md`` and a self-contained ``report.html``.

Every report of the project (evaluation, graph, needs) is a title, the command that
reproduces it, and a sequence of blocks: paragraphs, code, tables and PNG figures. This module
is the one home of their rendering, so Markdown escaping, HTML escaping and embedded images
are done once.

Example
-------
>>> doc = ReportDocument("Collaboration graph", command="matcher graph report --out r")
>>> doc.heading("Figures")
>>> doc.table(["nodes", "edges"], [["12", "30"]])
>>> paths = doc.write("r")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ReportDocument"]

_STYLE = (
    "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;line-height:1.4}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}"
    "th{background:#f3f3f3}pre{background:#f7f7f7;padding:.8em;overflow-x:auto}img{max-width:100%}"
)


def _md_cell(cell: object) -> str:
    return str(cell).replace("|", "\\|").replace("\n", " ")


@dataclass
class ReportDocument:
    """A report under construction; :meth:`write` renders it to Markdown and HTML.

    Parameters
    ----------
    title : str
        The report's heading and the HTML page title.
    command : str, optional
        The exact command that reproduces the report, quoted at its top.
    """

    title: str
    command: str | None = None
    _md: list[str] = field(default_factory=list, repr=False)
    _html: list[str] = field(default_factory=list, repr=False)
    _figures: list[Path] = field(default_factory=list, repr=False)

    def heading(self, text: str, level: int = 2) -> None:
        self._md += [f"{'#' * level} {text}", ""]
        self._html.append(f"<h{level}>{html.escape(text)}</h{level}>")

    def paragraph(self, text: str) -> None:
        self._md += [text, ""]
        self._html.append(f"<p>{html.escape(text)}</p>")

    def code(self, text: str, language: str = "") -> None:
        self._md += [f"```{language}", text, "```", ""]
        self._html.append(f"<pre><code>{html.escape(text)}</code></pre>")

    def table(self, header: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
        lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        self._md += [*lines, ""]
        head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
        )
        self._html.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def figure(self, path: str | Path, caption: str) -> None:
        """A PNG already written next to the report; the HTML embeds it, the Markdown links it."""
        png = Path(path)
        self._figures.append(png)
        self._md += [f"![{caption}]({png.name})", ""]
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        self._html.append(f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">')
        self._html.append(f"<figcaption>{html.escape(caption)}</figcaption></figure>")

    def markdown(self) -> str:
        head = [f"# {self.title}", ""]
        if self.command:
            head += ["Reproduce with:", "", "```", self.command, "```", ""]
        return "\n".join(head + self._md)

    def html(self) -> str:
        head = [f"<h1>{html.escape(self.title)}</h1>"]
        if self.command:
            head += ["<p>Reproduce with:</p>", f"<pre><code>{html.escape(self.command)}</code></pre>"]
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(self.title)}</title><style>{_STYLE}</style></head>"
            f"<body>{''.join(head + self._html)}</body></html>\n"
        )

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``report.md`` and ``report.html`` into ``out_dir`` (created if missing).

        Returns
        -------
        dict of str to Path
            ``markdown`` and ``html``.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {"markdown": out / "report.md", "html": out / "report.html"}
        paths["markdown"].write_text(self.markdown(), encoding="utf-8")
        paths["html"].write_text(self.html(), encoding="utf-8")
        return paths
