"""Experience-summary drafts (经验材料): scope, period and areas in; a traced Draft, .docx and Markdown out.

model (Period, Block, Draft) · figures (traced figures, facts, verify) · wording (fixed text, rates) ·
prose (sentence patterns) · statements (one indicator said) · build (paragraphs, the draft) · charts ·
sources (数据来源 rows) · markdown · word (.docx layout) · package (trace, properties) ·
cli (python -m rolgov.report draft|verify).
"""

from rolgov.report.build import apply_edits, build_draft
from rolgov.report.model import Block, Draft, Period

__all__ = ["Block", "Draft", "Period", "apply_edits", "build_draft"]
