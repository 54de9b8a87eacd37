"""Tests for rolgov.catalog: exact error messages on broken catalogs, and checks on the real metrics.yml."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from rolgov import catalog
from rolgov.catalog import CatalogError

FIXTURE = Path(__file__).parent / "fixtures" / "catalog" / "minimal.yml"
ALLOWED_UNITS = "['次', '场', '条', '件', '项', '个', '名', '人', '人次', '%', '万元', '万人', '是/否']"


def broken(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """Write the minimal fixture with each (old, new) edit applied; each old text must occur once."""
    text = FIXTURE.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"fixture edit must match exactly once: {old!r}"
        text = text.replace(old, new)
    path = tmp_path / "metrics.yml"
    path.write_text(text, encoding="utf-8")
    return path


def lines_of(path: Path, needle: str) -> list[int]:
    """1-based numbers of the lines containing needle, so expected messages follow fixture edits."""
    text = path.read_text(encoding="utf-8")
    return [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]


def line_of(path: Path, needle: str) -> int:
    (found,) = lines_of(path, needle)
    return found


def load_error(path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        catalog.load(path)
    return info.value


# ── broken catalogs ─────────────────────────────────────────────────────────

TRAGET = "未知的键 'traget'，是否应为 'targets'？ / unknown key 'traget'; did you mean 'targets'?"
ITEMS_CUTT = "公式引用了未知指标 'items_cutt' / formula names unknown indicator 'items_cutt'"
TARGET_140 = "目标值 140 超出有效范围 [0, 100] / target 140 is outside the valid range [0, 100]"
UNIT_CHANGCI = f"未知单位 '场次' / unknown unit; allowed: {ALLOWED_UNITS}"
DIRECTION_UP = "direction 的值 'up' 不在允许范围 / not allowed; allowed: 'higher', 'lower' or 'monitor'"


def at(line: int, indicator: str, message: str) -> str:
    """One problem as CatalogError words it: line (Chinese, English), indicator id, message."""
    return f"第{line}行 / line {line} 指标 {indicator}: {message}"


def test_minimal_fixture_is_valid():
    cat = catalog.load(FIXTURE)
    assert [i.id for i in cat] == ["items_before", "items_cut", "cut_rate", "hearings_held"]


def test_typo_in_key_names_line_indicator_and_suggests_the_key(tmp_path):
    path = broken(tmp_path, ("    targets:", "    traget:"))
    error = load_error(path)
    assert str(error) == "metrics.yml: 1 个问题 / 1 problem(s)\n" + at(line_of(path, "traget:"), "cut_rate", TRAGET)
    assert error.path == path


def test_typo_inside_a_target(tmp_path):
    path = broken(tmp_path, ("note_zh: 估计值", "nota_zh: 估计值"))
    assert load_error(path).problems == [
        # renaming the key also leaves the target without its required note
        at(
            line_of(path, "- level: city"),
            "cut_rate",
            "缺少必填项 'targets.0.note_zh' / missing required key 'targets.0.note_zh'",
        ),
        at(
            line_of(path, "nota_zh:"),
            "cut_rate",
            "未知的键 'nota_zh'，是否应为 'note_zh'？ / unknown key 'nota_zh'; did you mean 'note_zh'?",
        ),
    ]


def test_duplicate_id(tmp_path):
    path = broken(tmp_path, ("id: hearings_held", "id: items_before"))
    first, second = lines_of(path, "id: items_before")
    assert load_error(path).problems == [
        at(second, "items_before", f"指标编号重复（首次出现于第{first}行） / duplicate id (first at line {first})")
    ]


def test_formula_naming_an_unknown_indicator(tmp_path):
    path = broken(tmp_path, ("formula: items_cut /", "formula: items_cutt /"))
    assert load_error(path).problems == [at(line_of(path, "formula:"), "cut_rate", ITEMS_CUTT)]


def test_unknown_unit_lists_the_allowed_units(tmp_path):
    path = broken(tmp_path, ("unit: 场", "unit: 场次"))
    assert load_error(path).problems == [at(line_of(path, "unit: 场次"), "hearings_held", UNIT_CHANGCI)]


def test_unknown_direction_lists_the_allowed_values(tmp_path):
    path = broken(tmp_path, ("direction: monitor", "direction: up"))
    assert load_error(path).problems == [at(line_of(path, "direction: up"), "items_before", DIRECTION_UP)]


def test_target_outside_the_valid_range(tmp_path):
    path = broken(tmp_path, ("value: 40", "value: 140"))
    assert load_error(path).problems == [at(line_of(path, "value: 140"), "cut_rate", TARGET_140)]


def test_reference_problems_are_all_listed_in_one_error(tmp_path):
    path = broken(
        tmp_path,
        ("unit: 场", "unit: 场次"),
        ("formula: items_cut /", "formula: items_cutt /"),
        ("value: 40", "value: 140"),
    )
    assert str(load_error(path)).splitlines() == [
        "metrics.yml: 3 个问题 / 3 problem(s)",
        at(line_of(path, "formula:"), "cut_rate", ITEMS_CUTT),
        at(line_of(path, "value: 140"), "cut_rate", TARGET_140),
        at(line_of(path, "unit: 场次"), "hearings_held", UNIT_CHANGCI),
    ]


def test_schema_problems_are_all_listed_in_one_error(tmp_path):
    path = broken(
        tmp_path,
        ("direction: monitor", "direction: up"),
        ("kind: percent", "kind: pct"),
        ("    targets:", "    traget:"),
    )
    kind_pct = "kind 的值 'pct' 不在允许范围 / not allowed; allowed: 'count', 'percent', 'amount' or 'boolean'"
    assert load_error(path).problems == [
        at(line_of(path, "direction: up"), "items_before", DIRECTION_UP),
        at(line_of(path, "kind: pct"), "cut_rate", kind_pct),
        at(line_of(path, "traget:"), "cut_rate", TRAGET),
    ]


def refused(formula: str) -> str:
    return (
        f"公式只允许指标编号、数字、+ - * / 和括号，不允许 {formula!r}"
        f" / formula allows only indicator ids, numbers, + - * / and brackets, not {formula!r}"
    )


def test_formula_with_a_function_call_is_refused(tmp_path):
    path = broken(
        tmp_path,
        ("formula: items_cut / items_before * 100", "formula: round(items_cut / items_before * 100)"),
    )
    assert load_error(path).problems == [
        at(line_of(path, "formula:"), "cut_rate", refused("round(items_cut / items_before * 100)"))
    ]


@pytest.mark.parametrize("formula", ["items_cut ** 2", "items_cut.real", "'x'", "items_cut > 0"])
def test_formula_names_refuses_anything_but_arithmetic(formula):
    with pytest.raises(ValueError) as info:
        catalog.formula_names(formula)
    assert str(info.value) == refused(formula)


def test_formula_cycle(tmp_path):
    items_cut_tail = '    weight: 0.5\n    template_zh: "{period}，{scope}精简行政审批事项{value}"'
    path = broken(
        tmp_path,
        (
            "    aggregate: sum\n    range: [0, null]\n" + items_cut_tail,
            "    formula: cut_rate * items_before / 100\n    aggregate: recompute\n"
            "    range: [0, null]\n" + items_cut_tail,
        ),
    )
    items_cut, cut_rate = lines_of(path, "formula:")
    assert load_error(path).problems == [
        at(
            items_cut,
            "items_cut",
            "公式循环引用 items_cut → cut_rate → items_cut / formula cycle items_cut → cut_rate → items_cut",
        ),
        at(
            cut_rate,
            "cut_rate",
            "公式循环引用 cut_rate → items_cut → cut_rate / formula cycle cut_rate → items_cut → cut_rate",
        ),
    ]


# ── the real metrics.yml ────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def real() -> catalog.Catalog:
    return catalog.load()


def test_real_catalog_loads_with_at_least_40_indicators(real):
    assert len(real) >= 40


def test_every_area_has_indicators(real):
    assert [a.id for a in real.areas] == [f"A{n}" for n in range(1, 11)]
    assert [a.id for a in real.areas if not real.in_area(a.id)] == []


def test_every_formula_names_indicators(real):
    assert real.derived, "the catalog should have derived indicators"
    for ind in real.derived:  # load() refuses unknown names; a formula of numbers alone would pass it
        assert ind.formula_ids, ind.id


def test_derived_indicators_are_recomputed_percentages(real):
    for ind in real.derived:
        assert (ind.unit, ind.kind, ind.aggregate, ind.range) == ("%", "percent", "recompute", (0, 100)), ind.id


def test_every_estimate_target_explains_itself(real):
    estimates = [(i.id, t) for i in real for t in i.targets if t.is_estimate]
    assert estimates, "the catalog should have estimate targets"
    for indicator_id, target in estimates:
        assert target.note_zh.strip(), indicator_id
        assert "估计值" in target.note_zh, indicator_id


def test_monitor_and_context_indicators_have_weight_0(real):
    for ind in real:
        if ind.direction == "monitor" or ind.context:
            assert ind.weight == 0, ind.id


def test_at_most_compares_like_with_like(real):
    for ind in real:
        for other in ind.at_most:
            assert real[other].unit == ind.unit, (ind.id, other)


def test_templates_have_all_placeholders(real):
    for ind in real:
        for placeholder in ("{period}", "{scope}", "{value}"):
            assert placeholder in ind.template_zh, (ind.id, placeholder)


def test_formula_sql_for_the_streamlining_rate(real):
    sql = catalog.formula_sql(real["approval_streamlining_rate"].formula)
    assert sql == '(("approval_items_streamlined" / NULLIF("approval_items_before", 0)) * 100.0)'


def test_formula_sql_runs_in_duckdb_and_zero_denominator_is_missing(real):
    ind = real["intermediary_cleanup_rate"]
    sql = catalog.formula_sql(ind.formula)
    rows = duckdb.sql(
        f"SELECT {sql} AS rate FROM (VALUES (97, 52), (0, 0)) "
        "AS t(intermediary_services_before, intermediary_services_retained)"
    ).fetchall()
    assert [None if r is None else round(r, 1) for (r,) in rows] == [46.4, None]


def test_a_schema_error_does_not_hide_reference_problems(tmp_path):
    """One indicator with a typo in a key, another with a duplicate id: both are listed at once."""
    path = broken(tmp_path, ("    targets:", "    traget:"), ("id: hearings_held", "id: items_before"))
    first, second = lines_of(path, "id: items_before")
    assert load_error(path).problems == [
        at(line_of(path, "traget:"), "cut_rate", TRAGET),
        at(second, "items_before", f"指标编号重复（首次出现于第{first}行） / duplicate id (first at line {first})"),
    ]
