"""What a draft says about one indicator: its figures for a region and period, worded as a statement.

A statement (Piece) is the predicate of a sentence with its traced figures: a figure from its metrics.yml
template (共召开各类听证会50余次), or a rate with its whole and part, worded for its value against its
requirement (达 only when it is met; 均已… at 100%; 尚有19项未经过合法性审查 below a legal 100%), with the
change on a year (增长4.8%, and 增加3名 for a small count) and, in a since-draft, the latest year inside the
total (其中2018年26次). What an indicator means for a draft comes from metrics.yml: over_time (summed or
stated at the end), rounding, draft_level (本级 / 全市) and subject_zh. build.py sets statements in
sentences and paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rolgov import regions as R
from rolgov.catalog import Catalog, Indicator
from rolgov.report import prose
from rolgov.report import wording as W
from rolgov.report.figures import Facts, TracedFigure, counties_of, evaluate, period_rates
from rolgov.report.model import Period

MANDATES = ("statutory", "indicator_text")


def parent_of(code: str) -> str:
    """The city a county belongs to (its latest use of the code), from the region reference."""
    rows = R.reference()
    rows = rows[rows["code"] == code].sort_values("valid_from", na_position="first")
    return str(rows.iloc[-1]["parent_code"]) if len(rows) and rows.iloc[-1]["parent_code"] else code


@dataclass
class Piece:
    """A statement ready to be set in a sentence: its predicate (what comes after period and subject)."""

    predicate: str
    figures: list[TracedFigure]
    subject_key: tuple | None  # same key: the subject is not repeated; None: no subject to write
    subject: str
    period_key: str  # flow | stock | latest | since
    indicator_ids: set[str] = field(default_factory=set)
    region: str = ""
    solo: bool = False  # a sentence of its own (a rate with its parts, a template with a comma)


class Statements:
    def __init__(self, con, catalog: Catalog, scope: str, period: Period, exact: bool, include_internal: bool):
        self.catalog, self.scope, self.exact = catalog, scope, exact
        self.counties_here = list(counties_of(scope, period.year))
        self.is_city = bool(self.counties_here)
        self.root = scope if self.is_city else parent_of(scope)
        self.counties = self.counties_here or list(counties_of(self.root, period.year))
        root_name = R.name_of(self.root, period.year)
        self.char = root_name[-1]  # 市 (or 省, or 区 for an autonomous region)
        # the government itself: 自治区政府, 自治区级各部门, where the whole area is 全区 (区政府 is a district's)
        self.own_char = "自治区" if R.level(self.root) == "province" and root_name.endswith("自治区") else self.char
        self.is_province = R.level(scope) == "province"
        # the units a draft compares: a city's counties, a province's cities (counties_of says which)
        self.unit_noun = "市" if R.level(self.root) == "province" else "县（市、区）"
        self.name = R.name_of(scope, period.year)
        self.kind_char = self.name[-1] if self.name[-1] in "县区市" else "县"
        self.visible = {i.id for i in catalog.visible(include_internal) if not i.context and i.kind != "boolean"}
        self.warnings: list[str] = []
        regions = sorted({scope, self.root, R.own_level_code(self.root), *self.counties})
        # every indicator is read: a public rate may be computed from an internal count
        self.facts = Facts.load(con, catalog, regions, list(range(2000, period.year + 1)))
        self.period = self._checked(period)
        if self.period.multi_year:  # rates over the period, from summed parts, in DuckDB
            self.facts.rates.update(period_rates(con, catalog, regions, self.period.start, self.period.year))
        self.rotation = prose.Rotation()
        self.said: set[tuple] = set()  # (indicator, region) wholes already stated in this draft
        self.latest_said = False  # one "其中2018年…" per paragraph
        self.qizhong = 0  # highlights opened with 其中，: a few read well, every paragraph does not

    def _checked(self, period: Period) -> Period:
        """A comparison year or start year without data is said plainly, never promised."""
        years = {y for (r, y, _i) in self.facts.cells if r in (self.scope, R.own_level_code(self.scope))}
        if period.mode == "compare" and period.start not in years:
            self.warnings.append(
                f"{period.start}年没有{self.name}的数据，本稿只写{period.year}年，不作对比 / no data for "
                f"{period.start}: the draft covers {period.year} only, without a comparison"
            )
            return Period.single(period.year)
        if period.mode == "since" and period.start not in years:
            first = min((y for y in years if period.start <= y <= period.year), default=None)
            if first is None:
                return period
            self.warnings.append(
                f"{period.start}年没有{self.name}的数据，累计数从{first}年算起 / no data for {period.start}: "
                f"totals are counted from {first}"
            )
            return Period.since(first, period.year)
        return period

    # ── what, where, when ──────────────────────────────────────────────────────────────────────
    def regions_for(self, ind: Indicator) -> list[tuple[str, str]]:
        """(region, level) pairs an indicator is stated for: level own_level | total | unit."""
        if not self.is_city:
            return [(self.scope, "unit")]
        own = R.own_level_code(self.scope)
        return {
            "own_level": [(own, "own_level")],
            "total": [(self.scope, "total")],
            "both": [(own, "own_level"), (self.scope, "total")],
        }[ind.draft_level]

    def subject(self, ind: Indicator, level: str, key: str) -> tuple[tuple, str]:
        """(sameness key, words) of the subject; plain subjects are varied."""
        written = getattr(ind.subject_zh, level)
        options = prose.SUBJECT_SYNONYMS.get(written, (written,))
        if self.is_province:  # a province's total is its cities' levels too, not its counties and its own alone
            options = tuple(o for o in options if o not in prose.CITY_ONLY_SUBJECTS) or (written,)
        chosen = self.rotation.pick(f"subject:{written}", options, key) if len(options) > 1 else written
        words = chosen.format(c=self.own_char if level == "own_level" else self.char, k=self.kind_char, name=self.name)
        return (level, written), words

    def how(self, ind: Indicator) -> tuple[str, int, str]:
        """(measure, start year, period key): a since-draft sums flows (a rate over flows is recomputed
        over the period), states stocks at the end and surveys in their latest year."""
        p = self.period
        if p.mode == "since":
            if ind.over_time == "flow":
                if ind.derived:
                    return ("rate", p.start, "since") if p.multi_year else ("value", p.year, "since")
                return ("sum", p.start, "since")
            return "value", p.year, ind.over_time
        return "value", p.year, ind.over_time

    def exact_for(self, ind: Indicator, measure: str) -> bool:
        """Exact unless metrics.yml lets the figure be rounded: always, or as a sum over several years."""
        if self.exact or ind.rounding == "never":
            return True
        if ind.rounding == "always":
            return False
        return not (measure == "sum" and self.period.multi_year)

    def figure(self, ind: Indicator, region: str, measure: str, start: int, **extra) -> TracedFigure | None:
        exact = extra.pop("exact", self.exact_for(ind, measure))
        spec = TracedFigure(ind.id, region, start, self.period.year, measure, exact, **extra)
        fig = evaluate(spec, self.facts, self.catalog)
        return fig

    def value_of(self, ind: Indicator, region: str) -> TracedFigure | None:
        measure, start, _ = self.how(ind)
        return self.figure(ind, region, measure, start)

    # ── pieces ───────────────────────────────────────────────────────────────────────────────────
    def change(self, ind: Indicator, region: str) -> tuple[str, TracedFigure] | None:
        """The change clause (，同比增长4.8% / ，比上年增加3名 / ，较2016年提高1.2个百分点), or None."""
        p = self.period
        if p.mode == "since" or ind.direction == "monitor":
            return None
        earlier = p.start if p.mode == "compare" else p.year - 1
        small = ind.kind == "count" and (
            ind.over_time == "stock" or (self.facts.get(region, earlier, ind.id) or 0) < 100
        )
        fig = self.figure(ind, region, "change", earlier, basis="absolute" if small else "relative", exact=True)
        if fig is None:
            return None
        key = f"{ind.id}{region}"
        if p.mode == "compare":
            options = prose.CHANGE_EARLIER_SAME if fig.text == "持平" else prose.CHANGE_EARLIER
            kind = "change.earlier" + (".same" if fig.text == "持平" else "")
        else:
            options = prose.CHANGE_PREVIOUS_SAME if fig.text == "持平" else prose.CHANGE_PREVIOUS
            kind = "change.previous" + (".same" if fig.text == "持平" else "")
        return self.rotation.pick(kind, options, key).format(t=fig.text, A=earlier), fig

    def wants_change(self, ind: Indicator) -> bool:
        """A one-year draft words the change of headline figures; a compare draft also of every rate."""
        return ind.headline or (self.period.mode == "compare" and ind.kind == "percent")

    def target(self, ind: Indicator, region: str):
        return ind.target_for(R.target_level(region), self.period.year)

    def benchmark(self, ind: Indicator, region: str):
        """(target, in force): the target of the year, or else a legal requirement of another year (the
        review rate is statutory from 2019; a 2017 rate of 76.5% is still no achievement to praise)."""
        target = self.target(ind, region)
        if target is not None:
            return target, True
        later = [t for t in ind.targets_at(R.target_level(region)) if t.basis in MANDATES]
        return (later[0], False) if later else (None, False)

    def verb(self, ind: Indicator, value: float, region: str) -> str:
        """达 praises: only for a higher-is-better value that is not short of its target or requirement."""
        target, _ = self.benchmark(ind, region)
        if ind.direction != "higher" or (target is not None and value < target.value):
            return "为"
        return "达"

    def single(self, ind: Indicator, region: str, level: str) -> Piece | None:
        measure, start, period_key = self.how(ind)
        fig = self.figure(ind, region, measure, start)
        if fig is None or (fig.value == 0 and ind.direction != "lower"):
            return None
        template = ind.template_zh
        prefix = "{period}，{scope}"
        body = template[len(prefix) :] if template.startswith(prefix) else template.replace("{period}，", "")
        if measure not in ("sum", "rate"):
            body = body.replace("累计", "")  # one year is not an accumulation
        if ind.kind == "percent" and "达{value}" in body:
            body = body.replace("达{value}", self.verb(ind, fig.value, region) + "{value}")
        key = (level, getattr(ind.subject_zh, level))
        subject_key, subject = self.subject(ind, level, f"{ind.id}{region}")
        if "{scope}" in body:  # a template that names its subject inside the sentence
            body, subject_key, subject = body.replace("{scope}", subject), None, ""
        text = body.replace("{value}", fig.text)
        figures = [fig]
        if self.wants_change(ind) and (made := self.change(ind, region)):
            text += made[0]
            figures.append(made[1])
        elif (
            measure == "sum"
            and not self.latest_said
            and ind.direction != "monitor"
            and (latest := self.figure(ind, region, "value", self.period.year, exact=True)) is not None
            and latest.text != fig.text
        ):  # the latest year inside the since-total, once a paragraph
            self.latest_said = True
            pattern = self.rotation.pick("since.latest", prose.SINCE_LATEST, f"{ind.id}{region}")
            text += pattern.format(Y=self.period.year, v=latest.text)
            figures.append(latest)
        target = self.target(ind, region)
        if (
            ind.kind == "percent"
            and target is not None
            and target.basis in prose.ATTAINED
            and fig.value >= target.value
            and ind.direction == "higher"
        ):
            text += self.rotation.pick(f"attained.{target.basis}", prose.ATTAINED[target.basis], ind.id)
        return Piece(
            text, figures, subject_key or key if subject else None, subject, period_key, {ind.id}, region, "，" in body
        )

    def ratio(self, ratio: W.Ratio, region: str, level: str) -> Piece | None:
        """A rate with its whole and part, worded for its value against its requirement."""
        cat = self.catalog
        if any(i and i not in self.visible for i in (ratio.rate, ratio.whole, ratio.part)):
            return None
        whole_ind, part_ind = cat[ratio.whole], cat[ratio.part]
        measure, start, period_key = self.how(whole_ind)
        whole = self.figure(whole_ind, region, measure, start)
        part = self.figure(part_ind, region, measure, start)
        if whole is None or part is None or whole.value == 0:
            return None
        rate_ind = cat[ratio.rate] if ratio.rate else None
        rate = self.value_of(rate_ind, region) if rate_ind else None
        if rate_ind is not None and rate is None:
            return None
        if whole.text == part.text and whole.value != part.value:  # 1000余条 twice: say both exactly
            whole = self.figure(whole_ind, region, measure, start, exact=True)
            part = self.figure(part_ind, region, measure, start, exact=True)
        key = f"{ratio.rate or ratio.part}{region}"
        subject_key, subject = self.subject(part_ind, level, key)
        noun = ratio.whole_text.replace("{whole}", "")
        verb = next((v for v in ("制发", "作出", "评查", "审结", "办结", "梳理", "收集") if noun.startswith(v)), "")
        slots = {
            "W": ratio.whole_text.format(whole=whole.text),
            "Wn": f"{verb}的{noun[len(verb) :]}" if verb else noun,  # what the whole is, without its figure
            "done": ratio.done,
            "noun": ratio.noun,
        }
        figures: list[TracedFigure] = []
        change = ""
        change_fig = None
        if rate_ind is not None and self.wants_change(rate_ind) and (made := self.change(rate_ind, region)):
            change, change_fig = made
        target, in_force = self.benchmark(rate_ind, region) if rate_ind else (None, False)
        mandate = target is not None and target.basis in MANDATES and rate_ind.direction == "higher"
        if ratio.patterns:
            part_change = ""
            if self.wants_change(part_ind) and (made := self.change(part_ind, region)):
                part_change, change_fig = made
            verb = self.verb(rate_ind, rate.value, region) if rate is not None else ""
            fill = {
                "whole": whole.text,
                "part": part.text,
                "rate": rate.text if rate else "",
                "verb": verb,
                "part_change": part_change,
                "s": subject,
            }
            options = {i: p for i, p in enumerate(ratio.patterns)}
            pattern = self.rotation.pick(f"ratio.{ratio.part}", options, key)
            text = pattern.format(**fill)
            if "{s}" in pattern:
                subject_key, subject = None, ""
            figures = [f for f in (whole, part, rate, change_fig) if f is not None and f.text and f.text in text]
            return Piece(
                text,
                figures,
                subject_key,
                subject,
                period_key,
                {ratio.rate, ratio.whole, ratio.part} - {None},
                region,
                True,
            )
        said = (ratio.whole, region) in self.said
        zero = part.value == 0 and rate_ind is not None and rate_ind.direction in ("lower", "monitor")
        if zero and not part_ind.headline:
            # 败诉0件，败诉率为0% is said as 无一败诉; a monitored rate at zero (直接纠错0件) is not said at all
            if said and rate_ind.direction == "monitor":
                return None
            self.said.add((ratio.whole, region))
            text = slots["W"] + (f"，无一{ratio.done}" if rate_ind.direction == "lower" else "")
            return Piece(text, [whole], subject_key, subject, period_key, {ratio.whole, ratio.part}, region, True)
        self.said.add((ratio.whole, region))
        part_template = part_ind.template_zh.replace("{period}，{scope}", "").replace("累计", "")
        slots.update(
            P=ratio.part_text.format(part=part.text),
            PV=ratio.part_verb.format(part=part.text),
            PT=part_template.replace("{value}", part.text),
            R=rate.text,
            C=change,
        )
        slots["verb"] = self.verb(rate_ind, rate.value, region)
        full = part.value == whole.value
        short = mandate and rate.value < target.value
        if short:
            gap = self.figure(
                rate_ind, region, "gap", start, basis="value" if measure == "value" else "sum", exact=True
            )
            if not (whole.exact and part.exact):  # 154项 less 127项 is 27项: with a gap, parts are exact
                whole = self.figure(whole_ind, region, measure, start, exact=True)
                part = self.figure(part_ind, region, measure, start, exact=True)
                slots["W"] = ratio.whole_text.format(whole=whole.text)
                slots.update(
                    P=ratio.part_text.format(part=part.text),
                    PV=ratio.part_verb.format(part=part.text),
                    PT=part_template.replace("{value}", part.text),
                )
            slots.update(G=gap.text if gap else "", req=prose.REQUIREMENT[target.basis])
            options = prose.RATIO_PART_ONLY_SHORT if said else prose.RATIO_SHORT
            kind = "ratio.short" + (".said" if said else "")
        elif full:
            gap = None
            options = prose.RATIO_PART_ONLY_FULL if said else prose.RATIO_FULL
            kind = "ratio.full" + (".said" if said else "")
        else:
            gap = None
            options = prose.RATIO_PART_ONLY if said else prose.RATIO_PARTIAL
            kind = "ratio.partial" + (".said" if said else "")
        options = {
            i: o
            for i, o in enumerate(options)
            if not ("{G}" in o and gap is None)
            and not ("{req}" in o and not in_force)
            and not ("{P" not in o and part_ind.headline)  # a headline figure is never left out
        }
        pattern = self.rotation.pick(kind, options, key)
        text = pattern.format(**slots)
        if mandate and in_force and not short and "{R}" in pattern:
            text += self.rotation.pick(f"attained.{target.basis}", prose.ATTAINED[target.basis], key)
        figures = [
            f
            for f in (
                whole if "{W}" in pattern else None,
                part if "{P" in pattern else None,
                rate if "{R}" in pattern else None,
                change_fig if "{C}" in pattern and change else None,
                gap if "{G}" in pattern else None,
            )
            if f is not None
        ]
        return Piece(
            text, figures, subject_key, subject, period_key, {ratio.rate, ratio.whole, ratio.part}, region, True
        )


def rate_noun(ind: Indicator) -> str:
    """What a rate is called in a sentence, from its template: 村（社区）法律顾问覆盖率 (never the catalog label)."""
    body = ind.template_zh.replace("{period}，{scope}", "")
    for ending in ("达{value}", "为{value}"):
        if body.endswith(ending):
            return body[: -len(ending)]
    return ind.name_zh
