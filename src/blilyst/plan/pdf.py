"""The plan as a tagged, accessible PDF (PDF/UA-1) drawn by WeasyPrint from the document's blocks.

The blocks of :func:`blilyst.plan.document.plan_blocks` become plain semantic HTML — headings in order,
paragraphs, tables with header cells and captions, each chart an ``<img>`` with its text alternative —
in the document's language (``<html lang="nb-NO">``), and WeasyPrint writes it as PDF/UA-1: a structure
tree in reading order, ``/Lang``, the title shown as the window title, alternative text on every figure,
embedded fonts. The text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``, found through fontconfig),
which draws every letter of Norwegian and Sámi names (Porsáŋgu, Kárášjohka, Unjárga).

Print rules, in CSS: A4 with a footer on every page (title, date, source, page number); headings are kept
with what follows them (never the last line of a page); words are never broken inside (no hyphenation, no
breaking of long words); a table's header row repeats on every page it spans.

WeasyPrint needs Debian's Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``); ``make setup`` installs it.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any

FONT_FAMILY = "DejaVu Sans"

CSS = """
@page {
  size: A4;
  margin: 2cm 2cm 2.2cm 2cm;
  @bottom-left { content: string(footer); font-size: 7pt; color: #444; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 7pt; color: #444; }
}
html { font-family: "%(font)s", sans-serif; font-size: 9.5pt; line-height: 1.35; color: #111; }
body { hyphens: manual; overflow-wrap: normal; word-break: normal; }
.footer { string-set: footer content(); display: none; }
h1 { font-size: 18pt; margin: 0 0 0.4em; }
h2 { font-size: 14pt; margin: 1.2em 0 0.4em; }
h3 { font-size: 12pt; margin: 1em 0 0.3em; }
h4 { font-size: 10.5pt; margin: 0.9em 0 0.3em; }
h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
p { margin: 0 0 0.5em; orphans: 2; widows: 2; }
p.small, p.note, caption { font-size: 8pt; color: #333; }
p.note { font-style: italic; }
p.warning { font-weight: bold; color: #8a2500; }
figure { margin: 0.3em 0 0.6em; break-inside: avoid; }
figure img { width: 16cm; }
figcaption { font-size: 8pt; color: #333; }
table { border-collapse: collapse; width: 100%%; margin: 0.3em 0 0.8em; font-size: 7.5pt; }
caption { caption-side: bottom; text-align: left; font-style: italic; padding-top: 0.2em; }
th, td { border: 0.4pt solid #999; padding: 2pt 3pt; vertical-align: top; text-align: left; }
thead th { background: #e8eef4; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.page-break { break-after: page; }
"""


def _heading(level: int) -> str:
    return f"h{min(level + 1, 4)}"


def to_html(blocks: list[Any], *, title: str, language: str, footer: str) -> str:
    """The blocks as one HTML document (the PDF's source; also handy to inspect what the PDF holds)."""
    from blilyst.plan.document import Grid, Heading, PageBreak, Para, Picture

    parts = [f'<p class="footer">{escape(footer)}</p>']
    for block in blocks:
        if isinstance(block, PageBreak):
            parts.append('<div class="page-break"></div>')
        elif isinstance(block, Heading):
            tag = _heading(block.level)
            parts.append(f"<{tag}>{escape(block.text)}</{tag}>")
        elif isinstance(block, Para):
            parts.append(f'<p class="{escape(block.style)}">{escape(block.text)}</p>')
        elif isinstance(block, Grid):
            head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
            rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in block.rows)
            caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
            widths = ""
            if block.widths:
                total = sum(block.widths)
                widths = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths)
                widths += "</colgroup>"
            parts.append(f"<table>{caption}{widths}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif isinstance(block, Picture):
            data = base64.b64encode(block.png).decode("ascii")
            caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
            parts.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.alt)}">{caption}</figure>'
            )
    css = CSS % {"font": FONT_FAMILY}
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="author" content="blilyst"><meta name="generator" content="blilyst">'
        f"<style>{css}</style></head><body>{''.join(parts)}</body></html>"
    )


def render(blocks: list[Any], *, title: str, language: str, footer: str) -> bytes:
    """PDF/UA-1 bytes for the blocks."""
    from weasyprint import HTML

    html = to_html(blocks, title=title, language=language, footer=footer)
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    if pdf is None:  # write_pdf returns bytes when no target is given
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
