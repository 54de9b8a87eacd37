"""Experience-summary drafts (经验材料): scope, period and areas in; a Draft out, every figure traced.

A draft reads like the seed material: a title, a figure-free opening, then per area a heading 一、, a
lead, and subsections （一） (none for a lone subsection) whose sentences state the figures exactly as the
seed does (349名, 91037条), honest about a shortfall, with at most one true rank claim per subsection:
首位 only for a sole leader, 并列第一 for two or three, nothing when every county meets the target. Period
and subject are said once and kept while they hold, a shared verb once, never more than four figures in a
sentence, and every sentence pattern is chosen by prose.Rotation so none recurs through the draft.
Two levels never mix: 全市 figures are the 610900 total, 市级 ones the 610900BJ values, and 其中
introduces a county only under a whole-city figure it is part of. Statements come from statements.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator
from rolgov.report import prose
from rolgov.report import wording as W
from rolgov.report.figures import TracedFigure, evaluate, occurrences, reconcile, tied_with
from rolgov.report.model import Block, Draft, Period, cn, sample_note, sample_of
from rolgov.report.statements import Piece, Statements, rate_noun

RATIOS_OF: dict[str, list[W.Ratio]] = {}
for _ratio in W.RATIOS:
    for _id in (_ratio.rate, _ratio.whole, _ratio.part):
        if _id:
            RATIOS_OF.setdefault(_id, []).append(_ratio)


class Builder(Statements):
    """The statements of a draft set in paragraphs: one per subsection."""

    # ── a subsection: its pieces, one rank claim, the paragraph ──────────────────────────────────
    def pieces(self, sub: W.Subsection) -> list[Piece]:
        out: list[Piece] = []
        self.latest_said = False
        done: set[str] = set()
        for ind_id in sub.indicators:
            if ind_id in done or ind_id not in self.catalog.by_id or ind_id not in self.visible:
                continue
            ratio = next(
                (
                    r
                    for r in RATIOS_OF.get(ind_id, [])
                    if r.part in sub.indicators and (r.rate is None or r.rate in sub.indicators)
                ),
                None,
            )
            if ratio:
                made = [
                    p
                    for region, level in self.regions_for(self.catalog[ratio.part])
                    if (p := self.ratio(ratio, region, level)) is not None
                ]
                if made:
                    out += made
                    done |= {ratio.rate, ratio.whole, ratio.part} - {None}
                    continue
            ind = self.catalog[ind_id]
            out += [p for region, level in self.regions_for(ind) if (p := self.single(ind, region, level)) is not None]
            done.add(ind_id)
        return out

    def candidates(self, sub: W.Subsection, pieces: list[Piece]) -> list[Indicator]:
        """Indicators a rank may be claimed on: their figure stated in the paragraph, better one way; rates first."""
        stated = {f.indicator_id for p in pieces for f in p.figures if f.measure in ("value", "sum", "rate")}
        found = [
            self.catalog[i]
            for i in sub.indicators
            if i in self.visible and i in stated and self.catalog[i].direction in ("higher", "lower")
        ]
        return sorted(found, key=lambda i: i.kind != "percent")

    def rank_claim(self, sub: W.Subsection, pieces: list[Piece]) -> None:
        """A county draft: the one truest rank claim of the subsection, said after its figure."""
        best = None
        for ind in self.candidates(sub, pieces):
            measure, start, _ = self.how(ind)
            fig = self.figure(ind, self.scope, "rank", start, basis=measure, among=self.root, exact=True)
            if fig is not None:
                score = (fig.value, "并列" in fig.text, ind.kind != "percent")
                if best is None or score < best[0]:
                    best = (score, ind, fig)
        if best is None:
            return
        _, ind, fig = best
        piece = next(p for p in pieces if ind.id in p.indicator_ids and p.region == self.scope)
        key = f"{ind.id}{self.scope}"
        if "并列" in fig.text:
            pattern, style = self.rotation.pick("rank.tied", prose.RANK_TIED, key)
        elif ind.direction == "lower":
            pattern, style = self.rotation.pick("rank.lowest", prose.RANK_LOWEST, key)
        else:
            pattern, style = self.rotation.pick("rank.sole", prose.RANK_SOLE, key)
        fig = self.figure(ind, self.scope, "rank", fig.start, basis=fig.basis, among=self.root, exact=True, style=style)
        others = "、".join(R.name_of(c, self.period.year) for c in tied_with(fig, self.facts, self.catalog))
        clause = pattern.format(others=others, r=fig.text, c=self.char, u=self.unit_noun)
        at = rank_position(piece, ind.id)
        piece.predicate = piece.predicate[:at] + clause + piece.predicate[at:]
        piece.figures.append(fig)

    def county_predicate(self, ind: Indicator, fig: TracedFigure, tied: bool) -> str | None:
        """What a county did, for a city draft's highlight: 村（社区）法律顾问覆盖率达84.4%."""
        body = ind.template_zh.replace("{period}，{scope}", "")
        if fig.measure != "sum":
            body = body.replace("累计", "")
        if ind.kind == "percent":
            noun = rate_noun(ind)
            return f"{noun}{'均' if tied else ''}{self.verb(ind, fig.value, fig.region_code)}{fig.text}"
        if tied or "{" in body.replace("{value}", ""):
            return None
        return body.replace("{value}", fig.text)

    def highlight(self, sub: W.Subsection, pieces: list[Piece], said: str) -> tuple[str, list[TracedFigure]] | None:
        """A city draft: the leading county (or two or three tied) with its figure; every county at 100%
        is said as such; nothing when more tie or every county meets its target."""
        for ind in self.candidates(sub, pieces):
            if ind.kind != "percent":  # counts follow the size of a county: naming the largest says nothing
                continue
            measure, start, _ = self.how(ind)
            key = f"{ind.id}{self.scope}"
            ranks = {
                c: self.figure(ind, c, "rank", start, basis=measure, among=self.root, exact=True) for c in self.counties
            }
            leaders = [c for c, f in ranks.items() if f is not None and f.value == 1]
            if not leaders:
                top = ind.range[1]
                low = self.figure(ind, self.root, "min", start, basis=measure, among=self.root, exact=True)
                if ind.kind == "percent" and top is not None and low is not None and low.value >= top:
                    pattern = self.rotation.pick("highlight.all", prose.HIGHLIGHT_ALL, key)
                    return pattern.format(c=self.char, u=self.unit_noun, noun=rate_noun(ind), v=low.text), [low]
                continue
            values = [self.figure(ind, c, measure, start, exact=True) for c in leaders]
            tied = len(leaders) > 1
            preds = [self.county_predicate(ind, v, tied) for v in values if v is not None]
            if len(preds) != len(leaders) or None in preds:
                continue
            who = "、".join(R.name_of(c, self.period.year) for c in leaders)
            # 其中 only under the whole city's figure the county is part of, and not right after another 其中
            parent = any(p.region == self.root and ind.id in p.indicator_ids for p in pieces)
            parent = parent and "其中" not in said.rsplit("。", 2)[-2] and self.qizhong < prose.MAX_SAME_PHRASE
            if ind.direction == "lower":
                pattern, style = self.rotation.pick("highlight.lowest", prose.HIGHLIGHT_LOWEST, key)
            elif tied:
                pattern, style = self.rotation.pick("highlight.tied", prose.HIGHLIGHT_TIED, key)
            elif parent:
                options = dict(enumerate(prose.HIGHLIGHT_UNDER_PARENT + prose.HIGHLIGHT))
                pattern, style = self.rotation.pick("highlight.parent", options, key)
            else:
                pattern, style = self.rotation.pick("highlight", prose.HIGHLIGHT, key)
            ranks = {
                c: self.figure(ind, c, "rank", start, basis=measure, among=self.root, exact=True, style=style)
                for c in leaders
            }
            text = pattern.format(
                lead="其中，" if parent else "",
                who=who,
                pred=preds[0],
                r=ranks[leaders[0]].text,
                c=self.char,
                u=self.unit_noun,
            )
            self.qizhong += text.count("其中，")
            return text, [*values, *(ranks[c] for c in leaders)]
        return None

    def sentences(self, pieces: list[Piece]) -> tuple[str, list[TracedFigure]]:
        """Pieces set in sentences: period and subject said once and kept while they hold; single-figure
        clauses joined (a shared verb said once), never more than three clauses or four figures."""
        sentences: list[list] = []  # [text, figures, clauses, solo, last predicate]
        last_frame, last_subject = None, None
        for piece in pieces:
            frame = piece.period_key if self.period.mode == "since" else "year"
            current = sentences[-1] if sentences else None
            if (
                current is not None
                and not current[3]
                and not piece.solo
                and frame == last_frame
                and current[2] < prose.MAX_CLAUSES
                and len(current[1]) + len(piece.figures) <= prose.MAX_FIGURES
            ):
                if piece.subject_key is None or piece.subject_key == last_subject:
                    shared = prose.shared_prefix(current[4], piece.predicate)
                    current[0] += "，" + piece.predicate[len(shared) :]
                else:
                    current[0] += "，" + piece.subject + piece.predicate
                current[1] += piece.figures
                current[2] += 1
                current[4] = piece.predicate
            else:
                need_subject = piece.subject_key is not None and piece.subject_key != last_subject
                subject = piece.subject if need_subject else ""
                if frame != last_frame:
                    p = self.period
                    bound = bool(subject) and piece.subject_key[-1] in prose.BOUND_SUBJECTS
                    options = prose.frame_options(piece.period_key, p.mode != "since", bool(subject), bound)
                    pattern = self.rotation.pick(f"frame.{piece.period_key}", options, piece.predicate)
                    start = pattern.format(Y=p.year, A=p.start, S=subject)
                else:
                    start = subject
                sentences.append([start + piece.predicate, list(piece.figures), 1, piece.solo, piece.predicate])
            last_frame = frame
            last_subject = piece.subject_key  # a subject said inside a sentence is said again next time
        texts, figures = [], []
        for text, figs, *_ in sentences:
            text, figs = self.distinct(text, figs)
            texts.append(text + "。")
            figures += figs
        return "".join(texts), figures

    def distinct(self, text: str, figures: list[TracedFigure]) -> tuple[str, list[TracedFigure]]:
        """Two rounded figures of one sentence that read the same (1.5万余件 twice) are both said exactly."""
        seen: dict[str, int] = {}
        for f in figures:
            seen[f.text] = seen.get(f.text, 0) + 1
        clash = {t for t, n in seen.items() if n > 1 and any(f.text == t and not f.exact for f in figures)}
        if not clash:
            return text, figures
        out, position = [], 0
        for f in figures:
            if f.text in clash and not f.exact:
                exact = evaluate(replace(f, exact=True), self.facts, self.catalog)
                at = text.find(f.text, position)
                if exact is not None and at >= 0:
                    text = text[:at] + exact.text + text[at + len(f.text) :]
                    position = at + len(exact.text)
                    out.append(exact)
                    continue
            out.append(f)
        return text, out

    def mandate_met(self, sub: W.Subsection) -> bool:
        if not sub.mandate or sub.mandate_for not in self.visible:
            return False
        ind = self.catalog[sub.mandate_for]
        region = self.regions_for(ind)[-1][0]
        fig, target = self.value_of(ind, region), self.target(ind, region)
        return fig is not None and target is not None and fig.value >= target.value

    def paragraph(self, sub: W.Subsection) -> Block | None:
        """The subsection's paragraph without its （一）title。 head (numbered once the area is known)."""
        pieces = self.pieces(sub)
        if not pieces:
            return None
        if not self.is_city:
            self.rank_claim(sub, pieces)
        body, figures = self.sentences(pieces)
        highlight = self.highlight(sub, pieces, body) if self.is_city else None
        if highlight:
            body += highlight[0]
            figures += highlight[1]
        return Block("paragraph", sub.opener + (sub.mandate if self.mandate_met(sub) else "") + body, figures)


def rank_position(piece: Piece, indicator_id: str) -> int:
    """Where a rank is said: right after the figure it ranks and the change worded on it, not after a
    clause about something else (…审核率为94.7%，居全市各县（市、区）第二位，尚有1件未经过法制审核)."""
    stated = next(f for f in piece.figures if f.indicator_id == indicator_id and f.measure in ("value", "sum", "rate"))
    text = piece.predicate
    at = occurrences(text, stated.text)[0][1]
    change = next((f for f in piece.figures if f.indicator_id == indicator_id and f.measure == "change"), None)
    if change is not None and (found := text.find(change.text, at)) != -1 and "，" not in text[at + 1 : found]:
        at = found + len(change.text)
        if text[at : at + 1] == "（":  # 提高17.0个百分点（与2016年相比）
            at = text.index("）", at) + 1
    return at


def build_draft(
    con,
    catalog: Catalog,
    scope: str,
    period: Period,
    areas: list[str],
    exact: bool = False,
    include_internal: bool = False,
    with_charts: bool = False,
) -> Draft:
    """The draft for a scope (a province, a city or a county code), a period and a list of area ids (A1 … A9).
    A province's draft names its best cities (their totals), a city's its best counties, a county's its rank
    among its city's counties."""
    unknown = [a for a in areas if a not in W.AREAS]
    if unknown:
        raise ValueError(f"未知领域 {unknown}，可选 {list(W.AREAS)} / unknown areas; allowed: {list(W.AREAS)}")
    b = Builder(con, catalog, scope, period, exact, include_internal)
    period = b.period
    blocks: list[Block] = [Block("title", W.title(b.name, b.is_city, b.is_province))]
    body: list[Block] = []
    used, warnings, chart_no = [], list(b.warnings), 0
    for area_id in [a.id for a in catalog.areas if a.id in areas]:
        text = W.AREAS[area_id]
        subs = W.outline(area_id, [i.id for i in catalog.in_area(area_id)])
        drafted = [(s, p) for s in subs if (p := b.paragraph(s)) is not None]
        if not drafted:
            warnings.append(
                f"{area_id} {catalog.area(area_id).name_zh}：所选期间没有可用数据，未写入 / "
                f"no data for the period, left out"
            )
            continue
        # numbered once known, so （一）（二） stay consecutive; a lone subsection gets no （一） at all
        paragraphs = [p for _, p in drafted]
        if len(drafted) > 1:
            for k, (s, p) in enumerate(drafted, 1):
                p.text = f"（{cn(k)}）{s.title}。" + p.text
        used.append(area_id)
        body.append(Block("heading", f"{cn(len(used))}、{text.heading}", area=area_id))
        body.append(Block("lead", text.lead, area=area_id))
        for p in paragraphs:
            p.area = area_id
        body += paragraphs
        if with_charts:
            from rolgov.report import charts  # plotly loads only for drafts with charts

            for kind, ind_id in zip(("trend", "counties"), text.charts, strict=True):
                if ind_id not in b.visible:
                    continue
                made = charts.make(kind, b, catalog[ind_id])
                if made is not None:
                    chart_no += 1
                    fig, caption, points = made
                    body.append(Block("chart", f"图{chart_no}　{caption}", points, area=area_id, chart=fig))
    note = sample_note(sample_of([f for block in body for f in block.figures]))
    if note:
        blocks.append(Block("note", note))
    self_name = W.self_name(b.name, b.is_city, b.is_province)
    focus = "、".join(W.AREAS[a].focus for a in used[:4])  # the headings name the rest
    tail = (
        f"现将{period.year}年主要做法和成效总结如下，并与{period.start}年作对比。"
        if period.mode == "compare"
        else f"现将{period.label()}主要做法和成效总结如下。"
    )
    blocks.append(
        Block(
            "opening",
            f"{self_name}自开展法治政府建设示范创建工作以来，紧密围绕创建目标任务，"
            f"对照《市县法治政府建设示范指标体系》，着力从{focus}等方面入手，"
            f"推动法治政府建设各项工作落地见效。{tail}"
            if used
            else f"{self_name}所选期间没有可用数据。",
        )
    )
    return Draft(
        scope,
        b.name,
        period,
        used,
        exact,
        blocks + body,
        dt.datetime.now().isoformat(timespec="seconds"),
        warnings,
        b.rotation.record(),
    )


def apply_edits(draft: Draft, texts: dict[int, str]) -> tuple[Draft, list[dict]]:
    """Replace block texts by index; keep the figures still in the text, drop the others, flag stray numbers.

    Returns the edited draft and one flag per edited block with dropped figures or untraced numbers:
    {"block": index, "dropped": [TracedFigure], "untraced": ["60余场", ...]}.
    """
    blocks, flags = [], []
    for index, block in enumerate(draft.blocks):
        new = texts.get(index)
        if new is None or new == block.text or block.kind == "chart":
            blocks.append(block)
            continue
        kept, dropped, untraced = reconcile(new, block.figures)
        blocks.append(replace(block, text=new, figures=kept))
        if dropped or untraced:
            flags.append({"block": index, "dropped": dropped, "untraced": untraced})
    return replace(draft, blocks=blocks), flags
