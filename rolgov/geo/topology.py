"""data/geo/china.topo.json.gz in; GeoJSON features of any layer, at the detail a view needs, out (numpy only).

The file is TopoJSON written by scripts/build_geo.py: each border is stored once as an arc of
quantised, delta-encoded points, and each point carries a rank (member "ranks", one hex digit per
point) saying up to which tolerance it is needed. Choosing a detail is therefore a comparison, not a
geometry computation, and neighbours stay seamless at every detail because they share their arcs.
Decoding the whole country takes about 0.25 s once per process; a province's features take
milliseconds. Everything returned is cached and shared: callers must not mutate it.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from rolgov.catalog import ROOT

TOPOLOGY_PATH = ROOT / "data" / "geo" / "china.topo.json.gz"
LAYERS = ("counties", "prefectures", "provinces", "other_areas")


@dataclass(frozen=True)
class Topology:
    arcs: list[np.ndarray]  # per arc: (n, 2) longitude, latitude
    ranks: list[np.ndarray]  # per arc: (n,) rank of each point
    boxes: np.ndarray  # per arc: lon_min, lat_min, lon_max, lat_max
    objects: dict[str, dict[str, dict]]  # layer -> feature id -> TopoJSON geometry (arcs, properties)
    lines: list[int]  # arcs of the boundary lines (境界线, the South China Sea's dashes among them)
    metadata: dict

    @property
    def base_tolerance(self) -> float:
        return self.metadata["base_tolerance"]


@lru_cache(maxsize=2)
def load(path: Path | str = TOPOLOGY_PATH) -> Topology:
    raw = json.loads(gzip.decompress(Path(path).read_bytes()))
    scale, translate = np.array(raw["transform"]["scale"]), np.array(raw["transform"]["translate"])
    # One flat array for all arcs (per-arc numpy calls would cost 4x as much): undo the delta
    # encoding with one cumulative sum, then subtract each arc's running total at its start.
    lengths = np.array([len(a) for a in raw["arcs"]])
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    flat = chain.from_iterable(chain.from_iterable(raw["arcs"]))
    deltas = np.fromiter(flat, dtype=np.int64, count=2 * int(lengths.sum())).reshape(-1, 2)
    total = np.cumsum(deltas, axis=0)
    before = np.vstack([[0, 0], total[starts[1:] - 1]])
    points = (total - np.repeat(before, lengths, axis=0)) * scale + translate
    arcs = np.split(points, starts[1:])
    digits = np.frombuffer("".join(raw["ranks"]).encode("ascii"), dtype=np.uint8).astype(np.int16)
    ranks = np.split(np.where(digits >= ord("a"), digits - ord("a") + 10, digits - ord("0")), starts[1:])
    boxes = np.hstack([np.minimum.reduceat(points, starts), np.maximum.reduceat(points, starts)])
    objects = {
        name: {g["id"]: g for g in raw["objects"][name]["geometries"]} for name in LAYERS if name in raw["objects"]
    }
    lines = [ref[0] for g in raw["objects"]["lines"]["geometries"] for ref in g["arcs"]]
    return Topology(arcs, ranks, boxes, objects, lines, raw["metadata"])


def min_rank(topology: Topology, tolerance: float) -> int:
    """The lowest rank a view at `tolerance` degrees needs (rank r holds points needed up to base * 2**(r+1))."""
    return max(0, math.floor(math.log2(max(tolerance, 1e-12) / topology.base_tolerance)))


def _ref_ids(geometry: dict) -> set[int]:
    return {ref if ref >= 0 else ~ref for polygon in geometry["arcs"] for ring in polygon for ref in ring}


def bbox(topology: Topology, geometries: list[dict]) -> tuple[float, float, float, float] | None:
    """lon_min, lat_min, lon_max, lat_max over the arcs of the given geometries (None if there are none)."""
    ids = sorted(set().union(*(_ref_ids(g) for g in geometries))) if geometries else []
    if not ids:
        return None
    b = topology.boxes[ids]
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


class _Rings:
    """Assembles rings from arcs at one detail, each arc filtered once however many rings use it."""

    def __init__(self, topology: Topology, rank: int, decimals: int):
        self.topology, self.rank, self.decimals = topology, rank, decimals
        self._done: dict[int, np.ndarray] = {}

    def arc(self, index: int) -> np.ndarray:
        if index not in self._done:
            points = self.topology.arcs[index]
            self._done[index] = np.round(points[self.topology.ranks[index] >= self.rank], self.decimals)
        return self._done[index]

    def ring(self, refs: list[int]) -> np.ndarray:
        parts = [self.arc(r) if r >= 0 else self.arc(~r)[::-1] for r in refs]
        ring = np.concatenate([parts[0], *(p[1:] for p in parts[1:])])
        keep = np.r_[True, (np.diff(ring, axis=0) != 0).any(axis=1)]  # rounding can repeat a point
        return ring[keep]


def _keep_ring(ring: np.ndarray, refs: list[int], tolerance: float) -> bool:
    """At least a triangle; an island or enclave (a ring of one arc) must also be wider or taller than
    twice the tolerance (about a pixel). A ring bordered by neighbours is never dropped for its size:
    that would leave a hole in the map."""
    if len(ring) < 4 or len(np.unique(ring[:-1], axis=0)) < 3:
        return False
    if len(refs) > 1:
        return True
    extent = ring.max(axis=0) - ring.min(axis=0)
    return float(max(extent[0] * math.cos(math.radians(ring[0, 1])), extent[1])) >= 2 * tolerance


def geometry(topology: Topology, geometry: dict, tolerance: float) -> dict | None:
    """One TopoJSON MultiPolygon as a GeoJSON MultiPolygon at `tolerance` degrees.

    Islets smaller than about a pixel at this detail are left out; a unit that would vanish
    altogether (澳门 on the national map) is drawn at full detail instead.
    """
    decimals = min(4, max(2, math.ceil(-math.log10(tolerance / 3)))) if tolerance > 0 else 4
    for rank, floor in ((min_rank(topology, tolerance), tolerance), (0, 0.0)):
        rings = _Rings(topology, rank, decimals)
        polygons = []
        for polygon in geometry["arcs"]:
            shell = rings.ring(polygon[0])
            if not _keep_ring(shell, polygon[0], floor):
                continue
            holes = [rings.ring(refs) for refs in polygon[1:]]
            kept = [h.tolist() for h, refs in zip(holes, polygon[1:], strict=True) if _keep_ring(h, refs, floor)]
            polygons.append([shell.tolist(), *kept])
        if polygons:
            return {"type": "MultiPolygon", "coordinates": polygons}
    return None


def feature(topology: Topology, layer: str, feature_id: str, tolerance: float) -> dict | None:
    """A GeoJSON Feature (id = properties.code) of one unit of a layer; None if it has no geometry."""
    source = topology.objects[layer].get(feature_id)
    if source is None:
        return None
    shape = geometry(topology, source, tolerance)
    if shape is None:
        return None
    props = source["properties"]
    return {
        "type": "Feature",
        "id": feature_id,
        "properties": {"code": feature_id, "name": props["name"]},
        "geometry": shape,
    }


def line_coordinates(topology: Topology, box: tuple[float, float, float, float], tolerance: float) -> list:
    """The boundary lines crossing `box`, as lists of [lon, lat] at `tolerance`."""
    rings = _Rings(topology, min_rank(topology, tolerance), 3)
    x0, y0, x1, y1 = box
    out = []
    for index in topology.lines:
        bx0, by0, bx1, by1 = topology.boxes[index]
        if bx1 >= x0 and bx0 <= x1 and by1 >= y0 and by0 <= y1:
            out.append(rings.arc(index).tolist())
    return out
