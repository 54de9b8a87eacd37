"""A draft as Markdown, with its 数据来源 appendix inline or as a separate text; a Draft in, text out."""

from __future__ import annotations

import re

from rolgov.catalog import Catalog
from rolgov.report.model import Draft
from rolgov.report.sources import NOTE, SOURCE_HEADER, batch_legend, source_rows

LEAD = re.compile(r"^（[一二三四五六七八九十]+）[^。]*。")  # the inline （一） heading of a paragraph


def to_markdown(
    draft: Draft,
    catalog: Catalog,
    image_paths: dict[int, str] | None = None,
    batch_labels: dict[int, str] | None = None,
    appendix: bool = False,
) -> str:
    """Markdown of the draft; charts link to image_paths (block index -> relative path) or are named only.
    With appendix, the 数据来源 table follows the text (otherwise appendix_markdown writes it apart)."""
    lines: list[str] = []
    for index, block in enumerate(draft.blocks):
        if block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "note":
            lines += [f"*{block.text}*", ""]
        elif block.kind == "heading":
            lines += [f"## {block.text}", ""]
        elif block.kind == "chart":
            path = (image_paths or {}).get(index)
            lines += [f"![{block.text}]({path})" if path else f"> {block.text}（图见 Word 版）", ""]
        else:
            lead = LEAD.match(block.text)
            lines += [f"**{lead.group(0)}**{block.text[lead.end() :]}" if lead else block.text, ""]
    text = "\n".join(lines)
    if appendix:
        text += "---\n\n" + _table(draft, catalog, batch_labels or {}, "## 附件　数据来源")
    return text.rstrip("\n") + "\n"


def appendix_markdown(draft: Draft, catalog: Catalog, batch_labels: dict[int, str] | None = None) -> str:
    """The 数据来源 appendix on its own, for a file beside the draft."""
    return _table(draft, catalog, batch_labels or {}, f"# {draft.title}　数据来源")


def _table(draft: Draft, catalog: Catalog, batch_labels: dict[int, str], heading: str) -> str:
    lines = [heading, "", NOTE, "", "| " + " | ".join(SOURCE_HEADER) + " |", "|" + "---|" * len(SOURCE_HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "／") for c in row) + " |" for row in source_rows(draft, catalog)]
    if draft.figures:
        lines += ["", batch_legend(draft, batch_labels)]
    return "\n".join(lines) + "\n"
