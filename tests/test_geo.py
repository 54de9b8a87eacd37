"""County map geometry, the choropleth builder, and an offline PNG export through kaleido."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pandas as pd
import plotly.io as pio
import pytest

from rolgov import geo

ROOT = Path(__file__).resolve().parent.parent
CODES = {
    "610902": "汉滨区",
    "610921": "汉阴县",
    "610922": "石泉县",
    "610923": "宁陕县",
    "610924": "紫阳县",
    "610925": "岚皋县",
    "610926": "平利县",
    "610927": "镇坪县",
    "610981": "旬阳市",
    "610929": "白河县",
}
TOPO_OBJECTS = {"coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"}


def _frame(codes) -> pd.DataFrame:
    codes = list(codes)
    return pd.DataFrame(
        {
            "region_code": codes,
            "rate": [50.0 + 5 * i for i in range(len(codes))],
            "name": [CODES[c] for c in codes],
        }
    )


def _rings(feature):
    g = feature["geometry"]
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    return [(i, ring) for p in polys for i, ring in enumerate(p)]


def test_geojson_has_exactly_the_ten_county_units():
    fc = geo.load_counties()
    assert fc["type"] == "FeatureCollection"
    got = {f["properties"]["code"]: f["properties"]["name_zh"] for f in fc["features"]}
    assert got == CODES
    assert len(fc["features"]) == 10
    for f in fc["features"]:
        assert f["id"] == f["properties"]["code"]
        assert isinstance(f["properties"]["code"], str) and len(f["properties"]["code"]) == 6
    assert geo.DEFAULT_GEOJSON.stat().st_size < 60_000


def test_geojson_coordinates_are_in_ankang_and_wound_for_plotly():
    for f in geo.load_counties()["features"]:
        for i, ring in _rings(f):
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(108.0 < x < 110.7 and 31.4 < y < 33.95 for x, y in ring)
            # d3-geo (plotly) wants outer rings clockwise; the other way round fills the whole globe.
            signed = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))
            assert (signed < 0) == (i == 0), f["properties"]["name_zh"]


def test_centroids_fall_inside_their_county_bounding_box():
    pts = geo.centroids()
    assert set(pts) == set(CODES)
    for f in geo.load_counties()["features"]:
        xs = [x for _, r in _rings(f) for x, _ in r]
        ys = [y for _, r in _rings(f) for _, y in r]
        x, y = pts[f["properties"]["code"]]
        assert min(xs) < x < max(xs) and min(ys) < y < max(ys)


def test_choropleth_one_location_per_row_and_missing_counties_grey():
    present = sorted(CODES)[:7]
    fig = geo.choropleth(_frame(present), "rate", "name", "测试指标", "Blues", "%", range_color=(0, 100))
    main, grey, labels = fig.data
    assert main.type == "choropleth" and main.featureidkey == "properties.code"
    assert list(main.locations) == present and len(main.z) == len(present)
    assert (main.zmin, main.zmax) == (0, 100)
    assert main.geojson["features"][0]["properties"]["code"] in CODES
    assert sorted(grey.locations) == sorted(set(CODES) - set(present))
    assert grey.showscale is False and {c for _, c in grey.colorscale} == {geo.MISSING_COLOR}
    assert labels.type == "scattergeo" and labels.mode == "text"
    assert sorted(labels.text) == sorted(CODES.values())
    assert fig.layout.geo.visible is False and fig.layout.geo.fitbounds == "locations"
    assert "Noto Sans CJK SC" in fig.layout.font.family
    note = fig.layout.annotations[0].text
    assert "示意图" in note and geo.BOUNDARY_SOURCE in note


def test_choropleth_all_present_has_no_grey_trace_and_rejects_unknown_codes():
    fig = geo.choropleth(_frame(CODES), "rate", "name", "t", "Viridis", "件")
    assert [t.type for t in fig.data] == ["choropleth", "scattergeo"]
    assert len(fig.data[0].locations) == 10
    bad = _frame(["610902"]).assign(region_code=["610928"])  # old code of 旬阳, no longer on the map
    with pytest.raises(ValueError, match="610928"):
        geo.choropleth(bad, "rate", "name", "t", "Blues", "%")


def test_local_topojson_setting_points_at_the_empty_topology(monkeypatch):
    monkeypatch.setattr(pio.defaults, "topojson", None)
    url = geo.use_local_topojson_for_kaleido()
    assert pio.defaults.topojson == url and url.startswith("file://") and url.endswith("/")
    topo = json.loads((Path(url2pathname(urlparse(url).path)) / "world_110m.json").read_text())
    assert topo["type"] == "Topology" and topo["arcs"] == [] and set(topo["objects"]) == TOPO_OBJECTS
    assert all(o == {"type": "GeometryCollection", "geometries": []} for o in topo["objects"].values())
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "enableStaticServing = true" in config
    assert (ROOT / geo.TOPOJSON_URL.removeprefix("app/") / "world_110m.json").is_file()


EXPORT = """
import sys, pandas as pd
from rolgov import geo
if sys.argv[1] == "local":
    geo.use_local_topojson_for_kaleido()
df = pd.DataFrame({"region_code": sorted(geo.centroids())[:9]})
df["v"] = range(60, 60 + 4 * len(df), 4)
df["name"] = df["region_code"]
fig = geo.choropleth(df, "v", "name", "离线导出检查", "Blues", "%", range_color=(50, 100))
png = fig.to_image(format="png", width=900, height=600)
open(sys.argv[2], "wb").write(png)
"""


def _offline_ok() -> bool:
    if not shutil.which("unshare") or not Path("/usr/bin/chromium").exists():
        return False
    return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _offline_ok(), reason="needs /usr/bin/chromium and `unshare --net` (root)")
def test_png_export_works_with_no_network(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "map.png"
    run = [sys.executable, "-c", EXPORT]
    # Control: in a namespace with no network, the default CDN topology cannot be fetched.
    bad = subprocess.run(
        ["unshare", "--net", *run, "cdn", str(tmp_path / "x.png")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )
    assert bad.returncode != 0 and "world_110m" in bad.stderr
    ok = subprocess.run(
        ["unshare", "--net", *run, "local", str(out)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=180
    )
    assert ok.returncode == 0, ok.stderr[-2000:]
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    if os.environ.get("GEO_CHECK_PNG"):  # to look at it: GEO_CHECK_PNG=/tmp/geo_check.png pytest ...
        shutil.copy(out, os.environ["GEO_CHECK_PNG"])
