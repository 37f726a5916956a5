"""The one report writer: Markdown and a self-contained HTML page from the same blocks."""

from __future__ import annotations

import base64
from pathlib import Path

from matcher.reporting import ReportDocument

# A 1x1 PNG, so the test needs no plotting library.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_one_document_renders_to_markdown_and_self_contained_html(tmp_path: Path) -> None:
    png = tmp_path / "plot.png"
    png.write_bytes(PNG)
    doc = ReportDocument("Graph <report>", command="matcher graph report --out x")
    doc.heading("Figures")
    doc.paragraph("a < b & c")
    doc.table(["name", "value"], [["C|C++", "<b>1</b>"]])
    doc.figure(png, "Degree distribution")
    paths = doc.write(tmp_path / "out")

    md = paths["markdown"].read_text(encoding="utf-8")
    assert md.startswith("# Graph <report>\n")
    assert "```\nmatcher graph report --out x\n```" in md
    assert "| C\\|C++ | <b>1</b> |" in md  # a pipe in a cell does not open a column
    assert "![Degree distribution](plot.png)" in md

    page = paths["html"].read_text(encoding="utf-8")
    assert "<title>Graph &lt;report&gt;</title>" in page
    assert "<td>&lt;b&gt;1&lt;/b&gt;</td>" in page and "a &lt; b &amp; c" in page
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in page
    assert "plot.png" not in page  # embedded, not linked: the page opens on its own
